import { Args, LayerSpec } from '../../args';
import type { LayerEntry, ParamCount } from '../types';
import { Dim, Out, Shape, ShapeError, dimOp, knownProduct, primary } from '../../shape';
import { ConfigError } from '../../unknown';
import { commas, expectDim, expectRank, f, single } from '../util';
import { DEVICE_DTYPE, DOCS } from './shared';

/** Encoder stacks deeper than this stay one row (their rows would fill any summary). */
const MAX_EXPANDED_LAYERS = 64;

/** in_proj (q, k, v) + out_proj + optional bias_k / bias_v, as nn.MultiheadAttention allocates them. */
function mhaParams(e: number, kd: number, vd: number, bias: boolean, biasKv: boolean): ParamCount {
  const proj = e * e + e * kd + e * vd;
  const total = proj + (bias ? 3 * e : 0) + e * e + (bias ? e : 0) + (biasKv ? 2 * e : 0);
  const parts = [kd === e && vd === e ? f(3, '×', e, '×', e) : f(e, '× (', e, '+', kd, '+', vd, ')')];
  if (bias) parts.push(f(3, '×', e));
  parts.push(f(e, '×', e));
  if (bias) parts.push(f(e));
  if (biasKv) parts.push(f(2, '×', e));
  return { trainable: total, nonTrainable: 0, formula: parts.join(' + ') };
}

function headsDivide(type: string, e: number, h: number): void {
  if (h <= 0 || e % h !== 0) throw new ConfigError(`${type}: embed_dim (${e}) must be divisible by num_heads (${h})`);
}

interface MhaConfig {
  e: number;
  kd: number;
  vd: number;
  bias: boolean;
  biasKv: boolean;
  zeroAttn: boolean;
  batchFirst: boolean;
  heads: number;
  /** forward()'s need_weights and average_attn_weights (both true unless the call says otherwise). */
  needWeights: boolean;
  averageWeights: boolean;
}

function mhaConfig(a: Args): MhaConfig {
  const e = a.int('embed_dim');
  const heads = a.int('num_heads');
  headsDivide('MultiheadAttention', e, heads);
  return {
    heads,
    // Call options: absent means PyTorch's default (true); an unknown value leaves the outputs unknown.
    needWeights: a.has('need_weights') ? a.bool('need_weights') : true,
    averageWeights: a.has('average_attn_weights') ? a.bool('average_attn_weights') : true,
    e,
    kd: a.optNum('kdim') ?? e,
    vd: a.optNum('vdim') ?? e,
    bias: a.bool('bias'),
    biasKv: a.bool('add_bias_kv'),
    zeroAttn: a.bool('add_zero_attn'),
    batchFirst: a.bool('batch_first'),
  };
}

/** (L, N) or (N, L) of a batched sequence, or [L] unbatched. */
function seqBatch(x: Shape, batchFirst: boolean): { seq: Dim; batch: Dim | undefined } {
  if (x.length === 2) return { seq: x[0], batch: undefined };
  return batchFirst ? { seq: x[1], batch: x[0] } : { seq: x[0], batch: x[1] };
}

function mhaOutput(c: MhaConfig, inputs: Shape[]): Out {
  // A lone input is read as self-attention (x, x, x); PyTorch itself needs all three.
  if (inputs.length !== 1 && inputs.length !== 3) {
    throw new ShapeError(`expects query, key and value (or one input for self-attention) but receives ${inputs.length} inputs`);
  }
  const [q, k, v] = inputs.length === 1 ? [inputs[0], inputs[0], inputs[0]] : inputs;
  expectRank(q, [2, 3], '(L, E) unbatched, or (L, N, E) / (N, L, E) with batch_first');
  for (const [t, name] of [[k, 'key'], [v, 'value']] as const) {
    if (t.length !== q.length) throw new ShapeError(`expects a ${q.length}-d ${name} like the query but receives a ${t.length}-d tensor`);
  }
  expectDim(q[q.length - 1], c.e, 'embedding features');
  expectDim(k[k.length - 1], c.kd, 'key features');
  expectDim(v[v.length - 1], c.vd, 'value features');
  const qs = seqBatch(q, c.batchFirst);
  const ks = seqBatch(k, c.batchFirst);
  const vs = seqBatch(v, c.batchFirst);
  if (ks.seq !== null && vs.seq !== null && ks.seq !== vs.seq) {
    throw new ShapeError(`expects the value sequence length to match the key's (${ks.seq}) but receives ${vs.seq}`);
  }
  for (const [s, name] of [[ks, 'key'], [vs, 'value']] as const) {
    if (qs.batch != null && s.batch != null && qs.batch !== s.batch) {
      throw new ShapeError(`expects a ${name} batch of ${qs.batch} like the query but receives ${s.batch}`);
    }
  }
  // bias_k/bias_v and the zero-attention row each append one key position.
  const src = dimOp((s) => s + (c.biasKv ? 1 : 0) + (c.zeroAttn ? 1 : 0), ks.seq);
  const out: Shape = [...q.slice(0, -1), c.e];
  // forward(…, need_weights=False) returns (attn_output, None); average_attn_weights=False keeps the heads.
  if (!c.needWeights) return { tuple: [out] };
  const heads = c.averageWeights ? [] : [c.heads];
  const weights: Shape = qs.batch === undefined ? [...heads, qs.seq, src] : [qs.batch, ...heads, qs.seq, src];
  return { tuple: [out, weights] };
}

