import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Dim, Out, Shape, ShapeError, dimOp, formatShape } from '../../shape';
import { ConfigError } from '../../unknown';
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

/** LPPool: the p-norm of each window, computed by PyTorch as an average pool (no padding) of x^p. */
function lpPool(n: 1 | 2): LayerEntry {
  const type = `LPPool${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'pool',
    signature: [{ name: 'norm_type' }, { name: 'kernel_size' }, { name: 'stride', default: null }, { name: 'ceil_mode', default: false }],
    docs: {
      summary: 'Takes the p-norm (sum of x^p)^(1/p) over each window of every channel; p = ∞ is max pooling, p = 1 sum pooling.',
      use: 'Pooling between average and max, with p as a knob.',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      a.num('norm_type');
      const x = spatialInput(single(inputs, type), n, '(C, *spatial) or (N, C, *spatial)');
      const k = a.ints('kernel_size', n);
      const s = a.has('stride') ? a.ints('stride', n) : k;
      const ceil = a.bool('ceil_mode');
      return [...x.lead, x.channels, ...x.dims.map((d, i) => poolDim(d, k[i], s[i], 0, 1, ceil, i))];
    },
    hyper: (a) => `L${a.num('norm_type')} ${kernelText(a.ints('kernel_size', n))}`,
  };
}

/**
 * FractionalMaxPool: max over pseudo-random windows of kernel_size so that the output is
 * output_size, or ⌊input × output_ratio⌋ (exactly one of the two is given).
 */
function fractionalMaxPool(n: 2 | 3): LayerEntry {
  const type = `FractionalMaxPool${n}d`;
  const ratios = (a: Args): number[] => {
    const v = a.raw('output_ratio');
    const list = Array.isArray(v) ? v : Array(n).fill(v);
    if (list.length !== n) throw new ConfigError(`${type}: output_ratio should have ${n} entries`);
    return list.map((_, i) => {
      const r = Array.isArray(v) ? a.numList('output_ratio')[i] : a.num('output_ratio');
      if (!(r > 0 && r < 1)) throw new ConfigError(`${type}: output_ratio must be between 0 and 1 (got ${r})`);
      return r;
    });
  };
  const check = (a: Args): void => {
    const size = a.has('output_size');
    const ratio = a.has('output_ratio');
    if (!size && !ratio) throw new ConfigError(`${type} requires specifying either an output size, or a pooling ratio`);
    if (size && ratio) throw new ConfigError(`${type}: only one of output_size and output_ratio may be specified`);
    if (ratio) ratios(a);
  };
  return {
    type,
    framework: 'torch',
    family: 'pool',
    signature: [
      { name: 'kernel_size' },
      { name: 'output_size', default: null },
      { name: 'output_ratio', default: null },
      { name: 'return_indices', default: false },
      { name: '_random_samples', default: null },
    ],
    docs: {
      summary: 'Max pooling over pseudo-randomly placed windows whose stride is fractional, so the output has output_size (or input × output_ratio).',
      use: 'Gentler downsampling than a stride-2 max pool (Graham\'s fractional max-pooling).',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params(a) {
      check(a);
      return NO_PARAMS;
    },
    output(a, inputs) {
      check(a);
      const x = spatialInput(single(inputs, type), n, '(C, *spatial) or (N, C, *spatial)');
      const k = a.ints('kernel_size', n);
      const out: Dim[] = a.has('output_size') ? a.ints('output_size', n) : x.dims.map((d, i) => dimOp((v) => Math.floor(v * ratios(a)[i]), d));
      x.dims.forEach((d, i) => {
        const o = out[i];
        if (d !== null && o !== null && o + k[i] - 1 > d) throw new ShapeError(`expects an input of at least ${o + k[i] - 1} along spatial dimension ${i} (pool size ${k[i]} for an output of ${o}) but receives ${d}`);
      });
      return withIndices(a, [...x.lead, x.channels, ...out]);
    },
    hyper: (a) => kernelText(a.ints('kernel_size', n)),
  };
}

/** MaxUnpool: forward(input, indices) puts each max back where it came from: (L − 1) × stride − 2 × padding + kernel_size. */
function maxUnpool(n: 1 | 2 | 3): LayerEntry {
  const type = `MaxUnpool${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'pool',
    arity: 'many',
    signature: [{ name: 'kernel_size' }, { name: 'stride', default: null }, { name: 'padding', default: 0 }],
    docs: {
      summary: `The partial inverse of MaxPool${n}d: scatters each value to the position its indices give, zeros elsewhere.`,
      use: 'Decoders that undo max pooling with the encoder\'s indices (SegNet).',
      formula: 'none (no parameters)',
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      if (inputs.length !== 2) throw new ShapeError(`takes the input and the indices from MaxPool${n}d(return_indices=True), got ${inputs.length} tensors`);
      const [xs, idx] = inputs;
      const x = spatialInput(xs, n, '(C, *spatial) or (N, C, *spatial)');
      const same = idx.length === xs.length && idx.every((d, i) => d === null || xs[i] === null || d === xs[i]);
      if (!same) throw new ShapeError(`expects indices of the input's shape ${formatShape(xs)} but receives ${formatShape(idx)}`);
      const k = a.ints('kernel_size', n);
      const s = a.has('stride') ? a.ints('stride', n) : k;
      const p = a.ints('padding', n);
      return [...x.lead, x.channels, ...x.dims.map((d, i) => dimOp((L) => (L - 1) * s[i] - 2 * p[i] + k[i], d))];
    },
    hyper: (a) => kernelText(a.ints('kernel_size', n)),
  };
}

export const pools: LayerEntry[] = [
  lpPool(1),
  lpPool(2),
  fractionalMaxPool(2),
  fractionalMaxPool(3),
  maxUnpool(1),
  maxUnpool(2),
  maxUnpool(3),
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
