import { formatShape, Shape } from '../shape';
import type { LayerRow, ModelSummary } from '../summary';
import { commas } from '../catalog/util';

/**
 * Helpers shared by the printers: which rows a table shows, how unknowns read, and the
 * footnote that says why something is `?`.
 */

/**
 * Summary rows: everything except functional ops, which live only in the graph, in the tree's
 * pre-order (each row right after its parent's earlier children, as torchinfo prints them). The
 * recorder makes rows in that order while forward runs; rows for modules forward never called are
 * listed after the traced ones, so one idle inside a called module (`block.spare`, a
 * MultiheadAttention's `out_proj`) is moved here under its parent.
 */
export function tableRows(model: ModelSummary): LayerRow[] {
  const rows = model.layers.filter((r) => !r.op);
  const kids = new Map<number, LayerRow[]>();
  const roots: LayerRow[] = [];
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    if (r.parent === undefined || !ids.has(r.parent)) roots.push(r);
    else {
      const list = kids.get(r.parent);
      if (list) list.push(r);
      else kids.set(r.parent, [r]);
    }
  }
  if (kids.size === 0) return rows;
  const out: LayerRow[] = [];
  const visit = (r: LayerRow): void => {
    out.push(r);
    for (const k of kids.get(r.id) ?? []) visit(k);
  };
  for (const r of roots) visit(r);
  return out;
}

export function isInputRow(r: LayerRow): boolean {
  return r.type === 'InputLayer' || r.family === 'input';
}

/** What an unknown dim prints as: tfjs (like Keras) says `None`, PyTorch-style tables say `?`. */
export function unknownDim(model: ModelSummary): string {
  return model.framework === 'tfjs' ? 'None' : '?';
}

export function shapeText(shape: Shape | null, unknown: string): string {
  return shape === null ? '?' : formatShape(shape, unknown);
}

/** A count with thousands separators, `?` when unknown. */
export function countText(n: number | null): string {
  return n === null ? '?' : commas(n);
}

/** Python's `str()` of a list of shapes, for layers with several outputs: `[[64, 10], [64, 20]]`. */
export function shapesText(shapes: readonly (Shape | null)[], unknown: string): string {
  return '[' + shapes.map((s) => shapeText(s, unknown)).join(', ') + ']';
}

/** The row's outputs as a table cell: one shape, or the list of them when there are several. */
export function outputText(r: { outputShape: Shape | null; outputShapes?: readonly (Shape | null)[]; notCalled?: boolean }, unknown: string): string {
  if (r.notCalled) return '--'; // never run: no output, which is not the same as an unknown one
  if (r.outputShapes && r.outputShapes.length > 1) return shapesText(r.outputShapes, unknown);
  return shapeText(r.outputShape, unknown);
}

/** Whether anything the tables print is unknown (decides whether a footnote is printed). */
export function hasUnknown(model: ModelSummary, rows: LayerRow[] = tableRows(model)): boolean {
  if (model.totalParams === null || model.trainableParams === null || model.nonTrainableParams === null) return true;
  if (model.outputUnknownReason !== undefined) return true;
  return rows.some((r) => r.params === null || (r.outputShape === null && !r.notCalled) || r.unknownReason !== undefined);
}

/** How many layer names a grouped footnote line lists before it says "and N more". */
const NAMES_LISTED = 5;

/** `a, b, c (3 × Linear)` or `relu, pool (2 layers)`: the layers that share one reason, with the count. */
function layersText(group: LayerRow[]): string {
  if (group.length === 1) return `${group[0].name} (${group[0].type})`;
  const listed = group.slice(0, NAMES_LISTED).map((r) => r.name);
  const names = group.length > NAMES_LISTED ? `${listed.join(', ')} and ${group.length - NAMES_LISTED} more` : listed.join(', ');
  const type = group.every((r) => r.type === group[0].type) ? `${group.length} × ${group[0].type}` : `${group.length} layers`;
  return `${names} (${type})`;
}

/**
 * The footnote listing why things are `?`: one line per reason, naming the layers it applies to
 * (a reason shared by twelve layers is said once, with the count); empty when nothing is
 * unknown. Each printer appends it below its own table.
 */
/** `Built with inputDim = 784, from its call site at line 13.`: the call-site values its numbers hold for. */
export function builtWithLines(model: ModelSummary): string[] {
  return model.builtWith ? [`Built with ${model.builtWith}.`] : [];
}

export function unknownNotes(model: ModelSummary, rows: LayerRow[] = tableRows(model)): string[] {
  if (!hasUnknown(model, rows)) return [];
  const lines = ['? = unknown:'];
  const byReason = new Map<string, LayerRow[]>();
  for (const r of rows) {
    // A row with no output because nothing calls it (a ModuleList) has nothing unknown to explain.
    if (r.unknownReason === undefined && r.params !== null && (r.outputShape !== null || r.notCalled)) continue;
    const reason = r.unknownReason ?? 'could not be inferred';
    const group = byReason.get(reason);
    if (group === undefined) byReason.set(reason, [r]);
    // The same layer reached twice (a reused module) is one layer.
    else if (!group.some((g) => g.name === r.name && g.type === r.type)) group.push(r);
  }
  for (const [reason, group] of byReason) lines.push(`  ${layersText(group)}: ${reason}`);
  if (model.outputUnknownReason !== undefined) lines.push(`  output: ${model.outputUnknownReason}`);
  if (model.totalsUnknownReason !== undefined) lines.push(`  totals: ${model.totalsUnknownReason}`);
  if (lines.length === 1) lines.push('  totals: some parameter counts could not be inferred');
  return lines;
}

/**
 * Post-order (hook order) from pre-order rows: a container comes after its children, the way
 * PyTorch forward hooks fire. Rows carry their depth, and children follow their container.
 */
export function postOrder(rows: LayerRow[]): LayerRow[] {
  const out: LayerRow[] = [];
  const open: LayerRow[] = [];
  for (const r of rows) {
    while (open.length > 0 && open[open.length - 1].depth >= r.depth) out.push(open.pop() as LayerRow);
    if (r.container) open.push(r);
    else out.push(r);
  }
  while (open.length > 0) out.push(open.pop() as LayerRow);
  return out;
}

/** The model's own parameters (those on the module itself, not on any child): usually 0. */
export function modelOwnParams(model: ModelSummary, rows: LayerRow[] = tableRows(model)): number | null {
  if (model.totalParams === null) return null;
  let sum = 0;
  for (const r of rows) {
    if (r.reused) continue;
    if (r.params === null) return null;
    sum += r.params;
  }
  return Math.max(0, model.totalParams - sum);
}
