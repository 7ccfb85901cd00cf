import { UnknownValue, isUnknown } from '../../../unknown';
import { toText } from '../soundness';
import type { Value } from '../../../framework/values';
import { NOT_HANDLED, Result } from './common';

/** `Math` functions over numbers (not `random`: it has no static value). */
export function mathCall(name: string, args: Value[]): Result {
  if (name === 'random') return new UnknownValue('Math.random() has no static value');
  const f = (Math as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') return NOT_HANDLED;
  for (const a of args) {
    if (isUnknown(a)) return a;
    if (typeof a !== 'number') return NOT_HANDLED; // JavaScript would convert: not modelled
  }
  return (f as (...xs: number[]) => number)(...(args as number[]));
}

export const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2 };
export const NUMBER_CONSTANTS: Record<string, number> = {
  MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  EPSILON: Number.EPSILON,
  MAX_VALUE: Number.MAX_VALUE,
  MIN_VALUE: Number.MIN_VALUE,
  POSITIVE_INFINITY: Infinity,
  NEGATIVE_INFINITY: -Infinity,
  NaN: NaN,
};

/** `Number.isInteger/isFinite/isNaN/isSafeInteger/parseInt/parseFloat` and the global functions. */
export function numberStatic(name: string, args: Value[]): Result {
  const a = args[0];
  if (isUnknown(a)) return a;
  switch (name) {
    case 'isInteger':
    case 'isFinite':
    case 'isNaN':
    case 'isSafeInteger':
      return Number[name](a);
    case 'parseInt':
    case 'parseFloat': {
      if (typeof a !== 'string' && typeof a !== 'number') return NOT_HANDLED;
      const radix = args[1];
      if (isUnknown(radix)) return radix;
      if (name === 'parseInt') return radix === undefined || typeof radix === 'number' ? Number.parseInt(String(a), radix as number | undefined) : NOT_HANDLED;
      return Number.parseFloat(String(a));
    }
  }
  return NOT_HANDLED;
}

/** `Number(x)`, `String(x)`, `Boolean(x)` called as functions. */
export function convert(name: 'Number' | 'String' | 'Boolean', args: Value[]): Result {
  const a = args[0];
  if (isUnknown(a)) return a;
  if (name === 'Boolean') return a !== null && typeof a === 'object' ? true : !!a;
  if (name === 'String') return args.length === 0 ? '' : toText(a);
  if (args.length === 0) return 0;
  if (a === null || a === undefined || typeof a !== 'object') return Number(a);
  return NOT_HANDLED;
}
