import type { Framework } from '../catalog/types';
import { commas } from '../catalog/util';
import { formatShape, type Shape } from '../shape';

/** tfjs prints an unknown dim as `None` (Keras heritage); torch-style summaries use `?`. */
export function shapeText(shape: Shape | null | undefined, framework: Framework): string {
  if (!shape) return '';
  return formatShape(shape, framework === 'tfjs' ? 'None' : '?');
}

/** `2,304`; `?` when unknown; empty for parameter-free nodes (keeps the boxes quiet). */
export function paramsText(n: number | null): string {
  if (n === null) return '?';
  return n === 0 ? '' : commas(n);
}
