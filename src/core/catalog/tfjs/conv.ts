import type { Args } from '../../args';
import type { Shape } from '../../shape';
import { dimOp } from '../../shape';
import type { LayerEntry, ParamCount } from '../types';
import { f, need, perPosition } from '../util';
import { DOCS, convLength, deconvLength, layoutAxes, spatialInput, times } from './common';

const CONV_DEFAULTS = { strides: 1, padding: 'valid', dataFormat: 'channelsLast', dilationRate: 1, useBias: true, activation: 'linear' };

const prod = (xs: number[]): number => xs.reduce((p, x) => p * x, 1);

/** The input channel count, which every tfjs conv needs to build its kernel. */
function inChannels(a: Args, x: Shape, rank: number): number {
  return need(x[layoutAxes(a, rank).channel], 'the input channel count');
}

/** `3 × 3 × 16 × 32 + 32`: kernel dims, then the bias. */
function kernelCount(kernelShape: number[], bias: number): ParamCount {
  const k = prod(kernelShape);
  const formula = f(kernelShape.join(' × ')) + (bias ? ' + ' + f(bias) : '');
  return { trainable: k + bias, nonTrainable: 0, formula };
}

const rankName = (rank: number): string => `${rank}D`;

/** Conv1D/2D/3D: kernel [...kernelSize, inChannels, filters] + filters bias. */
function conv(rank: number, factory: string, summary: string, use: string): LayerEntry {
  const type = `Conv${rankName(rank)}`;
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'conv',
    defaults: CONV_DEFAULTS,
    docs: {
      summary,
      use,
      formula: `${Array.from({ length: rank }, (_, i) => `k${i + 1}`).join(' × ')} × inChannels × filters + filters (bias)`,
      url: DOCS + factory,
    },
    params(a, inputs) {
      const x = spatialInput(inputs, type, rank);
      const filters = a.int('filters');
      return kernelCount([...a.ints('kernelSize', rank), inChannels(a, x, rank), filters], a.bool('useBias') ? filters : 0);
    },
    output(a, inputs) {
      const x = spatialInput(inputs, type, rank);
      const ax = layoutAxes(a, rank);
      const k = a.ints('kernelSize', rank);
      const s = a.ints('strides', rank);
      const d = a.ints('dilationRate', rank);
      // tfjs sizes 'causal' like 'valid' (convOutputLength), which its summary shows; see runProblem.
      const pad = a.str('padding');
      const out = [...x];
      out[0] = null;
      out[ax.channel] = a.int('filters');
      ax.spatial.forEach((axis, i) => (out[axis] = convLength(x[axis], k[i], pad, s[i], d[i])));
      return out;
    },
    multAdds(a, inputs, out) {
      const x = inputs[0];
      const c = x[layoutAxes(a, rank).channel] ?? 0;
      const filters = a.int('filters');
      const w = prod(a.ints('kernelSize', rank)) * c * filters + (a.bool('useBias') ? filters : 0);
      return perPosition(w, out as Shape, layoutAxes(a, rank).channel);
    },
    hyper: (a) => `${times(a.ints('kernelSize', rank))}, ${a.int('filters')}`,
    runProblem: (a) => (a.str('padding') === 'causal' ? "tfjs builds padding 'causal' but its conv kernels do not implement it: predict() throws" : undefined),
  };
}

/** Conv2DTranspose/Conv3DTranspose: kernel [...kernelSize, filters, inChannels] + filters bias. */
function convTranspose(rank: number, factory: string): LayerEntry {
  const type = `Conv${rankName(rank)}Transpose`;
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'conv',
    defaults: CONV_DEFAULTS,
    docs: {
      summary: `Transposed ${rank}-D convolution ("deconvolution"): the gradient of a convolution, which grows the spatial size by the strides.`,
      use: 'Learned upsampling in decoders, generators (DCGAN) and segmentation networks.',
      formula: `${Array.from({ length: rank }, (_, i) => `k${i + 1}`).join(' × ')} × filters × inChannels + filters (bias)`,
      url: DOCS + factory,
    },
    params(a, inputs) {
      const x = spatialInput(inputs, type, rank);
      const filters = a.int('filters');
      return kernelCount([...a.ints('kernelSize', rank), filters, inChannels(a, x, rank)], a.bool('useBias') ? filters : 0);
    },
    output(a, inputs) {
      const x = spatialInput(inputs, type, rank);
      const ax = layoutAxes(a, rank);
      const k = a.ints('kernelSize', rank);
      const s = a.ints('strides', rank);
      const pad = a.str('padding');
      const out = [...x];
      out[0] = null;
      out[ax.channel] = a.int('filters');
      // tfjs's computeOutputShape ignores dilationRate for transposed convolutions.
      ax.spatial.forEach((axis, i) => (out[axis] = deconvLength(x[axis], s[i], k[i], pad)));
      return out;
    },
    multAdds(a, inputs) {
      // Every input position scatters its kernel onto the output.
      const x = inputs[0];
      const ax = layoutAxes(a, rank);
      const c = x[ax.channel] ?? 0;
      return perPosition(prod(a.ints('kernelSize', rank)) * c * a.int('filters'), x, ax.channel);
    },
    hyper: (a) => `${times(a.ints('kernelSize', rank))}, ${a.int('filters')}, ↑${times(a.ints('strides', rank))}`,
  };
}

