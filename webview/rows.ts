import type { PanelRow } from '../src/extension/panelModel';
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

/** Rows of the layer table: indentation by depth, twisties on containers with children. */
export function renderRows(body: HTMLElement, rows: PanelRow[], collapsed: Set<number>, actions: RowActions): void {
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
    );
    if (r.unknownReason) row.classList.add('unknown');
    const line = r.line;
    if (line !== null) row.addEventListener('click', () => actions.reveal(line));
    out.push(row);
  }
  body.replaceChildren(...out);
}
