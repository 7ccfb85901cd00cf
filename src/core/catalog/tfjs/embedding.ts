import type { LayerEntry } from '../types';
import { f, single } from '../util';
import { Dim, ShapeError, formatShape } from '../../shape';
import { DOCS } from './common';

/** tfjs Embedding: `inputLength` (number or list) fills unknown input dims and must match known ones. */
function embeddingOutput(inputLength: Dim[] | null, x: Dim[], outputDim: number): Dim[] {
  if (inputLength === null) return [null, ...x.slice(1), outputDim];
  if (inputLength.length !== x.length - 1) {
    throw new ShapeError(`expects a ${inputLength.length + 1}-d input (inputLength ${formatShape(inputLength)}) but receives a ${x.length}-d tensor`);
  }
  const lens = inputLength.map((d, k) => {
    const seen = x[k + 1];
    if (d !== null && seen !== null && d !== seen) throw new ShapeError(`expects ${d} steps (inputLength) but receives ${seen}`);
    return d ?? seen;
  });
  return [null, ...lens, outputDim];
}

export const embedding: LayerEntry[] = [
  {
    type: 'Embedding',
    factory: 'embedding',
    framework: 'tfjs',
    family: 'embedding',
    defaults: { inputLength: null, maskZero: false },
    docs: {
      summary: 'Maps integer token ids in [0, inputDim) to dense vectors of size outputDim: [batch, seq] → [batch, seq, outputDim].',
      use: 'The first layer of text and other categorical-sequence models.',
      formula: 'inputDim × outputDim',
      url: DOCS + 'embedding',
    },
    params(a) {
      const i = a.int('inputDim');
      const o = a.int('outputDim');
      return { trainable: i * o, nonTrainable: 0, formula: f(i, '×', o) };
    },
    output(a, inputs) {
      const x = single(inputs, 'Embedding');
      const raw = a.raw('inputLength');
      const lens = raw === null || raw === undefined ? null : typeof raw === 'number' ? [raw] : a.dimList('inputLength');
      return embeddingOutput(lens, x, a.int('outputDim'));
    },
    inferInput(a) {
      const raw = a.raw('inputLength');
      if (typeof raw === 'number') return [null, raw];
      return [null, null];
    },
    hyper: (a) => `${a.int('inputDim')} → ${a.int('outputDim')}`,
  },
];
