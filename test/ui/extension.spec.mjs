// The extension in the real workbench UI (scripts/run-ui.mjs, `npm run test:ui`): CodeLens text
// in the editor, the hover on `nn.Linear`, "Summarize Model" from F1 and the table in the
// webview, the model diagram (click ↔ cursor, export). Screenshots go to test-artifacts/ui/; with
// MODELLENS_README_SHOTS=1 the lens and hover pictures are also copied to docs/images/ (the panel's
// pictures come from test/ui/panel.spec.mjs).
import assert from 'node:assert';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/vscode-host.mjs';
import { clickCodeLens, codeLensTexts, goToPosition, hoverAt, quickOpen, runCommand, screenshot, until, waitForWebview } from '../../scripts/run-ui.mjs';

const README_SHOTS = process.env.MODELLENS_README_SHOTS === '1';

/**
 * A screenshot of the whole window to test-artifacts/ui/; with MODELLENS_README_SHOTS=1 (by hand,
 * never in npm test) also the README picture docs/images/<name>.png: uncropped, at 1:1.
 */
async function shot(page, name) {
  const file = await screenshot(page, name);
  if (README_SHOTS) {
    const dir = path.join(ROOT, 'docs', 'images');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(file, path.join(dir, `${name}.png`));
  }
  return file;
}

/** The window of the lens and hover pictures: the editor alone (side bar hidden), every line of simple-mlp.ts whole. */
const CODE_WINDOW = { width: 1000, height: 780 };

/** CSP violations or script errors in the webview would be silent in the page: fail on them. */
function assertNoCspErrors(consoleLines) {
  const bad = consoleLines.filter((l) => /Content Security Policy|Refused to (load|execute|apply)/i.test(l));
  assert.deepStrictEqual(bad, [], 'the summary webview violated its CSP');
}

