import type { Framework } from '../catalog/types';
import { Shape, numel } from '../shape';
import type { Diagnostic, LayerRow, ModelSummary } from '../summary';

/**
 * Turns recorded rows into a `ModelSummary`: container totals, model totals, mult-adds and
 * memory. Measured values only; printing is the formatters' job.
 */
export interface SummaryParts {
  name: string;
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
  let multAdds: number | null = 0;
  let activations: number | null = 0;
  for (const r of p.rows) {
    if (r.container || r.op || r.family === 'input' || r.notCalled) continue; // idle layers run nothing
    multAdds = multAdds === null || r.multAdds === null ? null : multAdds + r.multAdds;
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
  const summary: ModelSummary = {
    name: p.name,
    framework: p.framework,
    kind: p.kind,
    file: p.file,
    line: p.line,
    start: p.start,
    end: p.end,
    inputShape: p.inputShapes[0] ?? null,
    inputShapes,
    inputShapeSource: p.inputShapeSource,
    outputShape: p.outputUnknownReason ? null : p.outputs[0] ?? null,
    outputShapes,
    layers: p.rows,
    totalParams: total,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
    multAdds,
    paramBytes: bytes(total),
    activationBytes: bytes(activations),
    inputBytes: bytes(inputs),
    diagnostics: p.diagnostics.length > 1 ? p.diagnostics.sort(byLine) : p.diagnostics,
  };
  // Present only when set (the JSON contract leaves them out otherwise).
  if (p.totalsUnknownReason !== undefined) summary.totalsUnknownReason = p.totalsUnknownReason;
  if (p.outputUnknownReason !== undefined) summary.outputUnknownReason = p.outputUnknownReason;
  return summary;
}

function byLine(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line;
}
