import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Shape, ShapeError, axis } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectDim, expectRank, f, perPosition, single } from '../util';
import { DEVICE_DTYPE, DOCS, passThrough } from './shared';

const inplace = { name: 'inplace', default: false };
const none = 'none (no parameters)';

/** Softmax/LogSoftmax: the shape is unchanged, but an out-of-range `dim` is a real error. */
function checkDim(type: string) {
  return (a: Args, inputs: Shape[]): Shape => {
    const x = single(inputs, type);
    const d = a.optNum('dim');
    if (d !== undefined) axis(Math.max(x.length, 1), d);
    return [...x];
  };
}


/** Element-wise activations without parameters: kind, signature, summary, use. */
const SIMPLE: [string, { name: string; default?: number | boolean | null }[], string, string][] = [
  ['ReLU6', [inplace], 'min(max(0, x), 6), element-wise.', 'Mobile CNNs (MobileNetV2) that quantise well.'],
  ['Hardswish', [inplace], 'x × ReLU6(x + 3) / 6: a cheap piecewise approximation of swish.', 'MobileNetV3 blocks.'],
  ['Hardsigmoid', [inplace], 'ReLU6(x + 3) / 6: a cheap piecewise approximation of the sigmoid.', 'Gates of MobileNetV3 squeeze-and-excitation blocks.'],
  ['SELU', [inplace], 'Scaled exponential linear unit: scale × (max(0, x) + min(0, α × (exp(x) − 1))).', 'Self-normalising MLPs.'],
  ['CELU', [{ name: 'alpha', default: 1.0 }, inplace], 'max(0, x) + min(0, α × (exp(x / α) − 1)).', 'A continuously differentiable ELU.'],
  ['Softsign', [], 'x / (1 + |x|).', 'A slow-saturating alternative to tanh.'],
  ['Tanhshrink', [], 'x − tanh(x).', 'Sparse coding experiments.'],
  ['LogSigmoid', [], 'log(sigmoid(x)), computed stably.', 'Log-probabilities of binary outputs.'],
  ['Hardshrink', [{ name: 'lambd', default: 0.5 }], 'x where |x| > λ, else 0.', 'Sparse coding (shrinkage).'],
  ['Softshrink', [{ name: 'lambd', default: 0.5 }], 'x − λ·sign(x) where |x| > λ, else 0.', 'Sparse coding (soft thresholding).'],
  ['Threshold', [{ name: 'threshold' }, { name: 'value' }, inplace], 'x where x > threshold, else value.', 'Clipping small activations.'],
  ['RReLU', [{ name: 'lower', default: 1 / 8 }, { name: 'upper', default: 1 / 3 }, inplace], 'Leaky ReLU with a random slope in [lower, upper] while training.', 'Regularised leaky ReLU.'],
];

const simple: LayerEntry[] = SIMPLE.map(([type, sig, summary, use]) =>
  passThrough(type, 'activation', sig, { summary, use, formula: none, url: DOCS + `${type}.html` }),
);

