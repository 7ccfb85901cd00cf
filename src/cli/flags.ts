import { parseShapeList } from '../core/framework/torchModel';
import type { Shape } from '../core/shape';

/** A bad command line: exit code 2 with a one-line message. */
export class UsageError extends Error {}

/** `--input-shape 64,128` for one input, `[8,50] [8,50]` for several. */
export function parseInputShapeFlag(v: string): Shape[] {
  const shapes = parseShapeList(v.includes('[') ? v : `[${v}]`);
  if (!shapes) throw new UsageError(`bad --input-shape "${v}" (expected sizes like 64,128)`);
  return shapes;
}
