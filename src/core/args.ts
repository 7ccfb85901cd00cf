import type { LayerEntry } from './catalog/types';
import { ConfigError, Unknowable, UnknownValue } from './unknown';
import type { Dim } from './shape';

/**
 * A layer argument after static evaluation. Catalog rules read arguments through `Args`, never
 * through raw syntax, so a rule is the same whether the user wrote a literal, a `const`, a
 * constructor default or `Math.floor(h / 2)`.
 */
export type ArgValue =
  | number
  | boolean
  | string
  | null
  | UnknownValue
  | LayerSpec
  | ArgValue[]
  | { [key: string]: ArgValue };

/** A layer passed as an argument (Sequential children, tfjs `bidirectional({layer})`, TransformerEncoder). */
export class LayerSpec {
  constructor(
    readonly entry: LayerEntry,
    readonly args: Args,
    /** The user's name for it when it has one (attribute or variable). */
    readonly name?: string,
  ) {}
}

function describe(v: ArgValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof LayerSpec) return `a ${v.entry.type} layer`;
  if (v instanceof UnknownValue) return 'an unknown value';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** `[v, v, …]`, n long (PyTorch's `_pair(3)`): literals for the usual 1–3 (no growable backing store). */
function repeat(v: number, n: number): number[] {
  if (n === 2) return [v, v];
  if (n === 1) return [v];
  if (n === 3) return [v, v, v];
  return Array<number>(n).fill(v);
}

/** Read access to one layer's bound arguments (defaults already applied). */
export class Args {
  constructor(
    /** The layer type, for error messages. */
    readonly layerType: string,
    readonly values: Readonly<Record<string, ArgValue>>,
  ) {}

  has(name: string): boolean {
    const v = this.values[name];
    return v !== undefined && v !== null;
  }

  raw(name: string): ArgValue | undefined {
    return this.values[name];
  }

  private known(name: string): ArgValue {
    const v = this.values[name];
    if (v instanceof UnknownValue) throw new Unknowable(`${name}: ${v.reason}`);
    if (v === undefined) throw new ConfigError(`${this.layerType} needs \`${name}\``);
    return v;
  }

  num(name: string): number {
    const v = this.known(name);
    if (typeof v !== 'number') throw new ConfigError(`${this.layerType}: \`${name}\` should be a number, not ${describe(v)}`);
    return v;
  }

  int(name: string): number {
    const v = this.num(name);
    if (!Number.isInteger(v)) throw new ConfigError(`${this.layerType}: \`${name}\` should be an integer, not ${v}`);
    return v;
  }

  /** An optional number: `undefined` when absent or null. */
  optNum(name: string): number | undefined {
    return this.has(name) ? this.num(name) : undefined;
  }

  bool(name: string): boolean {
    const v = this.known(name);
    if (typeof v !== 'boolean') throw new ConfigError(`${this.layerType}: \`${name}\` should be true or false, not ${describe(v)}`);
    return v;
  }

  str(name: string): string {
    const v = this.known(name);
    if (typeof v !== 'string') throw new ConfigError(`${this.layerType}: \`${name}\` should be a string, not ${describe(v)}`);
    return v;
  }

  optStr(name: string): string | undefined {
    return this.has(name) ? this.str(name) : undefined;
  }

  /** A number or a string (PyTorch's `padding='same'` or `padding=1`). */
  numOrStr(name: string): number | string | number[] {
    const v = this.known(name);
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (Array.isArray(v)) return this.ints(name, v.length);
    throw new ConfigError(`${this.layerType}: \`${name}\` should be a number or a string, not ${describe(v)}`);
  }

  /** An int or a tuple of ints expanded to `n` entries, as PyTorch's `_pair`/`_triple` and tfjs do. */
  ints(name: string, n: number): number[] {
    const v = this.known(name);
    if (typeof v === 'number') return repeat(v, n);
    if (Array.isArray(v)) {
      const out = v.map((x, i) => {
        if (x instanceof UnknownValue) throw new Unknowable(`${name}[${i}]: ${x.reason}`);
        if (typeof x !== 'number') throw new ConfigError(`${this.layerType}: \`${name}[${i}]\` should be a number, not ${describe(x)}`);
        return x;
      });
      if (out.length === 1 && n > 1) return repeat(out[0], n);
      if (out.length !== n) throw new ConfigError(`${this.layerType}: \`${name}\` should have ${n} entries, not ${out.length}`);
      return out;
    }
    throw new ConfigError(`${this.layerType}: \`${name}\` should be a number or a list of ${n} numbers, not ${describe(v)}`);
  }

  /** A list of numbers of any length (a shape, `normalized_shape`, `targetShape`). A bare number is a 1-list. */
  numList(name: string): number[] {
    const v = this.known(name);
    if (typeof v === 'number') return [v];
    if (!Array.isArray(v)) throw new ConfigError(`${this.layerType}: \`${name}\` should be a list of numbers, not ${describe(v)}`);
    return v.map((x, i) => {
      if (x instanceof UnknownValue) throw new Unknowable(`${name}[${i}]: ${x.reason}`);
      if (typeof x !== 'number') throw new ConfigError(`${this.layerType}: \`${name}[${i}]\` should be a number, not ${describe(x)}`);
      return x;
    });
  }

  /** A shape-like list that may hold `null` (tfjs `inputShape: [null, 8]`). */
  dimList(name: string): Dim[] {
    const v = this.known(name);
    if (!Array.isArray(v)) throw new ConfigError(`${this.layerType}: \`${name}\` should be a list, not ${describe(v)}`);
    return v.map((x, i) => {
      if (x === null) return null;
      if (x instanceof UnknownValue) throw new Unknowable(`${name}[${i}]: ${x.reason}`);
      if (typeof x !== 'number') throw new ConfigError(`${this.layerType}: \`${name}[${i}]\` should be a number or null, not ${describe(x)}`);
      return x;
    });
  }

  layer(name: string): LayerSpec {
    const v = this.known(name);
    if (!(v instanceof LayerSpec)) throw new ConfigError(`${this.layerType}: \`${name}\` should be a layer, not ${describe(v)}`);
    return v;
  }

  layers(name: string): LayerSpec[] {
    const v = this.known(name);
    const list = Array.isArray(v) ? v : [v];
    return list.map((x) => {
      if (x instanceof UnknownValue) throw new Unknowable(`${name}: ${x.reason}`);
      if (!(x instanceof LayerSpec)) throw new ConfigError(`${this.layerType}: \`${name}\` should hold layers, not ${describe(x)}`);
      return x;
    });
  }
}
