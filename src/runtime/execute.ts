import * as tf from '@tensorflow/tfjs';
import { isMissingKernel, useBackend, wasmHeapBytes } from './backend';
import { compareModel, compareNode, compareSymbolic } from './compare';
import { histogram } from './histogram';
import { estimateBytes } from './plan';
import { Rng } from './rng';
import { buildTfjsLayer } from './tfjsLayers';
import { buildTorchLayer } from './torchLayers';
import { buildTorchOp } from './torchOps';
import { ExecuteOptions, Finding, ForwardPassError, ForwardResult, LayerRunStats, NodeInput, Plan, PlanNode } from './types';

/**
 * Builds the plan as a real tfjs model and runs it once, layer by layer, on seeded inputs. Runs
 * wherever it is called: the worker (worker.ts) in the product, the test process in unit tests.
 */

const PREVIEW = 10;

interface Built {
  layers: Map<number, tf.layers.Layer>;
  /** The symbolic tf.model (tfjs models only): tfjs's own shape inference and countParams(). */
  model?: tf.LayersModel;
  symbolicShapes: Map<number, (number | null)[][]>;
}

function layerOf(built: Built, node: PlanNode): tf.layers.Layer {
  const l = built.layers.get(node.sharesWith ?? node.id);
  if (!l) throw new Error(`layer ${node.name} was not built`);
  return l;
}

/**
 * tfjs's initializers draw from generators seeded with Math.random() when given no seed, and
 * buildSymbolic reseeds each weight with the spread of those first draws: during the build,
 * Math.random is this run's own seeded stream, so two runs with the same seed build the same
 * weights (the worker does nothing else meanwhile; it is restored afterwards).
 */
function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const r = new Rng((seed ^ 0x5eed5eed) >>> 0);
  Math.random = () => r.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

function build(plan: Plan, rng: Rng, seed = 0): Built {
  return withSeededMathRandom(seed, () => buildLayers(plan, rng));
}

function buildLayers(plan: Plan, rng: Rng): Built {
  const built: Built = { layers: new Map(), symbolicShapes: new Map() };
  for (const node of plan.nodes) {
    if (node.sharesWith !== undefined) continue;
    try {
      const r = rng.fork(node.id);
      const layer =
        plan.framework === 'tfjs'
          ? buildTfjsLayer(node.type, node.args, node.name)
          : node.kind === 'op'
            ? buildTorchOp(node.name, node.type, node.opArgs, typeof node.args.functional === 'string' ? node.args.functional : undefined, r)
            : buildTorchLayer(node.name, node.type, node.args, r);
      built.layers.set(node.id, layer);
    } catch (e) {
      throw new ForwardPassError('unsupported', `can't build ${node.name} (${node.type}): ${(e as Error).message}`, node.name);
    }
  }
  if (plan.framework === 'tfjs') buildSymbolic(plan, built, rng);
  return built;
}

/** tf.input → apply → tf.model, then every weight replaced by seeded values of the same scale. */
function buildSymbolic(plan: Plan, built: Built, rng: Rng): void {
  const inputs = plan.staticInputs.map((s, k) => tf.input({ batchShape: s, dtype: plan.inputs[k].dtype }));
  const values = new Map<number, tf.SymbolicTensor[]>();
  const get = (i: NodeInput) => ('input' in i ? inputs[i.input] : (values.get(i.node) as tf.SymbolicTensor[])[i.index]);
  for (const node of plan.nodes) {
    const ins = node.inputs.map(get);
    let out: tf.SymbolicTensor | tf.SymbolicTensor[];
    try {
      out = layerOf(built, node).apply(ins.length === 1 ? ins[0] : ins) as tf.SymbolicTensor | tf.SymbolicTensor[];
    } catch (e) {
      throw new ForwardPassError('failed', `tfjs rejects ${node.name} (${node.type}): ${(e as Error).message}`, node.name);
    }
    const list = Array.isArray(out) ? out : [out];
    values.set(node.id, list);
    built.symbolicShapes.set(node.id, list.map((t) => t.shape));
  }
  built.model = tf.model({ inputs, outputs: plan.outputs.map(get), name: plan.model.replace(/[^A-Za-z0-9_]/g, '_') });
  for (const [id, layer] of built.layers) {
    const r = rng.fork(1_000_000 + id);
    const reseeded = layer.getWeights().map((w) => {
      const v = w.dataSync();
      const n = v.length;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += v[i];
      mean /= n || 1;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (v[i] - mean) ** 2;
      const std = Math.sqrt(sq / (n || 1));
      // Constant initialisers (zeros, ones) are deterministic already; random ones get seeded draws of the same spread.
      return std === 0 ? w.clone() : tf.tensor(r.uniform(n, mean - std * Math.sqrt(3), mean + std * Math.sqrt(3)), w.shape, 'float32');
    });
    if (reseeded.length) layer.setWeights(reseeded);
    tf.dispose(reseeded);
  }
}

