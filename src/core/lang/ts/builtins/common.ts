import type * as ts from 'typescript';
import { UnknownValue, isUnknown } from '../../../unknown';
import type { Interp } from '../interp';
import { callCallable } from '../calls';
import { NativeFunction, Value } from '../../../framework/values';
import { FunctionValue } from '../values';

/**
 * What the JavaScript built-ins share: a built-in the interpreter does not know answers
 * NOT_HANDLED (the caller then treats the call as one it cannot follow, see calls.ts
 * `notFollowed`); native work is charged to the step budget so that `a = a.concat(a)` in a loop
 * ends in bounded time.
 */
export const NOT_HANDLED: unique symbol = Symbol('not handled');
export type Result = Value | typeof NOT_HANDLED;

/** Charges `n` units of native work (elements copied, characters made) to the step budget. */
export function charge(interp: Interp, n: number): void {
  interp.fileBudget.charge(n);
}

export function isCallable(v: Value): v is FunctionValue | NativeFunction {
  return v instanceof FunctionValue || v instanceof NativeFunction;
}

/** Calls a callback given to a built-in (`arr.map(f)`). */
export function callBack(interp: Interp, fn: Value, args: Value[], node: ts.Node): Value {
  return callCallable(interp, fn, args, node);
}

/** The first unknown among `vs`, if any. */
export function firstUnknown(vs: readonly Value[]): UnknownValue | undefined {
  for (let i = 0; i < vs.length; i++) if (isUnknown(vs[i])) return vs[i] as UnknownValue;
  return undefined;
}

/** A relative index as `slice`/`splice` read it: negative from the end, clamped to [0, len]. */
export function relIndex(v: Value, len: number, dflt: number): number | undefined {
  if (v === undefined) return dflt;
  if (typeof v !== 'number') return undefined;
  const i = Math.trunc(v) || 0;
  return i < 0 ? Math.max(len + i, 0) : Math.min(i, len);
}

/** Whether JavaScript's truthiness of `v` is known. */
export function knownTruth(v: Value): boolean | UnknownValue {
  if (isUnknown(v)) return v;
  return !!v;
}
