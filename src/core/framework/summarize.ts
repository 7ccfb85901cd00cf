import type { Framework } from '../catalog/types';
import { Shape, numel } from '../shape';
import { type Diagnostic, type LayerRow, type ModelSummary, Summary } from '../summary';

/**
 * Turns recorded rows into a `ModelSummary`: container totals, model totals, mult-adds and
 * memory. Measured values only; printing is the formatters' job.
 */
export interface SummaryParts {
  name: string;
  /** The model's class where it differs from `name` (see ModelSummary.moduleType). */
  moduleType?: string;
  framework: Framework;
  kind: ModelSummary['kind'];
  file: string;
  line: number;
  start?: number;
  end?: number;
  inputShapes: (Shape | null)[];
  inputShapeSource: string;
  outputs: (Shape | null)[];
  rows: LayerRow[];
  /** Model totals as the library counts them (PyTorch: registered modules; tfjs: built layers). */
  trainable: number | null;
  nonTrainable: number | null;
  /** Set when the model was built under control flow ModelLens could not decide: the totals are then `?`. */
  totalsUnknownReason?: string;
  /** Set when its forward computation takes such a path: the output shapes are then `?`. */
  outputUnknownReason?: string;
  diagnostics: Diagnostic[];
}

/** Fills `totalParams` of containers bottom-up; reused layers count once, at their first call. */
export function rollUpTotals(rows: LayerRow[]): void {
  for (const r of rows) r.totalParams = r.params;
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.parent === undefined || r.op) continue;
    const p = rows[r.parent];
    const add = r.reused ? 0 : r.totalParams;
    p.totalParams = p.totalParams === null || add === null ? null : p.totalParams + add;
  }
}

function plus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function bytes(n: number | null): number | null {
  return n === null ? null : n * 4;
}

export function buildSummary(p: SummaryParts): ModelSummary {
  rollUpTotals(p.rows);
  let activations: number | null = 0;
  for (const r of p.rows) {
    if (r.container || r.op || r.family === 'input' || r.notCalled) continue; // idle layers run nothing
    if (activations === null) continue;
    if (r.outputShapes) {
      for (const s of r.outputShapes) activations = plus(activations, numel(s));
    } else activations = r.outputShape ? plus(activations, numel(r.outputShape)) : null;
  }
  let inputs: number | null = 0;
  for (const s of p.inputShapes) {
    const n = s ? numel(s) : null;
    inputs = inputs === null || n === null ? null : inputs + n;
  }
  // Which layers exist depends on an undecidable condition: the counts of those found are not the totals.
  const trainable = p.totalsUnknownReason ? null : p.trainable;
  const nonTrainable = p.totalsUnknownReason ? null : p.nonTrainable;
  const total = trainable === null || nonTrainable === null ? null : trainable + nonTrainable;
  const inputShapes: (Shape | null)[] = new Array(p.inputShapes.length);
  for (let i = 0; i < inputShapes.length; i++) inputShapes[i] = p.inputShapes[i] ?? null;
  const outputShapes: (Shape | null)[] = new Array(p.outputs.length);
  for (let i = 0; i < outputShapes.length; i++) outputShapes[i] = p.outputUnknownReason ? null : p.outputs[i] ?? null;
  const summary = new Summary();
  summary.name = p.name;
  if (p.moduleType !== undefined && p.moduleType !== p.name) summary.moduleType = p.moduleType;
  summary.framework = p.framework;
  summary.kind = p.kind;
  summary.file = p.file;
  summary.line = p.line;
  summary.start = p.start;
  summary.end = p.end;
  summary.inputShape = p.inputShapes[0] ?? null;
  summary.inputShapes = inputShapes;
  summary.inputShapeSource = p.inputShapeSource;
  summary.outputShape = p.outputUnknownReason ? null : p.outputs[0] ?? null;
  summary.outputShapes = outputShapes;
  summary.layers = p.rows;
  summary.totalParams = total;
  summary.trainableParams = trainable;
  summary.nonTrainableParams = nonTrainable;
  summary.totalsUnknownReason = p.totalsUnknownReason;
  summary.outputUnknownReason = p.outputUnknownReason;
  summary.paramBytes = bytes(total);
  summary.activationBytes = bytes(activations);
  summary.inputBytes = bytes(inputs);
  summary.diagnostics = p.diagnostics.length > 1 ? p.diagnostics.sort(byLine) : p.diagnostics;
  return summary;
}

function byLine(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line;
}
