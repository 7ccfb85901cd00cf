import { type FileSummary, type LayerRow, type ModelSummary, modelTitle } from '../core/summary';
import { iconFreeLine, plainLine } from '../core/escape/plain';
import { NumberFormat, count, shapeText, sizeText } from './numbers';

/**
 * CodeLens titles and the rows that get one. Pure (no `vscode`): the provider only maps offsets
 * to ranges. A title quotes the user's code (reasons name variables, config strings, imports):
 * it is one bounded line with no control characters and no `$(icon)` syntax (lensText).
 */

/** The longest CodeLens title or tooltip: the editor line above a layer is no place for more. */
export const MAX_LENS_TEXT = 200;

/** Any CodeLens title or tooltip, made inert (escape/plain.ts). */
export function lensText(s: string): string {
  return iconFreeLine(s, MAX_LENS_TEXT);
}

/** Output shape(s): the primary one, or the list when a layer returns several (RNN output and state). */
function outputOf(r: Pick<LayerRow, 'outputShape' | 'outputShapes'>, m: ModelSummary): string {
  if (r.outputShapes && r.outputShapes.length > 1) return `[${r.outputShapes.map((s) => shapeText(s, m.framework)).join(', ')}]`;
  return shapeText(r.outputShape, m.framework);
}

/** The first reason the analyzer gave for something unknown in the model. */
export function firstUnknownReason(m: ModelSummary): string | undefined {
  // An idle layer's note ("not called in forward()") explains no unknown.
  return m.layers.find((r) => !r.op && r.unknownReason && !(r.notCalled && r.params !== null))?.unknownReason;
}

/** The model's output shape(s): `[64, 1]`, or the list when it returns several. */
export function modelShapeText(m: ModelSummary): string {
  return m.outputShapes.length > 1 ? `[${m.outputShapes.map((s) => shapeText(s, m.framework)).join(', ')}]` : shapeText(m.outputShape, m.framework);
}

/**
 * `333,853 params · 1.27 MB · [64, 1]` (`148 params · 592 B · [4, 8]` for a small one: the size in
 * the unit that reads best, as in the panel), or `? params — hiddenSize has no value`.
 */
export function modelLensTitle(m: ModelSummary, fmt: NumberFormat = 'commas'): string {
  return lensText(rawModelTitle(m, fmt));
}

function rawModelTitle(m: ModelSummary, fmt: NumberFormat): string {
  const shape = modelShapeText(m);
  if (m.totalParams === null) {
    const reason = m.totalsUnknownReason ?? firstUnknownReason(m);
    return `? params${reason ? ` — ${reason}` : ''}${m.outputShape ? ` · ${shape}` : ''}`;
  }
  // Numbers that hold for values taken from call sites say which (`· with inputDim = 784`; the tooltip says where).
  const withValues = m.builtWith ? ` · with ${m.builtWith.split(', from ')[0]}` : '';
  return `${count(m.totalParams, fmt)} params · ${sizeText(m.paramBytes)} · ${shape}${withValues}`;
}

/** `66,564 params · [64, 516]`; `? params — hiddenSize has no value` when unknown. */
export function layerLensTitle(r: LayerRow, m: ModelSummary, fmt: NumberFormat = 'commas'): string {
  return lensText(rawLayerTitle(r, m, fmt));
}

/** Why a module has no shapes: forward never calls it, or the part of forward ModelLens followed did not reach it. */
export function idleText(r: LayerRow): string {
  return r.unknownReason?.startsWith('not reached') ? 'not reached in the forward() ModelLens followed' : 'not called in forward()';
}

/**
 * What a row's line makes: a container's total; a layer's own parameters, with those of the
 * submodules it holds and never calls (a MultiheadAttention's out_proj, a row of its own).
 */
export function shownParams(r: LayerRow, m: ModelSummary): number | null {
  if (r.container) return r.totalParams;
  let n = r.params;
  for (const x of heldRows(r, m)) n = n === null || x.params === null ? null : n + x.params;
  return n;
}

/** The never-called submodules a layer holds (MultiheadAttention's out_proj): rows under a row that is no container. */
export function heldRows(r: LayerRow, m: ModelSummary): LayerRow[] {
  return r.container ? [] : m.layers.filter((x) => x.parent === r.id && x.notCalled && !x.op);
}

function rawLayerTitle(r: LayerRow, m: ModelSummary, fmt: NumberFormat): string {
  // Containers (Sequential, nested modules) show what they hold, not their own (zero) weights.
  const n = shownParams(r, m);
  if (n === null) return `? params — ${r.unknownReason ?? 'could not be inferred'}`;
  // A ModuleList whose children ran is never called itself: it shows what it holds.
  if (r.notCalled) return r.container && !r.unknownReason ? `${count(n, fmt)} params` : `${count(n, fmt)} params · ${idleText(r)}`;
  const base = `${count(n, fmt)} params · ${outputOf(r, m)}`;
  return r.outputShape === null && r.unknownReason ? `${base} — ${r.unknownReason}` : base;
}

/** The model lens's tooltip (plain text: a tooltip renders no icons). */
export function modelLensTooltip(m: ModelSummary): string {
  return plainLine(`Open the summary of ${modelTitle(m)}${m.builtWith ? ` (built with ${m.builtWith})` : ''}`, MAX_LENS_TEXT);
}

/** A layer lens's tooltip: its formula, or its name and type. */
export function layerLensTooltip(r: LayerRow): string {
  return plainLine(r.formula ? `${r.name}: ${r.formula}` : `${r.name} (${r.type})`, MAX_LENS_TEXT);
}

export interface LayerLens {
  row: LayerRow;
  model: ModelSummary;
}

/** The copies of a template (rows cloned from the same construction as `row`) in its model, first calls only. */
export function clonesOf(row: LayerRow, m: ModelSummary): LayerRow[] {
  return m.layers.filter((r) => r.cloned && !r.reused && r.start === row.start && r.file === row.file);
}

/** Whether a row runs inside a cloned layer (a copy's own sublayers point at the template too). */
function insideClone(r: LayerRow, m: ModelSummary): boolean {
  for (let p = r.parent; p !== undefined; p = m.layers[p]?.parent) if (m.layers[p]?.cloned) return true;
  return false;
}

/** Inside the model's own text, or the class a Python model (`model = Net()`) is an instance of. */
function within(r: LayerRow, m: ModelSummary): boolean {
  if (r.start === undefined || m.start === undefined || m.end === undefined) return true;
  const d = m.declaration;
  return (r.start >= m.start && r.start < m.end) || (d !== undefined && r.start >= d.start && r.start < d.end);
}

/**
 * One lens per layer line of this file: rows constructed here (not in an imported file), inside
 * their model's own text (a nested module's layers get their lens from the nested class, not
 * from every model that uses it), skipping second calls of a reused layer and functional ops.
 * The first row on a line wins, except that a layer registered itself beats the copies a
 * container made of it (`LayerRow.cloned`), which point at the same construction.
 */
export function layerLenses(summary: FileSummary): LayerLens[] {
  const out: LayerLens[] = [];
  const lines = new Map<number, number>();
  for (const m of summary.models) {
    for (const r of m.layers) {
      if (r.op || r.reused || r.file !== undefined || r.family === 'input' || r.start === undefined || !within(r, m)) continue;
      const at = lines.get(r.line);
      if (at === undefined) {
        lines.set(r.line, out.length);
        out.push({ row: r, model: m });
      } else if (out[at].row.cloned && !r.cloned && r.start === out[at].row.start && !insideClone(r, m)) out[at] = { row: r, model: m };
    }
  }
  return out;
}
