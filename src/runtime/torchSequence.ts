import * as tf from '@tensorflow/tfjs';
import { WeightSpec, Weights, ones, uniformFanIn, zeros } from './torchLayer';

/**
 * PyTorch's recurrent layers and attention, written out step by step. tfjs's own LSTM/GRU keep
 * one bias vector and put GRU's reset gate elsewhere; PyTorch has b_ih and b_hh and applies the
 * reset gate to (W_hn h + b_hn). Parameters use PyTorch's names and layouts.
 */

export interface RnnConfig {
  mode: 'RNN' | 'LSTM' | 'GRU';
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  batchFirst: boolean;
  bidirectional: boolean;
  projSize: number;
  nonlinearity: 'tanh' | 'relu';
}

const GATES = { RNN: 1, LSTM: 4, GRU: 3 } as const;

export function rnnWeights(c: RnnConfig): WeightSpec[] {
  const g = GATES[c.mode];
  const hOut = c.projSize > 0 ? c.projSize : c.hiddenSize;
  const dirs = c.bidirectional ? 2 : 1;
  const init = uniformFanIn(c.hiddenSize);
  const specs: WeightSpec[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    for (let d = 0; d < dirs; d++) {
      const sfx = `_l${l}${d ? '_reverse' : ''}`;
      const inSize = l === 0 ? c.inputSize : hOut * dirs;
      specs.push({ name: `weight_ih${sfx}`, shape: [g * c.hiddenSize, inSize], init });
      specs.push({ name: `weight_hh${sfx}`, shape: [g * c.hiddenSize, hOut], init });
      if (c.bias) {
        specs.push({ name: `bias_ih${sfx}`, shape: [g * c.hiddenSize], init });
        specs.push({ name: `bias_hh${sfx}`, shape: [g * c.hiddenSize], init });
      }
      if (c.projSize > 0) specs.push({ name: `weight_hr${sfx}`, shape: [c.projSize, c.hiddenSize], init });
    }
  }
  return specs;
}

/** x @ Wᵀ + b over the last axis, for any rank. */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  // An explicit transpose: wasm's matMul with transposeB is several times slower.
  const y = tf.matMul(x.reshape([-1, shape[shape.length - 1]]), w.transpose());
  const out = y.reshape([...shape.slice(0, -1), w.shape[0]]);
  return b ? out.add(b) : out;
}

/** Returns [output, h_n] (RNN, GRU) or [output, h_n, c_n] (LSTM), in PyTorch's layouts. */
export function runRnn(x: tf.Tensor, c: RnnConfig, w: Weights): tf.Tensor[] {
  const unbatched = x.rank === 2;
  // Work batch-first: [N, T, I].
  let seq = unbatched ? x.expandDims(0) : c.batchFirst ? x : x.transpose([1, 0, 2]);
  const [N, T] = seq.shape;
  const H = c.hiddenSize;
  const hOut = c.projSize > 0 ? c.projSize : H;
  const dirs = c.bidirectional ? 2 : 1;
  const hN: tf.Tensor[] = [];
  const cN: tf.Tensor[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const outs: tf.Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const sfx = `_l${l}${d ? '_reverse' : ''}`;
      const xw = linear(seq, w(`weight_ih${sfx}`), c.bias ? w(`bias_ih${sfx}`) : undefined);
      // Time-major first: wasm's unstack along a middle axis is very slow, along the first it is a view-sized copy.
      const steps = tf.unstack(xw.transpose([1, 0, 2]), 0);
      const whhT = w(`weight_hh${sfx}`).transpose();
      const whrT = c.projSize > 0 ? w(`weight_hr${sfx}`).transpose() : undefined;
      const bhh = c.bias ? w(`bias_hh${sfx}`) : undefined;
      let h = tf.zeros([N, hOut]);
      let cell = tf.zeros([N, H]);
      const ys: tf.Tensor[] = new Array(T);
      for (let k = 0; k < T; k++) {
        const t = d ? T - 1 - k : k;
        const hh = tf.matMul(h, whhT);
        const hw = bhh ? hh.add(bhh) : hh;
        if (c.mode === 'RNN') {
          const pre = steps[t].add(hw);
          h = c.nonlinearity === 'relu' ? tf.relu(pre) : tf.tanh(pre);
        } else if (c.mode === 'LSTM') {
          const [i, f, g, o] = tf.split(steps[t].add(hw), 4, 1);
          cell = tf.sigmoid(f).mul(cell).add(tf.sigmoid(i).mul(tf.tanh(g)));
          h = tf.sigmoid(o).mul(tf.tanh(cell));
          if (whrT) h = tf.matMul(h, whrT);
        } else {
          const [xr, xz, xn] = tf.split(steps[t], 3, 1);
          const [hr, hz, hn] = tf.split(hw, 3, 1);
          const r = tf.sigmoid(xr.add(hr));
          const z = tf.sigmoid(xz.add(hz));
          const n = tf.tanh(xn.add(r.mul(hn)));
          h = tf.scalar(1).sub(z).mul(n).add(z.mul(h));
        }
        ys[t] = h;
      }
      outs.push(tf.stack(ys, 1));
      hN.push(h);
      cN.push(cell);
    }
    seq = dirs === 1 ? outs[0] : tf.concat(outs, 2);
  }
  let output = seq;
  let hState = tf.stack(hN, 0);
  let cState = tf.stack(cN, 0);
  if (unbatched) {
    output = output.squeeze([0]);
    hState = hState.squeeze([1]);
    cState = cState.squeeze([1]);
  } else if (!c.batchFirst) output = output.transpose([1, 0, 2]);
  return c.mode === 'LSTM' ? [output, hState, cState] : [output, hState];
}

