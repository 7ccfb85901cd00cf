import type { Shape } from '../core/shape';
import type { NodeInput, Plan, PlanNode } from './types';

/**
 * What a forward pass allocates, estimated before anything is built: the memory guard's number.
 *
 * Read from what the runtime really does (execute.ts, torchLayer.ts, torchSequence.ts,
 * torchSpatial.ts): every weight; every activation, kept until the pass ends (the per-layer
 * statistics and the comparison read them); inside each layer, every intermediate tensor its
 * forward creates, all alive until the layer's tf.tidy ends (a TransformerEncoder's layers run in
 * one tidy, so all of theirs add up; a recurrent layer keeps each step's gates and states until the
 * end of the sequence; attention makes B×heads×L×S scores, their scaled copy, the softmax and the
 * transposed copy tfjs's mean over heads takes); the statistics' own copies of the largest
 * activation (a bool mask and its float, and the JS copy `dataSync` makes for the histogram); the
 * build's transient copies of the largest layer's weights; and the fixed cost of a worker with
 * TensorFlow.js and its wasm module loaded.
 *
 * The peak is the largest, over the layers in order, of what is alive while that layer runs.
 * Element counts are BigInts: a size past 2^53 (or past any memory) is a number too, and is
 * refused, never wrapped, rounded to a safe-looking value or counted as 0.
 */

/** A worker thread with TensorFlow.js, the wasm module and its initial heap (measured: 70–90 MB of RSS). */
export const BASELINE_BYTES = 96n * 1024n * 1024n;
/** Every tensor is counted as 4 bytes an element (float32, int32); bools (1 byte) are overcounted. */
const BYTES_PER_ELEMENT = 4n;
/**
 * What one small tensor costs besides its data (its JS objects, tfjs's bookkeeping, the wasm
 * allocator's header), as elements: 2 KB. It matters only where a layer makes tens of thousands
 * of tiny tensors (a recurrent layer's steps: about STEP_TENSORS each).
 */
const TENSOR_OVERHEAD_ELEMENTS = 512n;
const STEP_TENSORS = 24n;

export interface MemoryEstimate {
  /** Peak bytes, BigInt (exact, whatever its size). */
  bytes: bigint;
  parts: {
    baseline: bigint;
    weights: bigint;
    /** Model inputs and every layer's outputs (all alive at the end). */
    activations: bigint;
    /** The largest transient inside one layer (its intermediates) plus the statistics' copies. */
    transient: bigint;
    /**
     * JS-side copies that live until V8 collects them, counted as if it never did: the arrays
     * the weights and inputs are drawn into (tfjs models: read back and redrawn too), each
     * layer's output read back for its histogram, the outputs read for the preview.
     */
    copies: bigint;
    /** The layer whose transient sets the peak. */
    peakLayer?: string;
  };
}

/** Bytes as a JS number for messages and settings (Infinity when past what a double holds). */
export function bytesNumber(b: bigint): number {
  const n = Number(b);
  return Number.isFinite(n) ? n : Infinity;
}

function numel(s: readonly (number | null)[], batch: number): bigint {
  let n = 1n;
  s.forEach((d, i) => {
    const v = d === null ? (i === 0 ? batch : 1) : d;
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`a dimension of ${String(v)} cannot be allocated`);
    n *= BigInt(v);
  });
  return n;
}

const big = (v: unknown, fallback = 0): bigint => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : BigInt(fallback));
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a), 0n);

/** Reads a nested layer config (TransformerEncoder's encoder_layer: `{layer: {type, args}}`) the way torchLayers does. */
function nestedArgs(v: unknown): Record<string, unknown> {
  return ((v as { layer?: { args?: Record<string, unknown> } } | null)?.layer?.args ?? {}) as Record<string, unknown>;
}

