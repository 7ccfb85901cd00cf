import type { ParamCount } from '../catalog/types';
import { Out, Shape, ShapeError, flattenOut, isTuple } from '../shape';
import { ConfigError, Unknowable } from '../unknown';

/**
 * Guards on what catalog rules compute from user values. Both libraries refuse negative and
 * fractional sizes ("negative dimension", "positive integers"); a count past 2^53 cannot be
 * represented exactly, so it is unknown rather than a rounded guess or Infinity.
 */
function count(n: number, what: string): void {
  if (Number.isNaN(n)) throw new ConfigError(`the ${what} is not a number: a size argument is not a whole number`);
  if (n < 0 || (Number.isFinite(n) && !Number.isInteger(n))) throw new ConfigError(`a size argument is negative or fractional (the ${what} would be ${n}); PyTorch and tfjs reject it`);
  if (!Number.isFinite(n) || n > Number.MAX_SAFE_INTEGER) throw new Unknowable(`the ${what} is too large to count exactly`);
}

export function checkedParams(p: ParamCount): ParamCount {
  count(p.trainable, 'parameter count');
  count(p.nonTrainable, 'parameter count');
  return p;
}

export function checkedOutput(out: Out): Out {
  if (!isTuple(out)) checkShape(out);
  else for (const s of flattenOut(out)) checkShape(s);
  return out;
}

export function checkShape(s: Shape): void {
  for (let i = 0; i < s.length; i++) {
    const d = s[i];
    if (d === null) continue;
    if (Number.isNaN(d) || d < 0 || (Number.isFinite(d) && !Number.isInteger(d))) throw new ShapeError(`gives a negative or fractional size (${d}): check the layer's arguments`);
    if (!Number.isFinite(d) || d > Number.MAX_SAFE_INTEGER) throw new Unknowable('a dimension is too large to represent exactly');
  }
}

/** Mult-adds are an estimate: a non-finite one is simply unknown. */
export function checkedMultAdds(n: number): number | null {
  return Number.isFinite(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? n : null;
}

/** Input dims: positive integers or unknown (tfjs: "a shape comprised of positive integers"). */
export function validInputShape(s: (number | null)[]): boolean {
  return s.every((d) => d === null || (Number.isInteger(d) && d >= 0 && d <= Number.MAX_SAFE_INTEGER));
}
