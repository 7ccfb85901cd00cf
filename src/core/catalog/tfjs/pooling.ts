import type { Args, ArgValue } from '../../args';
import type { LayerEntry } from '../types';
import { expectRank, single } from '../util';
import { DOCS, NO_PARAMS, alias, convLength, layoutAxes, spatialInput, times } from './common';

/** tfjs pooling: strides default to poolSize, output length as in convolutions. */
function poolWindow(a: Args, rank: number): { pool: number[]; strides: number[] } {
  const pool = a.ints('poolSize', rank);
  return { pool, strides: a.has('strides') ? a.ints('strides', rank) : pool };
}

function pool(kind: 'Max' | 'Average', rank: number): LayerEntry {
  const type = `${kind}Pooling${rank}D`;
  const factory = `${kind === 'Max' ? 'max' : 'average'}Pooling${rank}d`;
  const what = kind === 'Max' ? 'maximum' : 'mean';
  // Pooling1D in tfjs has no dataFormat (its computeOutputShape always reads [batch, steps, channels]).
  const defaults: Record<string, ArgValue> = rank === 1 ? { poolSize: 2, strides: null, padding: 'valid' } : { poolSize: 2, strides: null, padding: 'valid', dataFormat: 'channelsLast' };
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'pool',
    defaults,
    docs: {
      summary: `${rank}-D ${kind.toLowerCase()} pooling: the ${what} of every poolSize window, moved by strides (default poolSize).`,
      use: kind === 'Max' ? 'Downsampling feature maps while keeping the strongest responses.' : 'Downsampling feature maps by averaging neighbourhoods.',
      formula: 'no parameters',
      url: DOCS + factory,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(inputs, type, rank);
      const { pool: p, strides: s } = poolWindow(a, rank);
      const pad = a.str('padding');
      const spatial = rank === 1 ? [1] : layoutAxes(a, rank).spatial;
      const out = [...x];
      out[0] = null;
      spatial.forEach((axis, i) => (out[axis] = convLength(x[axis], p[i], pad, s[i])));
      return out;
    },
    hyper: (a) => {
      const { pool: p, strides: s } = poolWindow(a, rank);
      return `${times(p)}${s.join() === p.join() ? '' : ` /${times(s)}`}`;
    },
  };
}

function globalPool(kind: 'Max' | 'Average', rank: number): LayerEntry {
  const type = `Global${kind}Pooling${rank}D`;
  const factory = `global${kind}Pooling${rank}d`;
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'pool',
    defaults: rank === 1 ? {} : { dataFormat: 'channelsLast' },
    docs: {
      summary: `Global ${kind.toLowerCase()} pooling: reduces every channel over all ${rank === 1 ? 'steps' : 'rows and columns'} to one number → [batch, channels].`,
      use: 'Replacing Flatten before a classifier head, independent of the input size.',
      formula: 'no parameters',
      url: DOCS + factory,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, type);
      expectRank(x, [rank + 2], `${type} takes [batch, ${rank === 1 ? 'steps' : 'rows, cols'}, channels]`);
      return [null, x[rank === 1 ? 2 : layoutAxes(a, rank).channel]];
    },
  };
}

const maxPooling1d = pool('Max', 1);
const maxPooling2d = pool('Max', 2);
const maxPooling3d = pool('Max', 3);
const averagePooling1d = pool('Average', 1);
const averagePooling2d = pool('Average', 2);
const averagePooling3d = pool('Average', 3);
const globalMaxPooling1d = globalPool('Max', 1);
const globalMaxPooling2d = globalPool('Max', 2);

export const pooling: LayerEntry[] = [
  maxPooling1d,
  maxPooling2d,
  maxPooling3d,
  averagePooling1d,
  averagePooling2d,
  averagePooling3d,
  globalMaxPooling1d,
  globalMaxPooling2d,
  globalPool('Average', 1),
  globalPool('Average', 2),
  // tfjs's shorter spellings of the same layers.
  alias(maxPooling1d, 'maxPool1d'),
  alias(maxPooling2d, 'maxPool2d'),
  alias(averagePooling1d, 'avgPool1d'),
  alias(averagePooling1d, 'avgPooling1d'),
  alias(averagePooling2d, 'avgPool2d'),
  alias(averagePooling2d, 'avgPooling2d'),
  alias(averagePooling3d, 'avgPool3d'),
  alias(averagePooling3d, 'avgPooling3d'),
  alias(globalMaxPooling1d, 'globalMaxPool1d'),
  alias(globalMaxPooling2d, 'globalMaxPool2d'),
];
