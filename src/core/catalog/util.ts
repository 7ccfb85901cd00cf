import type { Args } from '../args';
import { Dim, Shape, ShapeError, knownProduct } from '../shape';
import { Unknowable } from '../unknown';
import type { LayerEntry, ParamCount } from './types';

/** 66564 → `66,564` (the format of every count ModelLens prints). */
/** `516 units`, and `1 unit`: a diagram node's hyper-parameters read as English. */
export function unitsText(n: number): string {
  return `${n} unit${n === 1 ? '' : 's'}`;
}

export function commas(n: number): string {
  // By hand: `toLocaleString` goes through Intl and is a hot spot when every layer gets a formula.
  const r = Math.round(n);
  if (!Number.isFinite(r)) return String(r);
  const digits = String(Math.abs(r));
  if (digits.length <= 3) return r < 0 ? '-' + digits : digits;
  // Whole groups of three by slicing, not a string per digit.
  let at = digits.length % 3 || 3;
  let out = digits.slice(0, at);
  for (; at < digits.length; at += 3) out += ',' + digits.slice(at, at + 3);
  return r < 0 ? '-' + out : out;
}

/** The single input of a one-input layer. */
export function single(inputs: Shape[], type: string): Shape {
  if (inputs.length !== 1) throw new ShapeError(`${type} takes one input, got ${inputs.length}`);
  return inputs[0];
}

/** A dim the rule cannot do without (e.g. tfjs Dense's input features for its kernel). */
export function need(d: Dim, what: string): number {
  if (d === null) throw new Unknowable(`${what} is unknown`);
  return d;
}

/** Checks that `actual` equals `expected` where both are known, with the "expects … but receives …" wording. */
export function expectDim(actual: Dim, expected: number, what: string, param?: string): void {
  if (actual !== null && actual !== expected) {
    // `param` names the constructor argument a quick fix would change to `actual`.
    throw new ShapeError(`expects ${expected} ${what} but receives ${actual}`, param ? { param, value: actual } : undefined);
  }
}

export function expectRank(shape: Shape, ranks: number[], what: string): void {
  if (!ranks.includes(shape.length)) {
    const want = ranks.map((r) => `${r}-d`).join(' or ');
    throw new ShapeError(`expects a ${want} input (${what}) but receives a ${shape.length}-d tensor`);
  }
}

/** Mult-adds of a weight applied at every position of the output except the channel dim. */
export function perPosition(weightCount: number, outShape: Shape, channelAxis: number): number {
  const positions = outShape.filter((_, i) => i !== channelAxis);
  return weightCount * knownProduct(positions);
}

/**
 * Whether `f` writes formulas. The analyzer turns it off while it counts a layer's parameters
 * and writes the formula only when a row's formula is first read (summary.ts, RowDecorations):
 * most analyses never show one.
 */
export const formulas = { write: true };

/** `a × b + c` formatting with thousands separators ('' while formulas are not written). */
export function f(...parts: (number | string)[]): string {
  if (!formulas.write) return '';
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const text = typeof p === 'number' ? commas(p) : p;
    out = i === 0 ? text : out + ' ' + text;
  }
  return out;
}

/** An input whose every read throws `Unknowable`. */
const NO_INPUT: Shape[] = new Proxy([] as Shape[], {
  get() {
    throw new Unknowable('the input shape is unknown');
  },
});

/**
 * The entry's parameter rule run without an input: a rule that finishes without reading it
 * counts weights that cannot depend on the input (none for a pooling layer, an embedding's
 * table), which are then known even where the input shape is not. Throws `Unknowable` otherwise.
 */
export function paramsWithoutInput(entry: LayerEntry, args: Args): ParamCount {
  return entry.params(args, NO_INPUT);
}
