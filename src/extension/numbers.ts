import { commas } from '../core/catalog/util';
import { formatShape } from '../core/shape';
import type { Shape } from '../core/shape';
import type { Framework } from '../core/catalog/types';

/**
 * How counts, sizes and shapes read in the editor (lenses, hover, panel). Pure: no `vscode`, so
 * the panel's view model and the lens titles can share it.
 */

export type NumberFormat = 'commas' | 'plain' | 'compact';
export const NUMBER_FORMATS: readonly NumberFormat[] = ['commas', 'plain', 'compact'];

/** 333853 → `333,853` (commas), `333853` (plain), `333.9K` (compact); null → `?`. */
export function count(n: number | null | undefined, format: NumberFormat = 'commas'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  const r = Math.round(n);
  switch (format) {
    case 'plain':
      return String(r);
    case 'compact':
      return compact(r);
    default:
      // By hand below 2^53: a process's first toLocaleString loads ICU's locale data (10–15 ms
      // idle, 65 ms in a starting window), and the first lens titles are that first call.
      return Number.isSafeInteger(r) ? commas(r) : r.toLocaleString('en-US');
  }
}

function compact(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, suffix] of units) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(1).replace(/\.0$/, '')}${suffix}`;
  }
  return String(n);
}

/**
 * A size in the unit that reads best: bytes below 1 KB, KB below 1 MB, then MB and GB (binary
 * units, 1 MB = 2^20 bytes, as torchinfo's "Params size (MB)"): a 665-parameter model is `2.6 KB`,
 * not `0.00 MB`. The one rule for every size in lenses, hovers and the panel.
 */
export function sizeText(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '?';
  if (bytes < 1024) return `${bytes} B`;
  // The unit is chosen on the rounded figure: 1,048,575 bytes reads `1.00 MB`, not `1024.0 KB`.
  const kb = (bytes / 1024).toFixed(1);
  if (Number(kb) < 1024) return `${kb} KB`;
  const mb = (bytes / 2 ** 20).toFixed(2);
  if (Number(mb) < 1024) return `${mb} MB`;
  return `${(bytes / 2 ** 30).toFixed(2)} GB`;
}

/** tfjs (like Keras) prints an unknown dim as `None`, PyTorch-style tables as `?`. */
export function unknownDimText(framework: Framework): string {
  return framework === 'tfjs' ? 'None' : '?';
}

export function shapeText(shape: Shape | null | undefined, framework: Framework): string {
  return shape ? formatShape(shape, unknownDimText(framework)) : '?';
}