/** Projections at every position plus the two L × S × E attention products. */
function mhaMultAdds(c: MhaConfig, inputs: Shape[]): number {
  const [q, k] = inputs.length === 1 ? [inputs[0], inputs[0]] : inputs;
  const qPos = knownProduct(q, 0, q.length - 1);
  const kPos = knownProduct(k, 0, k.length - 1);
  const qs = seqBatch(q, c.batchFirst);
  const ks = seqBatch(k, c.batchFirst);
  const batch = qs.batch ?? 1;
  return qPos * 2 * c.e * c.e + kPos * c.e * (c.kd + c.vd) + 2 * (batch ?? 1) * (qs.seq ?? 1) * (ks.seq ?? 1) * c.e;
}

const ACTIVATIONS = ['relu', 'gelu'];

function encoderLayerParams(a: Args): ParamCount {
  const d = a.int('d_model');
  headsDivide('TransformerEncoderLayer', d, a.int('nhead'));
  const act = a.raw('activation');
  // A callable (F.gelu) evaluates to something other than a string; only strings are checked.
  if (typeof act === 'string' && !ACTIVATIONS.includes(act)) {
    throw new ConfigError(`TransformerEncoderLayer: activation should be relu/gelu, not ${act}`);
  }
  const ff = a.int('dim_feedforward');
  const attn = mhaParams(d, d, d, true, false).trainable;
  // An activation passed as a module (nn.PReLU()) is registered as a submodule, weights and all.
  const module = act instanceof LayerSpec ? act.entry.params(act.args, []) : undefined;
  const total = attn + (d * ff + ff) + (ff * d + d) + 4 * d + (module?.trainable ?? 0);
  return {
    trainable: total,
    nonTrainable: module?.nonTrainable ?? 0,
    formula: `${commas(attn)} (self-attention) + ${f(d, '×', ff, '+', ff)} + ${f(ff, '×', d, '+', d)} + ${f(4, '×', d)} (2 LayerNorms)${module && module.trainable + module.nonTrainable > 0 ? ` + ${module.formula} (activation)` : ''}`,
  };
}

function encoderLayerOutput(a: Args, inputs: Shape[]): Shape {
  encoderLayerParams(a);
  const x = single(inputs, 'TransformerEncoderLayer');
  expectRank(x, [2, 3], '(S, E) unbatched, or (S, N, E) / (N, S, E) with batch_first');
  expectDim(x[x.length - 1], a.int('d_model'), 'embedding features (d_model)', 'd_model');
  return [...x];
}

/** Self-attention + cross-attention over the memory + feed-forward, three LayerNorms (torch 1.13). */
function decoderLayerParams(a: Args): ParamCount {
  const d = a.int('d_model');
  headsDivide('TransformerDecoderLayer', d, a.int('nhead'));
  const act = a.raw('activation');
  if (typeof act === 'string' && !ACTIVATIONS.includes(act)) throw new ConfigError(`TransformerDecoderLayer: activation should be relu/gelu, not ${act}`);
  const ff = a.int('dim_feedforward');
  const attn = mhaParams(d, d, d, true, false).trainable;
  const module = act instanceof LayerSpec ? act.entry.params(act.args, []) : undefined;
  return {
    trainable: 2 * attn + (d * ff + ff) + (ff * d + d) + 6 * d + (module?.trainable ?? 0),
    nonTrainable: module?.nonTrainable ?? 0,
    formula: `2 × ${commas(attn)} (self- and cross-attention) + ${f(d, '×', ff, '+', ff)} + ${f(ff, '×', d, '+', d)} + ${f(6, '×', d)} (3 LayerNorms)${module && module.trainable + module.nonTrainable > 0 ? ` + ${module.formula} (activation)` : ''}`,
  };
}

