import type { LayerEntry } from '../types';
import { DOCS, NO_PARAMS, identityShape } from './common';

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
];
