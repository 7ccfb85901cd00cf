import { type Diagnostic, type FileSummary, type LayerRow, type ModelSummary, modelTitle } from '../core/summary';
import { tableRows } from '../core/format/rows';
import { ForwardState, PanelForward, RowForward, forwardPanel } from './forwardView';
import { NumberFormat, count, shapeText, sizeText } from './numbers';
import { inertStrings, plainLine } from '../core/escape/plain';

/**
 * What the summary panel shows, computed in the extension host so the webview only renders
 * strings (it never sees the analyzer), as text nodes. Every string in it is inert (escape/plain.ts:
 * no control characters or bidi overrides; names one bounded line), whatever the user's code holds. Shared by src/extension/panel.ts and webview/ (types only).
 */

export interface PanelRow {
  id: number;
  /** Parent row id, for collapsing nested modules; null at the top level. */
  parent: number | null;
  depth: number;
  container: boolean;
  /** Shown in the tree: relative to the parent row. */
  name: string;
  /** The full attribute path (`layer1.conv1`). */
  path: string;
  type: string;
  outputShape: string;
  params: string;
  /** `yes`, `no`, `partly` (some frozen), `` when the layer has no parameters, `?` unknown. */
  trainable: string;
  multAdds: string;
  /** Share of the model's parameters held by this row (and its children for containers), 0..1. */
  share: number | null;
  /** 1-based line to reveal on click; null when the layer lives in another file. */
  line: number | null;
  unknownReason: string | null;
  /** The last forward pass's cells for this row (absent before a run, for containers and on failures). */
  forward?: RowForward;
}

export interface PanelDiagnostic {
  severity: Diagnostic['severity'];
  line: number;
  message: string;
}

export interface PanelModel {
  title: string;
  file: string;
  framework: string;
  inputShape: string;
  inputShapeSource: string;
  rows: PanelRow[];
  totals: { label: string; value: string }[];
  diagnostics: PanelDiagnostic[];
  /** The last forward pass of this model on this version of the document, when there is one. */
  forward?: PanelForward;
}

/** Messages the extension posts to the webview. */
export type ToWebview = { type: 'summary'; model: PanelModel } | { type: 'missing'; message: string };

function trainable(t: number | null, nt: number | null): string {
  if (t === null || nt === null) return '?';
  if (t === 0 && nt === 0) return '';
  if (nt === 0) return 'yes';
  return t === 0 ? 'no' : 'partly';
}

/**
 * Mult-adds as torchinfo writes them: `--` for none (a ReLU, a Dropout, an Embedding lookup, a
 * layer never called), `?` when unknown, else the count.
 */
function multAddsText(n: number | null, fmt: NumberFormat): string {
  return n === 0 ? '--' : count(n, fmt);
}

/**
 * A container's mult-adds: what its layers cost (its own are none, so a `0` there would read as
 * "computes nothing"); `--` when nothing inside computes, `?` when a layer's cost is unknown.
 */
function containerMultAdds(container: LayerRow, m: ModelSummary, fmt: NumberFormat): string {
  const inside = new Set([container.id]);
  let sum: number | null = 0;
  // Rows come parents first, so one pass finds every descendant.
  for (const r of m.layers) {
    if (r.parent === undefined || !inside.has(r.parent)) continue;
    inside.add(r.id);
    if (r.container) continue; // (a reused layer's second call computes again: counted)
    sum = sum === null || r.multAdds === null ? null : sum + r.multAdds;
  }
  return multAddsText(sum, fmt);
}

export function panelModel(file: FileSummary, m: ModelSummary, fileLabel: string, fmt: NumberFormat = 'commas', run?: ForwardState): PanelModel {
  const total = m.totalParams;
  const byId = new Map(m.layers.map((r) => [r.id, r]));
  // Nested rows show their name relative to the enclosing module (`conv1` under `layer1`).
  const relative = (name: string, parent: number | undefined): string => {
    const p = parent === undefined ? undefined : byId.get(parent);
    return p && name.startsWith(`${p.name}.`) ? name.slice(p.name.length + 1) : name;
  };
  const rows: PanelRow[] = tableRows(m).map((r) => {
    const held = r.container ? r.totalParams : r.params;
    return {
      id: r.id,
      parent: r.parent ?? null,
      depth: r.depth,
      container: r.container,
      name: plainLine(relative(r.name, r.parent)),
      path: plainLine(r.name),
      type: plainLine(r.reused ? `${r.type} (reused)` : r.type),
      outputShape: r.notCalled ? '--' : r.outputShapes && r.outputShapes.length > 1 ? `[${r.outputShapes.map((s) => shapeText(s, m.framework)).join(', ')}]` : shapeText(r.outputShape, m.framework),
      params: count(held, fmt),
      trainable: trainable(r.container ? r.totalParams : r.trainableParams, r.container ? 0 : r.nonTrainableParams),
      multAdds: r.container ? containerMultAdds(r, m, fmt) : multAddsText(r.multAdds, fmt),
      share: held !== null && total ? held / total : null,
      line: r.file === undefined ? r.line : null,
      unknownReason: r.unknownReason ?? null,
    };
  });
  const bytes = (n: number | null) => sizeText(n);
  const sum = [m.inputBytes, m.activationBytes, m.paramBytes];
  const estimated = sum.every((b) => b !== null) ? (sum as number[]).reduce((a, b) => a + b, 0) : null;
  const diagnostics = [...file.diagnostics, ...m.diagnostics].map((d) => ({ severity: d.severity, line: d.line, message: d.message }));
  let forward: PanelForward | undefined;
  if (run?.state === 'running') forward = { state: 'running', message: `Running a sample forward pass of ${m.name}…` };
  else if (run?.state === 'done') {
    const view = forwardPanel(m, run.outcome, fmt);
    forward = view.forward;
    for (const row of rows) {
      const cells = view.rows.get(row.id);
      if (cells) row.forward = cells;
    }
  }
  return inertStrings({
    title: plainLine(modelTitle(m)),
    file: fileLabel,
    framework: m.framework === 'tfjs' ? 'TensorFlow.js' : 'PyTorch',
    inputShape: m.inputShapes.length > 1 ? m.inputShapes.map((s) => shapeText(s, m.framework)).join(' ') : shapeText(m.inputShape, m.framework),
    inputShapeSource: m.inputShapeSource,
    rows,
    totals: [
      { label: 'Total params', value: count(m.totalParams, fmt) },
      { label: 'Trainable params', value: count(m.trainableParams, fmt) },
      { label: 'Non-trainable params', value: count(m.nonTrainableParams, fmt) },
      { label: 'Total mult-adds', value: count(m.multAdds, fmt) },
      { label: 'Input size', value: bytes(m.inputBytes) },
      { label: 'Forward pass size', value: bytes(m.activationBytes) },
      { label: 'Params size', value: bytes(m.paramBytes) },
      { label: 'Estimated total size', value: bytes(estimated) },
    ],
    diagnostics,
    ...(forward ? { forward } : {}),
  });
}
