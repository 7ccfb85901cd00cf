import type * as ts from 'typescript';
import { UnknownValue, isUnknown } from '../../../unknown';
import type { Interp } from '../interp';
import { toText } from '../soundness';
import { Value, isPlainObjectValue } from '../../../framework/values';
import { NOT_HANDLED, Result, callBack, charge, firstUnknown, isCallable, knownTruth, relIndex } from './common';

/**
 * Array methods with JavaScript's semantics, in place where JavaScript mutates (push, splice,
 * reverse, fill, sort …). Elements compared with `===` as JavaScript does; where an unknown
 * element could decide the answer, the answer is unknown.
 */
export function arrayMethod(interp: Interp, arr: Value[], method: string, args: Value[], node: ts.Node): Result {
  charge(interp, 1);
  const fn = args[0];
  switch (method) {
    // ---- mutate
    case 'push':
      charge(interp, args.length);
      for (const a of args) arr.push(a);
      return arr.length;
    case 'pop':
      return arr.pop();
    case 'shift':
      charge(interp, arr.length);
      return arr.shift();
    case 'unshift':
      charge(interp, arr.length + args.length);
      arr.unshift(...args);
      return arr.length;
    case 'splice': {
      const start = relIndex(args[0], arr.length, 0);
      const count = args.length < 2 ? arr.length : typeof args[1] === 'number' ? Math.max(0, Math.min(Math.trunc(args[1]) || 0, arr.length)) : undefined;
      if (start === undefined || count === undefined) return NOT_HANDLED;
      charge(interp, arr.length + args.length);
      return arr.splice(start, count, ...args.slice(2));
    }
    case 'reverse':
      charge(interp, arr.length);
      return arr.reverse();
    case 'fill': {
      const s = relIndex(args[1], arr.length, 0);
      const e = relIndex(args[2], arr.length, arr.length);
      if (s === undefined || e === undefined) return NOT_HANDLED;
      charge(interp, arr.length);
      return arr.fill(args[0], s, e);
    }
    case 'sort':
      return sortInPlace(interp, arr, fn, node);
    // ---- read
    case 'concat': {
      let n = arr.length;
      for (const a of args) n += Array.isArray(a) ? a.length : 1;
      charge(interp, n);
      const out = arr.slice();
      for (const a of args) {
        if (Array.isArray(a)) for (const x of a) out.push(x);
        else out.push(a);
      }
      return out;
    }
    case 'slice': {
      const s = relIndex(args[0], arr.length, 0);
      const e = relIndex(args[1], arr.length, arr.length);
      if (s === undefined || e === undefined) return NOT_HANDLED;
      charge(interp, Math.max(0, e - s));
      return arr.slice(s, e);
    }
    case 'at': {
      if (typeof fn !== 'number') return NOT_HANDLED;
      const i = Math.trunc(fn);
      return arr[i < 0 ? arr.length + i : i];
    }
    case 'includes':
    case 'indexOf':
    case 'lastIndexOf': {
      if (isUnknown(fn)) return fn;
      if (args.length > 1) return NOT_HANDLED;
      charge(interp, arr.length);
      const order = method === 'lastIndexOf' ? [...arr.keys()].reverse() : [...arr.keys()];
      for (const i of order) {
        const x = arr[i];
        if (isUnknown(x)) return new UnknownValue(`${method}() over a list with an unknown element`);
        if (x === fn || (method === 'includes' && Number.isNaN(x) && Number.isNaN(fn))) return method === 'includes' ? true : i;
      }
      return method === 'includes' ? false : -1;
    }
    case 'join': {
      const sep = args[0] === undefined ? ',' : args[0];
      if (typeof sep !== 'string') return NOT_HANDLED;
      charge(interp, arr.length);
      const parts: string[] = [];
      for (const x of arr) {
        const t = x === null || x === undefined ? '' : toText(x, 1);
        if (isUnknown(t)) return t;
        parts.push(t);
      }
      return parts.join(sep);
    }
    case 'entries':
      charge(interp, arr.length);
      return arr.map((x, i) => [i, x]);
    case 'keys':
      charge(interp, arr.length);
      return arr.map((_, i) => i);
    case 'values':
      charge(interp, arr.length);
      return arr.slice();
    case 'flat': {
      const depth = args[0] === undefined ? 1 : args[0];
      if (typeof depth !== 'number') return NOT_HANDLED;
      return flatten(interp, arr, depth);
    }
    case 'toString':
      return toText(arr);
  }
  if (!isCallable(fn)) return NOT_HANDLED;
  // ---- with a callback: (element, index, array), as JavaScript calls it
  charge(interp, arr.length);
  switch (method) {
    case 'map': {
      const out: Value[] = [];
      for (let i = 0; i < arr.length; i++) out.push(callBack(interp, fn, [arr[i], i, arr], node));
      return out;
    }
    case 'flatMap': {
      const out: Value[] = [];
      for (let i = 0; i < arr.length; i++) {
        const v = callBack(interp, fn, [arr[i], i, arr], node);
        if (Array.isArray(v)) {
          charge(interp, v.length);
          for (const x of v) out.push(x);
        } else out.push(v);
      }
      return out;
    }
    case 'forEach':
      for (let i = 0; i < arr.length; i++) callBack(interp, fn, [arr[i], i, arr], node);
      return undefined;
    case 'filter': {
      const out: Value[] = [];
      for (let i = 0; i < arr.length; i++) {
        const t = knownTruth(callBack(interp, fn, [arr[i], i, arr], node));
        if (isUnknown(t)) return new UnknownValue(`filter(): ${t.reason}`);
        if (t) out.push(arr[i]);
      }
      return out;
    }
    case 'some':
    case 'every':
    case 'find':
    case 'findIndex':
    case 'findLast':
    case 'findLastIndex': {
      const last = method === 'findLast' || method === 'findLastIndex';
      for (let k = 0; k < arr.length; k++) {
        const i = last ? arr.length - 1 - k : k;
        const t = knownTruth(callBack(interp, fn, [arr[i], i, arr], node));
        if (isUnknown(t)) return new UnknownValue(`${method}(): ${t.reason}`);
        if (method === 'every' && !t) return false;
        if (method !== 'every' && t) return method === 'some' ? true : method === 'find' || method === 'findLast' ? arr[i] : i;
      }
      return method === 'every' ? true : method === 'some' ? false : method === 'find' || method === 'findLast' ? undefined : -1;
    }
    case 'reduce':
    case 'reduceRight': {
      const right = method === 'reduceRight';
      const idx = (k: number) => (right ? arr.length - 1 - k : k);
      if (args.length < 2 && arr.length === 0) return new UnknownValue('reduce() of an empty list with no initial value throws');
      let acc = args.length > 1 ? args[1] : arr[idx(0)];
      for (let k = args.length > 1 ? 0 : 1; k < arr.length; k++) acc = callBack(interp, fn, [acc, arr[idx(k)], idx(k), arr], node);
      return acc;
    }
  }
  return NOT_HANDLED;
}

