import type { LayerEntry } from '../types';
import { ConfigError } from '../../unknown';
import { f, single } from '../util';
import { DEVICE_DTYPE, DOCS } from './shared';

export const embeddings: LayerEntry[] = [
  {
    type: 'Embedding',
    framework: 'torch',
    family: 'embedding',
    signature: [
      { name: 'num_embeddings' },
      { name: 'embedding_dim' },
      { name: 'padding_idx', default: null },
      { name: 'max_norm', default: null },
      { name: 'norm_type', default: 2.0 },
      { name: 'scale_grad_by_freq', default: false },
      { name: 'sparse', default: false },
      { name: '_weight', default: null },
      ...DEVICE_DTYPE,
    ],
    docs: {
      summary: 'A lookup table: each integer index in the input selects a learned embedding_dim vector, so (*) becomes (*, embedding_dim).',
      use: 'Turning token ids into dense vectors at the start of language and recommendation models.',
      formula: 'num_embeddings × embedding_dim',
      url: DOCS + 'Embedding.html',
    },
    params(a) {
      const n = a.int('num_embeddings');
      const d = a.int('embedding_dim');
      const pad = a.optNum('padding_idx');
      if (pad !== undefined && (pad >= n || pad < -n)) throw new ConfigError('Embedding: padding_idx must be within num_embeddings');
      return { trainable: n * d, nonTrainable: 0, formula: f(n, '×', d) };
    },
    weights: (a) => ({ weight: [a.int('num_embeddings'), a.int('embedding_dim')] }),
    output: (a, inputs) => [...single(inputs, 'Embedding'), a.int('embedding_dim')],
    // A gather, not a multiply: torchinfo's weights × positions would overstate it by num_embeddings.
    multAdds: () => 0,
    // Token ids: batch and sequence length are both free.
    inferInput: () => [null, null],
    hyper: (a) => `${a.int('num_embeddings')} × ${a.int('embedding_dim')}`,
  },
];
