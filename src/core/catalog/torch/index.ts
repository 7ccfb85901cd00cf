import type { LayerEntry } from '../types';
import { linear } from './linear';

/** Every PyTorch-shaped layer kind ModelLens knows, grouped by file. */
export const torchEntries: LayerEntry[] = [...linear];
