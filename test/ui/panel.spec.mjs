// The summary panel's layout in the default editor layout (side bar open, the panel opened beside
// the code), measured in the real workbench (scripts/run-ui.mjs): no cell's content overflows its
// box, the layer-name column stays in view while the table scrolls sideways and the header row
// (with its corner cell) while a tall table scrolls down, every toolbar button
// shows whole, and a forward pass's results go to their own section without widening the layer
// table. Screenshots of the panel go to test-artifacts/ui/; with MODELLENS_README_SHOTS=1 (by hand
// only, never in npm test) the README's panel pictures are written to docs/images/ as well.
import assert from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/vscode-host.mjs';
import { UI_ARTIFACTS, clickCodeLens, codeLensTexts, goToPosition, quickOpen, runCommand, screenshot, waitForWebview } from '../../scripts/run-ui.mjs';
import { WIDE_MODEL_FILE, WIDE_MODEL_LAYERS, WIDE_MODEL_NAME, WIDE_MODEL_PARAMS, WIDE_MODEL_SOURCE } from './wideModel.mjs';
import { TALL_MODEL_FILE, TALL_MODEL_LENS, TALL_MODEL_LINE, TALL_MODEL_NAME, TALL_MODEL_ROWS, TALL_MODEL_SOURCE } from './tallModel.mjs';

const README_SHOTS = process.env.MODELLENS_README_SHOTS === '1';

/**
 * A common desktop window: with the side bar open and the panel beside the code, the panel's
 * webview gets about 620 px. The test checks it got a width in the range the layout is meant for.
 */
const DEFAULT_WINDOW = { width: 1600, height: 1000 };
const PANEL_WIDTHS = { min: 560, max: 820 };

// Every layer of these models trains: no Trainable column (it shows only when some layer is frozen or unknown).
const LAYER_HEADERS = ['Layer', 'Type', 'Output Shape', 'Param #', 'Mult-Adds', 'Share'];
const FORWARD_HEADERS = ['Layer', 'Actual Shape', 'Mean ± Std', 'Time', 'Activations'];

/** The editor group that shows the summary panel (its tab is `Summary: <model>`). */
function summaryGroup(page) {
  return page.locator('.editor-group-container').filter({ has: page.locator('.tab', { hasText: 'Summary:' }) }).first();
}

/**
 * Screenshots of the panel's editor group alone (tab and page, at 1:1) to test-artifacts/ui/,
 * and, for the README pictures, to docs/images/ too.
 */
async function panelShot(page, name, { readme = false } = {}) {
  const box = await summaryGroup(page).boundingBox();
  assert.ok(box, 'the summary panel is not on screen');
  const clip = { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.ceil(box.width), height: Math.ceil(box.height) };
  fs.mkdirSync(UI_ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(UI_ARTIFACTS, `${name}.png`), clip });
  if (readme && README_SHOTS) await page.screenshot({ path: path.join(ROOT, 'docs', 'images', `${name.replace(/^readme-/, '')}.png`), clip });
}

/** A CSP violation in the webview (a style attribute, an inline script) is silent in the page: fail on it. */
function assertNoCspErrors(consoleLines) {
  const bad = consoleLines.filter((l) => /Content Security Policy|Refused to (load|execute|apply)/i.test(l));
  assert.deepStrictEqual(bad, [], 'the summary webview violated its CSP');
}

// ---- Measured inside the webview (Locator.evaluate runs these in its frame; the first argument is the element). ----

/** Cells and labels whose content is wider than their box (cut off or spilling out). */
function overflowingBoxes() {
  const out = [];
  const selector = 'table.grid th, table.grid td, table.grid .wrap, .totals dt, .totals dd, header h1, header p, .diag, .preview';
  for (const e of document.querySelectorAll(selector)) {
    if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.replace(/\s+/g, ' ').trim().slice(0, 60)}" (${e.scrollWidth} > ${e.clientWidth})`);
  }
  return { out, pageOverflow: document.documentElement.scrollWidth - window.innerWidth, width: window.innerWidth };
}

/**
 * Scrolls the table's wrapper to its left end, the middle and its right end, and at each checks
 * every name cell on screen: inside the wrapper's visible box and not covered (the element at
 * its centre is inside it).
 */
