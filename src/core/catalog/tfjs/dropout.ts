import type { LayerEntry } from '../types';
import { expectRank, single } from '../util';
import { DOCS, NO_PARAMS, identityShape } from './common';

/** Regularisation/noise layers: no parameters, output = input (they are the identity at inference). */
function noiseLayer(type: string, factory: string, summary: string, use: string, hyperKey: string, rank3 = false): LayerEntry {
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'dropout',
    defaults: {},
    docs: { summary, use, formula: 'no parameters', url: DOCS + factory },
    params: () => NO_PARAMS,
    output(_a, inputs) {
      // tfjs declares SpatialDropout1D's inputSpec as ndim 3.
      if (rank3) expectRank(single(inputs, type), [3], `${type} takes [batch, steps, channels]`);
      return identityShape(inputs, type);
    },
    hyper: (a) => `${hyperKey} ${a.num(hyperKey)}`,
  };
}

export const dropout: LayerEntry[] = [
  noiseLayer(
    'Dropout',
    'dropout',
    'During training, sets a random fraction `rate` of its inputs to 0 and scales the rest by 1/(1 − rate); the identity at inference.',
    'Regularising dense and recurrent networks against overfitting.',
    'rate',
  ),
  noiseLayer(
    'SpatialDropout1D',
    'spatialDropout1d',
    'Dropout that drops whole feature channels of a [batch, steps, channels] sequence instead of single elements.',
    'Regularising 1-D convolution stacks, where neighbouring steps are strongly correlated.',
    'rate',
    true,
  ),
  noiseLayer(
    'GaussianDropout',
    'gaussianDropout',
    'Multiplies its input by 1-centred Gaussian noise with variance rate/(1 − rate) during training.',
    'A multiplicative-noise alternative to Dropout.',
    'rate',
  ),
  noiseLayer(
    'GaussianNoise',
    'gaussianNoise',
    'Adds zero-centred Gaussian noise with standard deviation `stddev` during training.',
    'Data augmentation / regularisation for real-valued inputs.',
    'stddev',
  ),
  noiseLayer(
    'AlphaDropout',
    'alphaDropout',
    'Dropout that keeps the mean and variance of its inputs, for self-normalising (SELU) networks.',
    'Dropout in SELU networks.',
    'rate',
  ),
];
