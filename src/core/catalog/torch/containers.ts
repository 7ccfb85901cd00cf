import type { LayerEntry } from '../types';
import { DOCS, NO_PARAMS, sameShape } from './shared';

/**
 * Containers own no parameters; the engine expands their children into rows and threads the
 * input through them. Their `output` is only the identity placeholder the contract asks for.
 */
export const containers: LayerEntry[] = [
  {
    type: 'Sequential',
    framework: 'torch',
    family: 'container',
    container: 'sequential',
    signature: [{ name: 'modules', rest: true }],
    docs: {
      summary: 'Runs its child modules in order, feeding each one the previous output.',
      use: 'Straight-line stacks of layers (feature extractors, MLP heads).',
      formula: 'sum of the children (none of its own)',
      url: DOCS + 'Sequential.html',
    },
    params: () => NO_PARAMS,
    output: sameShape('Sequential'),
    hyper: (a) => `${a.layers('modules').length} modules`,
  },
  {
    type: 'ModuleList',
    framework: 'torch',
    family: 'container',
    container: 'modulelist',
    signature: [{ name: 'modules', default: [] }],
    docs: {
      summary: 'Holds submodules in a list so their parameters are registered; it has no forward of its own.',
      use: 'A variable number of blocks iterated over in forward.',
      formula: 'sum of the children (none of its own)',
      url: DOCS + 'ModuleList.html',
    },
    params: () => NO_PARAMS,
    output: sameShape('ModuleList'),
    hyper: (a) => `${a.layers('modules').length} modules`,
  },
];
