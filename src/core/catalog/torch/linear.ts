import type { LayerEntry } from '../types';
import { expectDim, f, single } from '../util';
import { ShapeError, knownProduct, withLast } from '../../shape';

const DOCS = 'https://pytorch.org/docs/stable/generated/torch.nn.';

const LINEAR: LayerEntry = {
  type: 'Linear',
  framework: 'torch',
  family: 'linear',
  signature: [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', default: true }, { name: 'device', default: null }, { name: 'dtype', default: null }],
  docs: {
    summary: 'Applies an affine transformation y = xWᵀ + b to the last dimension of its input.',
    use: 'The fully-connected layer: MLP hidden layers, classifier heads, projections.',
    formula: 'in_features × out_features + out_features (bias)',
    url: DOCS + 'Linear.html',
  },
  params(a) {
    const i = a.int('in_features');
    const o = a.int('out_features');
    const b = a.bool('bias');
    return { trainable: i * o + (b ? o : 0), nonTrainable: 0, formula: b ? f(i, '×', o, '+', o) : f(i, '×', o) };
  },
  weights: (a) => ({ weight: [a.int('out_features'), a.int('in_features')], ...(a.bool('bias') ? { bias: [a.int('out_features')] } : {}) }),
  output(a, inputs) {
    const x = single(inputs, 'Linear');
    if (x.length < 1) throw new ShapeError('expects at least a 1-d input but receives a scalar');
    expectDim(x[x.length - 1], a.int('in_features'), 'input features', 'in_features');
    return withLast(x, a.int('out_features'));
  },
  multAdds(a, _inputs, out) {
    const o = out as number[];
    const weights = a.int('in_features') * a.int('out_features') + (a.bool('bias') ? a.int('out_features') : 0);
    return weights * knownProduct(o, 0, o.length - 1);
  },
  inferInput: (a) => [null, a.int('in_features')],
  hyper: (a) => `${a.int('in_features')} → ${a.int('out_features')}`,
};

export const linear: LayerEntry[] = [
  LINEAR,
  // torch.nn.modules.linear's Linear subclass that MultiheadAttention registers as `out_proj` (it
  // only changes how quantization treats it): made by the catalog for MultiheadAttention's
  // submodules (torch.nn does not export it).
  {
    ...LINEAR,
    type: 'NonDynamicallyQuantizableLinear',
    docs: { ...LINEAR.docs, summary: 'The Linear layer MultiheadAttention registers as its out_proj: a Linear that quantization leaves alone. MultiheadAttention reads its weight and bias directly, so hooks never see it called.' },
  },
];
