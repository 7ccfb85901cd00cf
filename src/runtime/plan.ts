import { catalog } from '../core/catalog';
import { Shape, formatShape } from '../core/shape';
import type { LayerRow, ModelSummary } from '../core/summary';
import { FUNCTIONAL_LAYERS, TFJS_UNSUPPORTED, TORCH_LAYERS, TORCH_OPS } from './support';
import { bytesNumber, estimateMemory } from './memory';
import { ForwardPassError, InputSpec, NodeInput, Plan, PlanNode } from './types';

/**
 * The static summary → a graph the runtime can rebuild. Only leaf layers, ops and inputs carry
 * data flow; containers (Sequential, user modules) are dropped. Everything that would stop the
 * build (an unknown layer, an unknown size, a custom layer whose code we would have to run) is
 * refused here, naming the layer, before tfjs is even loaded.
 */

export interface PlanOptions {
  /** Batch size for tfjs models, whose batch dimension is unknown statically. */
  batch?: number;
}

export const DEFAULT_BATCH = 8;

/** The first `{unknown: reason}` inside a row's args, if any. */
function findUnknown(v: unknown, path: string): string | undefined {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findUnknown(v[i], `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('unknown' in o && Object.keys(o).length === 1) return `${path}: ${String(o.unknown)}`;
    for (const [k, x] of Object.entries(o)) {
      const r = findUnknown(x, path ? `${path}.${k}` : k);
      if (r) return r;
    }
  }
  return undefined;
}

function label(row: LayerRow): string {
  return row.name === row.type ? row.type : `${row.name} (${row.type})`;
}

function checkBuildable(summary: ModelSummary, row: LayerRow): void {
  if (summary.framework === 'torch') {
    if (row.op) {
      if (!TORCH_OPS.has(row.type)) throw new ForwardPassError('unsupported', `can't run ${label(row)} (line ${row.line}): the op \`${row.type}\` has no runtime equivalent yet`, row.name);
    } else if (!TORCH_LAYERS.has(row.type)) {
      if (!row.catalogKey) throw new ForwardPassError('custom-layer', `can't build custom layer ${row.type} (${row.name}, line ${row.line}) without running your code`, row.name);
      throw new ForwardPassError('unsupported', `can't build ${label(row)} (line ${row.line}): no TensorFlow.js equivalent yet`, row.name);
    }
  } else if (row.type !== 'InputLayer') {
    if (row.type === 'Sequential' && row.family === 'container') {
      throw new ForwardPassError('unsupported', `can't run ${label(row)} (line ${row.line}): a model applied as a layer of another is not rebuilt for forward passes yet`, row.name);
    }
    if (!catalog.tfjsByClassName.has(row.type)) throw new ForwardPassError('custom-layer', `can't build custom layer ${row.type} (${row.name}, line ${row.line}) without running your code`, row.name);
    const why = TFJS_UNSUPPORTED.get(row.type);
    if (why) throw new ForwardPassError('unsupported', `can't build ${label(row)} (line ${row.line}): ${why}`, row.name);
  }
  const unknown = findUnknown(row.args ?? {}, '') ?? findUnknown(row.opArgs ?? [], 'arguments');
  if (unknown) throw new ForwardPassError('unknown-size', `can't build ${label(row)} (line ${row.line}): ${unknown}`, row.name);
}

function checkOutput(row: LayerRow): void {
  if (!row.outputShape) throw new ForwardPassError('unknown-size', `can't build ${label(row)} (line ${row.line}): its output is unknown (${row.unknownReason ?? 'no reason given'})`, row.name);
}

function staticOutputs(row: LayerRow): Shape[] | null {
  if (row.outputShapes && row.outputShapes.length) return row.outputShapes;
  return row.outputShape ? [row.outputShape] : null;
}

/**
 * A layer's parameter counts as the runtime builds it: its own, plus those of the submodules it
 * holds and never calls, whose weights its computation reads (a MultiheadAttention's out_proj).
 */
function withHeldWeights(row: LayerRow, rows: readonly LayerRow[]): { staticParams: number | null; staticTrainable: number | null } {
  let params = row.params;
  let trainable = row.trainableParams;
  for (const r of rows) {
    if (r.parent !== row.id || !r.notCalled) continue;
    params = params === null || r.params === null ? null : params + r.params;
    trainable = trainable === null || r.trainableParams === null ? null : trainable + r.trainableParams;
  }
  return { staticParams: params, staticTrainable: trainable };
}

