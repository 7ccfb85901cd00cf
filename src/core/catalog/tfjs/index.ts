import type { LayerEntry } from '../types';
import { dense } from './dense';

/** Every tfjs layer factory ModelLens knows, grouped by file. */
export const tfjsEntries: LayerEntry[] = [...dense];
