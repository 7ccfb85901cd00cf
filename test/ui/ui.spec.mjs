// UI checks against the real workbench, run by scripts/run-ui.mjs (`npm run test:ui`).
// Each entry gets a fresh workbench with the extension loaded in development mode.
import path from 'node:path';
import assert from 'node:assert';
import { ROOT } from '../../scripts/vscode-host.mjs';
import { commandPalette, quickOpen, screenshot } from '../../scripts/run-ui.mjs';

export const tests = [
  {
    name: 'command palette (F1) finds ModelLens: Summarize Model',
    async run({ page }) {
      const rows = await commandPalette(page, 'ModelLens: Summarize');
      await screenshot(page, 'command-palette-modellens');
      assert.ok(rows.includes('ModelLens: Summarize Model'), `palette rows: ${JSON.stringify(rows)}`);
    },
  },
  {
    // The quick-open path the CodeLens/hover checks build on: a file in a subfolder (of a temp
    // copy of test/fixtures/, as every folder a UI test opens is a copy).
    name: 'quick open (Ctrl+P) opens a file in an editor',
    folder: path.join(ROOT, 'test', 'fixtures'),
    async run({ page }) {
      const editor = await quickOpen(page, 'second-root/tiny.ts');
      const text = await editor.locator('.view-lines').innerText();
      assert.match(text, /nn\.Linear/, `editor text: ${text.slice(0, 200)}`);
      assert.strictEqual('tiny.ts', (await page.locator('.tabs-container .tab.active .label-name').innerText()).trim());
    },
  },
];