export function planFromSummary(summary: ModelSummary, options: PlanOptions = {}): Plan {
  const batch = options.batch ?? DEFAULT_BATCH;
  // Layer kinds and arguments first: "conv1 has no in_channels" says more than "no input shape".
  // A module forward never calls takes no part (MultiheadAttention's out_proj: the attention reads its weights itself).
  for (const row of summary.layers) if (!row.container && !row.notCalled && !(summary.framework === 'tfjs' && row.type === 'InputLayer')) checkBuildable(summary, row);
  if (summary.inputShapes.length === 0 || summary.inputShape === null || summary.inputShapeSource === 'none') {
    throw new ForwardPassError('unknown-size', `${summary.name} has no input shape: add \`@inputShape [batch, …]\` to its doc comment or pass --input-shape`);
  }
  const staticInputs: Shape[] = summary.inputShapes.map((s, k) => {
    if (s === null) throw new ForwardPassError('unknown-size', `the shape of input ${k + 1} of ${summary.name} is unknown: pass --input-shape`);
    return s;
  });
  const inputShapes: number[][] = staticInputs.map((s, k) =>
    s.map((d, i) => {
      if (d !== null) return d;
      if (i === 0) return batch;
      throw new ForwardPassError('unknown-size', `input ${k + 1} of ${summary.name} has an unknown dimension ${i} (${formatShape(s)}): pass --input-shape`);
    }),
  );
  const rows = summary.layers;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const nodeOfRow = new Map<number, PlanNode>();
  const inputRows = new Map<number, number>();
  const nodes: PlanNode[] = [];
  const firstByName = new Map<string, PlanNode>();

  // A container as a producer stands for its last descendant leaf or op.
  const resolve = (id: number): LayerRow | undefined => {
    const r = byId.get(id);
    if (!r || !r.container) return r;
    const inside = rows.filter((x) => !x.container && isInside(x, id));
    return inside[inside.length - 1];
  };
  const isInside = (r: LayerRow, container: number): boolean => {
    for (let p = r.parent; p !== undefined; p = byId.get(p)?.parent) if (p === container) return true;
    return false;
  };

  for (const row of rows) {
    if (row.container || row.notCalled) continue;
    if (summary.framework === 'tfjs' && row.type === 'InputLayer') {
      inputRows.set(row.id, inputRows.size);
      continue;
    }
    checkOutput(row);
    const inputs: NodeInput[] = row.inputs.map((src, j) => {
      if (src < 0) return { input: -(src + 1) };
      if (inputRows.has(src)) return { input: inputRows.get(src) as number };
      const producer = resolve(src);
      const node = producer && nodeOfRow.get(producer.id);
      if (!producer || !node) throw new ForwardPassError('unsupported', `can't build ${label(row)} (line ${row.line}): its input comes from row ${src}, which is not a layer the runtime built`, row.name);
      // Which of the producer's outputs (an LSTM's output, h or c): recorded by the analyzer, since
      // outputs of equal shapes (h and c) cannot be told apart by shape.
      return { node: node.id, index: row.inputOutputs?.[j] ?? 0 };
    });
    const node: PlanNode = {
      id: row.id,
      name: row.name,
      type: row.type,
      kind: row.op ? 'op' : 'layer',
      args: row.args ?? {},
      opArgs: row.opArgs ?? [],
      inputs,
      staticOutputs: staticOutputs(row),
      ...withHeldWeights(row, rows),
    };
    if (!row.op) {
      const first = firstByName.get(`${row.type}:${row.name}`);
      if (row.reused && first) node.sharesWith = first.id;
      else if (!first) firstByName.set(`${row.type}:${row.name}`, node);
    }
    if (row.op && FUNCTIONAL_LAYERS[row.type]) node.args = { functional: FUNCTIONAL_LAYERS[row.type] };
    nodes.push(node);
    nodeOfRow.set(row.id, node);
  }
  if (nodes.length === 0) throw new ForwardPassError('unsupported', `${summary.name} has no layers to run`);

  // Model outputs: nodes nobody consumes, the last ones when there are more than declared.
  const consumed = new Set<number>();
  for (const n of nodes) for (const i of n.inputs) if ('node' in i) consumed.add(i.node);
  const sinks = nodes.filter((n) => !consumed.has(n.id));
  // A sink returning a tuple (an RNN's output and states) contributes each of its outputs.
  const want = Math.max(1, summary.outputShapes.length);
  const all: NodeInput[] = sinks.flatMap((n) => {
    const k = want > 1 ? Math.max(1, n.staticOutputs?.length ?? 1) : 1;
    return Array.from({ length: k }, (_, index) => ({ node: n.id, index }));
  });
  const outputs = all.slice(Math.max(0, all.length - want));

  return {
    model: summary.name,
    framework: summary.framework,
    kind: summary.kind,
    inputs: inputShapes.map((shape, k) => inputSpec(shape, k, nodes, summary.framework)),
    staticInputs,
    nodes,
    outputs,
    staticOutputShapes: summary.outputShapes,
    staticTotalParams: summary.totalParams,
    batch: inputShapes[0][0],
  };
}

/** Token ids for inputs that feed an embedding (the smallest vocabulary among them), floats otherwise. */
function inputSpec(shape: number[], k: number, nodes: PlanNode[], framework: string): InputSpec {
  let vocab: number | undefined;
  for (const n of nodes) {
    if (n.type !== 'Embedding' || !n.inputs.some((i) => 'input' in i && i.input === k)) continue;
    const v = framework === 'torch' ? n.args.num_embeddings : n.args.inputDim;
    if (typeof v === 'number') vocab = vocab === undefined ? v : Math.min(vocab, v);
  }
  return vocab === undefined ? { shape, dtype: 'float32' } : { shape, dtype: 'int32', vocab };
}

/**
 * Peak bytes of a forward pass (memory.ts: weights, activations, every layer's intermediates, the
 * runner's copies, the worker's fixed cost), before anything is built. Throws RangeError for
 * counts past 2^53; Infinity only when the exact size is past what a double holds.
 */
export function estimateBytes(plan: Plan, totalParams: number | null): number {
  return bytesNumber(estimateMemory(plan, totalParams).bytes);
}