function nameColumnInView(_body, tableId) {
  const table = document.getElementById(tableId);
  const scroller = table.parentElement;
  const max = scroller.scrollWidth - scroller.clientWidth;
  table.scrollIntoView({ block: 'start' });
  const positions = [];
  for (const left of [0, Math.round(max / 2), max]) {
    scroller.scrollLeft = left;
    const view = scroller.getBoundingClientRect();
    const bad = [];
    let checked = 0;
    for (const cell of table.querySelectorAll('tr > .name')) {
      const r = cell.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) continue;
      checked++;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const inside = r.left >= view.left - 0.5 && r.right <= view.left + scroller.clientWidth + 0.5;
      if (!inside || !cell.contains(hit)) bad.push(`"${cell.textContent.trim()}" at ${Math.round(r.left)}..${Math.round(r.right)} (view ${Math.round(view.left)}..${Math.round(view.left + scroller.clientWidth)}, covered by ${hit?.tagName ?? 'nothing'} "${hit?.textContent?.trim().slice(0, 30) ?? ''}")`);
    }
    positions.push({ left: scroller.scrollLeft, checked, bad });
  }
  scroller.scrollLeft = 0;
  window.scrollTo(0, 0);
  return { scrollable: max > 0, max, positions };
}

/**
 * Scrolls the table's wrapper down (top, middle, bottom) and sideways (left end, right end), and
 * at each position checks every header cell: at the top of the wrapper's visible box and, where
 * it is not scrolled out sideways, uncovered (the element at the centre of its visible part is
 * inside it); and the corner cell (the name column's header) at the box's left edge too.
 */
function headerInView(_body, tableId) {
  const table = document.getElementById(tableId);
  const scroller = table.parentElement;
  const maxTop = scroller.scrollHeight - scroller.clientHeight;
  const maxLeft = scroller.scrollWidth - scroller.clientWidth;
  scroller.scrollIntoView({ block: 'start' });
  const positions = [];
  for (const top of [0, Math.round(maxTop / 2), maxTop]) {
    for (const left of [0, maxLeft]) {
      scroller.scrollTop = top;
      scroller.scrollLeft = left;
      const view = scroller.getBoundingClientRect();
      const right = view.left + scroller.clientWidth;
      const corner = table.querySelector('thead th.name');
      const c = corner.getBoundingClientRect();
      const bad = [];
      if (Math.abs(c.left - view.left) > 1) bad.push(`the corner cell is at x ${Math.round(c.left)}, not the left edge ${Math.round(view.left)}`);
      let checked = 0;
      for (const th of table.querySelectorAll('thead th')) {
        const r = th.getBoundingClientRect();
        const label = th.textContent.trim();
        if (Math.abs(r.top - view.top) > 1) bad.push(`"${label}" at y ${Math.round(r.top)}, not the top ${Math.round(view.top)}`);
        const from = th === corner ? r.left : Math.max(r.left, c.right);
        const to = Math.min(r.right, right);
        if (to - from < 4) continue; // scrolled out sideways (or under the corner)
        checked++;
        const hit = document.elementFromPoint((from + to) / 2, r.top + r.height / 2);
        if (!th.contains(hit)) bad.push(`"${label}" covered by ${hit?.tagName ?? 'nothing'} "${hit?.textContent?.trim().slice(0, 30) ?? ''}"`);
      }
      positions.push({ top: scroller.scrollTop, left: scroller.scrollLeft, checked, bad });
    }
  }
  scroller.scrollTop = 0;
  scroller.scrollLeft = 0;
  window.scrollTo(0, 0);
  return { maxTop, maxLeft, positions };
}

/** The Mult-Adds column as shown: [type, is a container, cell text] per row. */
function multAddsCells() {
  const table = document.getElementById('layers');
  const col = [...table.querySelectorAll('thead th')].findIndex((h) => h.textContent.trim() === 'Mult-Adds');
  return [...table.querySelectorAll('tbody tr')].map((tr) => [tr.children[1].textContent.trim(), tr.classList.contains('container'), tr.children[col].textContent.trim()]);
}

