import type { PanelRow } from '../src/extension/panelModel';
import { el } from './dom';
import { breakableName, breakableShape } from './text';

export interface RowActions {
  reveal(line: number): void;
  toggle(id: number): void;
}

export interface Column {
  label: string;
  num?: boolean;
  title?: string;
}

/**
 * The layer table's columns. `num` columns are right-aligned in tabular figures and never wrap;
 * the table is as wide as its content (panel.css), so no number is ever cut, and the Layer
 * column stays in view (sticky) while the table scrolls sideways in a narrow panel.
 */
export function layerColumns(withTrainable: boolean): Column[] {
  return [
    { label: 'Layer', title: 'Attribute name, nested under its module (hover a row for the full path and its line)' },
    { label: 'Type' },
    { label: 'Output Shape' },
    { label: 'Param #', num: true, title: 'Parameters held by the layer (a module: by everything in it)' },
    ...(withTrainable ? [{ label: 'Trainable', title: 'yes, no, or partly (some parameters frozen); empty when the layer holds none' }] : []),
    { label: 'Mult-Adds', num: true, title: 'Multiply-accumulate operations for one forward pass of the input shape (a module: the sum of its layers; -- when none compute)' },
    { label: 'Share', num: true, title: "Share of the model's parameters held by the layer (a module: by everything in it)" },
  ];
}

/**
 * Whether the Trainable column says anything: only when some layer is frozen (or unknown). Like
 * Keras's summary (show_trainable), the table leaves it out when every layer trains; the totals
 * still say how many parameters are trainable.
 */
export function trainableInformative(rows: PanelRow[]): boolean {
  return rows.some((r) => r.trainable !== 'yes' && r.trainable !== '');
}

/** A header row for `columns`: the first header cell sticks with the name column. */
export function headerRow(columns: Column[]): HTMLElement {
  return el(
    'tr',
    {},
    ...columns.map((c, i) => el('th', { scope: 'col', class: [i === 0 ? 'name' : '', c.num ? 'num' : ''].filter(Boolean).join(' '), ...(c.title ? { title: c.title } : {}) }, c.label)),
  );
}

/** Hidden when any enclosing container is collapsed. */
function hiddenBy(row: PanelRow, byId: Map<number, PanelRow>, collapsed: Set<number>): boolean {
  for (let p = row.parent; p !== null; p = byId.get(p)?.parent ?? null) if (collapsed.has(p)) return true;
  return false;
}

/** The share of parameters: the percentage, underlined by a bar as long as the share. */
function shareCell(share: number | null): HTMLElement {
  const cell = el('td', { class: 'num share' });
  if (share === null) {
    cell.append('?');
    return cell;
  }
  const pct = el('span', { class: 'pct' }, `${(share * 100).toFixed(1)}%`);
  // CSSOM, not a style attribute: allowed by the panel's CSP. The first background is the bar,
  // the second its track (panel.css).
  pct.style.backgroundSize = `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}% 2px, 100% 2px`;
  cell.append(pct);
  return cell;
}

/** The sticky first cell: indentation by depth, a twisty on containers with children, the name. */
function nameCell(r: PanelRow, hasChildren: boolean, collapsed: Set<number>, actions: RowActions): HTMLElement {
  const name = el('th', { scope: 'row', class: 'name' });
  const inner = el('div', { class: 'name-inner' });
  // CSSOM, not a style attribute: allowed by the panel's CSP.
  inner.style.paddingLeft = `${(r.depth - 1) * 14}px`;
  if (hasChildren) {
    const open = !collapsed.has(r.id);
    const twisty = el('button', { class: 'twisty', 'aria-expanded': String(open), title: open ? 'Collapse' : 'Expand' }, open ? '▾' : '▸');
    twisty.addEventListener('click', (e) => {
      e.stopPropagation();
      actions.toggle(r.id);
    });
    inner.append(twisty);
  } else inner.append(el('span', { class: 'twisty-space' }));
  inner.append(el('span', { class: 'wrap name-text' }, ...breakableName(r.name)));
  name.append(inner);
  return name;
}

/** Rows of the layer table (tbody), collapsed modules' rows left out. */
export function renderRows(body: HTMLElement, rows: PanelRow[], collapsed: Set<number>, withTrainable: boolean, actions: RowActions): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const parents = new Set(rows.map((r) => r.parent).filter((p): p is number => p !== null));
  const out: HTMLElement[] = [];
  for (const r of rows) {
    if (hiddenBy(r, byId, collapsed)) continue;
    const row = el(
      'tr',
      { 'data-id': String(r.id), class: [r.container ? 'container' : '', r.unknownReason ? 'unknown' : ''].filter(Boolean).join(' '), title: [r.path, r.unknownReason ?? (r.line !== null ? `line ${r.line}` : 'in another file')].join(' — ') },
      nameCell(r, parents.has(r.id), collapsed, actions),
      el('td', { class: 'type' }, el('span', { class: 'wrap' }, ...breakableName(r.type))),
      el('td', { class: 'shape' }, el('span', { class: 'wrap' }, ...breakableShape(r.outputShape))),
      el('td', { class: 'num' }, r.params),
      ...(withTrainable ? [el('td', { class: 'trainable' }, r.trainable)] : []),
      el('td', { class: 'num' }, r.multAdds),
      shareCell(r.share),
    );
    const line = r.line;
    if (line !== null) {
      row.tabIndex = 0;
      row.addEventListener('click', () => actions.reveal(line));
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.target === row) actions.reveal(line);
      });
    }
    out.push(row);
  }
  body.replaceChildren(...out);
}
