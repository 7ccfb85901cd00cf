import type { LayerEntry } from '../types';
import { activations } from './activations';
import { cells } from './cells';
import { convolutional } from './conv';
import { dense } from './dense';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { input } from './input';
import { merge } from './merge';
import { normalization } from './normalization';
import { padding } from './padding';
import { pooling } from './pooling';
import { preprocessing } from './preprocessing';
import { recurrentLayers } from './recurrent';
import { reshaping } from './reshaping';
import { wrappers } from './wrappers';

/** Every tfjs layer factory ModelLens knows, grouped by file. */
export const tfjsEntries: LayerEntry[] = [
  ...input,
  ...dense,
  ...activations,
  ...dropout,
  ...reshaping,
  ...padding,
  ...preprocessing,
  ...convolutional,
  ...pooling,
  ...normalization,
  ...embedding,
  ...recurrentLayers,
  ...cells,
  ...wrappers,
  ...merge,
];