function num(args: Record<string, unknown>, key: string, fallback: number): number {
  const v = args[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * Elements of the tensors one multi-head attention call creates besides its output (torchSequence.runMha):
 * batch-first copies, split and transposed projection weights, three projections (matMul + bias),
 * the heads' transposed q/k/v, scores, scaled scores, softmax, the transposed copy the mean over
 * heads makes, the context and its transpose, the output projection's matMul.
 */
function attentionElements(n: bigint, l: bigint, s: bigint, e: bigint, heads: bigint): bigint {
  const scores = n * heads * l * s;
  const tokens = n * l * e;
  const keys = n * s * e;
  // Scores: the product, its scaled copy, the softmax, the mean's transposed copy, and one more
  // for a kernel's own scratch (a transposed operand).
  return 3n * (tokens + keys) / 2n + 4n * e * e + 3n * e * e + 2n * (tokens + 2n * keys) + (tokens + 2n * keys) + 5n * scores + n * l * s + 3n * tokens;
}

/** One encoder layer (runEncoderLayer): attention, residual adds, two layer norms, the feed-forward. */
function encoderLayerElements(n: bigint, l: bigint, e: bigint, heads: bigint, ff: bigint, gelu: boolean): bigint {
  const tokens = n * l * e;
  const hidden = n * l * ff;
  const attention = attentionElements(n, l, l, e, heads) + tokens + n * l * l; // + its output and weights
  const norms = 2n * 4n * tokens;
  const feedForward = 2n * e * ff + 2n * hidden + (gelu ? 6n : 1n) * hidden + 2n * tokens;
  return attention + norms + feedForward + 2n * tokens;
}

/** One recurrent layer (runRnn): projections, per-step gates and states for every step, the stacked outputs. */
function recurrentElements(node: PlanNode, input: readonly (number | null)[], batch: number): bigint {
  const a = node.args;
  const mode = node.type;
  const gates = mode === 'LSTM' ? 4n : mode === 'GRU' ? 3n : 1n;
  const h = big(a.hidden_size);
  const proj = big(a.proj_size);
  const hOut = proj > 0n ? proj : h;
  const layers = big(a.num_layers, 1);
  const dirs = a.bidirectional === true ? 2n : 1n;
  const batchFirst = a.batch_first === true;
  const dims = input.map((d, i) => (d === null ? (i === 0 ? batch : 1) : d));
  const unbatched = dims.length === 2;
  const t = BigInt(unbatched ? dims[0] : batchFirst ? dims[1] : dims[0]);
  const n = BigInt(unbatched ? 1 : batchFirst ? dims[0] : dims[1]);
  const inSize = BigInt(dims[dims.length - 1]);
  let total = n * t * inSize; // the batch-first copy
  for (let l = 0n; l < layers; l++) {
    const inner = l === 0n ? inSize : hOut * dirs;
    for (let d = 0n; d < dirs; d++) {
      total += gates * h * (inner + hOut) + h * hOut; // transposed weights
      total += 3n * n * t * gates * h; // x·Wᵢₕ, + bias, time-major copy (its unstacked steps are views of the same size)
      total += n * t * gates * h; // the unstacked steps
      total += t * n * ((3n * gates + 12n) * h + 2n * hOut); // every step's matMul, adds, gate slices, activations, states
      total += t * STEP_TENSORS * TENSOR_OVERHEAD_ELEMENTS; // ...each a tensor of its own (JS object, kernel record, allocator header)
      total += n * t * hOut; // the stacked outputs
    }
    if (dirs > 1n) total += n * t * hOut * dirs;
  }
  return total + 2n * n * t * hOut * dirs + 4n * layers * dirs * n * h;
}

/** Elements a layer or op creates while it runs, besides its outputs. */
function transientElements(node: PlanNode, ins: (readonly (number | null)[])[], outs: bigint, batch: number): bigint {
  const a = node.args;
  const inEls = sum(ins.map((s) => numel(s, batch)));
  const first = ins[0] ?? [];
  const dims = first.map((d, i) => (d === null ? (i === 0 ? batch : 1) : d));
  switch (node.type) {
    case 'Linear':
    case 'Dense':
      return big(node.staticParams) + 2n * outs;
    case 'Conv1d':
    case 'Conv2d':
    case 'Conv3d':
    case 'ConvTranspose1d':
    case 'ConvTranspose2d':
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv2DTranspose':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      // Channels-last and padded copies of the input (and, transposed, its zero-dilated copy),
      // the transposed and packed kernel, the convolution's own output and its bias add, and
      // XNNPACK's indirection buffer (one pointer per output position and kernel tap).
      const nd = Number(/(\d)[dD]/.exec(node.type)?.[1] ?? 2);
      const k = a.kernel_size ?? a.kernelSize;
      const kernel = Array.isArray(k) ? (k as number[]) : Array.from({ length: nd }, () => (typeof k === 'number' ? k : 3));
      const taps = kernel.reduce((x, v) => x * big(v, 1), 1n);
      const channels = big(a.out_channels ?? a.filters, 1) || 1n;
      const dilated = node.type.includes('Transpose') ? 4n * inEls : 0n;
      return 3n * inEls + dilated + 3n * big(node.staticParams) + 2n * outs + (outs / channels) * taps;
    }
    case 'MultiheadAttention': {
      const e = big(a.embed_dim);
      const heads = big(a.num_heads, 1);
      const batchFirst = a.batch_first === true;
      const q = dims;
      const k = (ins[1] ?? first).map((d, i) => (d === null ? (i === 0 ? batch : 1) : d));
      const unbatched = q.length === 2;
      const n = BigInt(unbatched ? 1 : batchFirst ? q[0] : q[1]);
      const l = BigInt(unbatched ? q[0] : batchFirst ? q[1] : q[0]);
      const s = BigInt(unbatched ? k[0] : batchFirst ? k[1] : k[0]) + 1n; // + bias_kv / zero_attn
      return attentionElements(n, l, s, e, heads);
    }
    case 'TransformerEncoderLayer':
    case 'TransformerEncoder': {
      const layer = node.type === 'TransformerEncoder' ? nestedArgs(a.encoder_layer) : a;
      const count = node.type === 'TransformerEncoder' ? big(a.num_layers, 1) : 1n;
      const e = BigInt(Math.max(1, num(layer, 'd_model', dims[dims.length - 1] ?? 1)));
      const heads = BigInt(Math.max(1, num(layer, 'nhead', 1)));
      const ff = BigInt(Math.max(1, num(layer, 'dim_feedforward', 2048)));
      const batchFirst = layer.batch_first === true;
      const unbatched = dims.length === 2;
      const n = BigInt(unbatched ? 1 : batchFirst ? dims[0] : dims[1]);
      const l = BigInt(unbatched ? dims[0] : batchFirst ? dims[1] : dims[0]);
      // One tidy around all the layers: every layer's intermediates add up, plus the final norm's.
      return count * encoderLayerElements(n, l, e, heads, ff, layer.activation === 'gelu') + 4n * n * l * e;
    }
    case 'RNN':
    case 'LSTM':
    case 'GRU':
      return recurrentElements(node, first, batch);
    default:
      // Element-wise layers, norms, pooling, reshapes and ops: a few full-size temporaries (GELU's
      // erf form, LayerNorm's centred and scaled copies) of the larger of input and output.
      return 6n * (inEls > outs ? inEls : outs) + big(node.staticParams);
  }
}

/**
 * The peak memory of a forward pass of `plan`. `totalParams` is the static count (null: the sum
 * of the nodes'); throws RangeError for a count that is not an exact integer (past 2^53).
 */
export function estimateMemory(plan: Plan, totalParams: number | null): MemoryEstimate {
  const batch = plan.batch;
  if (totalParams !== null && !(Number.isSafeInteger(totalParams) && totalParams >= 0)) {
    throw new RangeError(`${plan.model} has ${totalParams} parameters, more than can be counted exactly (2^53)`);
  }
  for (const n of plan.nodes) {
    if (n.sharesWith === undefined && n.staticParams !== null && !Number.isSafeInteger(n.staticParams)) {
      throw new RangeError(`${n.name} has ${n.staticParams} parameters, more than can be counted exactly (2^53)`);
    }
  }
  const params = totalParams !== null ? BigInt(totalParams) : sum(plan.nodes.map((n) => (n.sharesWith === undefined ? big(n.staticParams) : 0n)));
  const largestLayer = max(plan.nodes.map((n) => big(n.staticParams)));
  // Building: each weight is drawn into a JS array, copied into a tensor and into its variable
  // (tfjs models: read back, redrawn and set again): three copies of the largest layer at once.
  const build = 3n * largestLayer;

  const shapeOf = new Map<number, Shape[]>();
  for (const n of plan.nodes) shapeOf.set(n.id, n.staticOutputs ?? []);
  const inputShape = (i: NodeInput): readonly (number | null)[] => ('input' in i ? plan.inputs[i.input].shape : shapeOf.get(i.node)?.[i.index] ?? []);

  let alive = sum(plan.inputs.map((i) => numel(i.shape, batch)));
  let peak = build;
  let peakLayer: string | undefined;
  for (const node of plan.nodes) {
    const outs = sum((node.staticOutputs ?? []).map((s) => numel(s, batch)));
    const primary = node.staticOutputs?.[0] ? numel(node.staticOutputs[0], batch) : 0n;
    const inside = transientElements(node, node.inputs.map(inputShape), outs, batch);
    // While the layer runs: everything before it, its intermediates and its outputs. Then (its
    // intermediates gone) the statistics of its primary output: a bool mask, its float copy and
    // dataSync's JS copy for the histogram.
    const during = alive + outs + (inside > 3n * primary ? inside : 3n * primary);
    if (during > peak) {
      peak = during;
      peakLayer = node.name;
    }
    alive += outs;
  }
  if (alive > peak) peak = alive;
  const activations = alive;
  const inputs = sum(plan.inputs.map((i) => numel(i.shape, batch)));
  const histograms = sum(plan.nodes.map((n) => (n.staticOutputs?.[0] ? numel(n.staticOutputs[0], batch) : 0n)));
  const previews = sum(plan.staticOutputShapes.map((s) => (s ? numel(s, batch) : 0n)));
  const copies = (plan.framework === 'tfjs' ? 3n : 1n) * params + inputs + histograms + previews;
  const weights = params * BYTES_PER_ELEMENT;
  const bytes = BASELINE_BYTES + weights + (peak + copies) * BYTES_PER_ELEMENT;
  return {
    bytes,
    parts: {
      baseline: BASELINE_BYTES,
      weights,
      activations: activations * BYTES_PER_ELEMENT,
      transient: (peak - activations > 0n ? peak - activations : 0n) * BYTES_PER_ELEMENT,
      copies: copies * BYTES_PER_ELEMENT,
      ...(peakLayer ? { peakLayer } : {}),
    },
  };
}