/** (tgt, memory) → tgt's shape; the memory has the same rank and d_model features (its length may differ). */
function decoderOutput(type: string, d: number, inputs: Shape[], batchFirst: boolean): Shape {
  if (inputs.length !== 2) throw new ShapeError(`takes (tgt, memory), got ${inputs.length} input${inputs.length === 1 ? '' : 's'}`);
  const [tgt, mem] = inputs;
  expectRank(tgt, [2, 3], '(T, E) unbatched, or (T, N, E) / (N, T, E) with batch_first');
  if (mem.length !== tgt.length) throw new ShapeError(`expects the memory to have the target's rank (${tgt.length}) but receives ${mem.length}-d`);
  expectDim(tgt[tgt.length - 1], d, 'target features (d_model)', 'd_model');
  expectDim(mem[mem.length - 1], d, 'memory features (d_model)', 'd_model');
  if (tgt.length === 3) {
    const b = batchFirst ? 0 : 1;
    if (tgt[b] !== null && mem[b] !== null && tgt[b] !== mem[b]) throw new ShapeError(`${type}: the target's batch (${tgt[b]}) and the memory's (${mem[b]}) differ`);
  }
  return [...tgt];
}


/** A Transformer's encoder or decoder: the custom one passed in (a catalog layer), else its own stack of `n` layers and a final LayerNorm. */
function transformerPart(a: Args, part: 'encoder' | 'decoder', inputs: Shape[]): ParamCount {
  const custom = 'custom_' + part;
  if (a.has(custom)) {
    const layer = a.layer(custom);
    return layer.entry.params(layer.args, inputs);
  }
  const d = a.int('d_model');
  const n = a.int(part === 'encoder' ? 'num_encoder_layers' : 'num_decoder_layers');
  if (n < 0) throw new ConfigError(`Transformer: num_${part}_layers should be non-negative, not ${n}`);
  const one = (part === 'encoder' ? encoderLayerParams : decoderLayerParams)(a);
  return { trainable: n * one.trainable + 2 * d, nonTrainable: n * one.nonTrainable, formula: `${f(n, '×', one.trainable)} + ${f(2, '×', d)} (${part} norm)` };
}

/** nn.Transformer (1.13): encoder + decoder, each a stack of layers closed by a LayerNorm (or the custom one given). */
function transformerParams(a: Args, inputs: Shape[]): ParamCount {
  headsDivide('Transformer', a.int('d_model'), a.int('nhead'));
  const enc = transformerPart(a, 'encoder', inputs);
  const dec = transformerPart(a, 'decoder', inputs);
  return { trainable: enc.trainable + dec.trainable, nonTrainable: enc.nonTrainable + dec.nonTrainable, formula: `${commas(enc.trainable)} (encoder) + ${commas(dec.trainable)} (decoder)` };
}

/** forward(src, tgt): PyTorch's own checks (same batch, d_model features), then the decoder's output, tgt's shape. */
function transformerOutput(a: Args, inputs: Shape[]): Shape {
  transformerParams(a, []);
  if (inputs.length !== 2) throw new ShapeError(`takes (src, tgt), got ${inputs.length} input${inputs.length === 1 ? '' : 's'}`);
  const [src, tgt] = inputs;
  const d = a.int('d_model');
  const batchFirst = a.bool('batch_first');
  if (src.length === 3) {
    const b = batchFirst ? 0 : 1;
    if (src[b] !== null && tgt[b] !== null && src[b] !== tgt[b]) throw new ShapeError(`the batch number of src (${src[b]}) and tgt (${tgt[b]}) must be equal`);
  }
  expectDim(src[src.length - 1], d, 'source features (d_model)', 'd_model');
  expectDim(tgt[tgt.length - 1], d, 'target features (d_model)', 'd_model');
  let memory: Shape;
  if (a.has('custom_encoder')) {
    const enc = a.layer('custom_encoder');
    memory = primary(enc.entry.output(enc.args, [src]));
  } else {
    memory = a.int('num_encoder_layers') > 0 ? encoderLayerOutput(a, [src]) : [...src];
  }
  if (a.has('custom_decoder')) {
    const dec = a.layer('custom_decoder');
    return primary(dec.entry.output(dec.args, [tgt, memory]));
  }
  return decoderOutput('Transformer', d, [tgt, memory], batchFirst);
}