/** Every toolbar button on screen, with its own box, uncovered, overlapping no other. */
function toolbarButtons() {
  window.scrollTo(0, 0);
  const buttons = [...document.querySelectorAll('.toolbar vscode-button')];
  const rects = buttons.map((b) => b.getBoundingClientRect());
  const bad = [];
  buttons.forEach((b, i) => {
    const r = rects[i];
    const label = b.textContent.trim();
    if (r.width < 1 || r.height < 1 || r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) bad.push(`${label} off screen (${Math.round(r.left)}, ${Math.round(r.top)}, ${Math.round(r.right)}, ${Math.round(r.bottom)})`);
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit !== b && !b.contains(hit)) bad.push(`${label} covered by ${hit?.tagName}`);
    for (let j = 0; j < i; j++) {
      const o = rects[j];
      if (r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom) bad.push(`${label} overlaps ${buttons[j].textContent.trim()}`);
    }
  });
  return { labels: buttons.map((b) => b.textContent.trim()), rows: new Set(rects.map((r) => Math.round(r.top))).size, bad };
}

/** The two tables' headers and widths, and where the forward pass's table is. */
function tablesReport() {
  const layers = document.getElementById('layers');
  const forward = document.getElementById('forward');
  const forwardTable = document.getElementById('forward-layers');
  const headers = (t) => (t ? [...t.querySelectorAll('thead th')].map((h) => h.textContent.trim()) : []);
  // Numeric columns: right-aligned tabular figures.
  const numeric = [...layers.querySelectorAll('tbody td.num')].map((td) => getComputedStyle(td));
  return {
    layerHeaders: headers(layers),
    layersWidth: layers.getBoundingClientRect().width,
    layerRows: layers.querySelectorAll('tbody tr').length,
    numericRightAligned: numeric.length > 0 && numeric.every((s) => s.textAlign === 'right' && s.fontVariantNumeric.includes('tabular-nums')),
    forwardHeaders: headers(forwardTable),
    forwardRows: forwardTable ? forwardTable.querySelectorAll('tbody tr').length : 0,
    forwardTableInForwardSection: !!forwardTable && forward.contains(forwardTable) && !layers.contains(forwardTable),
    layersOutsideForward: !forward.contains(layers),
    names: [...layers.querySelectorAll('tbody .name-text')].map((n) => n.textContent),
  };
}

/** All the layout checks on the panel as it is now; returns the tables' report. */
async function assertReadable(frame, what) {
  const body = frame.locator('body');
  const boxes = await body.evaluate(overflowingBoxes);
  assert.ok(boxes.width >= PANEL_WIDTHS.min && boxes.width <= PANEL_WIDTHS.max, `${what}: the panel is ${boxes.width} px wide, not the default layout's ${PANEL_WIDTHS.min}–${PANEL_WIDTHS.max} px`);
  assert.deepStrictEqual(boxes.out, [], `${what}: content wider than its box`);
  assert.ok(boxes.pageOverflow <= 0, `${what}: the page is ${boxes.pageOverflow} px wider than the panel (only the tables may scroll sideways)`);
  const toolbar = await body.evaluate(toolbarButtons);
  assert.deepStrictEqual(toolbar.labels, ['Run forward pass', 'Diagram', 'Copy as text table', 'Copy as markdown']);
  assert.deepStrictEqual(toolbar.bad, [], `${what}: toolbar`);
  const report = await body.evaluate(tablesReport);
  assert.deepStrictEqual(report.layerHeaders, LAYER_HEADERS, `${what}: the layer table's columns`);
  assert.ok(report.numericRightAligned, `${what}: numeric cells are not right-aligned tabular figures`);
  assert.ok(report.layersOutsideForward, `${what}: the layer table is inside the forward section`);
  for (const id of ['layers', ...(report.forwardRows > 0 ? ['forward-layers'] : [])]) {
    const sticky = await body.evaluate(nameColumnInView, id);
    for (const p of sticky.positions) {
      assert.ok(p.checked > 0, `${what}: no name cell of #${id} was on screen at scrollLeft ${p.left}`);
      assert.deepStrictEqual(p.bad, [], `${what}: #${id} names out of view at scrollLeft ${p.left} of ${sticky.max}`);
    }
    report[`${id}Scrollable`] = sticky.scrollable;
  }
  return report;
}

