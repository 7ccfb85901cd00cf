import type { Args } from '../../args';
import type { LayerEntry } from '../types';
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
];
