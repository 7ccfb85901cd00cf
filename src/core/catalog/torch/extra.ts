import { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Shape, ShapeError, dimOp, knownProduct } from '../../shape';
import { ConfigError, Unknowable } from '../../unknown';
import { expectDim, expectRank, f, single } from '../util';
import { DEVICE_DTYPE, DOCS, NO_PARAMS } from './shared';
import { convs } from './conv';
import { linear } from './linear';
import { norms } from './norm';

/**
 * torch.nn modules of 1.13 that change shapes or hold weights and are not in the other files:
 * Bilinear, EmbeddingBag, Fold/Unfold, and the lazy modules (their first input fixes the size the
 * eager module takes as its first argument).
 */

/** Bilinear: y = x1ᵀ A x2 + b, one (in1 × in2) matrix per output feature. */
const bilinear: LayerEntry = {
  type: 'Bilinear',
  framework: 'torch',
  family: 'linear',
  arity: 'many',
  signature: [{ name: 'in1_features' }, { name: 'in2_features' }, { name: 'out_features' }, { name: 'bias', default: true }, ...DEVICE_DTYPE],
  docs: {
    summary: 'A bilinear form of two inputs: y = x1ᵀ A x2 + b, (*, in1) and (*, in2) → (*, out).',
    use: 'Scoring pairs (relation classifiers, biaffine parsers), fusing two feature vectors.',
    formula: 'out_features × in1_features × in2_features + out_features (bias)',
    url: DOCS + 'Bilinear.html',
  },
  params(a) {
    const [i1, i2, o] = [a.int('in1_features'), a.int('in2_features'), a.int('out_features')];
    const b = a.bool('bias');
    return { trainable: o * i1 * i2 + (b ? o : 0), nonTrainable: 0, formula: b ? f(o, '×', i1, '×', i2, '+', o) : f(o, '×', i1, '×', i2) };
  },
  weights: (a) => ({ weight: [a.int('out_features'), a.int('in1_features'), a.int('in2_features')], ...(a.bool('bias') ? { bias: [a.int('out_features')] } : {}) }),
  output(a, inputs) {
    if (inputs.length !== 2) throw new ShapeError(`takes two inputs, got ${inputs.length}`);
    const [x1, x2] = inputs;
    if (x1.length !== x2.length) throw new ShapeError(`expects inputs of the same rank but receives ${x1.length}-d and ${x2.length}-d`);
    if (x1.length < 1) throw new ShapeError('expects at least 1-d inputs');
    expectDim(x1[x1.length - 1], a.int('in1_features'), 'input1 features', 'in1_features');
    expectDim(x2[x2.length - 1], a.int('in2_features'), 'input2 features', 'in2_features');
    x1.slice(0, -1).forEach((d, i) => {
      const e = x2[i];
      if (d !== null && e !== null && d !== e) throw new ShapeError(`expects inputs with the same leading dims but receives ${d} and ${e} in dim ${i}`);
    });
    return [...x1.slice(0, -1).map((d, i) => d ?? x2[i]), a.int('out_features')];
  },
  multAdds(a, _inputs, out) {
    const o = out as Shape;
    return a.int('out_features') * a.int('in1_features') * a.int('in2_features') * knownProduct(o, 0, o.length - 1);
  },
  hyper: (a) => `${a.int('in1_features')} × ${a.int('in2_features')} → ${a.int('out_features')}`,
};

