import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Dim, Shape, ShapeError, dimOp } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectDim, f, perPosition, single } from '../util';
import { DEVICE_DTYPE, DOCS, kernelText, spatialInput } from './shared';

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

interface ConvConfig {
  cin: number;
  cout: number;
  groups: number;
  k: number[];
  stride: number[];
  dilation: number[];
  bias: boolean;
}

/** What every ConvNd / ConvTransposeNd constructor checks before any input is seen. */
function config(a: Args, n: number): ConvConfig {
  const cin = a.int('in_channels');
  const cout = a.int('out_channels');
  const groups = a.int('groups');
  if (groups <= 0) throw new ConfigError(`${a.layerType}: groups must be a positive integer`);
  if (cin % groups !== 0) throw new ConfigError(`${a.layerType}: in_channels (${cin}) must be divisible by groups (${groups})`);
  if (cout % groups !== 0) throw new ConfigError(`${a.layerType}: out_channels (${cout}) must be divisible by groups (${groups})`);
  const mode = a.str('padding_mode');
  if (!PADDING_MODES.includes(mode)) throw new ConfigError(`${a.layerType}: padding_mode must be one of ${PADDING_MODES.join(', ')}, not '${mode}'`);
  return {
    cin,
    cout,
    groups,
    k: a.ints('kernel_size', n),
    stride: a.ints('stride', n),
    dilation: a.ints('dilation', n),
    bias: a.bool('bias'),
  };
}

/** Conv padding: explicit per-dim amounts, or 'same' (output = input) / 'valid' (0). */
function convPadding(a: Args, n: number, stride: number[]): number[] | 'same' {
  const p = a.numOrStr('padding');
  if (typeof p === 'string') {
    if (p === 'valid') return Array<number>(n).fill(0);
    if (p !== 'same') throw new ConfigError(`${a.layerType}: invalid padding string '${p}', should be one of 'valid', 'same'`);
    if (stride.some((s) => s !== 1)) throw new ConfigError(`${a.layerType}: padding='same' is not supported for strided convolutions`);
    return 'same';
  }
  return a.ints('padding', n);
}

function weightCount(c: ConvConfig): number {
  return (c.cin / c.groups) * c.cout * c.k.reduce((p, x) => p * x, 1);
}

function convParams(c: ConvConfig) {
  const w = weightCount(c);
  const kText = c.k.join(' × ');
  const formula = c.groups === 1 ? f(c.cin, '×', c.cout, '×', kText) : f(`(${c.cin} / ${c.groups})`, '×', c.cout, '×', kText);
  return { trainable: w + (c.bias ? c.cout : 0), nonTrainable: 0, formula: c.bias ? `${formula} + ${c.cout}` : formula };
}

