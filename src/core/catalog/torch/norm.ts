import type { LayerEntry } from '../types';
import { Shape, ShapeError, formatShape } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectDim, expectRank, f, perPosition, single } from '../util';
import { DEVICE_DTYPE, DOCS } from './shared';

function batchNorm(n: 1 | 2 | 3): LayerEntry {
  const type = `BatchNorm${n}d`;
  const ranks = n === 1 ? [2, 3] : [n + 2];
  return {
    type,
    framework: 'torch',
    family: 'norm',
    signature: [
      { name: 'num_features' },
      { name: 'eps', default: 1e-5 },
      { name: 'momentum', default: 0.1 },
      { name: 'affine', default: true },
      { name: 'track_running_stats', default: true },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'Normalises each channel over the batch (and spatial dims), then applies a learned scale γ and shift β. Running mean/variance are buffers, not parameters.',
      use: n === 1 ? 'After Linear or Conv1d layers to stabilise and speed up training.' : 'After convolutions in CNNs to stabilise and speed up training.',
      formula: '2 × num_features (γ and β, when affine)',
      url: DOCS + `${type}.html`,
    },
    params(a) {
      const c = a.int('num_features');
      return a.bool('affine') ? { trainable: 2 * c, nonTrainable: 0, formula: f(2, '×', c) } : { trainable: 0, nonTrainable: 0, formula: '0 (affine=False)' };
    },
    weights: (a): Record<string, number[]> => (a.bool('affine') ? { weight: [a.int('num_features')], bias: [a.int('num_features')] } : {}),
    output(a, inputs) {
      const x = single(inputs, type);
      expectRank(x, ranks, n === 1 ? '(N, C) or (N, C, L)' : `(N, C, ${n === 2 ? 'H, W' : 'D, H, W'})`);
      // With neither affine weights nor running stats there is nothing sized by num_features, and
      // PyTorch accepts any channel count.
      if (a.bool('affine') || a.bool('track_running_stats')) expectDim(x[1], a.int('num_features'), n === 1 ? 'features' : 'channels', 'num_features');
      return [...x];
    },
    multAdds: (a, _i, out) => (a.bool('affine') ? perPosition(2 * a.int('num_features'), out as Shape, 1) : 0),
    inferInput: (a) => (n === 1 ? [null, a.int('num_features')] : [null, a.int('num_features'), ...Array<null>(n).fill(null)]),
    hyper: (a) => `${a.int('num_features')}`,
  };
}


