import type { Args, ArgValue } from '../../args';
import { Dim, Shape } from '../../shape';
import { ConfigError, Unknowable, UnknownValue } from '../../unknown';
import type { LayerEntry } from '../types';
import { expectRank, single } from '../util';

/** tfjs API reference anchor prefix: `DOCS + 'conv2d'`. */
export const DOCS = 'https://js.tensorflow.org/api/latest/#layers.';

/**
 * The axes of a channels-last/channels-first tensor, as tfjs reads them: `spatial` are the
 * `rank` axes the kernel slides over, `channel` is where the features live.
 */
export function layoutAxes(a: Args, rank: number): { channel: number; spatial: number[] } {
  const first = a.has('dataFormat') && a.str('dataFormat') === 'channelsFirst';
  const o = first ? 2 : 1;
  // Literals for tfjs's ranks 1–3 (a growable array would over-allocate).
  const spatial = rank === 2 ? [o, o + 1] : rank === 1 ? [o] : rank === 3 ? [o, o + 1, o + 2] : Array.from({ length: rank }, (_, i) => o + i);
  return { channel: first ? 1 : rank + 1, spatial };
}

/** One conv/pool input of the given spatial rank, with the rank checked (batch + spatial + channels). */
export function spatialInput(inputs: Shape[], type: string, rank: number): Shape {
  const x = single(inputs, type);
  expectRank(x, [rank + 2], `${type} takes [batch, ${rank === 1 ? 'steps' : rank === 2 ? 'rows, cols' : 'depth, rows, cols'}, channels]`);
  return x;
}

/**
 * tfjs `convOutputLength`: 'same' keeps the length, anything else (valid, and tfjs's causal) is
 * treated as valid; then ceil-divides by the stride. Unknown lengths stay unknown.
 */
export function convLength(len: Dim, kernel: number, padding: string, stride: number, dilation = 1): Dim {
  if (len === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  const out = padding === 'same' ? len : len - k + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** tfjs `deconvLength` (transposed convolutions; no output padding in tfjs). */
export function deconvLength(len: Dim, stride: number, kernel: number, padding: string): Dim {
  if (len === null) return null;
  if (padding === 'valid') return len * stride + Math.max(kernel - stride, 0);
  if (padding === 'same') return len * stride;
  throw new ConfigError(`unsupported padding \`${padding}\` for a transposed convolution`);
}

/** Reads a value that must be known, turning an unknown into `Unknowable`. */
export function knownRaw(a: Args, name: string): ArgValue {
  const v = a.raw(name);
  if (v instanceof UnknownValue) throw new Unknowable(`${name}: ${v.reason}`);
  if (v === undefined) throw new ConfigError(`${a.layerType} needs \`${name}\``);
  return v;
}

/**
 * Symmetric-or-not padding/cropping for `n` spatial axes, tfjs style: a number (all sides), a
 * list of `n` numbers (both sides of each axis) or a list of `n` `[before, after]` pairs.
 */
export function pairsOf(a: Args, name: string, n: number): [number, number][] {
  const v = knownRaw(a, name);
  const num = (x: ArgValue, where: string): number => {
    if (x instanceof UnknownValue) throw new Unknowable(`${where}: ${x.reason}`);
    if (typeof x !== 'number') throw new ConfigError(`${a.layerType}: \`${where}\` should be a number`);
    return x;
  };
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v] as [number, number]);
  if (!Array.isArray(v) || v.length !== n) {
    throw new ConfigError(`${a.layerType}: \`${name}\` should be a number, ${n} numbers or ${n} [before, after] pairs`);
  }
  return v.map((p, i) => {
    if (Array.isArray(p)) {
      if (p.length !== 2) throw new ConfigError(`${a.layerType}: \`${name}[${i}]\` should be a [before, after] pair`);
      return [num(p[0], `${name}[${i}][0]`), num(p[1], `${name}[${i}][1]`)] as [number, number];
    }
    const s = num(p, `${name}[${i}]`);
    return [s, s] as [number, number];
  });
}

/** `3×3` for kernel sizes and the like. */
export function times(xs: number[]): string {
  return xs.join('×');
}

/** A copy of `entry` reachable under another `tf.layers` factory name (`maxPool2d` for `maxPooling2d`). */
export function alias(entry: LayerEntry, factory: string): LayerEntry {
  return { ...entry, factory, docs: { ...entry.docs } };
}

/** For layers whose output equals their input (activations, dropout, noise, masking). */
export function identityShape(inputs: Shape[], type: string): Shape {
  return [...single(inputs, type)];
}

export const NO_PARAMS = { trainable: 0, nonTrainable: 0, formula: '0' };
