import type { LayerEntry } from '../types';
import { f, need, single } from '../util';
import { axis, knownProduct } from '../../shape';
import { DOCS, identityShape } from './common';

export const normalization: LayerEntry[] = [
  {
    type: 'BatchNormalization',
    factory: 'batchNormalization',
    framework: 'tfjs',
    family: 'norm',
    defaults: { axis: -1, center: true, scale: true, momentum: 0.99, epsilon: 0.001 },
    docs: {
      summary:
        'Normalises each feature (along axis, default the last) with batch statistics while training and moving averages at inference, then scales by gamma and shifts by beta.',
      use: 'After Dense/Conv layers to stabilise and speed up training.',
      formula: '2 × C trainable (gamma if scale, beta if center) + 2 × C non-trainable (moving mean, moving variance)',
      url: DOCS + 'batchNormalization',
    },
    params(a, inputs) {
      const x = single(inputs, 'BatchNormalization');
      const c = need(x[axis(x.length, a.int('axis'))], 'the normalised axis size');
      const affine = (a.bool('center') ? 1 : 0) + (a.bool('scale') ? 1 : 0);
      return { trainable: affine * c, nonTrainable: 2 * c, formula: f(affine + 2, '×', c) };
    },
    output(a, inputs) {
      const x = identityShape(inputs, 'BatchNormalization');
      axis(x.length, a.int('axis'));
      return x;
    },
    // At inference BatchNormalization is one scale-and-shift per element.
    multAdds: (_a, _inputs, out) => knownProduct(out as number[]),
    hyper: (a) => `axis ${a.int('axis')}`,
  },
  {
    type: 'LayerNormalization',
    factory: 'layerNormalization',
    framework: 'tfjs',
    family: 'norm',
    defaults: { axis: -1, center: true, scale: true, epsilon: 0.001 },
    docs: {
      summary: 'Normalises every sample over the given axis (or axes, default the last) with its own mean and variance, then scales by gamma and shifts by beta.',
      use: 'Transformers and RNNs, where batch statistics are unreliable.',
      formula: 'product of the normalised axes × 2 (gamma if scale, beta if center)',
      url: DOCS + 'layerNormalization',
    },
    params(a, inputs) {
      const x = single(inputs, 'LayerNormalization');
      const axes = a.numList('axis').map((d) => axis(x.length, d));
      const size = axes.reduce((p, ax) => p * need(x[ax], `input dimension ${ax}`), 1);
      const affine = (a.bool('center') ? 1 : 0) + (a.bool('scale') ? 1 : 0);
      return { trainable: affine * size, nonTrainable: 0, formula: f(affine, '×', axes.map((ax) => x[ax]).join(' × ')) };
    },
    output(a, inputs) {
      const x = identityShape(inputs, 'LayerNormalization');
      a.numList('axis').forEach((d) => axis(x.length, d));
      return x;
    },
    multAdds: (_a, _inputs, out) => knownProduct(out as number[]),
    hyper: (a) => `axis ${a.numList('axis').join(', ')}`,
  },
];
