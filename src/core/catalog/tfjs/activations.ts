import type { Args } from '../../args';
import type { Shape } from '../../shape';
import type { LayerEntry } from '../types';
import { f, need, single } from '../util';
import { DOCS, NO_PARAMS, identityShape } from './common';
import { ConfigError } from '../../unknown';

/** Parameter-free activation layers share everything but their name, defaults and docs. */
function activationLayer(
  type: string,
  factory: string,
  defaults: Record<string, number | string | null>,
  summary: string,
  use: string,
  hyper?: (a: Args) => string,
  /** Config tfjs rejects at construction, reported as a ConfigError. */
  validate?: (a: Args) => void,
): LayerEntry {
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'activation',
    defaults,
    docs: { summary, use, formula: 'no parameters', url: DOCS + factory },
    params: () => NO_PARAMS,
    output(a, inputs) {
      validate?.(a);
      return identityShape(inputs, type);
    },
    hyper,
  };
}

/** PReLU's alpha has the input's per-sample shape, collapsed to 1 on `sharedAxes` (1-based, batch is 0). */
function preluAlphaShape(a: Args, inputs: Shape[]): number[] {
  const x = single(inputs, 'PReLU');
  const shared = a.has('sharedAxes') ? a.numList('sharedAxes') : [];
  return x.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : need(d, `input dimension ${i + 1}`)));
}

export const activations: LayerEntry[] = [
  activationLayer(
    'Activation',
    'activation',
    {},
    'Applies an element-wise activation function (relu, sigmoid, tanh, softmax, ...) to its input.',
    'Separating the non-linearity from a Dense/Conv layer, e.g. to put BatchNormalization in between.',
    (a) => a.str('activation'),
  ),
  activationLayer(
    'ReLU',
    'reLU',
    { maxValue: null },
    'Rectified linear unit: max(x, 0), optionally capped at maxValue.',
    'The default hidden-layer non-linearity; maxValue 6 gives ReLU6 for mobile nets.',
    (a) => (a.has('maxValue') ? `max ${a.num('maxValue')}` : 'relu'),
  ),
  activationLayer(
    'LeakyReLU',
    'leakyReLU',
    { alpha: 0.3 },
    'Leaky ReLU: x for x > 0, alpha·x otherwise (tfjs default alpha 0.3).',
    'Avoiding dead ReLUs, common in GAN discriminators.',
    (a) => `α ${a.num('alpha')}`,
  ),
  activationLayer(
    'ELU',
    'elu',
    { alpha: 1 },
    'Exponential linear unit: x for x > 0, alpha·(exp(x) − 1) otherwise.',
    'A smooth ReLU alternative whose negative outputs push mean activations toward zero (tfjs only implements alpha 1).',
    (a) => `α ${a.num('alpha')}`,
    (a) => {
      if (a.num('alpha') !== 1) throw new ConfigError(`tfjs ELU only supports alpha 1, not ${a.num('alpha')}`);
    },
  ),
  {
    ...activationLayer(
      'Softmax',
      'softmax',
      // tfjs's Softmax layer defaults to axis 1 (Keras uses -1); the same thing for [batch, classes].
      { axis: 1 },
      'Normalises its input into probabilities along `axis` (tfjs default 1: the first axis after the batch).',
      'The output of a classifier when the previous layer has no activation.',
      (a) => `axis ${a.num('axis')}`,
    ),
    runProblem(a, inputs) {
      // tf.softmax only runs along the last axis; the layer builds with any axis.
      const rank = inputs[0].length;
      const axis = a.num('axis');
      return (axis < 0 ? axis + rank : axis) === rank - 1 ? undefined : `tfjs's softmax runs only along the last axis, not axis ${axis} of a ${rank}-d input: predict() throws (pass axis: -1)`;
    },
  },
  activationLayer(
    'ThresholdedReLU',
    'thresholdedReLU',
    { theta: 1 },
    'x where x > theta, 0 elsewhere.',
    'Sparse activations with a fixed threshold.',
    (a) => `θ ${a.num('theta')}`,
  ),
  {
    type: 'PReLU',
    factory: 'prelu',
    framework: 'tfjs',
    family: 'activation',
    defaults: { sharedAxes: null },
    docs: {
      summary: 'Parametric ReLU: x for x > 0, alpha·x otherwise, with alpha learned per element (or shared along sharedAxes).',
      use: 'Letting the network learn the negative slope, e.g. in super-resolution and face models.',
      formula: 'product of the input dims (excluding batch), with sharedAxes counted as 1',
      url: DOCS + 'prelu',
    },
    params(a, inputs) {
      const s = preluAlphaShape(a, inputs);
      const n = s.reduce((p, d) => p * d, 1);
      return { trainable: n, nonTrainable: 0, formula: s.length > 1 ? f(s.join(' × ')) : f(n) };
    },
    output: (_a, inputs) => identityShape(inputs, 'PReLU'),
    hyper: () => 'learned α',
  },
];