export const attention: LayerEntry[] = [
  {
    type: 'MultiheadAttention',
    framework: 'torch',
    family: 'attention',
    arity: 'many',
    signature: [
      { name: 'embed_dim' },
      { name: 'num_heads' },
      { name: 'dropout', default: 0.0 },
      { name: 'bias', default: true },
      { name: 'add_bias_kv', default: false },
      { name: 'add_zero_attn', default: false },
      { name: 'kdim', default: null },
      { name: 'vdim', default: null },
      { name: 'batch_first', default: false },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'Scaled dot-product attention over num_heads heads with learned q/k/v and output projections. Returns (attn_output, attn_weights averaged over heads).',
      use: 'Self- or cross-attention in Transformers; call with (query, key, value).',
      formula: 'E × (E + kdim + vdim) + 3E (in_proj bias) + E × E + E (out_proj) + 2E (bias_k, bias_v)',
      url: DOCS + 'MultiheadAttention.html',
    },
    params(a) {
      const c = mhaConfig(a);
      return mhaParams(c.e, c.kd, c.vd, c.bias, c.biasKv);
    },
    // Its own parameters in PyTorch's registration order; out_proj's are its submodule's.
    weights(a) {
      const c = mhaConfig(a);
      const same = c.kd === c.e && c.vd === c.e;
      return {
        ...(same ? { in_proj_weight: [3 * c.e, c.e] } : { q_proj_weight: [c.e, c.e], k_proj_weight: [c.e, c.kd], v_proj_weight: [c.e, c.vd] }),
        ...(c.bias ? { in_proj_bias: [3 * c.e] } : {}),
        ...(c.biasKv ? { bias_k: [1, 1, c.e], bias_v: [1, 1, c.e] } : {}),
      };
    },
    submodules(a) {
      const c = mhaConfig(a);
      return { out_proj: { type: 'NonDynamicallyQuantizableLinear', args: { in_features: c.e, out_features: c.e, bias: c.bias } } };
    },
    callOptions: ['need_weights', 'average_attn_weights'],
    output: (a, inputs) => mhaOutput(mhaConfig(a), inputs),
    multAdds: (a, inputs) => mhaMultAdds(mhaConfig(a), inputs),
    inferInput: (a) => [null, null, a.int('embed_dim')],
    hyper: (a) => `${a.int('num_heads')} heads, ${a.int('embed_dim')}`,
  },
  {
    type: 'TransformerEncoderLayer',
    framework: 'torch',
    family: 'attention',
    signature: [
      { name: 'd_model' },
      { name: 'nhead' },
      { name: 'dim_feedforward', default: 2048 },
      { name: 'dropout', default: 0.1 },
      { name: 'activation', default: 'relu' },
      { name: 'layer_norm_eps', default: 1e-5 },
      { name: 'batch_first', default: false },
      { name: 'norm_first', default: false },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'Self-attention followed by a two-layer feed-forward network, each with a residual connection and LayerNorm (post-norm unless norm_first).',
      use: 'The block stacked by TransformerEncoder: BERT-style encoders, ViT, sequence classifiers.',
      formula: 'self-attention (4 × d² + 4d) + d × ff + ff + ff × d + d + 2 × 2d (LayerNorms)',
      url: DOCS + 'TransformerEncoderLayer.html',
    },
    expand: { prelude: 'TransformerEncoderLayer' },
    params: (a) => encoderLayerParams(a),
    output: encoderLayerOutput,
    multAdds(a, inputs) {
      const d = a.int('d_model');
      const x = inputs[0];
      const c: MhaConfig = { e: d, kd: d, vd: d, bias: true, biasKv: false, zeroAttn: false, batchFirst: a.bool('batch_first'), heads: a.int('nhead'), needWeights: false, averageWeights: true };
      return mhaMultAdds(c, [x]) + knownProduct(x, 0, x.length - 1) * 2 * d * a.int('dim_feedforward');
    },
    inferInput: (a) => [null, null, a.int('d_model')],
    hyper: (a) => `d=${a.int('d_model')}, ${a.int('nhead')} heads, ff ${a.int('dim_feedforward')}`,
  },
  {
    type: 'TransformerEncoder',
    framework: 'torch',
    family: 'attention',
    signature: [
      { name: 'encoder_layer' },
      { name: 'num_layers' },
      { name: 'norm', default: null },
      { name: 'enable_nested_tensor', default: true },
      { name: 'mask_check', default: true },
    ],
    docs: {
      summary: 'A stack of num_layers deep copies of encoder_layer, optionally followed by a final norm.',
      use: 'A full Transformer encoder from one configured layer.',
      formula: 'num_layers × (encoder_layer params) + norm params',
      url: DOCS + 'TransformerEncoder.html',
    },
    // Its copies become rows up to a size a summary can show; beyond, the encoder is one row.
    expand: { prelude: 'TransformerEncoder', when: (a) => a.raw('encoder_layer') instanceof LayerSpec && a.int('num_layers') <= MAX_EXPANDED_LAYERS },
    params(a, inputs) {
      const layer = a.layer('encoder_layer');
      const n = a.int('num_layers');
      if (n < 0) throw new ConfigError(`TransformerEncoder: num_layers should be non-negative, not ${n}`);
      // The layer passed in is only a template: PyTorch registers num_layers copies of it.
      const one = layer.entry.params(layer.args, inputs);
      let trainable = n * one.trainable;
      let nonTrainable = n * one.nonTrainable;
      let formula = f(n, '×', one.trainable);
      if (a.has('norm')) {
        const norm = a.layer('norm');
        const p = norm.entry.params(norm.args, inputs);
        trainable += p.trainable;
        nonTrainable += p.nonTrainable;
        formula += f(' +', p.trainable, '(norm)');
      }
      return { trainable, nonTrainable, formula };
    },
    output(a, inputs) {
      const layer = a.layer('encoder_layer');
      let x: Shape = [...single(inputs, 'TransformerEncoder')];
      // An encoder layer maps (…, d_model) to the same shape: once it has been applied and the
      // shape did not change, further copies cannot change it either (num_layers may be huge).
      for (let i = 0; i < a.int('num_layers'); i++) {
        const next = primary(layer.entry.output(layer.args, [x]));
        const same = next.length === x.length && next.every((d, k) => d === x[k]);
        x = next;
        if (same) break;
      }
      if (a.has('norm')) {
        const norm = a.layer('norm');
        x = primary(norm.entry.output(norm.args, [x]));
      }
      return x;
    },
    multAdds(a, inputs, out) {
      const layer = a.layer('encoder_layer');
      const per = layer.entry.multAdds?.(layer.args, inputs, out) ?? 0;
      return a.int('num_layers') * per;
    },
    inferInput(a) {
      const layer = a.layer('encoder_layer');
      if (!layer.entry.inferInput) throw new ConfigError('TransformerEncoder: the encoder layer implies no input shape');
      return layer.entry.inferInput(layer.args);
    },
    hyper: (a) => `${a.int('num_layers')} × ${a.layer('encoder_layer').entry.type}`,
  },
  {
    type: 'TransformerDecoderLayer',
    framework: 'torch',
    family: 'attention',
    arity: 'many',
    signature: [
      { name: 'd_model' },
      { name: 'nhead' },
      { name: 'dim_feedforward', default: 2048 },
      { name: 'dropout', default: 0.1 },
      { name: 'activation', default: 'relu' },
      { name: 'layer_norm_eps', default: 1e-5 },
      { name: 'batch_first', default: false },
      { name: 'norm_first', default: false },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'Self-attention over the target, attention from the target to the encoder memory, then a feed-forward network; each with a residual connection and LayerNorm.',
      use: 'The block stacked by TransformerDecoder: seq2seq Transformers, captioning and translation decoders.',
      formula: '2 × attention (4 × d² + 4d) + d × ff + ff + ff × d + d + 3 × 2d (LayerNorms)',
      url: DOCS + 'TransformerDecoderLayer.html',
    },
    expand: { prelude: 'TransformerDecoderLayer' },
    params: (a) => decoderLayerParams(a),
    output(a, inputs) {
      decoderLayerParams(a);
      return decoderOutput('TransformerDecoderLayer', a.int('d_model'), inputs, a.bool('batch_first'));
    },
    inferInput: (a) => [null, null, a.int('d_model')],
    hyper: (a) => `d=${a.int('d_model')}, ${a.int('nhead')} heads, ff ${a.int('dim_feedforward')}`,
  },
  {
    type: 'TransformerDecoder',
    framework: 'torch',
    family: 'attention',
    arity: 'many',
    signature: [{ name: 'decoder_layer' }, { name: 'num_layers' }, { name: 'norm', default: null }],
    docs: {
      summary: 'A stack of num_layers deep copies of decoder_layer, each attending to the same memory, optionally followed by a final norm.',
      use: 'A full Transformer decoder from one configured layer.',
      formula: 'num_layers × (decoder_layer params) + norm params',
      url: DOCS + 'TransformerDecoder.html',
    },
    expand: { prelude: 'TransformerDecoder', when: (a) => a.raw('decoder_layer') instanceof LayerSpec && a.int('num_layers') <= MAX_EXPANDED_LAYERS },
    params(a, inputs) {
      const layer = a.layer('decoder_layer');
      const n = a.int('num_layers');
      if (n < 0) throw new ConfigError(`TransformerDecoder: num_layers should be non-negative, not ${n}`);
      const one = layer.entry.params(layer.args, inputs);
      let trainable = n * one.trainable;
      let nonTrainable = n * one.nonTrainable;
      let formula = f(n, '×', one.trainable);
      if (a.has('norm')) {
        const norm = a.layer('norm');
        const p = norm.entry.params(norm.args, inputs);
        trainable += p.trainable;
        nonTrainable += p.nonTrainable;
        formula += f(' +', p.trainable, '(norm)');
      }
      return { trainable, nonTrainable, formula };
    },
    output(a, inputs) {
      const layer = a.layer('decoder_layer');
      let x: Shape = inputs[0] ? [...inputs[0]] : [];
      // Each copy maps (tgt, memory) to tgt's shape: one application says what all of them do.
      if (a.int('num_layers') > 0) x = primary(layer.entry.output(layer.args, [x, ...inputs.slice(1)]));
      else if (inputs.length !== 2) throw new ShapeError(`takes (tgt, memory), got ${inputs.length} inputs`);
      if (a.has('norm')) {
        const norm = a.layer('norm');
        x = primary(norm.entry.output(norm.args, [x]));
      }
      return x;
    },
    hyper: (a) => `${a.int('num_layers')} × ${a.layer('decoder_layer').entry.type}`,
  },
  {
    type: 'Transformer',
    framework: 'torch',
    family: 'attention',
    arity: 'many',
    signature: [
      { name: 'd_model', default: 512 },
      { name: 'nhead', default: 8 },
      { name: 'num_encoder_layers', default: 6 },
      { name: 'num_decoder_layers', default: 6 },
      { name: 'dim_feedforward', default: 2048 },
      { name: 'dropout', default: 0.1 },
      // F.relu in PyTorch's signature: the same function the string names.
      { name: 'activation', default: 'relu' },
      { name: 'custom_encoder', default: null },
      { name: 'custom_decoder', default: null },
      { name: 'layer_norm_eps', default: 1e-5 },
      { name: 'batch_first', default: false },
      { name: 'norm_first', default: false },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'An encoder stack over src and a decoder stack over tgt attending to the encoder\'s output (the memory), each closed by a LayerNorm. forward(src, tgt) returns the decoder\'s output, shaped like tgt.',
      use: 'Sequence-to-sequence models (translation, summarisation) in one module; call with (src, tgt) and masks.',
      formula: 'num_encoder_layers × encoder layer + 2d + num_decoder_layers × decoder layer + 2d',
      url: DOCS + 'Transformer.html',
    },
    expand: { prelude: 'Transformer', when: (a) => a.int('num_encoder_layers') + a.int('num_decoder_layers') <= MAX_EXPANDED_LAYERS && ['custom_encoder', 'custom_decoder'].every((k) => !a.has(k) || a.raw(k) instanceof LayerSpec) },
    params: (a, inputs) => transformerParams(a, inputs),
    output: (a, inputs) => transformerOutput(a, inputs),
    hyper: (a) => `d=${a.int('d_model')}, ${a.int('nhead')} heads, ${a.has('custom_encoder') ? 'custom' : a.int('num_encoder_layers')} + ${a.has('custom_decoder') ? 'custom' : a.int('num_decoder_layers')} layers`,
  },
];
