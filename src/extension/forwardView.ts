import type { ModelSummary } from '../core/summary';
import { shapeAgrees } from '../runtime/compare';
import type { ForwardResult, LayerRunStats } from '../runtime/types';
import { NumberFormat, count } from './numbers';

/**
 * A forward pass's result as the summary panel and the Problems panel show it. Pure (no
 * `vscode`, no tfjs): the result is plain JSON from the worker; rows join it by id.
 */

/** What `modellens.runForwardPass` returns: the runtime's result, or why it did not run. */
export type ForwardOutcome = ForwardResult | { error: { code: string; message: string; layer?: string } };

export function isForwardError(o: ForwardOutcome): o is { error: { code: string; message: string; layer?: string } } {
  return 'error' in o;
}

/** Per-row cells of the forward-pass columns. */
export interface RowForward {
  shape: string;
  /** The actual shape (or a count) disagrees with the static analysis. */
  mismatch: boolean;
  meanStd: string;
  ms: string;
  /** Bin heights relative to the tallest bin, 0..1 (empty when the runtime gave no histogram). */
  histogram: number[];
  /** Tooltip: min, max, zeros, and the finding when there is one. */
  detail: string;
}

export interface PanelFinding {
  layer: string;
  message: string;
  line: number | null;
}

/** A model's last forward pass as the extension keeps it (src/extension/forwardResults.ts). */
export type ForwardState = { state: 'running' } | { state: 'done'; outcome: ForwardOutcome };

export type PanelForward =
  | { state: 'running'; message: string }
  | { state: 'error'; message: string; line: number | null }
  | { state: 'done'; summary: string; totals: { label: string; value: string }[]; outputPreview: string; findings: PanelFinding[] };

/** Three significant digits, exponent for the very large or small. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}

export function millis(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

const shape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Where a finding belongs in the file: its row's construction (when in this file), else the model's line. */
export interface FindingLocation {
  layer: string;
  message: string;
  line: number;
  start?: number;
  end?: number;
}

export function findingLocations(model: ModelSummary, findings: ForwardResult['findings']): FindingLocation[] {
  const byId = new Map(model.layers.map((r) => [r.id, r]));
  return findings.map((f) => {
    const row = f.id === undefined ? undefined : byId.get(f.id);
    if (row && row.file === undefined) return { layer: f.layer, message: f.message, line: row.line, start: row.start, end: row.end };
    return { layer: f.layer, message: f.message, line: model.line };
  });
}

function rowForward(model: ModelSummary, l: LayerRunStats, findings: ForwardResult['findings']): RowForward {
  const row = model.layers.find((r) => r.id === l.id);
  const own = findings.filter((f) => f.id === l.id);
  const actual = l.outputShapes && l.outputShapes.length > 1 ? `[${l.outputShapes.map(shape).join(', ')}]` : shape(l.outputShape);
  const disagrees = !!row?.outputShape && !shapeAgrees(row.outputShape, l.outputShape);
  const peak = Math.max(0, ...(l.histogram ?? []));
  return {
    shape: actual,
    mismatch: disagrees || own.length > 0,
    meanStd: `${num(l.mean)} ± ${num(l.std)}`,
    ms: millis(l.ms),
    histogram: peak > 0 ? (l.histogram ?? []).map((c) => c / peak) : [],
    detail: [`min ${num(l.min)}, max ${num(l.max)}, zeros ${(l.zeroFraction * 100).toFixed(1)}%`, ...own.map((f) => f.message)].join('\n'),
  };
}

/** The panel's forward-pass cells by row id, and the overall section. */
export function forwardPanel(model: ModelSummary, outcome: ForwardOutcome, fmt: NumberFormat = 'commas'): { rows: Map<number, RowForward>; forward: PanelForward } {
  const rows = new Map<number, RowForward>();
  if (isForwardError(outcome)) {
    const row = outcome.error.layer ? model.layers.find((r) => r.name === outcome.error.layer) : undefined;
    const verb = outcome.error.code === 'cancelled' || outcome.error.code === 'declined' ? 'Not run' : 'The forward pass failed';
    return { rows, forward: { state: 'error', message: `${verb}: ${outcome.error.message}`, line: row && row.file === undefined ? row.line : null } };
  }
  const r = outcome;
  for (const l of r.layers) rows.set(l.id, rowForward(model, l, r.findings));
  const locations = findingLocations(model, r.findings);
  const agree = r.findings.length === 0 ? 'static analysis and the real pass agree' : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
  return {
    rows,
    forward: {
      state: 'done',
      summary: `Ran on ${r.backend}${r.backendNote ? ` (${r.backendNote})` : ''} with seed ${r.seed}: ${agree}.`,
      totals: [
        { label: 'Backend', value: r.backend },
        { label: 'Input', value: r.inputShapes.map(shape).join(' ') },
        { label: 'Output', value: r.outputShapes.map(shape).join(' ') },
        { label: 'Total params (tfjs countParams)', value: count(r.totalParams, fmt) },
        { label: 'Forward pass time', value: millis(r.ms) },
        ...(r.wallMs !== undefined ? [{ label: 'With backend start-up and build', value: millis(r.wallMs) }] : []),
      ],
      outputPreview: r.outputPreview.map((p) => `[${p.map(num).join(', ')}${p.length >= 10 ? ', …' : ''}]`).join(' '),
      findings: locations.map((f) => ({ layer: f.layer, message: f.message, line: f.line })),
    },
  };
}
