import type { ModelSummary } from '../summary';
import { formatSeed } from './seed';
import { formatTorchinfo } from './torchinfo';
import { formatKeras } from './keras';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import { plainLines } from '../escape/plain';

/**
 * The printers over the measured summary (torchinfo's `formatting.py` role). Every printer is a
 * pure function from a ModelSummary to text ending in a newline. The text ones quote the user's
 * names and messages: their output is inert (escape/plain.ts: no control characters, ANSI escapes
 * or bidi overrides reach a terminal or a clipboard). JSON carries the strings as data.
 */

export type SummaryFormat = 'seed' | 'torchinfo' | 'keras' | 'json' | 'markdown';

export const SUMMARY_FORMATS: readonly SummaryFormat[] = ['seed', 'torchinfo', 'keras', 'json', 'markdown'];

export function formatSummary(model: ModelSummary, format: SummaryFormat): string {
  switch (format) {
    case 'seed':
      return plainLines(formatSeed(model));
    case 'torchinfo':
      return plainLines(formatTorchinfo(model));
    case 'keras':
      return plainLines(formatKeras(model));
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
