import type { LayerEntry } from '../types';
import { Shape, ShapeError, broadcast } from '../../shape';
import { ConfigError } from '../../unknown';
import { DOCS, NO_PARAMS } from './shared';

/** CosineSimilarity and PairwiseDistance: two inputs, broadcast, reduced over one dim. */

function two(type: string, inputs: Shape[]): Shape {
  if (inputs.length !== 2) throw new ShapeError(`${type} takes (x1, x2), got ${inputs.length} tensors`);
  return broadcast(inputs[0], inputs[1]);
}

export const distances: LayerEntry[] = [
  {
    type: 'CosineSimilarity',
    framework: 'torch',
    family: 'merge',
    arity: 'many',
    signature: [{ name: 'dim', default: 1 }, { name: 'eps', default: 1e-8 }],
    docs: {
      summary: 'Cosine similarity of x1 and x2 along dim (broadcast first); that dim is reduced away.',
      use: 'Comparing embeddings (retrieval, contrastive heads).',
      formula: 'none (no parameters)',
      url: DOCS + 'CosineSimilarity.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = two('CosineSimilarity', inputs);
      const d = a.int('dim');
      if (d < -x.length || d >= Math.max(x.length, 1)) throw new ShapeError(`dim ${d} is out of range for ${x.length}-d inputs`);
      const axis = d < 0 ? d + x.length : d;
      return x.filter((_, i) => i !== axis);
    },
    hyper: (a) => `dim ${a.int('dim')}`,
  },
  {
    type: 'PairwiseDistance',
    framework: 'torch',
    family: 'merge',
    arity: 'many',
    signature: [{ name: 'p', default: 2.0 }, { name: 'eps', default: 1e-6 }, { name: 'keepdim', default: false }],
    docs: {
      summary: 'The p-norm distance ‖x1 − x2 + eps‖_p over the last dim of the broadcast inputs.',
      use: 'Distances between embeddings (siamese networks, metric learning).',
      formula: 'none (no parameters)',
      url: DOCS + 'PairwiseDistance.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      a.num('p');
      const x = two('PairwiseDistance', inputs);
      if (x.length === 0) throw new ConfigError('PairwiseDistance: expects inputs with at least one dim');
      return a.bool('keepdim') ? [...x.slice(0, -1), 1] : x.slice(0, -1);
    },
    hyper: (a) => `p=${a.num('p')}`,
  },
];
