import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng';
import { ConvSpec, PadMode, adaptivePoolNd, batched, convNd, convTransposeNd, padAxis, poolNd, upsample } from './torchSpatial';
import { EncoderLayerConfig, MhaConfig, RnnConfig, encoderLayerWeights, gelu, layerNorm, linear, mhaWeights, rnnWeights, runEncoderLayer, runMha, runRnn } from './torchSequence';
import { Forward, TorchLayer, WeightSpec, ones, uniformFanIn, zeros } from './torchLayer';

/**
 * PyTorch layer kinds → tfjs layers with PyTorch's parameters and eval-mode forward. Arguments
 * are the row's bound constructor arguments (PyTorch names, defaults applied).
 */

type A = Record<string, unknown>;

export class ArgReader {
  constructor(
    readonly type: string,
    readonly a: A,
  ) {}
  num(k: string): number {
    const v = this.a[k];
    if (typeof v !== 'number') throw new Error(`${this.type}: \`${k}\` should be a number, not ${JSON.stringify(v)}`);
    return v;
  }
  optNum(k: string): number | null {
    const v = this.a[k];
    return typeof v === 'number' ? v : null;
  }
  bool(k: string, dflt = false): boolean {
    const v = this.a[k];
    return typeof v === 'boolean' ? v : dflt;
  }
  str(k: string, dflt: string): string {
    const v = this.a[k];
    return typeof v === 'string' ? v : dflt;
  }
  /** An int or a tuple, expanded to n entries. */
  ints(k: string, n: number): number[] {
    const v = this.a[k];
    if (typeof v === 'number') return Array(n).fill(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.length === 1 ? Array(n).fill(v[0]) : (v as number[]);
    throw new Error(`${this.type}: \`${k}\` should be a number or ${n} numbers, not ${JSON.stringify(v)}`);
  }
  list(k: string): unknown[] {
    const v = this.a[k];
    return Array.isArray(v) ? v : [v];
  }
  raw(k: string): unknown {
    return this.a[k];
  }
}

const same = (x: tf.Tensor) => x;

function unary(f: (x: tf.Tensor) => tf.Tensor): Forward {
  return (xs) => f(xs[0]);
}

/** PyTorch's legacy implicit softmax dim: 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(dim: number | null, rank: number): number {
  const d = dim ?? (rank === 0 || rank === 1 || rank === 3 ? 0 : 1);
  return d < 0 ? rank + d : d;
}

export function logSoftmax(x: tf.Tensor, axis: number): tf.Tensor {
  return x.sub(tf.logSumExp(x, axis, true));
}

export function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.exp(logSoftmax(x, axis));
}

export function softplus(x: tf.Tensor, beta = 1, threshold = 20): tf.Tensor {
  const bx = x.mul(tf.scalar(beta));
  return tf.where(bx.greater(tf.scalar(threshold)), x, tf.log1p(tf.exp(bx)).div(tf.scalar(beta)));
}

export function elu(x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.where(x.greater(tf.scalar(0)), x, tf.exp(x).sub(tf.scalar(1)).mul(tf.scalar(alpha)));
}

/** Activations with no parameters, by PyTorch class name. */
export function activation(type: string, r: ArgReader): ((x: tf.Tensor) => tf.Tensor) | undefined {
  switch (type) {
    case 'ReLU':
      return (x) => tf.relu(x);
    case 'LeakyReLU':
      return (x) => tf.leakyRelu(x, r.optNum('negative_slope') ?? 0.01);
    case 'ELU':
      return (x) => elu(x, r.optNum('alpha') ?? 1);
    case 'GELU':
      return (x) => gelu(x, r.str('approximate', 'none'));
    case 'SiLU':
      return (x) => x.mul(tf.sigmoid(x));
    case 'Sigmoid':
      return (x) => tf.sigmoid(x);
    case 'Tanh':
      return (x) => tf.tanh(x);
    case 'Mish':
      return (x) => x.mul(tf.tanh(softplus(x)));
    case 'Softplus':
      return (x) => softplus(x, r.optNum('beta') ?? 1, r.optNum('threshold') ?? 20);
    case 'Hardtanh': {
      const lo = r.optNum('min_value') ?? r.optNum('min_val') ?? -1;
      const hi = r.optNum('max_value') ?? r.optNum('max_val') ?? 1;
      return (x) => tf.clipByValue(x, lo, hi);
    }
    case 'Softmax':
      return (x) => softmax(x, softmaxDim(r.optNum('dim'), x.rank));
    case 'LogSoftmax':
      return (x) => logSoftmax(x, softmaxDim(r.optNum('dim'), x.rank));
    case 'Softmax2d':
      return (x) => softmax(x, x.rank - 3);
    case 'Identity':
    case 'Dropout':
    case 'Dropout1d':
    case 'Dropout2d':
    case 'Dropout3d':
    case 'AlphaDropout':
    case 'FeatureAlphaDropout':
      return same;
  }
  return undefined;
}

function convSpec(r: ArgReader, nd: number, inputSpatial: number[]): ConvSpec {
  const k = r.ints('kernel_size', nd);
  const dilation = r.ints('dilation', nd);
  const stride = r.ints('stride', nd);
  const p = r.raw('padding');
  let pads: [number, number][];
  if (p === 'valid') pads = k.map(() => [0, 0]);
  else if (p === 'same') {
    pads = k.map((kk, i) => {
      const total = dilation[i] * (kk - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  } else pads = r.ints('padding', nd).map((x) => [x, x]);
  void inputSpatial;
  return { stride, pads, dilation, groups: r.num('groups'), padMode: r.str('padding_mode', 'zeros') as PadMode };
}

function rnnConfig(type: string, r: ArgReader): RnnConfig {
  return {
    mode: type as RnnConfig['mode'],
    inputSize: r.num('input_size'),
    hiddenSize: r.num('hidden_size'),
    numLayers: r.optNum('num_layers') ?? 1,
    bias: r.bool('bias', true),
    batchFirst: r.bool('batch_first'),
    bidirectional: r.bool('bidirectional'),
    projSize: r.optNum('proj_size') ?? 0,
    nonlinearity: r.str('nonlinearity', 'tanh') as 'tanh' | 'relu',
  };
}

function mhaConfig(r: ArgReader): MhaConfig {
  const E = r.num('embed_dim');
  return {
    embedDim: E,
    numHeads: r.num('num_heads'),
    bias: r.bool('bias', true),
    addBiasKv: r.bool('add_bias_kv'),
    addZeroAttn: r.bool('add_zero_attn'),
    kdim: r.optNum('kdim') ?? E,
    vdim: r.optNum('vdim') ?? E,
    batchFirst: r.bool('batch_first'),
    needWeights: r.bool('need_weights', true),
    averageWeights: r.bool('average_attn_weights', true),
  };
}

function encoderConfig(r: ArgReader): EncoderLayerConfig {
  return {
    dModel: r.num('d_model'),
    nhead: r.num('nhead'),
    dimFeedforward: r.optNum('dim_feedforward') ?? 2048,
    activation: r.str('activation', 'relu') as 'relu' | 'gelu',
    eps: r.optNum('layer_norm_eps') ?? 1e-5,
    batchFirst: r.bool('batch_first'),
    normFirst: r.bool('norm_first'),
  };
}

/** `{layer: {type, args}}` → its type and a reader over its args. */
function nested(v: unknown, what: string): ArgReader {
  const l = (v as { layer?: { type?: string; args?: A } } | null)?.layer;
  if (!l || typeof l.type !== 'string') throw new Error(`${what} should be a layer`);
  return new ArgReader(l.type, l.args ?? {});
}

/** Weight specs and forward for one PyTorch layer kind. */
export function torchLayerParts(type: string, args: A): { specs: WeightSpec[]; forward: Forward } {
  const r = new ArgReader(type, args);
  const act = activation(type, r);
  if (act) return { specs: [], forward: unary(act) };
  const convNdOf = (t: string) => Number(/(\d)d$/.exec(t)?.[1] ?? 2);
  switch (type) {
    case 'Linear': {
      const i = r.num('in_features');
      const o = r.num('out_features');
      const bias = r.bool('bias', true);
      const specs: WeightSpec[] = [{ name: 'weight', shape: [o, i], init: uniformFanIn(i) }];
      if (bias) specs.push({ name: 'bias', shape: [o], init: uniformFanIn(i) });
      return { specs, forward: (xs, w) => linear(xs[0], w('weight'), bias ? w('bias') : undefined) };
    }
    case 'Flatten': {
      const start = r.optNum('start_dim') ?? 1;
      const end = r.optNum('end_dim') ?? -1;
      return { specs: [], forward: unary((x) => flattenDims(x, start, end)) };
    }
    case 'Unflatten': {
      const dim = r.num('dim');
      const sizes = r.list('unflattened_size') as number[];
      return {
        specs: [],
        forward: unary((x) => {
          const a = dim < 0 ? x.rank + dim : dim;
          return x.reshape([...x.shape.slice(0, a), ...sizes, ...x.shape.slice(a + 1)]);
        }),
      };
    }
    case 'ZeroPad2d': {
      const p = r.ints('padding', 4);
      return { specs: [], forward: unary((x) => padAxis(padAxis(x, x.rank - 1, p[0], p[1], 'zeros'), x.rank - 2, p[2], p[3], 'zeros')) };
    }
    case 'Upsample':
      return { specs: [], forward: unary((x) => upsampleLayer(x, r)) };
    case 'PReLU': {
      const n = r.optNum('num_parameters') ?? 1;
      return {
        specs: [{ name: 'weight', shape: [n], init: { kind: 'const', value: r.optNum('init') ?? 0.25 } }],
        forward: (xs, w) => {
          const x = xs[0];
          const a = n > 1 && x.rank >= 2 ? w('weight').reshape([1, n, ...Array(x.rank - 2).fill(1)]) : w('weight');
          return tf.where(x.greaterEqual(tf.scalar(0)), x, x.mul(a));
        },
      };
    }
    case 'Conv1d':
    case 'Conv2d':
    case 'Conv3d': {
      const nd = convNdOf(type);
      const cin = r.num('in_channels');
      const cout = r.num('out_channels');
      const g = r.num('groups');
      const k = r.ints('kernel_size', nd);
      const fanIn = (cin / g) * k.reduce((a, b) => a * b, 1);
      const bias = r.bool('bias', true);
      const specs: WeightSpec[] = [{ name: 'weight', shape: [cout, cin / g, ...k], init: uniformFanIn(fanIn) }];
      if (bias) specs.push({ name: 'bias', shape: [cout], init: uniformFanIn(fanIn) });
      return { specs, forward: (xs, w) => convNd(xs[0], w('weight'), bias ? w('bias') : undefined, convSpec(r, nd, xs[0].shape.slice(-nd))) };
    }
    case 'ConvTranspose1d':
    case 'ConvTranspose2d': {
      const nd = convNdOf(type);
      const cin = r.num('in_channels');
      const cout = r.num('out_channels');
      const g = r.num('groups');
      const k = r.ints('kernel_size', nd);
      const fanIn = (cout / g) * k.reduce((a, b) => a * b, 1);
      const bias = r.bool('bias', true);
      const specs: WeightSpec[] = [{ name: 'weight', shape: [cin, cout / g, ...k], init: uniformFanIn(fanIn) }];
      if (bias) specs.push({ name: 'bias', shape: [cout], init: uniformFanIn(fanIn) });
      const c = { stride: r.ints('stride', nd), padding: r.ints('padding', nd), outputPadding: r.ints('output_padding', nd), dilation: r.ints('dilation', nd), groups: g };
      return { specs, forward: (xs, w) => convTransposeNd(xs[0], w('weight'), bias ? w('bias') : undefined, c) };
    }
    case 'MaxPool1d':
    case 'MaxPool2d':
    case 'MaxPool3d':
    case 'AvgPool1d':
    case 'AvgPool2d':
    case 'AvgPool3d': {
      const nd = convNdOf(type);
      const kernel = r.ints('kernel_size', nd);
      const stride = r.raw('stride') === null || r.raw('stride') === undefined ? kernel : r.ints('stride', nd);
      const spec = {
        kernel,
        stride,
        padding: r.ints('padding', nd),
        dilation: type.startsWith('Max') ? r.ints('dilation', nd) : kernel.map(() => 1),
        ceil: r.bool('ceil_mode'),
        countIncludePad: r.bool('count_include_pad', true),
        divisorOverride: r.optNum('divisor_override'),
        returnIndices: r.bool('return_indices'),
      };
      return { specs: [], forward: (xs) => poolNd(xs[0], type.startsWith('Max') ? 'max' : 'avg', spec) };
    }
    case 'AdaptiveAvgPool1d':
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveAvgPool3d':
    case 'AdaptiveMaxPool1d':
    case 'AdaptiveMaxPool2d':
    case 'AdaptiveMaxPool3d': {
      const nd = convNdOf(type);
      const raw = r.raw('output_size');
      const size = (Array.isArray(raw) ? (raw.length === 1 ? Array(nd).fill(raw[0]) : raw) : Array(nd).fill(raw)) as (number | null)[];
      return { specs: [], forward: (xs) => adaptivePoolNd(xs[0], type.includes('Max') ? 'max' : 'avg', size, r.bool('return_indices')) };
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d': {
      const c = r.num('num_features');
      const eps = r.optNum('eps') ?? 1e-5;
      const affine = r.bool('affine', true);
      const tracking = r.bool('track_running_stats', true);
      const specs: WeightSpec[] = affine ? [{ name: 'weight', shape: [c], init: ones }, { name: 'bias', shape: [c], init: zeros }] : [];
      return {
        specs,
        forward: (xs, w) => {
          const x = xs[0];
          const bshape = [1, c, ...Array(Math.max(0, x.rank - 2)).fill(1)];
          let y: tf.Tensor;
          if (tracking) {
            // Eval mode with freshly initialised running statistics (buffers, not parameters): mean 0, var 1.
            y = x.div(tf.scalar(Math.sqrt(1 + eps)));
          } else {
            // Without running statistics PyTorch normalises with the batch's, even in eval mode.
            const axes = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== 1);
            const { mean, variance } = tf.moments(x, axes, true);
            y = x.sub(mean).div(tf.sqrt(variance.add(tf.scalar(eps))));
          }
          return affine ? y.mul(w('weight').reshape(bshape)).add(w('bias').reshape(bshape)) : y;
        },
      };
    }
    case 'LayerNorm': {
      const shape = r.list('normalized_shape') as number[];
      const affine = r.bool('elementwise_affine', true);
      const eps = r.optNum('eps') ?? 1e-5;
      const specs: WeightSpec[] = affine ? [{ name: 'weight', shape, init: ones }, { name: 'bias', shape, init: zeros }] : [];
      return { specs, forward: (xs, w) => layerNorm(xs[0], shape.length, eps, affine ? w('weight') : undefined, affine ? w('bias') : undefined) };
    }
    case 'GroupNorm': {
      const groups = r.num('num_groups');
      const c = r.num('num_channels');
      const eps = r.optNum('eps') ?? 1e-5;
      const affine = r.bool('affine', true);
      const specs: WeightSpec[] = affine ? [{ name: 'weight', shape: [c], init: ones }, { name: 'bias', shape: [c], init: zeros }] : [];
      return {
        specs,
        forward: (xs, w) => {
          const x = xs[0];
          const grouped = x.reshape([x.shape[0], groups, -1]);
          const { mean, variance } = tf.moments(grouped, [2], true);
          let y = grouped.sub(mean).div(tf.sqrt(variance.add(tf.scalar(eps)))).reshape(x.shape);
          const bshape = [1, c, ...Array(Math.max(0, x.rank - 2)).fill(1)];
          if (affine) y = y.mul(w('weight').reshape(bshape)).add(w('bias').reshape(bshape));
          return y;
        },
      };
    }
    case 'Embedding': {
      const n = r.num('num_embeddings');
      const d = r.num('embedding_dim');
      const pad = r.optNum('padding_idx');
      const maxNorm = r.optNum('max_norm');
      const normType = r.optNum('norm_type') ?? 2;
      return {
        specs: [{ name: 'weight', shape: [n, d], init: { kind: 'normal', std: 1 }, zeroRow: pad === null ? undefined : pad < 0 ? n + pad : pad }],
        forward: (xs, w) => {
          let rows = tf.gather(w('weight'), xs[0].toInt());
          if (maxNorm !== null) {
            const norm = tf.pow(tf.sum(tf.pow(tf.abs(rows), tf.scalar(normType)), -1, true), tf.scalar(1 / normType));
            rows = rows.mul(tf.minimum(tf.scalar(1), tf.scalar(maxNorm).div(norm.add(tf.scalar(1e-7)))));
          }
          return rows;
        },
      };
    }
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      const c = rnnConfig(type, r);
      return { specs: rnnWeights(c), forward: (xs, w) => runRnn(xs[0], c, w) };
    }
    case 'MultiheadAttention': {
      const c = mhaConfig(r);
      return { specs: mhaWeights(c), forward: (xs, w) => runMha(xs[0], xs[1] ?? xs[0], xs[2] ?? xs[1] ?? xs[0], c, w) };
    }
    case 'TransformerEncoderLayer': {
      const c = encoderConfig(r);
      return { specs: encoderLayerWeights(c), forward: (xs, w) => runEncoderLayer(xs[0], c, w) };
    }
    case 'TransformerEncoder': {
      const layer = nested(r.raw('encoder_layer'), 'TransformerEncoder: encoder_layer');
      const c = encoderConfig(layer);
      const n = r.num('num_layers');
      const normArg = r.raw('norm');
      const norm = normArg ? nested(normArg, 'TransformerEncoder: norm') : undefined;
      if (norm && norm.type !== 'LayerNorm') throw new Error(`TransformerEncoder: a ${norm.type} norm is not supported`);
      const normShape = norm ? (norm.list('normalized_shape') as number[]) : [];
      const specs = Array.from({ length: n }, (_, i) => encoderLayerWeights(c, `layers.${i}.`)).flat();
      if (norm) specs.push({ name: 'norm.weight', shape: normShape, init: ones }, { name: 'norm.bias', shape: normShape, init: zeros });
      return {
        specs,
        forward: (xs, w) => {
          let x = xs[0];
          for (let i = 0; i < n; i++) x = runEncoderLayer(x, c, w, `layers.${i}.`);
          return norm ? layerNorm(x, normShape.length, norm.optNum('eps') ?? 1e-5, w('norm.weight'), w('norm.bias')) : x;
        },
      };
    }
  }
  throw new Error(`no runtime equivalent for ${type}`);
}

export function flattenDims(x: tf.Tensor, start: number, end: number): tf.Tensor {
  if (x.rank === 0) return x.reshape([1]);
  const s = start < 0 ? x.rank + start : start;
  const e = end < 0 ? x.rank + end : end;
  const mid = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return x.reshape([...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

function upsampleLayer(x: tf.Tensor, r: ArgReader): tf.Tensor {
  const mode = r.str('mode', 'nearest');
  const nd = mode === 'linear' ? 1 : mode === 'bilinear' || mode === 'bicubic' ? 2 : mode === 'trilinear' ? 3 : x.rank - 2;
  return batched(x, nd, (xb) => {
    const sizes = xb.shape.slice(2);
    const size = r.raw('size');
    const sf = r.raw('scale_factor');
    let out: number[];
    let scales: (number | null)[] = sizes.map(() => null);
    if (size !== null && size !== undefined) out = r.ints('size', nd);
    else {
      const f = r.ints('scale_factor', nd);
      out = sizes.map((n, i) => Math.floor(n * f[i]));
      if (!r.bool('recompute_scale_factor')) scales = f;
      void sf;
    }
    return upsample(xb, out, mode === 'nearest' ? 'nearest' : 'linear', r.bool('align_corners'), scales);
  });
}

export function buildTorchLayer(name: string, type: string, args: A, rng: Rng): TorchLayer {
  const { specs, forward } = torchLayerParts(type, args);
  return new TorchLayer(name, type, specs, forward, rng);
}
