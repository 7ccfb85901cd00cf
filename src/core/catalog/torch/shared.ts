import type { Args, ArgValue } from '../../args';
import { Dim, Shape } from '../../shape';
import { ConfigError, Unknowable, UnknownValue } from '../../unknown';
import type { LayerEntry, ParamSpec } from '../types';
import { expectRank, single } from '../util';

/** Every torch.nn class page lives under this prefix. */
export const DOCS = 'https://pytorch.org/docs/stable/generated/torch.nn.';

/** The two keyword-only-in-practice factory arguments every parametrised module accepts. */
export const DEVICE_DTYPE: ParamSpec[] = [
  { name: 'device', default: null },
  { name: 'dtype', default: null },
];

/** Parameter count for a module with no parameters. */
export const NO_PARAMS = { trainable: 0, nonTrainable: 0, formula: '0' };

/**
 * An image-like input as PyTorch's conv/pool kernels read it: `(N, C, *spatial)` or, unbatched,
 * `(C, *spatial)`. `lead` is what precedes the channel dim (`[N]` or `[]`).
 */
export interface Spatial {
  lead: Shape;
  channels: Dim;
  dims: Dim[];
}

export function spatialInput(x: Shape, n: number, what: string): Spatial {
  expectRank(x, [n + 1, n + 2], what);
  const batched = x.length === n + 2;
  const lead = batched ? [x[0]] : [];
  return { lead, channels: x[lead.length], dims: x.slice(lead.length + 1) };
}

/** Output of a layer that keeps its single input's shape (activations, dropout, norms). */
export function sameShape(type: string) {
  return (_a: Args, inputs: Shape[]): Shape => [...single(inputs, type)];
}

/**
 * Reads an int, a tuple of ints, or a tuple holding `None` (AdaptiveAvgPool2d's "keep this
 * size"), expanded to `n` entries.
 */
export function intsOrNone(a: Args, name: string, n: number): (number | null)[] {
  const v = a.raw(name);
  if (v instanceof UnknownValue) throw new Unknowable(`${name}: ${v.reason}`);
  const one = (x: ArgValue, i: number): number | null => {
    if (x === null) return null;
    if (x instanceof UnknownValue) throw new Unknowable(`${name}[${i}]: ${x.reason}`);
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new ConfigError(`${a.layerType}: \`${name}\` should hold integers or None`);
    return x;
  };
  if (v === null || typeof v === 'number') return Array<number | null>(n).fill(one(v, 0));
  if (Array.isArray(v)) {
    if (v.length === 1 && n > 1) return Array<number | null>(n).fill(one(v[0], 0));
    if (v.length !== n) throw new ConfigError(`${a.layerType}: \`${name}\` should have ${n} entries, not ${v.length}`);
    return v.map(one);
  }
  throw new ConfigError(`${a.layerType}: \`${name}\` should be an integer or a tuple of ${n}`);
}

/** A float in [0, 1] (dropout probabilities), checked the way the constructors check it. */
export function probability(a: Args, name: string): number {
  const p = a.num(name);
  if (p < 0 || p > 1) throw new ConfigError(`${a.layerType}: ${name} has to be between 0 and 1, but got ${p}`);
  return p;
}

/** `3×3` / `3` kernel text for diagram nodes. */
export function kernelText(k: number[]): string {
  return k.every((x) => x === k[0]) && k.length > 1 ? `${k[0]}×${k[0]}` : k.join('×');
}

/** Shorthand for entries without parameters whose output equals the input. */
export function passThrough(
  type: string,
  family: LayerEntry['family'],
  signature: ParamSpec[],
  docs: LayerEntry['docs'],
  extra: Partial<LayerEntry> = {},
): LayerEntry {
  return {
    type,
    framework: 'torch',
    family,
    signature,
    docs,
    params: () => NO_PARAMS,
    output: sameShape(type),
    ...extra,
  };
}
