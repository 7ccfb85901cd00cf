import type { PanelRow } from '../src/extension/panelModel';
import type { PanelForward, RowForward } from '../src/extension/forwardView';
import { el, scroller } from './dom';
import { Column, headerRow } from './rows';
import { breakableName, breakableShape } from './text';

/**
 * The forward pass's own table: one row per layer that ran, by its full path. It lives in the
 * forward section, not as extra columns of the layer table, so a run never widens that table or
 * pushes the names out of view.
 */
export const FORWARD_COLUMNS: Column[] = [
  { label: 'Layer' },
  { label: 'Actual Shape', title: 'The shape the real pass produced (red where it disagrees with the static analysis)' },
  { label: 'Mean ± Std', num: true },
  { label: 'Time', num: true },
  { label: 'Activations', title: "12-bin histogram of the layer's output between its min and max (hover for min, max and zeros)" },
];

/** A sparkline of the activation distribution: one CSS bar per histogram bin. */
function histogramCell(f: RowForward): HTMLElement {
  const cell = el('td', { class: 'hist-cell', title: f.detail });
  if (f.histogram.length === 0) return cell;
  const hist = el('span', { class: 'hist', role: 'img', 'aria-label': `activation histogram, ${f.detail.split('\n')[0]}` });
  for (const h of f.histogram) {
    const bar = el('span', { class: 'bin' });
    // CSSOM, not a style attribute: allowed by the panel's CSP. Non-empty bins stay visible.
    bar.style.height = `${h > 0 ? Math.max(8, h * 100).toFixed(0) : 0}%`;
    hist.append(bar);
  }
  cell.append(hist);
  return cell;
}

function layerTable(rows: PanelRow[], reveal: (line: number) => void): HTMLElement {
  const body = el('tbody');
  for (const r of rows) {
    const f = r.forward!;
    const tr = el(
      'tr',
      { 'data-id': String(r.id), title: `${r.path} (${r.type})${r.line !== null ? ` — line ${r.line}` : ''}` },
      el('th', { scope: 'row', class: 'name' }, el('div', { class: 'name-inner' }, el('span', { class: 'wrap name-text' }, ...breakableName(r.path)))),
      el('td', { class: f.mismatch ? 'shape actual mismatch' : 'shape actual', title: f.detail }, el('span', { class: 'wrap' }, ...breakableShape(f.shape))),
      el('td', { class: 'num', title: f.detail }, f.meanStd),
      el('td', { class: 'num' }, f.ms),
      histogramCell(f),
    );
    const line = r.line;
    if (line !== null) {
      tr.tabIndex = 0;
      tr.addEventListener('click', () => reveal(line));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.target === tr) reveal(line);
      });
    }
    body.append(tr);
  }
  const table = el('table', { class: 'grid', id: 'forward-layers' }, el('thead', {}, headerRow(FORWARD_COLUMNS)), body);
  return scroller(table);
}

/**
 * The panel's "Forward pass" section: a hint before the first run, progress while it runs, the
 * error naming the layer when the model could not be built, else the overall results, the
 * findings (click one to reveal its line), the per-layer table and the output preview.
 */
export function renderForward(f: PanelForward | undefined, rows: PanelRow[], reveal: (line: number) => void): HTMLElement {
  const section = el('section', { class: 'forward', id: 'forward' }, el('h2', {}, 'Forward pass'));
  if (!f) {
    section.append(el('p', { class: 'muted' }, 'Run forward pass builds this model in TensorFlow.js and runs one seeded sample batch: actual shapes, activation statistics and times per layer, checked against the static analysis.'));
    return section;
  }
  if (f.state === 'running') {
    section.append(el('p', { class: 'muted running' }, f.message));
    return section;
  }
  if (f.state === 'error') {
    const p = el('p', { class: 'forward-error' }, f.message);
    const line = f.line;
    if (line !== null) {
      p.classList.add('link');
      p.addEventListener('click', () => reveal(line));
    }
    section.append(p);
    return section;
  }
  section.append(el('p', { class: 'muted' }, f.summary));
  const totals = el('dl', { class: 'totals forward-totals' });
  for (const t of f.totals) totals.append(el('dt', {}, t.label), el('dd', {}, t.value));
  section.append(totals);
  const findings = el('div', { class: 'findings' }, el('h3', {}, 'Findings ', el('vscode-badge', { variant: 'counter' }, String(f.findings.length))));
  if (f.findings.length === 0) findings.append(el('p', { class: 'muted' }, 'None: every shape and parameter count of the real pass agrees with the static analysis.'));
  else {
    const list = el('ul');
    for (const x of f.findings) {
      const item = el('li', { class: 'diag warning' }, el('span', { class: 'sev' }, 'finding'), ` ${x.layer}${x.line !== null ? ` (line ${x.line})` : ''}: ${x.message}`);
      const line = x.line;
      if (line !== null) item.addEventListener('click', () => reveal(line));
      list.append(item);
    }
    findings.append(list);
  }
  // Findings first (what disagrees), then each layer's figures, then the first output values.
  section.append(findings);
  const ran = rows.filter((r) => r.forward);
  if (ran.length > 0) section.append(el('h3', {}, 'Layers'), layerTable(ran, reveal));
  section.append(el('h3', {}, 'Output preview'), el('p', { class: 'mono preview' }, f.outputPreview));
  return section;
}