/** Scrolls the layer table to its right end (for a screenshot of the sticky names). */
async function scrollTableRight(frame, id = 'layers') {
  await frame.locator('body').evaluate((_body, tableId) => {
    const table = document.getElementById(tableId);
    table.scrollIntoView({ block: 'start' });
    table.parentElement.scrollLeft = table.parentElement.scrollWidth;
  }, id);
}

async function runForwardFromPanel(page, frame) {
  await frame.locator('#run-forward').click();
  // Worker start-up, wasm and the layers: the table shows once the pass is done.
  await frame.locator('#forward-layers').waitFor({ state: 'visible', timeout: 240_000 });
  // The pass's result toast ("ModelLens: … ran on wasm …") would cover the panel's corner in the screenshots.
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'ModelLens:' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 30_000 });
}

export const tests = [
  {
    name: 'Summary panel layout: a tall Python model, the header row and its corner stay in view while the table scrolls down and sideways',
    timeoutMs: 300_000,
    viewport: DEFAULT_WINDOW,
    async run({ page, folder, consoleLines }) {
      fs.writeFileSync(path.join(folder, TALL_MODEL_FILE), TALL_MODEL_SOURCE);
      await quickOpen(page, TALL_MODEL_FILE);
      await goToPosition(page, TALL_MODEL_LINE);
      await clickCodeLens(page, TALL_MODEL_LENS, { timeout: 90_000 });
      const frame = await waitForWebview(page, '#layers tbody tr', { timeout: 60_000 });
      await frame.locator('h1', { hasText: TALL_MODEL_NAME }).waitFor({ state: 'visible', timeout: 60_000 });
      const report = await assertReadable(frame, TALL_MODEL_FILE);
      assert.strictEqual(report.layerRows, TALL_MODEL_ROWS);
      assert.ok(report.layersScrollable, 'the table fits the panel sideways: the corner cell was not exercised');

      const sticky = await frame.locator('body').evaluate(headerInView, 'layers');
      assert.ok(sticky.maxTop > 0, 'the table fits the panel\'s height: the sticky header was not exercised');
      for (const p of sticky.positions) {
        assert.ok(p.checked > 1, `no header cell on screen at scrollTop ${p.top}, scrollLeft ${p.left}`);
        assert.deepStrictEqual(p.bad, [], `the header at scrollTop ${p.top} of ${sticky.maxTop}, scrollLeft ${p.left} of ${sticky.maxLeft}`);
      }

      // Mult-adds as torchinfo writes them: `--` for a layer that computes none (Embedding, GELU),
      // a container the sum of its layers (never 0 when they compute), no cell `0`.
      const cells = await frame.locator('body').evaluate(multAddsCells);
      const of = (type) => [...new Set(cells.filter(([t]) => t === type).map(([, , v]) => v))];
      assert.deepStrictEqual(of('Embedding'), ['--']);
      assert.deepStrictEqual(of('GELU'), ['--']);
      // Linear(256, 1024) on [16, 40, 256]: 16 × 40 × (256 × 1024 + 1024) = 168,427,520; Linear(1024, 256): 167,936,000.
      assert.deepStrictEqual(of('ResidualFeedForwardBlockWithDescriptiveNames'), ['336,363,520']);
      assert.deepStrictEqual(of('ModuleList'), [(24 * 336_363_520).toLocaleString('en-US')]);
      assert.ok(!cells.some(([, , v]) => v === '0'), JSON.stringify(cells));

      // Screenshots: scrolled halfway down and to the right end, the header and the names in view.
      await frame.locator('body').evaluate(() => {
        const scroller = document.getElementById('layers').parentElement;
        scroller.scrollIntoView({ block: 'start' });
        scroller.scrollTop = Math.round((scroller.scrollHeight - scroller.clientHeight) / 2);
        scroller.scrollLeft = scroller.scrollWidth;
      });
      await panelShot(page, 'panel-layout-tall-scrolled');
      assertNoCspErrors(consoleLines);
    },
  },
  {
    name: 'Summary panel layout: resnet.ts in the default layout, before and after a forward pass',
    timeoutMs: 500_000,
    viewport: DEFAULT_WINDOW,
    async run({ page, consoleLines }) {
      await quickOpen(page, 'resnet.ts');
      await codeLensTexts(page, { timeout: 60_000 });
      await runCommand(page, 'ModelLens: Summarize Model');
      const frame = await waitForWebview(page, '#layers tbody tr', { timeout: 60_000 });
      const before = await assertReadable(frame, 'resnet.ts');
      // ResNetTiny: 22 rows (the blocks expanded), the names as the model has them.
      assert.strictEqual(before.layerRows, 22);
      assert.deepStrictEqual(before.names.slice(0, 5), ['stem', 'bn', 'relu', 'layer1', 'conv1']);
      assert.strictEqual(before.forwardRows, 0);
      await panelShot(page, 'readme-panel', { readme: true });
      await screenshot(page, 'panel-layout-resnet-workbench');
      if (before.layersScrollable) {
        await scrollTableRight(frame);
        await panelShot(page, 'panel-layout-resnet-scrolled');
      }

      await runForwardFromPanel(page, frame);
      const after = await assertReadable(frame, 'resnet.ts after a forward pass');
      assert.deepStrictEqual(after.forwardHeaders, FORWARD_HEADERS);
      assert.ok(after.forwardTableInForwardSection, 'the forward table is not in its own section');
      // One row per layer that ran: every row but the three modules (layer1, layer2, downsample).
      assert.strictEqual(after.forwardRows, 19);
      assert.ok(Math.abs(after.layersWidth - before.layersWidth) <= 1, `the forward pass widened the layer table: ${before.layersWidth} → ${after.layersWidth} px`);
      assert.match(await frame.locator('#forward').innerText(), /Findings\s*0/);
      await frame.locator('#forward').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await panelShot(page, 'readme-forward-pass', { readme: true });
      assertNoCspErrors(consoleLines);
    },
  },
  {
    name: 'Summary panel layout: long layer names and long shapes, before and after a forward pass',
    timeoutMs: 500_000,
    viewport: DEFAULT_WINDOW,
    async run({ page, folder, consoleLines }) {
      fs.writeFileSync(path.join(folder, WIDE_MODEL_FILE), WIDE_MODEL_SOURCE);
      await quickOpen(page, WIDE_MODEL_FILE);
      // The model's lens opens its summary.
      await clickCodeLens(page, WIDE_MODEL_PARAMS, { timeout: 90_000 });
      const frame = await waitForWebview(page, '#layers tbody tr', { timeout: 60_000 });
      await frame.locator('h1', { hasText: WIDE_MODEL_NAME }).waitFor({ state: 'visible', timeout: 60_000 });
      const before = await assertReadable(frame, WIDE_MODEL_FILE);
      assert.ok(before.layersScrollable, 'the wide model fits the panel: the sticky name column was not exercised');
      // Names shown whole (wrapped, never clipped or elided).
      assert.ok(before.names.includes('classifier_projecting_pooled_features_to_label_logits'), JSON.stringify(before.names));
      assert.ok(before.names.includes('layer_normalization_after_residual_addition'), JSON.stringify(before.names));
      assert.match(await frame.locator('#layers tbody tr').filter({ hasText: 'bidirectional' }).innerText(), /\[\[16, 40, 512\], \[4, 16, 256\], \[4, 16, 256\]\]/);
      await panelShot(page, 'panel-layout-wide');
      await scrollTableRight(frame);
      await panelShot(page, 'panel-layout-wide-scrolled');

      await runForwardFromPanel(page, frame);
      const after = await assertReadable(frame, `${WIDE_MODEL_FILE} after a forward pass`);
      assert.deepStrictEqual(after.forwardHeaders, FORWARD_HEADERS);
      assert.ok(after.forwardTableInForwardSection, 'the forward table is not in its own section');
      assert.strictEqual(after.forwardRows, WIDE_MODEL_LAYERS);
      assert.ok(Math.abs(after.layersWidth - before.layersWidth) <= 1, `the forward pass widened the layer table: ${before.layersWidth} → ${after.layersWidth} px`);
      assert.match(await frame.locator('#forward').innerText(), /Findings\s*0/);
      await frame.locator('#forward').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await panelShot(page, 'panel-layout-wide-forward');
      await scrollTableRight(frame, 'forward-layers');
      await panelShot(page, 'panel-layout-wide-forward-scrolled');
      assertNoCspErrors(consoleLines);
    },
  },
];
