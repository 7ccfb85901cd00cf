import type { LayerEntry } from '../types';
import { expectRank, single } from '../util';
import { Dim, ShapeError, formatShape, numel } from '../../shape';
import { ConfigError } from '../../unknown';
import { DOCS, NO_PARAMS } from './common';

/** Resolves tfjs's one `-1` in a Reshape target against the per-sample input size, checking the total. */
function reshapeTarget(target: number[], inputSize: number | null): Dim[] {
  const free = target.filter((d) => d === -1).length;
  if (free > 1) throw new ConfigError('Reshape: targetShape can contain at most one -1');
  const fixed = target.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const what = `elements per sample (targetShape ${formatShape(target)})`;
  if (inputSize === null) return target.map((d) => (d === -1 ? null : d));
  if (free === 0) {
    if (fixed !== inputSize) throw new ShapeError(`expects ${fixed} ${what} but receives ${inputSize}`);
    return target;
  }
  if (fixed === 0 || inputSize % fixed !== 0) {
    throw new ShapeError(`expects a multiple of ${fixed} ${what} but receives ${inputSize}`);
  }
  return target.map((d) => (d === -1 ? inputSize / fixed : d));
}

export const reshaping: LayerEntry[] = [
  {
    type: 'Flatten',
    factory: 'flatten',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { dataFormat: 'channelsLast' },
    docs: {
      summary: 'Flattens every sample to one vector: [batch, d1, d2, ...] → [batch, d1·d2·...].',
      use: 'Between convolution/pooling blocks and a Dense classifier head.',
      formula: 'no parameters',
      url: DOCS + 'flatten',
    },
    params: () => NO_PARAMS,
    output(_a, inputs) {
      const x = single(inputs, 'Flatten');
      // tfjs declares minNdim 3 for Flatten.
      if (x.length < 3) throw new ShapeError(`expects at least a 3-d input ([batch, ...]) but receives a ${x.length}-d tensor`);
      return [null, numel(x.slice(1))];
    },
  },
  {
    type: 'Reshape',
    factory: 'reshape',
    framework: 'tfjs',
    family: 'reshape',
    defaults: {},
    docs: {
      summary: 'Reshapes every sample to targetShape (the batch dimension is kept); one entry may be -1 to be inferred.',
      use: 'Turning a vector into an image-like tensor (e.g. in a decoder) or regrouping features.',
      formula: 'no parameters',
      url: DOCS + 'reshape',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'Reshape');
      return [null, ...reshapeTarget(a.numList('targetShape'), numel(x.slice(1)))];
    },
    hyper: (a) => formatShape(a.numList('targetShape')),
  },
  {
    type: 'Permute',
    factory: 'permute',
    framework: 'tfjs',
    family: 'reshape',
    defaults: {},
    docs: {
      summary: 'Permutes the non-batch axes of its input; dims are 1-based (1 is the first axis after the batch).',
      use: 'Swapping time and feature axes, or converting between channel layouts.',
      formula: 'no parameters',
      url: DOCS + 'permute',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'Permute');
      const dims = a.numList('dims');
      const sorted = [...dims].sort((p, q) => p - q);
      if (!sorted.every((d, i) => d === i + 1)) throw new ConfigError(`Permute: dims ${formatShape(dims)} should be a permutation of 1..${dims.length}`);
      if (x.length !== dims.length + 1) {
        throw new ShapeError(`expects a ${dims.length + 1}-d input (batch + ${dims.length} permuted axes) but receives a ${x.length}-d tensor`);
      }
      return [null, ...dims.map((d) => x[d])];
    },
    hyper: (a) => formatShape(a.numList('dims')),
  },
  {
    type: 'RepeatVector',
    factory: 'repeatVector',
    framework: 'tfjs',
    family: 'reshape',
    defaults: {},
    docs: {
      summary: 'Repeats a [batch, features] vector n times: output [batch, n, features].',
      use: 'Feeding an encoder vector to every step of a decoder RNN (seq2seq).',
      formula: 'no parameters',
      url: DOCS + 'repeatVector',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'RepeatVector');
      expectRank(x, [2], 'RepeatVector takes [batch, features]');
      return [null, a.int('n'), x[1]];
    },
    hyper: (a) => `× ${a.int('n')}`,
  },
];