export const tests = [
  {
    name: 'simple-mlp.ts: lenses, hover on nn.Linear, Summarize Model panel',
    timeoutMs: 400_000,
    viewport: CODE_WINDOW,
    async run({ page, consoleLines }) {
      await quickOpen(page, 'simple-mlp.ts');
      await page.keyboard.press('Control+B');

      // CodeLens: the model line and the layer lines (once the model's lens shows).
      const texts = await until('the "333,853 params" lens', async () => {
        const t = await codeLensTexts(page);
        return t.some((x) => x.includes('333,853 params')) ? t : undefined;
      });
      assert.ok(texts.some((t) => t.includes('333,853 params · 1.27 MB · [64, 1]') && t.includes('Diagram') && t.includes('Run forward pass')), `lenses: ${JSON.stringify(texts)}`);
      assert.ok(texts.some((t) => t.includes('66,564 params · [64, 516]')), `lenses: ${JSON.stringify(texts)}`);
      // Parameter-free layers (the ReLUs) get no lens by default.
      assert.ok(!texts.some((t) => t.startsWith('0 params')), `lenses: ${JSON.stringify(texts)}`);
      await shot(page, 'lenses');

      // Hover: line 17 is `    this.fc1 = new nn.Linear(inputSize, hiddenSize);`, column 24 is inside `Linear`.
      const hover = await hoverAt(page, 17, 24, { expect: '66,564' });
      assert.ok(hover.includes('128 × 516 + 516 = 66,564'), hover);
      assert.ok(hover.includes('Linear'), hover);
      await shot(page, 'hover');
      await page.keyboard.press('Escape');

      // F1 → ModelLens: Summarize Model, with the cursor inside the model (side bar still hidden: room for the panel).
      await goToPosition(page, 19, 10);
      await runCommand(page, 'ModelLens: Summarize Model');
      const frame = await waitForWebview(page, '#layers tbody tr', { timeout: 60_000 });
      const rows = (await frame.locator('#layers tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      assert.strictEqual(rows.length, 5, JSON.stringify(rows));
      assert.match(rows[0], /fc1 Linear \[64, 516\] 66,564 4,260,096 19\.9%/);
      assert.match(rows[2], /fc2 Linear \[64, 516\] 266,772 17,073,408 79\.9%/);
      const totals = await frame.locator('.totals').innerText();
      assert.match(totals, /Total params\s+333,853/);
      assert.match(totals, /Params size\s+1\.27 MB/);
      await frame.locator('#copy-seed').waitFor({ state: 'visible' });
      await screenshot(page, 'simple-mlp-panel');

      // Clicking a row reveals its line in the editor (fc3 is built on line 21): the editor's cursor
      // goes there, which its gutter marks (the status bar's "Ln 21" shows only while the workbench
      // counts the editor as active, and a click inside the webview can leave the panel so: CI once).
      await frame.locator('#layers tbody tr').filter({ hasText: 'fc3' }).first().click();
      await page.locator('.monaco-editor .line-numbers.active-line-number').filter({ hasText: /^\s*21\s*$/ }).waitFor({ state: 'visible', timeout: 60_000 });

      // Live update: typing 256 over `hiddenSize = 516` (line 15) refreshes the open panel (PyTorch: 33,024 for Linear(128, 256)).
      const line15 = '  constructor(inputSize = 128, hiddenSize = 516, outputSize = 1) {';
      await goToPosition(page, 15, line15.indexOf('516') + 1);
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.type('256');
      // Typed one key at a time: the panel may show 2 and 25 on the way. Wait for the final state
      // (row and totals together), then check it.
      await until('the panel to show hiddenSize = 256', async () =>
        (await frame.locator('#layers tbody tr').filter({ hasText: '33,024' }).count()) > 0 && /Total params\s+99,073/.test(await frame.locator('.totals').innerText()));
      assert.match(await frame.locator('.totals').innerText(), /Total params\s+99,073/);
      await page.keyboard.press('Control+Z');
      assertNoCspErrors(consoleLines);
    },
  },
];

tests.push({
  name: 'resnet.ts: the panel nests modules and collapses them',
  timeoutMs: 400_000,
  async run({ page }) {
    await quickOpen(page, 'resnet.ts');
    await codeLensTexts(page, { timeout: 60_000 });
    await runCommand(page, 'ModelLens: Summarize Model');
    const frame = await waitForWebview(page, '#layers tbody tr', { timeout: 60_000 });
    const rows = frame.locator('#layers tbody tr');
    const before = await rows.count();
    const layer1 = rows.filter({ hasText: 'layer1' }).first();
    assert.match((await layer1.innerText()).replace(/\s+/g, ' '), /layer1 ResBlock/);
    // Its children are shown under it with their relative names.
    assert.ok((await rows.allInnerTexts()).some((t) => /^\s*conv1\s/.test(t)), 'no nested conv1 row');
    await layer1.locator('button.twisty').click();
    // Collapsing is done when the twisty says so; then the rows are counted.
    await until('layer1 to collapse', async () => (await layer1.locator('button.twisty').getAttribute('aria-expanded')) === 'false');
    // ResBlock layer1: conv1, bn1, relu, conv2, bn2 and the reused relu are hidden.
    const after = await until(`${before - 6} rows after collapsing`, async () => {
      const n = await rows.count();
      return n < before ? n : undefined;
    });
    assert.strictEqual(before - after, 6, `rows before ${before}, after ${after}`);
    await screenshot(page, 'resnet-collapsed');
  },
});

tests.push({
  name: 'simple-mlp.ts: Run forward pass CodeLens fills the forward section with its own layer table',
  timeoutMs: 400_000,
  async run({ page, consoleLines }) {
    await quickOpen(page, 'simple-mlp.ts');
    await page.keyboard.press('Control+B');
    await clickCodeLens(page, 'Run forward pass', { timeout: 60_000 });
    const frame = await waitForWebview(page, '#forward', { timeout: 60_000 });
    // The forward section's table appears once the pass is done (worker start-up, wasm, five layers).
    await frame.locator('#forward-layers').waitFor({ state: 'visible', timeout: 180_000 });
    const headers = (await frame.locator('#forward-layers thead th').allInnerTexts()).map((t) => t.trim());
    assert.deepStrictEqual(headers, ['Layer', 'Actual Shape', 'Mean ± Std', 'Time', 'Activations']);
    // The layer table keeps its six columns (every layer trains: no Trainable column): the results never widen it.
    assert.strictEqual(await frame.locator('#layers thead th').count(), 6);
    const rows = frame.locator('#forward-layers tbody tr');
    assert.strictEqual(await rows.count(), 5);
    assert.deepStrictEqual((await frame.locator('#forward-layers tbody .name').allInnerTexts()).map((t) => t.trim()), ['fc1', 'relu1', 'fc2', 'relu2', 'fc3']);
    // PyTorch's shapes for fc1..fc3 (torch 1.13): every actual shape agrees, none is red.
    const actual = (await frame.locator('#forward-layers td.actual').allInnerTexts()).map((t) => t.trim());
    assert.deepStrictEqual(actual, ['[64, 516]', '[64, 516]', '[64, 516]', '[64, 516]', '[64, 1]']);
    assert.strictEqual(await frame.locator('td.actual.mismatch').count(), 0);
    // One 12-bin histogram per layer.
    assert.strictEqual(await frame.locator('.hist').count(), 5);
    assert.strictEqual(await frame.locator('.hist .bin').count(), 60);
    const forward = await frame.locator('#forward').innerText();
    assert.match(forward, /Backend\s+wasm/);
    assert.match(forward, /Total params \(tfjs countParams\)\s+333,853/);
    assert.match(forward, /Findings\s*0/);
    await frame.locator('#run-forward').waitFor({ state: 'visible' });
    await screenshot(page, 'simple-mlp-forward-pass');
    assertNoCspErrors(consoleLines);
  },
});

/** The core's graph of an example, from the tsc output (out/), to compare the drawing with. */
function coreGraph(file) {
  const require = createRequire(import.meta.url);
  const out = path.join(ROOT, 'out', 'src', 'core');
  if (!fs.existsSync(path.join(out, 'analyze.js'))) throw new Error('out/src/core is missing: compile with `npx tsc -p .` first');
  const { analyzeSource } = require(path.join(out, 'analyze.js'));
  const { buildDiagramGraph } = require(path.join(out, 'graph', 'index.js'));
  const abs = path.join(ROOT, 'examples', file);
  return buildDiagramGraph(analyzeSource(abs, fs.readFileSync(abs, 'utf8')).models[0]);
}

tests.push({
  name: 'resnet.ts: Diagram CodeLens opens the graph; clicking a node moves the cursor, the cursor lights the node; SVG export through the save dialog',
  timeoutMs: 400_000,
  async run({ page, consoleLines, folder }) {
    const graph = coreGraph('resnet.ts');
    await quickOpen(page, 'resnet.ts');
    await page.keyboard.press('Control+B');
    await clickCodeLens(page, 'Diagram', { timeout: 60_000 });
    const frame = await waitForWebview(page, 'svg.diagram .node', { timeout: 60_000 });
    // Every node and edge of the core's graph is drawn (ELK has laid them out once the edges exist).
    await frame.locator('svg.diagram .edge').first().waitFor({ state: 'attached', timeout: 60_000 });
    assert.strictEqual(await frame.locator('svg.diagram .node').count(), graph.nodes.length);
    assert.strictEqual(await frame.locator('svg.diagram .edge').count(), graph.edges.length);
    assert.strictEqual(await frame.locator('svg.diagram .group').count(), graph.groups.length);
    await screenshot(page, 'diagram');

    // Click `fc` (built on line 27 of resnet.ts): the editor's cursor goes there.
    const fc = graph.nodes.find((n) => n.name === 'fc');
    const status = page.locator('.statusbar-item[id="status.editor.selection"]');
    await status.filter({ hasText: /Ln 1,/ }).waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {});
    const before = (await status.innerText()).trim();
    await frame.locator(`svg.diagram .node[data-id="${fc.id}"]`).click();
    await status.filter({ hasText: `Ln ${fc.line},` }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.notStrictEqual((await status.innerText()).trim(), before);
    await frame.locator(`svg.diagram .node.selected[data-id="${fc.id}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    // The cursor now on fc's line lights that node.
    await frame.locator(`svg.diagram .node.highlight[data-id="${fc.id}"]`).waitFor({ state: 'attached', timeout: 60_000 });

    // The other way: the cursor moved in the editor (the stem, line 21) lights the stem's node.
    const stem = graph.nodes.find((n) => n.name === 'stem');
    await goToPosition(page, stem.line, 10);
    await frame.locator(`svg.diagram .node.highlight[data-id="${stem.id}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    assert.strictEqual(await frame.locator('svg.diagram .highlight').count(), 1);
    await screenshot(page, 'diagram-highlight');

    // Export SVG: the workbench's save dialog asks where; the file holds the drawing.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-ui-export-'));
    try {
      await frame.locator('#ml-export-svg').click();
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 60_000 });
      // The dialog proposes <model>.svg next to the model's file (it fills the input in steps).
      const proposed = await until('the save dialog to propose ResNetTiny.svg', async () => {
        const v = await input.inputValue();
        return /ResNetTiny\.svg$/.test(v) ? v : undefined;
      });
      assert.strictEqual(proposed, path.join(folder, 'ResNetTiny.svg'));
      const target = path.join(dir, 'ResNetTiny.svg');
      await input.fill(target);
      // The simple file dialog completes and validates paths as they are typed, and on a loaded
      // machine it can ignore an OK pressed meanwhile (the dialog stays open, the path in it):
      // press OK until the dialog closes or the file is there.
      const ok = page.locator('.quick-input-widget .monaco-button').filter({ hasText: /^OK$/ });
      await until(`the export to be written to ${target}`, async () => {
        if (fs.existsSync(target)) return true;
        if (await ok.isVisible().catch(() => false)) {
          if ((await input.inputValue().catch(() => target)) !== target) await input.fill(target);
          await ok.click({ timeout: 2_000 }).catch(() => {});
        }
        return fs.existsSync(target);
      }, { every: 500 });
      const svg = fs.readFileSync(target, 'utf8');
      assert.match(svg, /^<\?xml[^>]*>\s*<svg[\s>]/);
      assert.strictEqual(svg.match(/<g [^>]*data-id="(n|in|out)\d+"/g)?.length, graph.nodes.length);
      assert.ok(svg.includes('[4, 16, 32, 32]') && svg.includes('Conv2d'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assertNoCspErrors(consoleLines);
  },
});

tests.push({
  name: 'Summary panel: the Diagram button opens the diagram of its model',
  timeoutMs: 400_000,
  async run({ page }) {
    await quickOpen(page, 'cnn.ts');
    await codeLensTexts(page, { timeout: 60_000 });
    await runCommand(page, 'ModelLens: Summarize Model');
    const frame = await waitForWebview(page, '#show-diagram', { timeout: 60_000 });
    await frame.locator('#show-diagram').click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Diagram: SmallCNN' }).waitFor({ state: 'visible', timeout: 60_000 });
    const diagram = page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
    await diagram.locator('svg.diagram .node').first().waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, 'summary-diagram-button');
  },
});
