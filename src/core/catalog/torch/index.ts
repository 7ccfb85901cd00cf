import type { LayerEntry } from '../types';
import { activations } from './activation';
import { adaptiveSoftmax } from './adaptiveSoftmax';
import { attention } from './attention';
import { cells } from './cells';
import { containers } from './containers';
import { convs } from './conv';
import { dropouts } from './dropout';
import { distances } from './distance';
import { embeddings } from './embedding';
import { extras } from './extra';
import { linear } from './linear';
import { losses } from './loss';
import { norms } from './norm';
import { pools } from './pool';
import { recurrents } from './recurrent';
import { reshapes } from './reshape';
import { spatials } from './spatial';

/** Every PyTorch-shaped layer kind ModelLens knows, grouped by file. */
export const torchEntries: LayerEntry[] = [
  ...linear,
  ...reshapes,
  ...spatials,
  ...dropouts,
  ...activations,
  ...convs,
  ...pools,
  ...norms,
  ...embeddings,
  ...recurrents,
  ...cells,
  ...attention,
  ...extras,
  ...distances,
  adaptiveSoftmax,
  ...losses,
  ...containers,
];