function makeInputs(plan: Plan, rng: Rng): tf.Tensor[] {
  return plan.inputs.map((spec, k) => {
    const r = rng.fork(2_000_000 + k);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    return spec.dtype === 'int32' ? tf.tensor(r.ints(n, spec.vocab ?? 2), spec.shape, 'int32') : tf.tensor(r.normal(n), spec.shape, 'float32');
  });
}

function stats(t: tf.Tensor): { mean: number; std: number; min: number; max: number; zeroFraction: number; histogram: number[] } {
  return tf.tidy(() => {
    const x = t.toFloat();
    if (x.size === 0) return { mean: 0, std: 0, min: 0, max: 0, zeroFraction: 0, histogram: histogram([], 0, 0) };
    const { mean, variance } = tf.moments(x);
    const packed = tf.stack([mean, tf.sqrt(variance), x.min(), x.max(), x.equal(tf.scalar(0)).toFloat().mean()]).dataSync();
    return { mean: packed[0], std: packed[1], min: packed[2], max: packed[3], zeroFraction: packed[4], histogram: histogram(x.dataSync(), packed[2], packed[3]) };
  });
}

function countOf(ws: tf.LayerVariable[]): number {
  return ws.reduce((a, w) => a + (w.shape as (number | null)[]).reduce<number>((x, y) => x * (y ?? 1), 1), 0);
}

function runOnce(plan: Plan, backend: 'wasm' | 'cpu', options: ExecuteOptions): Omit<ForwardResult, 'backendNote' | 'wallMs'> {
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const built = build(plan, rng.fork(1), seed);
  const inputs = makeInputs(plan, rng.fork(2));
  const values = new Map<number, tf.Tensor[]>();
  const layers: LayerRunStats[] = [];
  const findings: Finding[] = [];
  const counted = new Set<tf.layers.Layer>();
  let ms = 0;
  try {
    const get = (i: NodeInput) => ('input' in i ? inputs[i.input] : (values.get(i.node) as tf.Tensor[])[i.index]);
    for (const node of plan.nodes) {
      const layer = layerOf(built, node);
      const ins = node.inputs.map(get);
      const t0 = performance.now();
      let out: tf.Tensor | tf.Tensor[];
      try {
        out = layer.apply(ins.length === 1 ? ins[0] : ins) as tf.Tensor | tf.Tensor[];
        // wasm and cpu run kernels synchronously; reading one value makes sure nothing is pending.
        (Array.isArray(out) ? out[0] : out).dataSync();
      } catch (e) {
        if (isMissingKernel(e)) throw e;
        throw new ForwardPassError('failed', `${node.name} (${node.type}) failed in the real pass: ${(e as Error).message}`, node.name);
      }
      const dt = performance.now() - t0;
      ms += dt;
      const list = Array.isArray(out) ? out : [out];
      values.set(node.id, list);
      const shapes = list.map((t) => t.shape.slice());
      const own = node.kind === 'layer' && !counted.has(layer);
      counted.add(layer);
      const params = own ? layer.countParams() : undefined;
      const trainable = own ? countOf(layer.trainableWeights) : undefined;
      findings.push(...compareNode(node, shapes, params, trainable));
      const symbolic = built.symbolicShapes.get(node.id);
      if (symbolic) findings.push(...compareSymbolic(node, symbolic));
      // wasm memory lives outside V8's heap limits: the worker checks it itself.
      const heap = wasmHeapBytes();
      if (options.memoryLimitBytes !== undefined && heap !== undefined && heap > options.memoryLimitBytes) {
        throw new ForwardPassError('too-large', `the forward pass of ${plan.model} grew the wasm heap to ${mb(heap)} at ${node.name}, past the ${mb(options.memoryLimitBytes)} it may use; stopped`, node.name);
      }
      if (options.statistics !== false) {
        layers.push({ id: node.id, name: node.name, type: node.type, outputShape: shapes[0], ...(shapes.length > 1 ? { outputShapes: shapes } : {}), ...stats(list[0]), ms: dt, ...(params !== undefined ? { params } : {}) });
      }
    }
    const outs = plan.outputs.map(get);
    const totalParams = built.model ? built.model.countParams() : [...counted].reduce((a, l) => a + l.countParams(), 0);
    const outputShapes = outs.map((t) => t.shape.slice());
    findings.push(...compareModel(plan, totalParams, outputShapes));
    return {
      model: plan.model,
      framework: plan.framework,
      backend,
      inputShape: plan.inputs[0].shape,
      inputShapes: plan.inputs.map((i) => i.shape),
      outputShape: outputShapes[0],
      outputShapes,
      outputPreview: outs.map((t) => Array.from(t.toFloat().dataSync().slice(0, PREVIEW))),
      totalParams,
      ms,
      seed,
      memoryEstimateBytes: estimateBytes(plan, plan.staticTotalParams),
      ...(wasmHeapBytes() !== undefined ? { wasmMemoryBytes: wasmHeapBytes() } : {}),
      layers,
      findings,
    };
  } finally {
    for (const list of values.values()) tf.dispose(list);
    tf.dispose(inputs);
    for (const l of built.layers.values()) for (const w of l.weights) w.dispose();
  }
}