export interface MhaConfig {
  embedDim: number;
  numHeads: number;
  bias: boolean;
  addBiasKv: boolean;
  addZeroAttn: boolean;
  kdim: number;
  vdim: number;
  batchFirst: boolean;
  /** forward()'s need_weights and average_attn_weights, from the call (both true by default). */
  needWeights?: boolean;
  averageWeights?: boolean;
}

export function mhaWeights(c: MhaConfig, prefix = ''): WeightSpec[] {
  const E = c.embedDim;
  const xavier = (fanIn: number, fanOut: number) => ({ kind: 'uniform' as const, bound: Math.sqrt(6 / (fanIn + fanOut)) });
  const specs: WeightSpec[] = [];
  if (c.kdim === E && c.vdim === E) specs.push({ name: `${prefix}in_proj_weight`, shape: [3 * E, E], init: xavier(E, 3 * E) });
  else {
    specs.push({ name: `${prefix}q_proj_weight`, shape: [E, E], init: xavier(E, E) });
    specs.push({ name: `${prefix}k_proj_weight`, shape: [E, c.kdim], init: xavier(c.kdim, E) });
    specs.push({ name: `${prefix}v_proj_weight`, shape: [E, c.vdim], init: xavier(c.vdim, E) });
  }
  if (c.bias) specs.push({ name: `${prefix}in_proj_bias`, shape: [3 * E], init: zeros });
  specs.push({ name: `${prefix}out_proj.weight`, shape: [E, E], init: uniformFanIn(E) });
  if (c.bias) specs.push({ name: `${prefix}out_proj.bias`, shape: [E], init: zeros });
  if (c.addBiasKv) {
    specs.push({ name: `${prefix}bias_k`, shape: [1, 1, E], init: { kind: 'normal', std: Math.sqrt(2 / (2 * E)) } });
    specs.push({ name: `${prefix}bias_v`, shape: [1, 1, E], init: { kind: 'normal', std: Math.sqrt(2 / (2 * E)) } });
  }
  return specs;
}

/**
 * Returns [attn_output, attn_weights averaged over heads], as nn.MultiheadAttention does by
 * default; per head with average_attn_weights false; only [attn_output] with need_weights false
 * (PyTorch's None is no tensor).
 */
export function runMha(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, c: MhaConfig, w: Weights, prefix = ''): tf.Tensor[] {
  const unbatched = q.rank === 2;
  const toBF = (t: tf.Tensor) => (unbatched ? t.expandDims(0) : c.batchFirst ? t : t.transpose([1, 0, 2]));
  let [qb, kb, vb] = [toBF(q), toBF(k), toBF(v)];
  const E = c.embedDim;
  const h = c.numHeads;
  const hd = E / h;
  const b = c.bias ? tf.split(w(`${prefix}in_proj_bias`), 3) : [undefined, undefined, undefined];
  if (c.kdim === E && c.vdim === E) {
    const [wq, wk, wv] = tf.split(w(`${prefix}in_proj_weight`), 3, 0);
    qb = linear(qb, wq, b[0]);
    kb = linear(kb, wk, b[1]);
    vb = linear(vb, wv, b[2]);
  } else {
    qb = linear(qb, w(`${prefix}q_proj_weight`), b[0]);
    kb = linear(kb, w(`${prefix}k_proj_weight`), b[1]);
    vb = linear(vb, w(`${prefix}v_proj_weight`), b[2]);
  }
  const N = qb.shape[0] as number;
  if (c.addBiasKv) {
    kb = tf.concat([kb, tf.tile(w(`${prefix}bias_k`), [N, 1, 1])], 1);
    vb = tf.concat([vb, tf.tile(w(`${prefix}bias_v`), [N, 1, 1])], 1);
  }
  if (c.addZeroAttn) {
    kb = tf.concat([kb, tf.zeros([N, 1, E])], 1);
    vb = tf.concat([vb, tf.zeros([N, 1, E])], 1);
  }
  const L = qb.shape[1] as number;
  const S = kb.shape[1] as number;
  const heads = (t: tf.Tensor, len: number) => t.reshape([N, len, h, hd]).transpose([0, 2, 1, 3]);
  const scores = tf.matMul(heads(qb, L), heads(kb, S), false, true).div(tf.scalar(Math.sqrt(hd)));
  const attn = tf.softmax(scores, -1);
  const ctx = tf.matMul(attn, heads(vb, S)).transpose([0, 2, 1, 3]).reshape([N, L, E]);
  let out = linear(ctx, w(`${prefix}out_proj.weight`), c.bias ? w(`${prefix}out_proj.bias`) : undefined);
  let weights = c.averageWeights === false ? attn : attn.mean(1);
  if (unbatched) {
    out = out.squeeze([0]);
    weights = weights.squeeze([0]);
  } else if (!c.batchFirst) out = out.transpose([1, 0, 2]);
  return c.needWeights === false ? [out] : [out, weights];
}