function flatten(interp: Interp, arr: Value[], depth: number): Value[] {
  const out: Value[] = [];
  charge(interp, arr.length);
  for (const x of arr) {
    if (Array.isArray(x) && depth >= 1) for (const y of flatten(interp, x, depth - 1)) out.push(y);
    else out.push(x);
  }
  return out;
}

/** `sort()` of numbers or strings, or with a comparator that gives numbers; else not followed. */
function sortInPlace(interp: Interp, arr: Value[], cmp: Value, node: ts.Node): Result {
  charge(interp, arr.length * Math.max(1, Math.ceil(Math.log2(arr.length + 1))));
  if (cmp === undefined) {
    if (!arr.every((x) => typeof x === 'number' || typeof x === 'string' || x === undefined)) return NOT_HANDLED;
    return arr.sort(); // JavaScript's default order: by their text
  }
  if (!isCallable(cmp)) return NOT_HANDLED;
  // Decided before anything moves: a comparison with no static value leaves the list as it was.
  const copy = arr.slice();
  let failed: UnknownValue | undefined;
  copy.sort((a, b) => {
    if (failed) return 0;
    const r = callBack(interp, cmp, [a, b], node);
    if (typeof r === 'number') return r;
    failed = isUnknown(r) ? r : new UnknownValue('the comparator does not return a number');
    return 0;
  });
  if (failed) return NOT_HANDLED;
  for (let i = 0; i < copy.length; i++) arr[i] = copy[i];
  return arr;
}

/** `Array.isArray`, `Array.from`, `Array.of`. */
export function arrayStatic(interp: Interp, name: string, args: Value[], node: ts.Node): Result {
  switch (name) {
    case 'isArray':
      if (isUnknown(args[0])) return args[0];
      return Array.isArray(args[0]);
    case 'of':
      charge(interp, args.length);
      return args.slice();
    case 'from': {
      const src = args[0];
      const fn = args[1];
      let items: Value[];
      if (Array.isArray(src)) items = src.slice();
      else if (typeof src === 'string') items = [...src];
      else if (isPlainObjectValue(src) && typeof src.length === 'number' && Number.isInteger(src.length) && src.length >= 0) {
        charge(interp, src.length);
        items = [];
        for (let i = 0; i < (src.length as number); i++) items.push(src[String(i)]);
      } else return isUnknown(src) ? src : NOT_HANDLED;
      charge(interp, items.length);
      if (fn === undefined) return items;
      if (!isCallable(fn)) return NOT_HANDLED;
      return items.map((x, i) => callBack(interp, fn, [x, i], node));
    }
  }
  return NOT_HANDLED;
}

/** `new Array(n)` / `Array(n)`: n holes, which the interpreter keeps as `undefined`. */
export function newArray(interp: Interp, args: Value[]): Result {
  if (args.length === 1 && typeof args[0] === 'number') {
    const n = args[0];
    if (!Number.isInteger(n) || n < 0) return NOT_HANDLED; // RangeError in JavaScript
    charge(interp, n);
    return new Array<Value>(n).fill(undefined);
  }
  const u = firstUnknown(args);
  if (args.length === 1 && u) return u;
  return args.slice();
}

