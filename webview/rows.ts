import type { PanelRow } from '../src/extension/panelModel';
import type { RowForward } from '../src/extension/forwardView';
import { el } from './dom';

export interface RowActions {
  reveal(line: number): void;
  toggle(id: number): void;
}

/** Hidden when any enclosing container is collapsed. */
function hiddenBy(row: PanelRow, byId: Map<number, PanelRow>, collapsed: Set<number>): boolean {
  for (let p = row.parent; p !== null; p = byId.get(p)?.parent ?? null) if (collapsed.has(p)) return true;
  return false;
}

function shareCell(share: number | null): HTMLElement {
  const cell = el('vscode-table-cell', { class: 'share' });
  if (share === null) {
    cell.append('?');
    return cell;
  }
  const fill = el('span', { class: 'fill' });
  // CSSOM, not a style attribute: allowed by the panel's CSP.
  fill.style.width = `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%`;
  cell.append(el('span', { class: 'bar', 'aria-hidden': 'true' }, fill), el('span', { class: 'pct' }, `${(share * 100).toFixed(1)}%`));
  return cell;
}

/** A sparkline of the activation distribution: one CSS bar per histogram bin. */
function histogramCell(f: RowForward): HTMLElement {
  const cell = el('vscode-table-cell', { class: 'hist-cell', title: f.detail });
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

/** The forward-pass cells of a row: actual shape (red when it disagrees), mean ± std, time, histogram. */
function forwardCells(f: RowForward | undefined): HTMLElement[] {
  if (!f) return [el('vscode-table-cell', {}), el('vscode-table-cell', {}), el('vscode-table-cell', {}), el('vscode-table-cell', {})];
  return [
    el('vscode-table-cell', { class: f.mismatch ? 'mono actual mismatch' : 'mono actual', title: f.detail }, f.shape),
    el('vscode-table-cell', { class: 'num', title: f.meanStd }, f.meanStd),
    el('vscode-table-cell', { class: 'num' }, f.ms),
    histogramCell(f),
  ];
}

/**
 * Rows of the layer table: indentation by depth, twisties on containers with children, and the
 * forward-pass columns when `withForward`.
 */
export function renderRows(body: HTMLElement, rows: PanelRow[], collapsed: Set<number>, withForward: boolean, actions: RowActions): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const parents = new Set(rows.map((r) => r.parent).filter((p): p is number => p !== null));
  const out: HTMLElement[] = [];
  for (const r of rows) {
    if (hiddenBy(r, byId, collapsed)) continue;
    const name = el('vscode-table-cell', { class: 'name' });
    name.style.paddingLeft = `${(r.depth - 1) * 14 + 4}px`;
    if (parents.has(r.id)) {
      const open = !collapsed.has(r.id);
      const twisty = el('button', { class: 'twisty', 'aria-expanded': String(open), title: open ? 'Collapse' : 'Expand' }, open ? '▾' : '▸');
      twisty.addEventListener('click', (e) => {
        e.stopPropagation();
        actions.toggle(r.id);
      });
      name.append(twisty);
    } else name.append(el('span', { class: 'twisty-space' }));
    name.append(r.name);
    const row = el(
      'vscode-table-row',
      { 'data-id': String(r.id), class: r.container ? 'container' : '', title: [r.path, r.unknownReason ?? (r.line !== null ? `line ${r.line}` : 'in another file')].join(' — ') },
      name,
      el('vscode-table-cell', {}, r.type),
      el('vscode-table-cell', { class: 'mono' }, r.outputShape),
      el('vscode-table-cell', { class: 'num' }, r.params),
      el('vscode-table-cell', {}, r.trainable),
      el('vscode-table-cell', { class: 'num' }, r.multAdds),
      shareCell(r.share),
      ...(withForward ? forwardCells(r.forward) : []),
    );
    if (r.unknownReason) row.classList.add('unknown');
    const line = r.line;
    if (line !== null) row.addEventListener('click', () => actions.reveal(line));
    out.push(row);
  }
  body.replaceChildren(...out);
}
