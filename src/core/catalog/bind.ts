import { Args, ArgValue } from '../args';
import { ConfigError } from '../unknown';
import type { LayerEntry, ParamSpec } from './types';

/** `output_padding` ← `outputPadding`; already snake names pass through. */
const snake = new Map<string, string>();

export function toSnake(name: string): string {
  let s = snake.get(name);
  if (s === undefined) {
    s = /[A-Z]/.test(name) ? name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) : name;
    if (snake.size < 2000) snake.set(name, s);
  }
  return s;
}

function isPlainObject(v: ArgValue | undefined): v is { [key: string]: ArgValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Binds a PyTorch-shaped constructor call: positional arguments in PyTorch's order, then keyword
 * arguments from one trailing object literal (snake_case or camelCase), then defaults.
 * `kwargs` is passed separately because only the analyzer knows whether the last argument was
 * written as an object literal.
 */
/** An entry's signature, prepared once: its defaults as one object to copy, and each name's position. */
class Binder {
  /** Every parameter in signature order, with its default (or undefined when required). */
  readonly template: Record<string, ArgValue> = {};
  readonly index = new Map<string, number>();
  /** Parameters with no default: the only ones that can still be missing after binding. */
  readonly required: string[] = [];
  /** Whether a parameter collects the remaining positional arguments (`*modules`). */
  readonly hasRest: boolean;
  /** The parameter that collects keyword arguments no other one names (`**kwargs`), if any. */
  readonly restKeywords: string | undefined;
  constructor(readonly sig: readonly ParamSpec[]) {
    sig.forEach((p, i) => {
      this.template[p.name] = p.default as ArgValue;
      this.index.set(p.name, i);
      if (p.default === undefined && !p.rest && !p.restKeywords) this.required.push(p.name);
    });
    this.hasRest = sig.some((p) => p.rest);
    this.restKeywords = sig.find((p) => p.restKeywords)?.name;
  }
}

const binders = new WeakMap<LayerEntry, Binder>();

function binder(entry: LayerEntry): Binder {
  let b = binders.get(entry);
  if (!b) binders.set(entry, (b = new Binder(entry.signature ?? [])));
  return b;
}

/** Whether the entry's signature collects positional arguments (`nn.Sequential(*modules)`). */
export function takesRest(entry: LayerEntry): boolean {
  return binder(entry).hasRest;
}

export function bindTorch(entry: LayerEntry, positional: ArgValue[], kwargs: Record<string, ArgValue> | undefined): Args {
  const b = binder(entry);
  const sig = b.sig;
  // One copy of the defaults, then the given values over them: the object has all its keys,
  // in signature order, from the start (adding them one by one grew it step by step).
  const values: Record<string, ArgValue> = { ...b.template };
  let i = 0;
  for (let k = 0; k < sig.length; k++) {
    const p = sig[k];
    if (p.restKeywords) continue;
    if (p.rest) {
      values[p.name] = positional.slice(i);
      i = positional.length;
      continue;
    }
    if (i < positional.length) {
      const v = positional[i++];
      if (v !== undefined) values[p.name] = v; // an explicit `undefined` keeps the default
    }
  }
  if (i < positional.length) {
    throw new ConfigError(`${entry.type} takes at most ${sig.length} positional arguments, got ${positional.length}`);
  }
  let given: string[] | undefined; // keyword names seen (`outFeatures` and `out_features` are one)
  for (const k in kwargs) {
    const name = toSnake(k);
    const at = b.index.get(name);
    if (at === undefined && b.restKeywords !== undefined) {
      const extra = (values[b.restKeywords] ??= {}) as Record<string, ArgValue>;
      extra[name] = kwargs[k];
      continue;
    }
    if (at === undefined) throw new ConfigError(`${entry.type} has no argument \`${k}\``);
    if (at < i || sig[at].rest || given?.includes(name)) throw new ConfigError(`${entry.type} got \`${name}\` twice`);
    (given ??= []).push(name);
    const v = kwargs[k];
    if (v !== undefined) values[name] = v;
  }
  const required = b.required;
  for (let k = 0; k < required.length; k++) {
    if (values[required[k]] === undefined) throw new ConfigError(`${entry.type} needs \`${required[k]}\``);
  }
  return new Args(entry.type, values);
}

/** Binds a tfjs factory call `tf.layers.dense({units: 8})`: one config object, then defaults. */
export function bindTfjs(entry: LayerEntry, config: ArgValue | undefined): Args {
  const values: Record<string, ArgValue> = Object.assign({}, entry.defaults);
  if (config !== undefined && config !== null) {
    if (!isPlainObject(config)) throw new ConfigError(`tf.layers.${entry.factory}() takes a config object`);
    // `for…in` over an own-keys-only literal: no entries arrays per layer.
    for (const k in config) {
      const v = config[k];
      if (v !== undefined) values[k] = v;
    }
  }
  return new Args(entry.type, values);
}

export { isPlainObject };
