import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { ShapeError } from '../../shape';
import { expectRank, single } from '../util';
import { DOCS, passThrough, probability } from './shared';

const sig = [{ name: 'p', default: 0.5 }, { name: 'inplace', default: false }];
const hyper = (a: Args) => `p=${probability(a, 'p')}`;

export const dropouts: LayerEntry[] = [
  passThrough('Dropout', 'dropout', sig, {
    summary: 'During training, zeroes each element with probability p and scales the rest by 1/(1−p); identity in eval mode.',
    use: 'Regularising fully-connected layers and attention blocks.',
    formula: 'none (no parameters)',
    url: DOCS + 'Dropout.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      return [...single(inputs, 'Dropout')];
    },
  }),
  passThrough('Dropout1d', 'dropout', sig, {
    summary: 'Zeroes whole channels of a (N, C, L) or (C, L) input with probability p during training.',
    use: 'Regularising 1-d convolutional feature maps, where neighbouring positions are correlated.',
    formula: 'none (no parameters)',
    url: DOCS + 'Dropout1d.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      const x = single(inputs, 'Dropout1d');
      expectRank(x, [2, 3], '(C, L) or (N, C, L)');
      return [...x];
    },
  }),
  passThrough('Dropout2d', 'dropout', sig, {
    summary: 'Zeroes whole channels (feature maps) of a (N, C, H, W) input with probability p during training.',
    use: 'Regularising 2-d convolutional feature maps.',
    formula: 'none (no parameters)',
    url: DOCS + 'Dropout2d.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      return [...single(inputs, 'Dropout2d')];
    },
  }),
  passThrough('Dropout3d', 'dropout', sig, {
    summary: 'Zeroes whole channels of a (N, C, D, H, W) or (C, D, H, W) input with probability p during training.',
    use: 'Regularising 3-d convolutional feature maps (video, volumes).',
    formula: 'none (no parameters)',
    url: DOCS + 'Dropout3d.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      // PyTorch 1.13 only warns about ranks other than 4 and 5 (an unbatched input gets a batch dim first).
      return [...single(inputs, 'Dropout3d')];
    },
  }),
  passThrough('AlphaDropout', 'dropout', sig, {
    summary: 'Dropout that keeps the mean and variance of its input (for SELU networks); identity in eval mode.',
    use: 'Self-normalising networks built with SELU activations.',
    formula: 'none (no parameters)',
    url: DOCS + 'AlphaDropout.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      return [...single(inputs, 'AlphaDropout')];
    },
  }),
  passThrough('FeatureAlphaDropout', 'dropout', sig, {
    summary: 'Alpha dropout of whole channels: keeps the mean and variance of a SELU network, drops feature maps.',
    use: 'Convolutional self-normalising networks.',
    formula: 'none (no parameters)',
    url: DOCS + 'FeatureAlphaDropout.html',
  }, {
    hyper,
    output(a, inputs) {
      probability(a, 'p');
      const x = single(inputs, 'FeatureAlphaDropout');
      // Feature dropout needs a channel dim to drop.
      if (x.length < 2) throw new ShapeError(`expects at least a 2-d input but receives a ${x.length}-d tensor`);
      return [...x];
    },
  }),
];
