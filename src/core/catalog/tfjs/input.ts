import type { LayerEntry } from '../types';
import { DOCS, NO_PARAMS } from './common';
import { ConfigError } from '../../unknown';

export const input: LayerEntry[] = [
  {
    type: 'InputLayer',
    factory: 'inputLayer',
    framework: 'tfjs',
    family: 'input',
    defaults: {},
    docs: {
      summary: 'The entry point of a model: declares the shape of one sample (inputShape) or of a batch (batchInputShape).',
      use: 'The first layer of a Sequential model when no other layer carries inputShape, or explicitly with tf.layers.inputLayer.',
      formula: 'no parameters',
      url: DOCS + 'inputLayer',
    },
    arity: 'many',
    params: () => NO_PARAMS,
    output(a) {
      // tfjs keeps the batch dimension of batchInputShape; ModelLens always reports the batch as unknown.
      if (a.has('batchInputShape')) return [null, ...a.dimList('batchInputShape').slice(1)];
      if (a.has('inputShape')) return [null, ...a.dimList('inputShape')];
      throw new ConfigError('InputLayer needs `inputShape` or `batchInputShape`');
    },
    hyper(a) {
      const s = a.has('batchInputShape') ? a.dimList('batchInputShape').slice(1) : a.dimList('inputShape');
      return s.map((d) => (d === null ? '?' : String(d))).join('×');
    },
  },
];
