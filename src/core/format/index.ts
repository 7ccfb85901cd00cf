import type { ModelSummary } from '../summary';
import { formatSeed } from './seed';
import { formatTorchinfo } from './torchinfo';
import { formatKeras } from './keras';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';

/**
 * The printers over the measured summary (torchinfo's `formatting.py` role). Every printer is a
 * pure function from a ModelSummary to text ending in a newline.
 */

export type SummaryFormat = 'seed' | 'torchinfo' | 'keras' | 'json' | 'markdown';

export const SUMMARY_FORMATS: readonly SummaryFormat[] = ['seed', 'torchinfo', 'keras', 'json', 'markdown'];

export function formatSummary(model: ModelSummary, format: SummaryFormat): string {
  switch (format) {
    case 'seed':
      return formatSeed(model);
    case 'torchinfo':
      return formatTorchinfo(model);
    case 'keras':
      return formatKeras(model);
    case 'json':
      return formatJson(model);
    case 'markdown':
      return formatMarkdown(model);
  }
}

export { formatFileJson, modelJson } from './json';
export { formatSeed } from './seed';
export { formatTorchinfo } from './torchinfo';
export type { TorchinfoOptions } from './torchinfo';
export { formatKeras } from './keras';
export { formatMarkdown } from './markdown';
