import { UnknownValue, isUnknown } from '../../../unknown';
import type { Interp } from '../interp';
import { toText } from '../soundness';
import type { Value } from '../../../framework/values';
import { NOT_HANDLED, Result, charge, firstUnknown } from './common';

/** Largest string a built-in may make (`'x'.repeat(n)`): beyond it the result is unknown. */
const MAX_STRING = 1 << 20;

/**
 * String methods with string or number arguments (regular expressions are not evaluated: a
 * call with one is not handled, so its result is unknown).
 */
export function stringMethod(interp: Interp, s: string, method: string, args: Value[]): Result {
  const u = firstUnknown(args);
  if (u) return u;
  charge(interp, 1 + (s.length >> 4));
  const [a, b] = args;
  const str = (v: Value) => typeof v === 'string';
  const num = (v: Value) => typeof v === 'number';
  const opt = (v: Value) => v === undefined || typeof v === 'number';
  switch (method) {
    case 'split': {
      if (a === undefined) return [s];
      if (!str(a) || !opt(b)) return NOT_HANDLED;
      const parts = s.split(a as string, b as number | undefined);
      charge(interp, parts.length);
      return parts;
    }
    case 'startsWith':
    case 'endsWith':
    case 'includes':
      if (!str(a) || !opt(b)) return NOT_HANDLED;
      return s[method](a as string, b as number | undefined);
    case 'indexOf':
    case 'lastIndexOf':
      if (!str(a) || !opt(b)) return NOT_HANDLED;
      return s[method](a as string, b as number | undefined);
    case 'match':
      // A plain string pattern matches literally only if it has no regular-expression syntax.
      if (!str(a) || /[\\^$.*+?()[\]{}|]/.test(a as string)) return NOT_HANDLED;
      return matchLiteral(s, a as string);
    case 'repeat': {
      if (!num(a) || (a as number) < 0 || !Number.isFinite(a)) return NOT_HANDLED;
      const n = Math.trunc(a as number);
      if (s.length * n > MAX_STRING) return new UnknownValue('the repeated string is too long to evaluate');
      charge(interp, s.length * n);
      return s.repeat(n);
    }
    case 'padStart':
    case 'padEnd': {
      if (!num(a) || !(b === undefined || str(b))) return NOT_HANDLED;
      if ((a as number) > MAX_STRING) return new UnknownValue('the padded string is too long to evaluate');
      charge(interp, a as number);
      return s[method](a as number, b as string | undefined);
    }
    case 'slice':
    case 'substring':
      if (!opt(a) || !opt(b)) return NOT_HANDLED;
      return method === "slice" ? s.slice(a as number | undefined, b as number | undefined) : s.substring((a as number | undefined) ?? 0, b as number | undefined);
    case 'charAt':
    case 'at':
      if (!opt(a)) return NOT_HANDLED;
      return method === "at" ? s.at((a as number | undefined) ?? 0) : s.charAt((a as number | undefined) ?? 0);
    case 'charCodeAt':
      if (!opt(a)) return NOT_HANDLED;
      return s.charCodeAt((a as number | undefined) ?? 0);
    case 'toUpperCase':
    case 'toLowerCase':
    case 'trim':
    case 'trimStart':
    case 'trimEnd':
    case 'toString':
    case 'valueOf':
      return s[method]();
    case 'replace':
    case 'replaceAll':
      if (!str(a) || !str(b) || (b as string).includes('$')) return NOT_HANDLED;
      return s[method](a as string, b as string);
    case 'concat': {
      let out = s;
      for (const x of args) {
        const t = toText(x);
        if (isUnknown(t)) return t;
        out += t;
      }
      charge(interp, out.length);
      return out;
    }
  }
  return NOT_HANDLED;
}

/** `s.match('lit')` without the g flag: the match with `index` and `input`, or null. */
function matchLiteral(s: string, lit: string): Value {
  const i = s.indexOf(lit);
  if (i < 0) return null;
  const m: Value[] = [lit];
  // JavaScript's match arrays carry these; reading them is rare, so they are plain members here.
  (m as unknown as Record<string, Value>).index = i;
  (m as unknown as Record<string, Value>).input = s;
  return m;
}

/** Methods of numbers: `toFixed`, `toString`. */
export function numberMethod(n: number, method: string, args: Value[]): Result {
  const u = firstUnknown(args);
  if (u) return u;
  const a = args[0];
  switch (method) {
    case 'toFixed':
    case 'toPrecision':
      if (!(a === undefined || (typeof a === 'number' && a >= 0 && a <= 100))) return NOT_HANDLED;
      return method === 'toFixed' ? n.toFixed(a as number | undefined) : n.toPrecision(a as number | undefined);
    case 'toString':
      if (!(a === undefined || (typeof a === 'number' && a >= 2 && a <= 36))) return NOT_HANDLED;
      return n.toString(a as number | undefined);
    case 'valueOf':
      return n;
  }
  return NOT_HANDLED;
}
