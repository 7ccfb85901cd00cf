import type { Args } from '../../args';
import type { Shape } from '../../shape';
import { ConfigError, Unknowable } from '../../unknown';
import type { LayerEntry } from '../types';
import { single } from '../util';
import { DOCS, NO_PARAMS, identityShape } from './common';

/** tfjs's image preprocessing layers accept these interpolations (INTERPOLATION_KEYS in tfjs-layers 4.22). */
function interpolation(a: Args): void {
  const i = a.str('interpolation');
  if (i !== 'bilinear' && i !== 'nearest') throw new ConfigError(`Invalid interpolation parameter: ${i} is not implemented`);
}

/** RandomWidth's constructor checks of factor (a positive number, or [lower, upper] above −1). */
function widthFactor(a: Args): void {
  const v = a.raw('factor');
  let lo: number;
  let hi: number;
  if (Array.isArray(v) && v.length === 2) [lo, hi] = a.numList('factor');
  else if (!Array.isArray(v) && a.num('factor') > 0) [lo, hi] = [-a.num('factor'), a.num('factor')];
  else throw new ConfigError('RandomWidth: factor must be a positive number or a tuple of 2 numbers');
  if (lo < -1 || hi < -1) throw new ConfigError('RandomWidth: factor must have values larger than -1');
  if (hi < lo) throw new ConfigError('RandomWidth: factor cannot have upper bound less than lower bound');
}

export const preprocessing: LayerEntry[] = [
  {
    type: 'Masking',
    factory: 'masking',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { maskValue: 0 },
    docs: {
      summary: 'Marks time steps whose features all equal maskValue so that downstream RNNs skip them; values pass through unchanged.',
      use: 'Variable-length sequences padded to a common length.',
      formula: 'no parameters',
      url: DOCS + 'masking',
    },
    params: () => NO_PARAMS,
    output: (_a, inputs) => identityShape(inputs, 'Masking'),
    hyper: (a) => `mask ${a.num('maskValue')}`,
  },
  {
    type: 'Rescaling',
    factory: 'rescaling',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { offset: 0 },
    docs: {
      summary: 'Multiplies its input by scale and adds offset (e.g. 1/255 to map pixels to [0, 1]).',
      use: 'Input normalisation inside the model.',
      formula: 'no parameters',
      url: DOCS + 'rescaling',
    },
    params: () => NO_PARAMS,
    output: (_a, inputs) => identityShape(inputs, 'Rescaling'),
    hyper: (a) => `× ${a.num('scale')}`,
  },
  {
    type: 'CategoryEncoding',
    factory: 'categoryEncoding',
    framework: 'tfjs',
    family: 'embedding',
    defaults: { outputMode: 'multiHot' },
    docs: {
      summary: 'Encodes integer category ids as one-hot, multi-hot or count vectors of numTokens entries.',
      use: 'Categorical features fed to dense layers without an embedding.',
      formula: 'no parameters',
      url: DOCS + 'categoryEncoding',
    },
    params: () => NO_PARAMS,
    // CategoryEncoding.computeOutputShape: oneHot adds a numTokens axis unless the last dim is 1;
    // otherwise the last dim becomes numTokens.
    output(a, inputs) {
      const x: Shape = [...single(inputs, 'CategoryEncoding')];
      const n = a.int('numTokens');
      const mode = a.str('outputMode');
      if (!['oneHot', 'multiHot', 'count'].includes(mode)) throw new ConfigError(`CategoryEncoding: unknown outputMode '${mode}'`);
      if (x.length === 0) return [n];
      if (mode === 'oneHot' && x[x.length - 1] !== 1) return [...x, n];
      x[x.length - 1] = n;
      return x;
    },
    hyper: (a) => `${a.int('numTokens')} tokens, ${a.str('outputMode')}`,
  },
  {
    type: 'Resizing',
    factory: 'resizing',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { interpolation: 'bilinear', cropToAspectRatio: false },
    docs: {
      summary: 'Resizes images to height × width (bilinear or nearest).',
      use: 'Bringing input images to the size a model expects, inside the model.',
      formula: 'no parameters',
      url: DOCS + 'resizing',
    },
    params: () => NO_PARAMS,
    // tfjs 4.22's Resizing.computeOutputShape is [height, width, inputShape[2]] whatever the rank:
    // a batched [batch, h, w, c] input is reported as [height, width, w], and the layers after it
    // are built on that shape (their weights too), as the model tfjs builds has them.
    output(a, inputs) {
      interpolation(a);
      const x = single(inputs, 'Resizing');
      return [a.int('height'), a.int('width'), x[2] ?? null];
    },
    hyper: (a) => `→ ${a.int('height')}×${a.int('width')}`,
    runProblem: (_a, inputs) =>
      inputs[0]?.length === 4
        ? "tfjs 4.22's Resizing reports its output as [height, width, inputShape[2]] (the batch dropped, the width read as channels), and builds the layers after it on that; a forward pass returns [batch, height, width, channels]"
        : undefined,
  },
  {
    type: 'RandomWidth',
    factory: 'randomWidth',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { interpolation: 'bilinear' },
    docs: {
      summary: 'During training, resizes each batch of images to a random width within ±factor of the input width.',
      use: 'Data augmentation inside the model.',
      formula: 'no parameters',
      url: DOCS + 'randomWidth',
    },
    params(a) {
      widthFactor(a);
      return NO_PARAMS;
    },
    output(a) {
      widthFactor(a);
      interpolation(a);
      // tfjs reports [undefined, -1, inputShape[2]]: a random width, and no batch axis.
      throw new Unknowable('tf.layers.randomWidth picks a random width (tfjs reports its output as [undefined, -1, channels])');
    },
    hyper: (a) => `width ±${JSON.stringify(a.raw('factor'))}`,
  },
];