function instanceNorm(n: 1 | 2 | 3): LayerEntry {
  const type = `InstanceNorm${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'norm',
    signature: [
      { name: 'num_features' },
      { name: 'eps', default: 1e-5 },
      { name: 'momentum', default: 0.1 },
      { name: 'affine', default: false },
      { name: 'track_running_stats', default: false },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'Normalises each channel of each sample over its spatial dims; learned per-channel scale and shift only when affine.',
      use: 'Style transfer and image-to-image generators.',
      formula: '2 × num_features (when affine; 0 by default)',
      url: DOCS + `${type}.html`,
    },
    params(a) {
      const c = a.int('num_features');
      return a.bool('affine') ? { trainable: 2 * c, nonTrainable: 0, formula: f(2, '×', c) } : { trainable: 0, nonTrainable: 0, formula: '0 (affine=False)' };
    },
    weights: (a): Record<string, number[]> => (a.bool('affine') ? { weight: [a.int('num_features')], bias: [a.int('num_features')] } : {}),
    output(a, inputs) {
      const x = single(inputs, type);
      expectRank(x, [n + 1, n + 2], n === 1 ? '(C, L) or (N, C, L)' : n === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, D, H, W) or (N, C, D, H, W)');
      // Without affine weights or running stats (nothing sized by num_features) PyTorch only warns about a channel mismatch.
      if (a.bool('affine') || a.bool('track_running_stats')) expectDim(x[x.length - n - 1], a.int('num_features'), 'channels', 'num_features');
      return [...x];
    },
    hyper: (a) => `${a.int('num_features')}`,
  };
}

/**
 * SyncBatchNorm: BatchNorm whose statistics are reduced across processes; the same weights, and
 * any input of at least 2 dims with the channels in dim 1.
 */
function syncBatchNorm(): LayerEntry {
  const bn = batchNorm(2);
  return {
    ...bn,
    type: 'SyncBatchNorm',
    signature: [...bn.signature!.filter((p) => p.name !== 'device' && p.name !== 'dtype'), { name: 'process_group', default: null }, ...DEVICE_DTYPE],
    docs: {
      ...bn.docs,
      summary: 'BatchNorm whose batch statistics are computed over all processes of a distributed run; the same γ and β per channel.',
      use: 'Data-parallel training with small per-GPU batches (detection, segmentation).',
      url: DOCS + 'SyncBatchNorm.html',
    },
    output(a, inputs) {
      const x = single(inputs, 'SyncBatchNorm');
      if (x.length < 2) throw new ShapeError(`expects at least a 2-d input but receives a ${x.length}-d tensor`);
      if (a.bool('affine') || a.bool('track_running_stats')) expectDim(x[1], a.int('num_features'), 'channels', 'num_features');
      return [...x];
    },
    inferInput: (a) => [null, a.int('num_features')],
  };
}

export const norms: LayerEntry[] = [
  syncBatchNorm(),
  {
    type: 'CrossMapLRN2d',
    framework: 'torch',
    family: 'norm',
    signature: [{ name: 'size' }, { name: 'alpha', default: 1e-4 }, { name: 'beta', default: 0.75 }, { name: 'k', default: 1 }],
    docs: {
      summary: 'Local response normalisation across `size` neighbouring channels of a (N, C, H, W) input (the Lua Torch form).',
      use: 'Ports of classic CNNs written for Lua Torch.',
      formula: 'none (no parameters)',
      url: DOCS + 'CrossMapLRN2d.html',
    },
    params: () => ({ trainable: 0, nonTrainable: 0, formula: '0' }),
    output(_a, inputs) {
      const x = single(inputs, 'CrossMapLRN2d');
      expectRank(x, [4], '(N, C, H, W)');
      return [...x];
    },
  },
  instanceNorm(1),
  instanceNorm(2),
  instanceNorm(3),
  {
    type: 'LocalResponseNorm',
    framework: 'torch',
    family: 'norm',
    signature: [{ name: 'size' }, { name: 'alpha', default: 1e-4 }, { name: 'beta', default: 0.75 }, { name: 'k', default: 1.0 }],
    docs: {
      summary: 'Normalises each value by the activity of `size` neighbouring channels (AlexNet-style).',
      use: 'Classic CNNs (AlexNet, GoogLeNet).',
      formula: 'none (no parameters)',
      url: DOCS + 'LocalResponseNorm.html',
    },
    params: () => ({ trainable: 0, nonTrainable: 0, formula: '0' }),
    output(_a, inputs) {
      const x = single(inputs, 'LocalResponseNorm');
      if (x.length < 3) throw new ShapeError(`expects at least a 3-d input but receives a ${x.length}-d tensor`);
      return [...x];
    },
  },
  batchNorm(1),
  batchNorm(2),
  batchNorm(3),
  {
    type: 'LayerNorm',
    framework: 'torch',
    family: 'norm',
    signature: [{ name: 'normalized_shape' }, { name: 'eps', default: 1e-5 }, { name: 'elementwise_affine', default: true }, ...DEVICE_DTYPE],
    docs: {
      summary: 'Normalises over the trailing normalized_shape dims of each sample, then applies an element-wise learned scale and shift.',
      use: 'Transformers and RNNs, where batch statistics are unreliable.',
      formula: '2 × ∏normalized_shape (weight and bias, when elementwise_affine)',
      url: DOCS + 'LayerNorm.html',
    },
    params(a) {
      const ns = a.numList('normalized_shape');
      const size = ns.reduce((p, x) => p * x, 1);
      if (!a.bool('elementwise_affine')) return { trainable: 0, nonTrainable: 0, formula: '0 (elementwise_affine=False)' };
      return { trainable: 2 * size, nonTrainable: 0, formula: ns.length === 1 ? f(2, '×', size) : f(2, '×', ns.join(' × ')) };
    },
    weights(a) {
      const ns = a.numList('normalized_shape');
      return a.bool('elementwise_affine') ? { weight: [...ns], bias: [...ns] } : ({} as Record<string, number[]>);
    },
    output(a, inputs) {
      const x = single(inputs, 'LayerNorm');
      const ns = a.numList('normalized_shape');
      const tail = x.slice(x.length - ns.length);
      const bad = x.length < ns.length || tail.some((d, i) => d !== null && d !== ns[i]);
      if (bad) {
        if (ns.length === 1 && x.length >= 1) throw new ShapeError(`expects ${ns[0]} features in the last dimension but receives ${x[x.length - 1]}`);
        throw new ShapeError(`expects trailing dimensions ${formatShape(ns)} but receives ${formatShape(x)}`);
      }
      return [...x];
    },
    multAdds: (a, _i, out) => {
      if (!a.bool('elementwise_affine')) return 0;
      const ns = a.numList('normalized_shape');
      const o = out as Shape;
      return perPosition(2 * ns.reduce((p, x) => p * x, 1), o.slice(0, o.length - ns.length), -1);
    },
    hyper: (a) => formatShape(a.numList('normalized_shape')),
  },
  {
    type: 'GroupNorm',
    framework: 'torch',
    family: 'norm',
    signature: [{ name: 'num_groups' }, { name: 'num_channels' }, { name: 'eps', default: 1e-5 }, { name: 'affine', default: true }, ...DEVICE_DTYPE],
    docs: {
      summary: 'Splits the channels into num_groups groups and normalises within each group of each sample; learned per-channel scale and shift.',
      use: 'CNNs trained with small batches (detection, segmentation, diffusion U-Nets).',
      formula: '2 × num_channels (when affine)',
      url: DOCS + 'GroupNorm.html',
    },
    params(a) {
      const g = a.int('num_groups');
      const c = a.int('num_channels');
      if (g <= 0 || c % g !== 0) throw new ConfigError(`GroupNorm: num_channels (${c}) must be divisible by num_groups (${g})`);
      return a.bool('affine') ? { trainable: 2 * c, nonTrainable: 0, formula: f(2, '×', c) } : { trainable: 0, nonTrainable: 0, formula: '0 (affine=False)' };
    },
    weights: (a): Record<string, number[]> => (a.bool('affine') ? { weight: [a.int('num_channels')], bias: [a.int('num_channels')] } : {}),
    output(a, inputs) {
      const x = single(inputs, 'GroupNorm');
      if (x.length < 2) throw new ShapeError(`expects at least a 2-d (N, C, *) input but receives a ${x.length}-d tensor`);
      const g = a.int('num_groups');
      if (a.bool('affine')) expectDim(x[1], a.int('num_channels'), 'channels');
      else if (x[1] !== null && x[1] % g !== 0) throw new ShapeError(`expects channels divisible by ${g} groups but receives ${x[1]}`);
      return [...x];
    },
    multAdds: (a, _i, out) => (a.bool('affine') ? perPosition(2 * a.int('num_channels'), out as Shape, 1) : 0),
    hyper: (a) => `${a.int('num_groups')} groups, ${a.int('num_channels')}`,
  },
];
