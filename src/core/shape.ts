import { RuleError } from './unknown';

/**
 * Tensor shapes as the analyzer sees them.
 *
 * A dimension is a number when it is known statically and `null` when it is not: the tfjs
 * batch dimension (which tfjs itself leaves `null`), a sequence length nobody fixed, or a size
 * that depends on a value the analyzer could not evaluate. Arithmetic on dims propagates `null`
 * instead of guessing.
 */
export type Dim = number | null;
export type Shape = Dim[];

/** What a layer call produces: one tensor, or a (possibly nested) tuple of them (RNNs). */
export type Out = Shape | OutTuple;
export interface OutTuple {
  tuple: Out[];
}

export function isTuple(o: Out): o is OutTuple {
  return !Array.isArray(o);
}

/** The first tensor of an output: what `x = layer(x)` continues with. */
export function primary(o: Out): Shape {
  return isTuple(o) ? primary(o.tuple[0]) : o;
}

/** Every tensor in an output, in order (for activation-memory estimates). */
export function flattenOut(o: Out, into: Shape[] = []): Shape[] {
  // A loop, not flatMap: flatMap is slow in V8 and this runs for every recurrent layer's row.
  if (!isTuple(o)) into.push(o);
  else for (let i = 0; i < o.tuple.length; i++) flattenOut(o.tuple[i], into);
  return into;
}

/** Apply `f` when every dim is known, else `null`. */
export function dimOp(f: (...xs: number[]) => number, ...dims: Dim[]): Dim {
  for (const d of dims) if (d === null) return null;
  return f(...(dims as number[]));
}

export function numel(shape: Shape): number | null {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Product of the known dims from `from` up to (not including) `to`, ignoring unknown ones (per-sample mult-adds). */
export function knownProduct(shape: Shape, from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) {
    const d = shape[i];
    if (d !== null) n *= d;
  }
  return n;
}

/** `shape` with its last dim replaced by `last` (a Linear or Dense output), built as one array. */
export function withLast(shape: Shape, last: Dim): Shape {
  const out = shape.slice();
  out[out.length - 1] = last;
  return out;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Normalises a possibly negative axis the way PyTorch and tfjs do. */
export function axis(rank: number, dim: number): number {
  const a = dim < 0 ? rank + dim : dim;
  if (a < 0 || a >= rank) throw new ShapeError(`dimension ${dim} is out of range for a ${rank}-d tensor`);
  return a;
}

/** A statically detected shape problem (a real bug in the user's model, not an unknown). */
export class ShapeError extends RuleError {
  constructor(
    message: string,
    /** The constructor argument that would fix it (`in_features`), and the value it should take. */
    readonly fix?: { param: string; value: number },
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** `[64, 516]`, with `unknown` printed for null dims (tfjs prints `None`, torch-style `?`). */
export function formatShape(shape: Shape, unknown = '?'): string {
  return '[' + shape.map((d) => (d === null ? unknown : String(d))).join(', ') + ']';
}

/** NumPy/PyTorch broadcasting of two shapes (`x + identity`, matmul batch dims). */
export function broadcast(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const ia = a.length - n + i;
    const ib = b.length - n + i;
    // A missing leading dim broadcasts as 1; an unknown one (null) stays unknown unless the other is known.
    if (ia < 0) {
      out.push(b[ib]);
      continue;
    }
    if (ib < 0) {
      out.push(a[ia]);
      continue;
    }
    const x = a[ia];
    const y = b[ib];
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null || y === null) out.push(x ?? y);
    else if (x === y) out.push(x);
    else throw new ShapeError(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
  }
  return out;
}