/** Bytes in MB for messages, with a decimal below 10 MB (a limit of a few KB must not read "0 MB"). */
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 3 : 0)} MB`;

/** Backend start-up, build and one pass; a kernel missing on wasm reruns the pass on the CPU backend. */
export async function executePlan(plan: Plan, options: ExecuteOptions = {}): Promise<ForwardResult> {
  const t0 = performance.now();
  const chosen = await useBackend(options.backend ?? 'wasm', options.wasmPath);
  try {
    const r = runOnce(plan, chosen.backend, options);
    return { ...r, ...(chosen.note ? { backendNote: chosen.note } : {}), wallMs: performance.now() - t0 };
  } catch (e) {
    if (chosen.backend !== 'wasm' || !isMissingKernel(e)) throw e;
    await useBackend('cpu');
    const r = runOnce(plan, 'cpu', options);
    return { ...r, backendNote: `the wasm backend lacks a kernel (${(e as Error).message}); ran on cpu`, wallMs: performance.now() - t0 };
  }
}

/** For benchmarks: build once, then time `repeats` whole passes (no statistics). */
export async function timePlan(plan: Plan, backend: 'wasm' | 'cpu', repeats: number, options: ExecuteOptions = {}): Promise<{ backend: string; firstMs: number; times: number[] }> {
  const t0 = performance.now();
  const chosen = await useBackend(backend, options.wasmPath);
  const rng = new Rng(options.seed ?? 0);
  const built = build(plan, rng.fork(1), options.seed ?? 0);
  const inputs = makeInputs(plan, rng.fork(2));
  const pass = () => {
    const values = new Map<number, tf.Tensor[]>();
    const get = (i: NodeInput) => ('input' in i ? inputs[i.input] : (values.get(i.node) as tf.Tensor[])[i.index]);
    for (const node of plan.nodes) {
      const ins = node.inputs.map(get);
      const out = layerOf(built, node).apply(ins.length === 1 ? ins[0] : ins) as tf.Tensor | tf.Tensor[];
      values.set(node.id, Array.isArray(out) ? out : [out]);
    }
    plan.outputs.forEach((o) => get(o).dataSync());
    for (const list of values.values()) tf.dispose(list);
  };
  pass();
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const s = performance.now();
    pass();
    times.push(performance.now() - s);
  }
  tf.dispose(inputs);
  for (const l of built.layers.values()) for (const w of l.weights) w.dispose();
  return { backend: chosen.backend, firstMs, times };
}
