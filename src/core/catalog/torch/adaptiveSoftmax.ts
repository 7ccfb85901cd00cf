import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { ShapeError } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectDim, f } from '../util';
import { DEVICE_DTYPE, DOCS } from './shared';

/**
 * AdaptiveLogSoftmaxWithLoss (Grave et al.): a head Linear(in, shortlist + clusters) and, per
 * cluster i, Linear(in, ⌊in / div_value^(i+1)⌋, bias=False) → Linear(that, cluster size, bias=False).
 * forward(input, target) returns the named tuple (output, loss): output (N) (the target's log-prob),
 * loss a scalar.
 */
interface Sizes {
  input: number;
  head: number;
  headBias: boolean;
  tails: { hidden: number; out: number }[];
}

function sizes(a: Args): Sizes {
  const input = a.int('in_features');
  const classes = a.int('n_classes');
  const cutoffs = a.numList('cutoffs');
  const div = a.num('div_value');
  const sorted = [...cutoffs].sort((x, y) => x - y);
  const bad = cutoffs.some((c, i) => c !== sorted[i]) || cutoffs.length === 0 || Math.min(...cutoffs) <= 0 || Math.max(...cutoffs) > classes - 1 ||
    new Set(cutoffs).size !== cutoffs.length || cutoffs.some((c) => !Number.isInteger(c));
  if (bad) throw new ConfigError('AdaptiveLogSoftmaxWithLoss: cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1');
  const all = [...cutoffs, classes];
  const clusters = all.length - 1;
  const tails = Array.from({ length: clusters }, (_, i) => ({ hidden: Math.floor(Math.floor(input / div ** (i + 1))), out: all[i + 1] - all[i] }));
  return { input, head: all[0] + clusters, headBias: a.bool('head_bias'), tails };
}

export const adaptiveSoftmax: LayerEntry = {
  type: 'AdaptiveLogSoftmaxWithLoss',
  framework: 'torch',
  family: 'linear',
  arity: 'many',
  signature: [{ name: 'in_features' }, { name: 'n_classes' }, { name: 'cutoffs' }, { name: 'div_value', default: 4.0 }, { name: 'head_bias', default: false }, ...DEVICE_DTYPE],
  docs: {
    summary: 'An efficient softmax over a large vocabulary: frequent classes in a head, rare ones in smaller clusters. forward(input, target) returns (output, loss).',
    use: 'Language models with very large vocabularies.',
    formula: 'in × (cutoffs[0] + clusters) (+ bias) + Σ cluster i: in × h_i + h_i × size_i, h_i = ⌊in / div_value^(i+1)⌋',
    url: DOCS + 'AdaptiveLogSoftmaxWithLoss.html',
  },
  params(a) {
    const s = sizes(a);
    const head = s.input * s.head + (s.headBias ? s.head : 0);
    const tail = s.tails.reduce((n, t) => n + s.input * t.hidden + t.hidden * t.out, 0);
    const parts: (number | string)[] = [s.input, '×', s.head];
    if (s.headBias) parts.push('+', s.head);
    for (const t of s.tails) parts.push('+', s.input, '×', t.hidden, '+', t.hidden, '×', t.out);
    return { trainable: head + tail, nonTrainable: 0, formula: f(...parts) };
  },
  output(a, inputs) {
    const s = sizes(a);
    if (inputs.length !== 2) throw new ShapeError(`takes (input, target), got ${inputs.length} tensors`);
    const [x, y] = inputs;
    if (x.length === 2) {
      if (y.length !== 1) throw new ShapeError(`expects a 1-d target for a 2-d input but receives a ${y.length}-d target`);
      if (x[0] !== null && y[0] !== null && x[0] !== y[0]) throw new ShapeError(`expects as many targets as inputs (${x[0]}) but receives ${y[0]}`);
    } else if (x.length === 1) {
      if (y.length !== 0) throw new ShapeError(`expects a 0-d target for a 1-d input but receives a ${y.length}-d target`);
    } else throw new ShapeError(`expects a 1-d or 2-d input but receives a ${x.length}-d tensor`);
    expectDim(x[x.length - 1], s.input, 'input features', 'in_features');
    return { tuple: [x.length === 2 ? [x[0] ?? y[0]] : [], []] };
  },
  inferInput: (a) => [null, a.int('in_features')],
  hyper: (a) => `${a.int('in_features')} → ${a.int('n_classes')}`,
};