export interface EncoderLayerConfig {
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  activation: 'relu' | 'gelu';
  eps: number;
  batchFirst: boolean;
  normFirst: boolean;
}

export function encoderLayerWeights(c: EncoderLayerConfig, prefix = ''): WeightSpec[] {
  const mha: MhaConfig = { embedDim: c.dModel, numHeads: c.nhead, bias: true, addBiasKv: false, addZeroAttn: false, kdim: c.dModel, vdim: c.dModel, batchFirst: c.batchFirst };
  return [
    ...mhaWeights(mha, `${prefix}self_attn.`),
    { name: `${prefix}linear1.weight`, shape: [c.dimFeedforward, c.dModel], init: uniformFanIn(c.dModel) },
    { name: `${prefix}linear1.bias`, shape: [c.dimFeedforward], init: uniformFanIn(c.dModel) },
    { name: `${prefix}linear2.weight`, shape: [c.dModel, c.dimFeedforward], init: uniformFanIn(c.dimFeedforward) },
    { name: `${prefix}linear2.bias`, shape: [c.dModel], init: uniformFanIn(c.dimFeedforward) },
    { name: `${prefix}norm1.weight`, shape: [c.dModel], init: ones },
    { name: `${prefix}norm1.bias`, shape: [c.dModel], init: zeros },
    { name: `${prefix}norm2.weight`, shape: [c.dModel], init: ones },
    { name: `${prefix}norm2.bias`, shape: [c.dModel], init: zeros },
  ];
}

export function layerNorm(x: tf.Tensor, dims: number, eps: number, weight?: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: dims }, (_, i) => x.rank - dims + i);
  const { mean, variance } = tf.moments(x, axes, true);
  let y = x.sub(mean).div(tf.sqrt(variance.add(tf.scalar(eps))));
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

export function gelu(x: tf.Tensor, approximate = 'none'): tf.Tensor {
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(tf.scalar(3)).mul(tf.scalar(0.044715))).mul(tf.scalar(Math.sqrt(2 / Math.PI)));
    return x.mul(tf.scalar(0.5)).mul(tf.tanh(inner).add(tf.scalar(1)));
  }
  return x.mul(tf.scalar(0.5)).mul(tf.erf(x.div(tf.scalar(Math.SQRT2))).add(tf.scalar(1)));
}

/** nn.TransformerEncoderLayer in eval mode (dropout off), post-norm or pre-norm. */
export function runEncoderLayer(x: tf.Tensor, c: EncoderLayerConfig, w: Weights, prefix = ''): tf.Tensor {
  const mha: MhaConfig = { embedDim: c.dModel, numHeads: c.nhead, bias: true, addBiasKv: false, addZeroAttn: false, kdim: c.dModel, vdim: c.dModel, batchFirst: c.batchFirst };
  const sa = (t: tf.Tensor) => runMha(t, t, t, mha, w, `${prefix}self_attn.`)[0];
  const act = (t: tf.Tensor) => (c.activation === 'gelu' ? gelu(t) : tf.relu(t));
  const ff = (t: tf.Tensor) => linear(act(linear(t, w(`${prefix}linear1.weight`), w(`${prefix}linear1.bias`))), w(`${prefix}linear2.weight`), w(`${prefix}linear2.bias`));
  const norm = (t: tf.Tensor, k: 1 | 2) => layerNorm(t, 1, c.eps, w(`${prefix}norm${k}.weight`), w(`${prefix}norm${k}.bias`));
  if (c.normFirst) {
    const y = x.add(sa(norm(x, 1)));
    return y.add(ff(norm(y, 2)));
  }
  const y = norm(x.add(sa(x)), 1);
  return norm(y.add(ff(y)), 2);
}
