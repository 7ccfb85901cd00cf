import type * as ts from 'typescript';
import { UnknownValue, isUnknown } from '../../../unknown';
import type { Interp } from '../interp';
import { Value, isPlainObjectValue } from '../../../framework/values';
import { NOT_HANDLED, Result, charge } from './common';

/** `Object.keys/values/entries/assign/fromEntries/freeze`: on plain objects (configs) and lists. */
export function objectStatic(interp: Interp, name: string, args: Value[], _node: ts.Node): Result {
  const o = args[0];
  if (isUnknown(o)) return name === 'freeze' || name === 'assign' ? NOT_HANDLED : o;
  switch (name) {
    case 'keys':
    case 'values':
    case 'entries': {
      let keys: string[];
      let get: (k: string) => Value;
      if (isPlainObjectValue(o)) {
        keys = Object.keys(o);
        get = (k) => o[k];
      } else if (Array.isArray(o)) {
        keys = o.map((_, i) => String(i));
        get = (k) => o[Number(k)];
      } else if (typeof o === 'string') {
        keys = [...o].map((_, i) => String(i));
        get = (k) => o[Number(k)];
      } else return NOT_HANDLED;
      charge(interp, keys.length);
      return name === 'keys' ? keys : name === 'values' ? keys.map(get) : keys.map((k) => [k, get(k)]);
    }
    case 'assign': {
      if (!isPlainObjectValue(o)) return NOT_HANDLED;
      for (const src of args.slice(1)) {
        if (src === null || src === undefined) continue;
        if (!isPlainObjectValue(src)) return NOT_HANDLED;
        charge(interp, Object.keys(src).length);
        Object.assign(o, src);
      }
      return o;
    }
    case 'fromEntries': {
      if (!Array.isArray(o)) return NOT_HANDLED;
      charge(interp, o.length);
      const out: { [key: string]: Value } = {};
      for (const e of o) {
        if (!Array.isArray(e)) return NOT_HANDLED;
        const k = e[0];
        if (isUnknown(k)) return new UnknownValue(`Object.fromEntries(): a key is unknown (${k.reason})`);
        if (typeof k !== 'string' && typeof k !== 'number') return NOT_HANDLED;
        if (k === '__proto__') return NOT_HANDLED;
        out[String(k)] = e[1];
      }
      return out;
    }
    case 'freeze':
    case 'seal':
    case 'preventExtensions':
      // Writes to a frozen object would be ignored (or throw): only a value no code writes to is safe.
      return NOT_HANDLED;
  }
  return NOT_HANDLED;
}

/** `JSON.parse` of a string; `JSON.stringify` of plain data. */
export function jsonStatic(interp: Interp, name: string, args: Value[]): Result {
  const a = args[0];
  if (isUnknown(a)) return a;
  if (name === 'parse') {
    if (typeof a !== 'string' || args.length > 1) return NOT_HANDLED;
    charge(interp, a.length);
    try {
      return fromJson(JSON.parse(a));
    } catch {
      return new UnknownValue('JSON.parse() of text that is not JSON throws');
    }
  }
  if (name === 'stringify') {
    if (args.length > 1 || !isPlainData(a, 0)) return NOT_HANDLED;
    const t = JSON.stringify(a);
    charge(interp, t?.length ?? 0);
    return t;
  }
  return NOT_HANDLED;
}

/** Parsed JSON as interpreter values (objects without a `__proto__` surprise). */
function fromJson(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === 'object') {
    const out: { [key: string]: Value } = {};
    for (const [k, x] of Object.entries(v)) if (k !== '__proto__') out[k] = fromJson(x);
    return out;
  }
  return v as Value;
}

function isPlainData(v: Value, depth: number): boolean {
  if (depth > 32) return false;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every((x) => isPlainData(x, depth + 1));
  if (isPlainObjectValue(v)) return Object.values(v).every((x) => x === undefined || isPlainData(x, depth + 1));
  return false;
}