/** EmbeddingBag: sums/means/maxes the embeddings of each bag; (B, N) → (B, dim), or 1-d ids with offsets. */
const embeddingBag: LayerEntry = {
  type: 'EmbeddingBag',
  framework: 'torch',
  family: 'embedding',
  arity: 'many',
  signature: [
    { name: 'num_embeddings' },
    { name: 'embedding_dim' },
    { name: 'max_norm', default: null },
    { name: 'norm_type', default: 2.0 },
    { name: 'scale_grad_by_freq', default: false },
    { name: 'mode', default: 'mean' },
    { name: 'sparse', default: false },
    { name: '_weight', default: null },
    { name: 'include_last_offset', default: false },
    { name: 'padding_idx', default: null },
    ...DEVICE_DTYPE,
  ],
  docs: {
    summary: 'Embeds each bag of indices and reduces it (sum, mean or max) without building the (bag, N, dim) tensor.',
    use: 'Bag-of-words text classifiers, recommendation features with many ids per example.',
    formula: 'num_embeddings × embedding_dim',
    url: DOCS + 'EmbeddingBag.html',
  },
  params(a) {
    const n = a.int('num_embeddings');
    const d = a.int('embedding_dim');
    if (!['sum', 'mean', 'max'].includes(a.str('mode'))) throw new ConfigError(`EmbeddingBag: mode must be 'sum', 'mean' or 'max', not '${a.str('mode')}'`);
    const pad = a.optNum('padding_idx');
    if (pad !== undefined && (pad >= n || pad < -n)) throw new ConfigError('EmbeddingBag: padding_idx must be within num_embeddings');
    return { trainable: n * d, nonTrainable: 0, formula: f(n, '×', d) };
  },
  weights: (a) => ({ weight: [a.int('num_embeddings'), a.int('embedding_dim')] }),
  output(a, inputs) {
    const d = a.int('embedding_dim');
    const [x, offsets] = inputs;
    if (!x) throw new ShapeError('takes the indices as input');
    if (x.length === 2) {
      if (offsets) throw new ShapeError('takes no offsets with a 2-d input (each row is a bag)');
      return [x[0], d];
    }
    if (x.length !== 1) throw new ShapeError(`expects a 1-d or 2-d input but receives a ${x.length}-d tensor`);
    if (!offsets) throw new ShapeError('needs offsets with a 1-d input');
    if (offsets.length !== 1) throw new ShapeError(`expects 1-d offsets but receives ${offsets.length}-d`);
    return [dimOp((b) => (a.bool('include_last_offset') ? b - 1 : b), offsets[0]), d];
  },
  multAdds: () => 0,
  inferInput: () => [null, null],
  hyper: (a) => `${a.int('num_embeddings')} × ${a.int('embedding_dim')}, ${a.str('mode')}`,
};

/** How many sliding blocks fit along each spatial dim (F.unfold / F.fold). */
function blocks(spatial: number[], a: Args): number[] {
  const k = a.ints('kernel_size', 2);
  const dil = a.ints('dilation', 2);
  const pad = a.ints('padding', 2);
  const st = a.ints('stride', 2);
  return spatial.map((s, i) => {
    const n = Math.floor((s + 2 * pad[i] - dil[i] * (k[i] - 1) - 1) / st[i]) + 1;
    if (n <= 0) throw new ShapeError(`leaves no sliding block along spatial dim ${i} (size ${s})`);
    return n;
  });
}

const BLOCK_ARGS = [{ name: 'dilation', default: 1 }, { name: 'padding', default: 0 }, { name: 'stride', default: 1 }];

const unfold: LayerEntry = {
  type: 'Unfold',
  framework: 'torch',
  family: 'reshape',
  signature: [{ name: 'kernel_size' }, ...BLOCK_ARGS],
  docs: {
    summary: 'Extracts sliding local blocks: (N, C, H, W) → (N, C × ∏kernel_size, L), L the number of blocks.',
    use: 'Patch extraction (im2col), custom convolutions and attention over local windows.',
    formula: 'none (no parameters)',
    url: DOCS + 'Unfold.html',
  },
  params: () => NO_PARAMS,
  output(a, inputs) {
    const x = single(inputs, 'Unfold');
    expectRank(x, [3, 4], '(C, H, W) or (N, C, H, W)');
    const lead = x.slice(0, x.length - 3);
    const [c, h, w] = x.slice(x.length - 3);
    const k = a.ints('kernel_size', 2);
    const l = h === null || w === null ? null : blocks([h, w], a).reduce((p, q) => p * q, 1);
    return [...lead, dimOp((v) => v * k[0] * k[1], c), l];
  },
  hyper: (a) => `${a.ints('kernel_size', 2).join('×')} blocks`,
};