export const activations: LayerEntry[] = [
  ...simple,
  passThrough('Softmin', 'activation', [{ name: 'dim', default: null }], {
    summary: 'softmax(−x) along `dim`.',
    use: 'Turning costs or distances into weights.',
    formula: none,
    url: DOCS + 'Softmin.html',
  }, { output: checkDim('Softmin') }),
  {
    type: 'GLU',
    framework: 'torch',
    family: 'activation',
    signature: [{ name: 'dim', default: -1 }],
    docs: {
      summary: 'Gated linear unit: splits the input in two halves along `dim`, a ⊗ sigmoid(b); that dim halves.',
      use: 'Gated convolutional language models and conformer blocks.',
      formula: none,
      url: DOCS + 'GLU.html',
    },
    params: () => ({ trainable: 0, nonTrainable: 0, formula: '0' }),
    output(a, inputs) {
      const x = single(inputs, 'GLU');
      if (x.length === 0) throw new ShapeError('expects at least a 1-d input but receives a scalar');
      const d = axis(x.length, a.int('dim'));
      const n = x[d];
      if (n !== null && n % 2 !== 0) throw new ShapeError(`expects an even size in dim ${a.int('dim')} but receives ${n}`);
      return x.map((v, i) => (i === d && v !== null ? v / 2 : v));
    },
  },
  passThrough('ReLU', 'activation', [inplace], {
    summary: 'Rectified linear unit, max(0, x), applied element-wise.',
    use: 'The default hidden-layer non-linearity for MLPs and CNNs.',
    formula: none,
    url: DOCS + 'ReLU.html',
  }),
  passThrough('LeakyReLU', 'activation', [{ name: 'negative_slope', default: 0.01 }, inplace], {
    summary: 'max(0, x) + negative_slope × min(0, x): a ReLU that lets a small gradient through for negative inputs.',
    use: 'Instead of ReLU when units die (GAN discriminators, deep CNNs).',
    formula: none,
    url: DOCS + 'LeakyReLU.html',
  }, { hyper: (a) => `slope ${a.num('negative_slope')}` }),
  passThrough('ELU', 'activation', [{ name: 'alpha', default: 1.0 }, inplace], {
    summary: 'Exponential linear unit: x for x > 0, alpha × (exp(x) − 1) otherwise.',
    use: 'A smooth ReLU alternative whose mean activation is closer to zero.',
    formula: none,
    url: DOCS + 'ELU.html',
  }),
  passThrough('GELU', 'activation', [{ name: 'approximate', default: 'none' }], {
    summary: "Gaussian error linear unit, x × Φ(x) (or its tanh approximation when approximate='tanh').",
    use: 'The activation of Transformer feed-forward blocks (BERT, GPT, ViT).',
    formula: none,
    url: DOCS + 'GELU.html',
  }),
  passThrough('SiLU', 'activation', [inplace], {
    summary: 'Sigmoid linear unit (swish): x × sigmoid(x).',
    use: 'Modern CNNs (EfficientNet) and diffusion U-Nets.',
    formula: none,
    url: DOCS + 'SiLU.html',
  }),
  passThrough('Sigmoid', 'activation', [], {
    summary: 'Logistic function 1 / (1 + exp(−x)), element-wise, squashing to (0, 1).',
    use: 'Binary classification outputs and gates.',
    formula: none,
    url: DOCS + 'Sigmoid.html',
  }),
  passThrough('Tanh', 'activation', [], {
    summary: 'Hyperbolic tangent, element-wise, squashing to (−1, 1).',
    use: 'Bounded outputs (GAN generators) and classic RNN cells.',
    formula: none,
    url: DOCS + 'Tanh.html',
  }),
  passThrough('Softmax', 'activation', [{ name: 'dim', default: null }], {
    summary: 'Rescales values along `dim` so they are positive and sum to 1.',
    use: 'Turning class scores into probabilities (pair with NLLLoss only via LogSoftmax).',
    formula: none,
    url: DOCS + 'Softmax.html',
  }, { output: checkDim('Softmax') }),
  passThrough('LogSoftmax', 'activation', [{ name: 'dim', default: null }], {
    summary: 'log(softmax(x)) along `dim`, computed stably.',
    use: 'Classifier outputs trained with NLLLoss.',
    formula: none,
    url: DOCS + 'LogSoftmax.html',
  }, { output: checkDim('LogSoftmax') }),
  passThrough('Softplus', 'activation', [{ name: 'beta', default: 1 }, { name: 'threshold', default: 20 }], {
    summary: 'Smooth ReLU: log(1 + exp(beta × x)) / beta (linear above `threshold`).',
    use: 'Where a strictly positive output is needed (variances, rates).',
    formula: none,
    url: DOCS + 'Softplus.html',
  }),
  passThrough('Hardtanh', 'activation', [
    { name: 'min_val', default: -1.0 },
    { name: 'max_val', default: 1.0 },
    inplace,
    { name: 'min_value', default: null },
    { name: 'max_value', default: null },
  ], {
    summary: 'Clamps the input to [min_val, max_val].',
    use: 'Cheap bounded activation; ReLU6 is Hardtanh(0, 6).',
    formula: none,
    url: DOCS + 'Hardtanh.html',
  }),
  passThrough('Mish', 'activation', [inplace], {
    summary: 'x × tanh(softplus(x)), element-wise.',
    use: 'A smooth self-gated activation used in YOLOv4-style detectors.',
    formula: none,
    url: DOCS + 'Mish.html',
  }),
  passThrough('Softmax2d', 'activation', [], {
    summary: 'Softmax over the channel dimension at every spatial location of a (N, C, H, W) or (C, H, W) input.',
    use: 'Per-pixel class probabilities in segmentation heads.',
    formula: none,
    url: DOCS + 'Softmax2d.html',
  }, {
    output(_a, inputs) {
      const x = single(inputs, 'Softmax2d');
      expectRank(x, [3, 4], '(C, H, W) or (N, C, H, W)');
      return [...x];
    },
  }),
  {
    type: 'PReLU',
    framework: 'torch',
    family: 'activation',
    signature: [{ name: 'num_parameters', default: 1 }, { name: 'init', default: 0.25 }, ...DEVICE_DTYPE],
    docs: {
      summary: 'Parametric ReLU: max(0, x) + a × min(0, x) with a learned slope a (one, or one per channel).',
      use: 'A ReLU whose negative slope is learned (ResNet-era image models).',
      formula: 'num_parameters (1 shared slope, or one per channel)',
      url: DOCS + 'PReLU.html',
    },
    params(a) {
      const n = a.int('num_parameters');
      if (n < 1) throw new ConfigError(`PReLU: num_parameters should be at least 1, not ${n}`);
      return { trainable: n, nonTrainable: 0, formula: f(n) };
    },
    weights: (a) => ({ weight: [a.int('num_parameters')] }),
    output(a, inputs) {
      const x = single(inputs, 'PReLU');
      const n = a.int('num_parameters');
      // One slope per channel: PyTorch reads channels from dim 1 (dim 0 for a 1-d input).
      if (n > 1) {
        if (x.length === 0) throw new ShapeError(`expects a tensor with ${n} channels but receives a scalar`);
        expectDim(x.length >= 2 ? x[1] : x[0], n, 'channels');
      }
      return [...x];
    },
    multAdds: (a, _inputs, out) => perPosition(a.int('num_parameters'), out as number[], -1),
    hyper: (a) => `${a.int('num_parameters')} slope${a.int('num_parameters') === 1 ? '' : 's'}`,
  },
];
