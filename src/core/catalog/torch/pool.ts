import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Dim, Out, Shape, ShapeError, dimOp } from '../../shape';
import { single } from '../util';
import { DOCS, NO_PARAMS, intsOrNone, kernelText, spatialInput } from './shared';

/**
 * PyTorch's pooling_output_shape: floor or ceil of (L + 2p − d(k−1) − 1)/s + 1, where in ceil
 * mode the last window must start inside the (left-padded) input.
 */
function poolDim(d: Dim, k: number, s: number, p: number, dil: number, ceil: boolean, i: number): Dim {
  if (p > Math.floor(k / 2)) throw new ShapeError(`expects padding at most half the kernel size (${Math.floor(k / 2)}) but receives ${p}`);
  return dimOp((L) => {
    const span = L + 2 * p - dil * (k - 1) - 1;
    let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    if (ceil && (o - 1) * s >= L + p) o--;
    if (o <= 0) throw new ShapeError(`expects an input of at least ${dil * (k - 1) + 1 - 2 * p} along spatial dimension ${i} but receives ${L}`);
    return o;
  }, d);
}

function withIndices(a: Args, out: Shape): Out {
  return a.bool('return_indices') ? { tuple: [out, [...out]] } : out;
}

function maxPool(n: 1 | 2 | 3): LayerEntry {
  const type = `MaxPool${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'pool',
    signature: [
      { name: 'kernel_size' },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'return_indices', default: false },
      { name: 'ceil_mode', default: false },
    ],
    docs: {
      summary: `Takes the maximum over each ${n === 1 ? 'window' : 'kernel_size window'} of every channel; stride defaults to kernel_size.`,
      use: 'Downsampling feature maps in CNNs while keeping the strongest activations.',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(single(inputs, type), n, '(C, *spatial) or (N, C, *spatial)');
      const k = a.ints('kernel_size', n);
      const s = a.has('stride') ? a.ints('stride', n) : k;
      const p = a.ints('padding', n);
      const dil = a.ints('dilation', n);
      const ceil = a.bool('ceil_mode');
      const dims = x.dims.map((d, i) => poolDim(d, k[i], s[i], p[i], dil[i], ceil, i));
      return withIndices(a, [...x.lead, x.channels, ...dims]);
    },
    hyper: (a) => kernelText(a.ints('kernel_size', n)),
  };
}

function avgPool(n: 1 | 2 | 3): LayerEntry {
  const type = `AvgPool${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'pool',
    signature: [
      { name: 'kernel_size' },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
      { name: 'ceil_mode', default: false },
      { name: 'count_include_pad', default: true },
      ...(n > 1 ? [{ name: 'divisor_override', default: null }] : []),
    ],
    docs: {
      summary: 'Averages each window of every channel; stride defaults to kernel_size.',
      use: 'Smooth downsampling of feature maps.',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(single(inputs, type), n, '(C, *spatial) or (N, C, *spatial)');
      const k = a.ints('kernel_size', n);
      const s = a.has('stride') ? a.ints('stride', n) : k;
      const p = a.ints('padding', n);
      const ceil = a.bool('ceil_mode');
      return [...x.lead, x.channels, ...x.dims.map((d, i) => poolDim(d, k[i], s[i], p[i], 1, ceil, i))];
    },
    hyper: (a) => kernelText(a.ints('kernel_size', n)),
  };
}

function adaptive(kind: 'Avg' | 'Max', n: 1 | 2 | 3): LayerEntry {
  const type = `Adaptive${kind}Pool${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'pool',
    signature: [{ name: 'output_size' }, ...(kind === 'Max' ? [{ name: 'return_indices', default: false }] : [])],
    docs: {
      summary: `${kind === 'Avg' ? 'Averages' : 'Takes the maximum'} over windows chosen so the output has exactly output_size; None keeps that input size.`,
      use: kind === 'Avg' ? 'Global average pooling before a classifier (output_size=1), independent of the input resolution.' : 'Fixed-size pooled features from variable-size inputs.',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(single(inputs, type), n, '(C, *spatial) or (N, C, *spatial)');
      const size = intsOrNone(a, 'output_size', n);
      const out: Shape = [...x.lead, x.channels, ...x.dims.map((d, i) => size[i] ?? d)];
      return kind === 'Max' ? withIndices(a, out) : out;
    },
    hyper: (a) => `→ ${intsOrNone(a, 'output_size', n).map((s) => s ?? '·').join('×')}`,
  };
}

export const pools: LayerEntry[] = [
  maxPool(1),
  maxPool(2),
  maxPool(3),
  avgPool(1),
  avgPool(2),
  avgPool(3),
  adaptive('Avg', 1),
  adaptive('Avg', 2),
  adaptive('Avg', 3),
  adaptive('Max', 1),
  adaptive('Max', 2),
  adaptive('Max', 3),
];
