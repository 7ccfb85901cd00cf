import type * as ts from 'typescript';
import { UnknownValue, isUnknown } from '../../../unknown';
import type { Interp } from '../interp';
import type { Value } from '../../../framework/values';
import { arrayMethod, arrayStatic, newArray } from './arrays';
import { NOT_HANDLED, Result } from './common';
import { MATH_CONSTANTS, NUMBER_CONSTANTS, convert, mathCall, numberStatic } from './numbers';
import { jsonStatic, objectStatic } from './objects';
import { numberMethod, stringMethod } from './strings';

export { NOT_HANDLED, arrayMethod, newArray, numberMethod, stringMethod };
export type { Result };

/**
 * JavaScript's global objects and functions the interpreter evaluates, by name: they stand for
 * themselves when nothing in scope defines the name (see Interp.identifier).
 */
export const BUILTIN_GLOBALS = ['Array', 'Object', 'Number', 'String', 'Boolean', 'JSON', 'console', 'parseInt', 'parseFloat', 'isFinite', 'isNaN'];

/** `Math.PI`, `Number.MAX_SAFE_INTEGER`: undefined when `parts` names no known constant. */
export function builtinConstant(parts: readonly string[]): Value | typeof NOT_HANDLED {
  if (parts.length !== 2) return NOT_HANDLED;
  const [root, key] = parts;
  if (root === 'Math' && key in MATH_CONSTANTS) return MATH_CONSTANTS[key];
  if (root === 'Number' && key in NUMBER_CONSTANTS) return NUMBER_CONSTANTS[key];
  return NOT_HANDLED;
}

/** A call of a global built-in (`Math.max(…)`, `Array.from(…)`, `console.log(…)`); NOT_HANDLED if it is not one. */
export function builtinCall(interp: Interp, parts: readonly string[], args: Value[], node: ts.Node): Result {
  const root = parts[0];
  if (parts.length === 1) {
    switch (root) {
      case 'Number':
      case 'String':
      case 'Boolean':
        return convert(root, args);
      case 'parseInt':
      case 'parseFloat':
        return numberStatic(root, args);
      case 'isFinite':
      case 'isNaN': {
        const a = args[0];
        if (isUnknown(a)) return a;
        return typeof a === 'number' ? (root === 'isFinite' ? isFinite(a) : isNaN(a)) : NOT_HANDLED;
      }
      case 'Array':
        return newArray(interp, args);
    }
    return NOT_HANDLED;
  }
  if (parts.length !== 2) return NOT_HANDLED;
  const name = parts[1];
  switch (root) {
    case 'Math':
      return mathCall(name, args);
    case 'Number':
      return numberStatic(name, args);
    case 'Array':
      return arrayStatic(interp, name, args, node);
    case 'Object':
      return objectStatic(interp, name, args, node);
    case 'JSON':
      return jsonStatic(interp, name, args);
    case 'console':
      return undefined; // logging: no effect on the model
  }
  return NOT_HANDLED;
}

/** Whether `parts` is a path the built-ins own (so an unknown member is a built-in the interpreter lacks). */
export function isBuiltinPath(parts: readonly string[]): boolean {
  return parts[0] === 'Math' || BUILTIN_GLOBALS.includes(parts[0]);
}

export function unknownBuiltin(path: string): UnknownValue {
  return new UnknownValue(`the built-in ${path}() is not evaluated statically`);
}
