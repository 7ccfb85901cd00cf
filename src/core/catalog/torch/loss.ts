import type { Args } from '../../args';
import type { LayerEntry, ParamSpec } from '../types';
import { Shape, ShapeError, broadcast, formatShape } from '../../shape';
import { Unknowable } from '../../unknown';
import { DOCS, NO_PARAMS } from './shared';

/**
 * The loss modules of torch.nn 1.13. None has parameters (a class `weight` or `pos_weight` is a
 * buffer). Their output is a scalar ([]) for reduction 'mean' and 'sum', and the per-sample or
 * per-element losses for 'none', whose shape each loss defines (the `none` rules below).
 */

/** The legacy size_average/reduce pair, when given, decides the reduction as PyTorch's _Reduction does. */
function reduction(a: Args): string {
  if (a.has('size_average') || a.has('reduce')) {
    const sizeAverage = a.has('size_average') ? a.bool('size_average') : true;
    const reduce = a.has('reduce') ? a.bool('reduce') : true;
    return sizeAverage && reduce ? 'mean' : reduce ? 'sum' : 'none';
  }
  const r = a.str('reduction');
  // KLDivLoss also takes 'batchmean' (the sum divided by the batch size): a scalar too.
  const valid = r === 'none' || r === 'mean' || r === 'sum' || (a.layerType === 'KLDivLoss' && r === 'batchmean');
  // PyTorch accepts any string at construction and raises when the loss is computed: a failure of the call.
  if (!valid) throw new ShapeError(`cannot reduce: ${r} is not a valid value for reduction`);
  return r;
}

const LEGACY: ParamSpec[] = [{ name: 'size_average', default: null }, { name: 'reduce', default: null }];
const REDUCTION: ParamSpec = { name: 'reduction', default: 'mean' };
const WEIGHT: ParamSpec = { name: 'weight', default: null };

function inputsOf(type: string, inputs: Shape[], n: number, names: string): Shape[] {
  if (inputs.length !== n) throw new ShapeError(`${type} takes ${names}, got ${inputs.length} tensors`);
  return inputs;
}

/** Element-wise losses: the losses have the broadcast shape of input and target. */
const elementwise = (type: string) => (inputs: Shape[]): Shape => {
  const [x, y] = inputsOf(type, inputs, 2, '(input, target)');
  return broadcast(x, y);
};

/** Losses that need target and input of the same size (BCE). */
const sameSize = (type: string) => (inputs: Shape[]): Shape => {
  const [x, y] = inputsOf(type, inputs, 2, '(input, target)');
  const same = x.length === y.length && x.every((d, i) => d === null || y[i] === null || d === y[i]);
  if (!same) throw new ShapeError(`expects a target of the input's size ${formatShape(x)} but receives ${formatShape(y)}`);
  return [...x];
};

/**
 * Class losses (CrossEntropyLoss, NLLLoss): input (C), (N, C) or (N, C, d1, …); target the class
 * indices (), (N) or (N, d1, …), or (CrossEntropyLoss) probabilities of the input's shape. One loss
 * per sample and position: the input without its class dim.
 */
const classLoss = (type: string, probabilities: boolean) => (inputs: Shape[]): Shape => {
  const [x, y] = inputsOf(type, inputs, 2, '(input, target)');
  if (x.length < 1) throw new ShapeError('expects an input with a class dim');
  const cls = x.length === 1 ? 0 : 1;
  const out = x.filter((_, i) => i !== cls);
  const matches = (want: Shape) => want.length === y.length && want.every((d, i) => d === null || y[i] === null || d === y[i]);
  if (matches(out)) return out;
  if (probabilities && matches(x)) return out;
  throw new ShapeError(`expects a target of shape ${formatShape(out)}${probabilities ? ` (or probabilities of shape ${formatShape(x)})` : ''} but receives ${formatShape(y)}`);
};

/** One loss per sample of (N, D) inputs, a scalar for unbatched (D). */
const perSample = (type: string, n: number, names: string) => (inputs: Shape[]): Shape => {
  const xs = inputsOf(type, inputs, n, names);
  const x = xs[0];
  if (x.length !== 1 && x.length !== 2) throw new ShapeError(`expects a 1-d or 2-d input but receives a ${x.length}-d tensor`);
  return x.length === 2 ? [x[0]] : [];
};

interface LossSpec {
  type: string;
  signature: ParamSpec[];
  summary: string;
  use: string;
  none(inputs: Shape[], a: Args): Shape;
}