const fold: LayerEntry = {
  type: 'Fold',
  framework: 'torch',
  family: 'reshape',
  signature: [{ name: 'output_size' }, { name: 'kernel_size' }, ...BLOCK_ARGS],
  docs: {
    summary: 'Sums sliding local blocks back into a tensor: (N, C × ∏kernel_size, L) → (N, C, *output_size).',
    use: 'The inverse of Unfold (col2im): overlap-add of patches.',
    formula: 'none (no parameters)',
    url: DOCS + 'Fold.html',
  },
  params: () => NO_PARAMS,
  output(a, inputs) {
    const x = single(inputs, 'Fold');
    expectRank(x, [2, 3], '(C × ∏kernel_size, L) or (N, C × ∏kernel_size, L)');
    const lead = x.slice(0, x.length - 2);
    const [ck, l] = x.slice(x.length - 2);
    const k = a.ints('kernel_size', 2);
    const out = a.ints('output_size', 2);
    const per = k[0] * k[1];
    if (ck !== null && ck % per !== 0) throw new ShapeError(`expects its channel dim (${ck}) to be divisible by the kernel's ${per} positions`);
    const want = blocks(out, a).reduce((p, q) => p * q, 1);
    expectDim(l, want, 'blocks');
    return [...lead, dimOp((v) => v / per, ck), ...out];
  },
  hyper: (a) => `→ ${a.ints('output_size', 2).join('×')}`,
};

/**
 * LazyLinear, LazyConvNd, LazyConvTransposeNd, LazyBatchNormNd: the eager module whose first
 * argument (in_features, in_channels, num_features) is the first input's feature size. Before a
 * call there is nothing to count (PyTorch's UninitializedParameter), so the count is unknown.
 */
function lazy(eager: LayerEntry, first: string, featureAxis: (x: Shape, rank: number) => number, rank: number, defaults: Record<string, boolean> = {}): LayerEntry {
  const type = `Lazy${eager.type}`;
  // The lazy form may default differently (LazyInstanceNorm: affine and track_running_stats True).
  const sig = eager.signature!.filter((p) => p.name !== first).map((p) => (p.name in defaults ? { ...p, default: defaults[p.name] } : p));
  const toEager = (a: Args, inputs: Shape[]): Args => {
    const x = inputs[0];
    if (!x) throw new Unknowable(`${type} takes its ${first} from its first input, and it is not called with a known shape`);
    const d = x[featureAxis(x, rank)];
    if (d === null || d === undefined) throw new Unknowable(`${type} takes its ${first} from its first input, whose size there is unknown`);
    return new Args(type, { ...a.values, [first]: d });
  };
  return {
    ...eager,
    type,
    signature: sig,
    docs: {
      ...eager.docs,
      summary: `${eager.type} whose ${first} is taken from its first input. ${eager.docs.summary}`,
      url: DOCS + `${type}.html`,
    },
    expand: undefined,
    weights: undefined,
    params: (a, inputs) => eager.params(toEager(a, inputs), inputs),
    output: (a, inputs) => eager.output(toEager(a, inputs), inputs),
    multAdds: eager.multAdds ? (a, inputs, out) => eager.multAdds!(toEager(a, inputs), inputs, out) : undefined,
    inferInput: undefined,
    hyper: undefined,
  };
}

const byType = (list: LayerEntry[], t: string): LayerEntry => {
  const e = list.find((x) => x.type === t);
  if (!e) throw new Error(`no ${t}`);
  return e;
};
/** Channels: dim 1 of a batched input, dim 0 of an unbatched one (rank = spatial dims + 1). */
const channelAxis = (x: Shape, spatial: number): number => (x.length === spatial + 1 ? 0 : 1);

const lazies: LayerEntry[] = [
  lazy(byType(linear, 'Linear'), 'in_features', (x) => x.length - 1, 0),
  ...[1, 2, 3].map((n) => lazy(byType(convs, `Conv${n}d`), 'in_channels', channelAxis, n)),
  ...[1, 2, 3].map((n) => lazy(byType(convs, `ConvTranspose${n}d`), 'in_channels', channelAxis, n)),
  // BatchNorm1d takes (N, C) or (N, C, L): the features are always dim 1.
  ...[1, 2, 3].map((n) => lazy(byType(norms, `BatchNorm${n}d`), 'num_features', () => 1, n)),
  // PyTorch 1.13's _LazyNormBase takes num_features from dim 1 even of an unbatched InstanceNorm
  // input (whose channels are dim 0), which then fails unless nothing is sized by it. Unlike
  // InstanceNorm, the lazy form defaults to affine=True and track_running_stats=True.
  ...[1, 2, 3].map((n) => lazy(byType(norms, `InstanceNorm${n}d`), 'num_features', () => 1, n, { affine: true, track_running_stats: true })),
];

export const extras: LayerEntry[] = [bilinear, embeddingBag, unfold, fold, ...lazies];
