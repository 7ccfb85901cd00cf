import type { LayerEntry } from '../types';
import { f, need, single, unitsText } from '../util';
import { Shape, ShapeError, knownProduct, withLast } from '../../shape';

const DOCS = 'https://js.tensorflow.org/api/latest/#layers.';

export const dense: LayerEntry[] = [
  {
    type: 'Dense',
    factory: 'dense',
    framework: 'tfjs',
    family: 'linear',
    defaults: { useBias: true, activation: 'linear' },
    docs: {
      summary: 'A fully-connected layer: output = activation(dot(input, kernel) + bias) on the last axis.',
      use: 'Hidden layers of an MLP and classifier/regression heads.',
      formula: 'inputDim × units + units (bias)',
      url: DOCS + 'dense',
    },
    params(a, inputs) {
      const x = single(inputs, 'Dense');
      const i = need(x[x.length - 1], 'the input feature size');
      const u = a.int('units');
      const b = a.bool('useBias');
      return { trainable: i * u + (b ? u : 0), nonTrainable: 0, formula: b ? f(i, '×', u, '+', u) : f(i, '×', u) };
    },
    output(a, inputs) {
      const x = single(inputs, 'Dense');
      // tfjs declares minNdim 2 for Dense: a batch and a feature axis.
      if (x.length < 2) throw new ShapeError(`expects at least a 2-d input ([batch, features]) but receives a ${x.length}-d tensor`);
      return withLast(x, a.int('units'));
    },
    multAdds(a, inputs, out) {
      const x = inputs[0];
      const i = x[x.length - 1] ?? 0;
      const u = a.int('units');
      return (i * u + (a.bool('useBias') ? u : 0)) * knownProduct(out as Shape, 0, (out as Shape).length - 1);
    },
    hyper: (a) => unitsText(a.int('units')),
  },
];