function conv(n: 1 | 2 | 3): LayerEntry {
  const type = `Conv${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'conv',
    signature: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size' },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
      { name: 'padding_mode', default: 'zeros' },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: `A ${n}-d convolution over a (N, C_in, ${['L', 'H, W', 'D, H, W'][n - 1]}) input: each of out_channels filters spans in_channels/groups input channels.`,
      use: n === 2 ? 'Image feature extraction: the building block of CNNs.' : n === 1 ? 'Sequences and signals (audio, time series, text n-grams).' : 'Volumes and video (medical scans, spatio-temporal features).',
      formula: '(in_channels / groups) × out_channels × ∏kernel_size + out_channels (bias)',
      url: DOCS + `${type}.html`,
    },
    params(a) {
      const c = config(a, n);
      convPadding(a, n, c.stride); // 'same' with a stride is rejected by the constructor
      return convParams(c);
    },
    weights(a) {
      const c = config(a, n);
      return { weight: [c.cout, c.cin / c.groups, ...c.k], ...(c.bias ? { bias: [c.cout] } : {}) };
    },
    output(a, inputs) {
      const c = config(a, n);
      const pad = convPadding(a, n, c.stride);
      const x = spatialInput(single(inputs, type), n, `(C, *spatial) or (N, C, *spatial)`);
      expectDim(x.channels, c.cin, 'input channels', 'in_channels');
      const dims = x.dims.map((d, i): Dim => {
        if (pad === 'same') return d;
        const span = c.dilation[i] * (c.k[i] - 1) + 1;
        if (d !== null && d + 2 * pad[i] < span) {
          throw new ShapeError(`expects a padded input size of at least ${span} (the kernel) along spatial dimension ${i} but receives ${d + 2 * pad[i]}`);
        }
        return dimOp((v) => Math.floor((v + 2 * pad[i] - span) / c.stride[i]) + 1, d);
      });
      return [...x.lead, c.cout, ...dims];
    },
    multAdds(a, _inputs, out) {
      const c = config(a, n);
      const o = out as Shape;
      return perPosition(weightCount(c) + (c.bias ? c.cout : 0), o, o.length - n - 1);
    },
    inferInput: (a) => [null, a.int('in_channels'), ...Array<Dim>(n).fill(null)],
    hyper: (a) => `${kernelText(a.ints('kernel_size', n))}, ${a.int('out_channels')}`,
  };
}

function convTranspose(n: 1 | 2 | 3): LayerEntry {
  const type = `ConvTranspose${n}d`;
  return {
    type,
    framework: 'torch',
    family: 'conv',
    signature: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size' },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'output_padding', default: 0 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
      { name: 'dilation', default: 1 },
      { name: 'padding_mode', default: 'zeros' },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: `The gradient of Conv${n}d with respect to its input ("deconvolution"): upsamples by roughly stride.`,
      use: 'Learned upsampling in decoders, segmentation heads and GAN generators.',
      formula: 'in_channels × (out_channels / groups) × ∏kernel_size + out_channels (bias)',
      url: DOCS + `${type}.html`,
    },
    params(a) {
      const c = config(a, n);
      if (a.str('padding_mode') !== 'zeros') throw new ConfigError(`${type}: only "zeros" padding mode is supported`);
      return convParams(c);
    },
    weights(a) {
      const c = config(a, n);
      return { weight: [c.cin, c.cout / c.groups, ...c.k], ...(c.bias ? { bias: [c.cout] } : {}) };
    },
    output(a, inputs) {
      const c = config(a, n);
      const pad = a.ints('padding', n);
      const outPad = a.ints('output_padding', n);
      const x = spatialInput(single(inputs, type), n, `(C, *spatial) or (N, C, *spatial)`);
      expectDim(x.channels, c.cin, 'input channels', 'in_channels');
      outPad.forEach((op, i) => {
        if (op >= c.stride[i] && op >= c.dilation[i]) {
          throw new ShapeError(`expects output_padding smaller than stride (${c.stride[i]}) or dilation (${c.dilation[i]}) but receives ${op}`);
        }
      });
      const dims = x.dims.map((d, i): Dim => {
        const o = dimOp((v) => (v - 1) * c.stride[i] - 2 * pad[i] + c.dilation[i] * (c.k[i] - 1) + outPad[i] + 1, d);
        if (o !== null && o <= 0) throw new ShapeError(`expects a positive output size along spatial dimension ${i} but receives ${o}`);
        return o;
      });
      return [...x.lead, c.cout, ...dims];
    },
    multAdds(a, _inputs, out) {
      // torchinfo's convention for every ConvNd, transposed included: weights × output positions.
      const c = config(a, n);
      const o = out as Shape;
      return perPosition(weightCount(c) + (c.bias ? c.cout : 0), o, o.length - n - 1);
    },
    inferInput: (a) => [null, a.int('in_channels'), ...Array<Dim>(n).fill(null)],
    hyper: (a) => `${kernelText(a.ints('kernel_size', n))}, ${a.int('out_channels')}, ↑${a.ints('stride', n).join('×')}`,
  };
}

export const convs: LayerEntry[] = [conv(1), conv(2), conv(3), convTranspose(1), convTranspose(2), convTranspose(3)];