function loss(s: LossSpec): LayerEntry {
  return {
    type: s.type,
    framework: 'torch',
    family: 'merge',
    arity: 'many',
    signature: s.signature,
    docs: {
      summary: `${s.summary} A scalar with reduction 'mean' (the default) or 'sum'; per-element losses with 'none'.`,
      use: s.use,
      formula: 'none (no parameters; a class weight is a buffer)',
      url: DOCS + `${s.type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const r = reduction(a);
      const each = s.none(inputs, a);
      return r === 'none' ? each : [];
    },
    multAdds: () => 0,
    hyper: (a) => reduction(a),
  };
}

const SPECS: LossSpec[] = [
  { type: 'L1Loss', signature: [...LEGACY, REDUCTION], summary: 'Mean absolute error |x − y|.', use: 'Regression robust to outliers.', none: elementwise('L1Loss') },
  { type: 'MSELoss', signature: [...LEGACY, REDUCTION], summary: 'Mean squared error (x − y)².', use: 'Regression.', none: elementwise('MSELoss') },
  {
    type: 'CrossEntropyLoss',
    signature: [WEIGHT, LEGACY[0], { name: 'ignore_index', default: -100 }, LEGACY[1], REDUCTION, { name: 'label_smoothing', default: 0.0 }],
    summary: 'Log-softmax of the logits and negative log-likelihood of the target classes (indices or probabilities).',
    use: 'Classification from raw logits.',
    none: classLoss('CrossEntropyLoss', true),
  },
  {
    type: 'NLLLoss',
    signature: [WEIGHT, LEGACY[0], { name: 'ignore_index', default: -100 }, LEGACY[1], REDUCTION],
    summary: 'Negative log-likelihood of the target classes, given log-probabilities.',
    use: 'Classification after LogSoftmax.',
    none: classLoss('NLLLoss', false),
  },
  {
    type: 'PoissonNLLLoss',
    signature: [{ name: 'log_input', default: true }, { name: 'full', default: false }, LEGACY[0], { name: 'eps', default: 1e-8 }, LEGACY[1], REDUCTION],
    summary: 'Negative log-likelihood of a Poisson-distributed target.',
    use: 'Count regression.',
    none: elementwise('PoissonNLLLoss'),
  },
  {
    type: 'GaussianNLLLoss',
    signature: [{ name: 'full', default: false }, { name: 'eps', default: 1e-6 }, REDUCTION],
    summary: 'Negative log-likelihood of a Gaussian target with predicted mean and variance: forward(input, target, var).',
    use: 'Regression with a predicted uncertainty.',
    none: (inputs) => {
      const [x, y, v] = inputsOf('GaussianNLLLoss', inputs, 3, '(input, target, var)');
      // A var with one dim fewer (homoscedastic over the last dim) is unsqueezed at the end.
      const var_ = v.length === x.length - 1 ? [...v, 1] : v;
      return broadcast(broadcast(x, y), var_);
    },
  },
  {
    type: 'KLDivLoss',
    signature: [...LEGACY, REDUCTION, { name: 'log_target', default: false }],
    summary: 'Kullback–Leibler divergence of the target distribution from the input log-probabilities.',
    use: 'Distillation, matching distributions.',
    none: elementwise('KLDivLoss'),
  },
  { type: 'BCELoss', signature: [WEIGHT, ...LEGACY, REDUCTION], summary: 'Binary cross-entropy of probabilities.', use: 'Binary and multi-label classification after a sigmoid.', none: sameSize('BCELoss') },
  {
    type: 'BCEWithLogitsLoss',
    signature: [WEIGHT, ...LEGACY, REDUCTION, { name: 'pos_weight', default: null }],
    summary: 'Sigmoid and binary cross-entropy in one numerically stable step.',
    use: 'Binary and multi-label classification from logits.',
    none: sameSize('BCEWithLogitsLoss'),
  },
  {
    type: 'MarginRankingLoss',
    signature: [{ name: 'margin', default: 0.0 }, ...LEGACY, REDUCTION],
    summary: 'max(0, −y (x1 − x2) + margin): forward(x1, x2, y) with y ∈ {1, −1}.',
    use: 'Learning to rank pairs.',
    none: (inputs) => {
      const [x1, x2, y] = inputsOf('MarginRankingLoss', inputs, 3, '(input1, input2, target)');
      return broadcast(broadcast(x1, x2), y);
    },
  },
  {
    type: 'HingeEmbeddingLoss',
    signature: [{ name: 'margin', default: 1.0 }, ...LEGACY, REDUCTION],
    summary: 'x where y = 1, max(0, margin − x) where y = −1.',
    use: 'Learning whether two inputs are similar from a distance.',
    none: elementwise('HingeEmbeddingLoss'),
  },
  {
    type: 'MultiLabelMarginLoss',
    signature: [...LEGACY, REDUCTION],
    summary: 'Multi-class multi-label hinge loss; the target lists class indices, ended by −1.',
    use: 'Multi-label classification with a margin.',
    none: perSample('MultiLabelMarginLoss', 2, '(input, target)'),
  },
  { type: 'HuberLoss', signature: [REDUCTION, { name: 'delta', default: 1.0 }], summary: 'Squared error below delta, absolute error above.', use: 'Robust regression (box regression, value functions).', none: elementwise('HuberLoss') },
  {
    type: 'SmoothL1Loss',
    signature: [...LEGACY, REDUCTION, { name: 'beta', default: 1.0 }],
    summary: 'Squared error below beta (scaled), absolute error above.',
    use: 'Bounding-box regression.',
    none: elementwise('SmoothL1Loss'),
  },
  { type: 'SoftMarginLoss', signature: [...LEGACY, REDUCTION], summary: 'Logistic loss log(1 + exp(−y x)) of a ±1 target.', use: 'Two-class classification with ±1 labels.', none: elementwise('SoftMarginLoss') },
  {
    type: 'MultiLabelSoftMarginLoss',
    signature: [WEIGHT, ...LEGACY, REDUCTION],
    summary: 'One-versus-all logistic loss averaged over the classes of each sample.',
    use: 'Multi-label classification.',
    none: (inputs) => {
      const [x] = inputsOf('MultiLabelSoftMarginLoss', inputs, 2, '(input, target)');
      if (x.length < 2) throw new ShapeError(`expects a (N, C) input but receives a ${x.length}-d tensor`);
      return x.filter((_, i) => i !== 1);
    },
  },
  {
    type: 'CosineEmbeddingLoss',
    signature: [{ name: 'margin', default: 0.0 }, ...LEGACY, REDUCTION],
    summary: '1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1: forward(x1, x2, y).',
    use: 'Learning embeddings from similar and dissimilar pairs.',
    none: perSample('CosineEmbeddingLoss', 3, '(input1, input2, target)'),
  },
  {
    type: 'MultiMarginLoss',
    signature: [{ name: 'p', default: 1 }, { name: 'margin', default: 1.0 }, WEIGHT, ...LEGACY, REDUCTION],
    summary: 'Multi-class hinge loss of (N, C) scores and (N) class indices.',
    use: 'Classification with an SVM-style margin.',
    none: perSample('MultiMarginLoss', 2, '(input, target)'),
  },
  {
    type: 'TripletMarginLoss',
    signature: [{ name: 'margin', default: 1.0 }, { name: 'p', default: 2.0 }, { name: 'eps', default: 1e-6 }, { name: 'swap', default: false }, ...LEGACY, REDUCTION],
    summary: 'max(d(a, p) − d(a, n) + margin, 0) of anchors, positives and negatives: forward(anchor, positive, negative).',
    use: 'Metric learning (face recognition, retrieval).',
    none: perSample('TripletMarginLoss', 3, '(anchor, positive, negative)'),
  },
  {
    type: 'TripletMarginWithDistanceLoss',
    signature: [{ name: 'distance_function', default: null }, { name: 'margin', default: 1.0 }, { name: 'swap', default: false }, REDUCTION],
    summary: 'The triplet margin loss with a distance function of your choice (pairwise distance by default).',
    use: 'Metric learning with a custom distance (cosine).',
    none: (inputs, a) => {
      // A custom distance decides the per-triplet shape; its reduced ('mean', 'sum') result stays a scalar.
      if (a.has('distance_function')) throw new Unknowable("the shape of a custom distance_function's result is not modelled");
      return perSample('TripletMarginWithDistanceLoss', 3, '(anchor, positive, negative)')(inputs);
    },
  },
  {
    type: 'CTCLoss',
    signature: [{ name: 'blank', default: 0 }, REDUCTION, { name: 'zero_infinity', default: false }],
    summary: 'Connectionist temporal classification: forward(log_probs (T, N, C), targets, input_lengths (N), target_lengths (N)), summing over every alignment of the target.',
    use: 'Speech and handwriting recognition, where input frames and target labels are not aligned.',
    none: (inputs) => {
      const [lp, , il, tl] = inputsOf('CTCLoss', inputs, 4, '(log_probs, targets, input_lengths, target_lengths)');
      if (lp.length !== 2 && lp.length !== 3) throw new ShapeError(`expects (T, N, C) or (T, C) log_probs but receives a ${lp.length}-d tensor`);
      const batch = lp.length === 3 ? lp[1] : null;
      for (const [lengths, what] of [[il, 'input_lengths'], [tl, 'target_lengths']] as const) {
        const want = lp.length === 3 ? 1 : 0;
        if (lengths.length !== want || (want === 1 && batch !== null && lengths[0] !== null && lengths[0] !== batch)) {
          throw new ShapeError(`expects ${what} of shape ${formatShape(lp.length === 3 ? [batch] : [])} but receives ${formatShape(lengths)}`);
        }
      }
      // 'mean' divides each loss by its target length, then averages: a scalar like the others.
      return lp.length === 3 ? [batch] : [];
    },
  },
];

export const losses: LayerEntry[] = SPECS.map(loss);