export const convolutional: LayerEntry[] = [
  conv(
    1,
    'conv1d',
    '1-D convolution over the steps of a [batch, steps, channels] sequence: filters kernels of kernelSize steps × inChannels.',
    'Local pattern detection in sequences: audio, sensor data, text embeddings.',
  ),
  conv(
    2,
    'conv2d',
    '2-D convolution over the rows and columns of an image (NHWC by default, NCHW with dataFormat channelsFirst).',
    'The building block of CNNs for images.',
  ),
  conv(3, 'conv3d', '3-D convolution over depth, rows and columns of a volume.', 'Video (time × height × width) and volumetric (medical) data.'),
  convTranspose(2, 'conv2dTranspose'),
  convTranspose(3, 'conv3dTranspose'),
  {
    type: 'SeparableConv2D',
    factory: 'separableConv2d',
    framework: 'tfjs',
    family: 'conv',
    defaults: { ...CONV_DEFAULTS, depthMultiplier: 1 },
    docs: {
      summary:
        'Depthwise-separable 2-D convolution: a per-channel (depthwise) kh×kw convolution with depthMultiplier outputs per channel, then a 1×1 (pointwise) convolution to filters channels.',
      use: 'Cheaper convolutions with far fewer parameters (Xception, MobileNet-style blocks).',
      formula: 'kh × kw × inChannels × depthMultiplier + inChannels × depthMultiplier × filters + filters (bias)',
      url: DOCS + 'separableConv2d',
    },
    params(a, inputs) {
      const x = spatialInput(inputs, 'SeparableConv2D', 2);
      const c = inChannels(a, x, 2);
      const [kh, kw] = a.ints('kernelSize', 2);
      const dm = a.int('depthMultiplier');
      const filters = a.int('filters');
      const bias = a.bool('useBias') ? filters : 0;
      const trainable = kh * kw * c * dm + c * dm * filters + bias;
      return { trainable, nonTrainable: 0, formula: f(kh, '×', kw, '×', c, '×', dm, '+', c * dm, '×', filters) + (bias ? ' + ' + f(bias) : '') };
    },
    output(a, inputs) {
      const x = spatialInput(inputs, 'SeparableConv2D', 2);
      const ax = layoutAxes(a, 2);
      const k = a.ints('kernelSize', 2);
      const s = a.ints('strides', 2);
      const d = a.ints('dilationRate', 2);
      const out = [...x];
      out[0] = null;
      out[ax.channel] = a.int('filters');
      ax.spatial.forEach((axis, i) => (out[axis] = convLength(x[axis], k[i], a.str('padding'), s[i], d[i])));
      return out;
    },
    multAdds(a, inputs, out) {
      const ax = layoutAxes(a, 2);
      const c = inputs[0][ax.channel] ?? 0;
      const dm = a.int('depthMultiplier');
      const filters = a.int('filters');
      const depthwise = prod(a.ints('kernelSize', 2)) * c * dm;
      const pointwise = c * dm * filters + (a.bool('useBias') ? filters : 0);
      return perPosition(depthwise + pointwise, out as Shape, ax.channel);
    },
    hyper: (a) => `${times(a.ints('kernelSize', 2))}, ${a.int('filters')}, separable`,
  },
  {
    type: 'DepthwiseConv2D',
    factory: 'depthwiseConv2d',
    framework: 'tfjs',
    family: 'conv',
    defaults: { ...CONV_DEFAULTS, depthMultiplier: 1 },
    docs: {
      summary: 'Depthwise 2-D convolution: each input channel is convolved with its own depthMultiplier kernels; no mixing across channels.',
      use: 'The spatial half of MobileNet blocks, followed by a 1×1 conv.',
      formula: 'kh × kw × inChannels × depthMultiplier + inChannels × depthMultiplier (bias)',
      url: DOCS + 'depthwiseConv2d',
    },
    params(a, inputs) {
      const x = spatialInput(inputs, 'DepthwiseConv2D', 2);
      const c = inChannels(a, x, 2);
      const dm = a.int('depthMultiplier');
      return kernelCount([...a.ints('kernelSize', 2), c, dm], a.bool('useBias') ? c * dm : 0);
    },
    output(a, inputs) {
      const x = spatialInput(inputs, 'DepthwiseConv2D', 2);
      const ax = layoutAxes(a, 2);
      const k = a.ints('kernelSize', 2);
      const s = a.ints('strides', 2);
      const out = [...x];
      out[0] = null;
      out[ax.channel] = dimOp((c) => c * a.int('depthMultiplier'), x[ax.channel]);
      // tfjs's DepthwiseConv2D ignores dilationRate (both in computeOutputShape and in call).
      ax.spatial.forEach((axis, i) => (out[axis] = convLength(x[axis], k[i], a.str('padding'), s[i])));
      return out;
    },
    multAdds(a, _inputs, out) {
      const ax = layoutAxes(a, 2);
      const o = out as Shape;
      const perChannel = prod(a.ints('kernelSize', 2)) + (a.bool('useBias') ? 1 : 0);
      return perChannel * (o[ax.channel] ?? 0) * o.filter((_, i) => i !== ax.channel && i !== 0).reduce<number>((p, d) => p * (d ?? 1), 1);
    },
    hyper: (a) => `${times(a.ints('kernelSize', 2))}, ×${a.int('depthMultiplier')}, depthwise`,
  },
];
