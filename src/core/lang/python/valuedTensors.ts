import { UnknownValue } from '../../unknown';
import { SymTensor } from '../../framework/values';
import type { PyValue } from './values';

/**
 * 1-d tensors whose values are known, computed while a module is built: configuration arithmetic
 * written with tensors (RegNet's block widths: `torch.arange(depth) * w_a + w_0`, `torch.log`,
 * `torch.round`, `.int().tolist()`), which decides how many layers there are and how wide.
 *
 * ModelLens computes in double precision; PyTorch in float32 (int64 for integer tensors). The two
 * agree on every value that is then rounded or truncated unless that value lies near the edge
 * where the rounding flips: there, the result is unknown with the reason, never a guess. A tensor
 * is `exact` while its values are the very integers PyTorch holds (integer arithmetic, or after
 * `round`); truncating (`.int()`) an inexact value near an integer is refused for the same reason.
 */
export class ValuedTensor extends SymTensor {
  constructor(
    readonly values: number[],
    readonly isFloat: boolean,
    readonly exact: boolean,
  ) {
    super([values.length], -1000, undefined, isFloat ? 'float32' : 'int32');
  }
}

/** The largest tensor whose values are kept (larger ones are shapes only). */
const MAX_VALUES = 10_000;
/** How close (relative) to a rounding edge a value computed in double may come before float32 could land on the other side. */
const EDGE = 1e-5;

export function valued(values: number[], isFloat: boolean, exact: boolean): ValuedTensor | undefined {
  return values.length <= MAX_VALUES && values.every(Number.isFinite) ? new ValuedTensor(values, isFloat, exact) : undefined;
}

function near(x: number, edge: number): boolean {
  return Math.abs(x - edge) <= EDGE * Math.max(1, Math.abs(x));
}

/** torch.round: half to even, refused near a half. */
function round(t: ValuedTensor): PyValue {
  const out: number[] = [];
  for (const x of t.values) {
    const f = Math.floor(x);
    if (!t.exact && near(x, f + 0.5)) return new UnknownValue(`torch.round() of ${x}, which float32 may round either way`);
    const r = x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
    out.push(r);
  }
  return new ValuedTensor(out, t.isFloat, true);
}

/** `.int()`, `.long()`: truncation toward zero, refused for an inexact value near an integer. */
function truncate(t: ValuedTensor): PyValue {
  const out: number[] = [];
  for (const x of t.values) {
    if (!t.exact && near(x, Math.round(x))) return new UnknownValue(`.int() of ${x}, which float32 may hold on either side of ${Math.round(x)}`);
    out.push(Math.trunc(x));
  }
  return new ValuedTensor(out, false, true);
}

function operand(v: PyValue): { values: (i: number) => number; n?: number; isFloat: boolean; exact: boolean } | undefined {
  if (v instanceof ValuedTensor) return { values: (i) => v.values[i], n: v.values.length, isFloat: v.isFloat, exact: v.exact };
  if (typeof v === 'number') return { values: () => v, isFloat: !Number.isInteger(v), exact: Number.isInteger(v) };
  if (typeof v === 'boolean') return { values: () => Number(v), isFloat: false, exact: true };
  return undefined;
}

/** `a op b` elementwise where one side is a valued tensor and the other a number or one of the same length. */
export function valuedBinary(op: string, a: PyValue, b: PyValue): PyValue | undefined {
  if (!(a instanceof ValuedTensor) && !(b instanceof ValuedTensor)) return undefined;
  const x = operand(a);
  const y = operand(b);
  if (!x || !y) return undefined;
  if (x.n !== undefined && y.n !== undefined && x.n !== y.n && x.n !== 1 && y.n !== 1) return undefined;
  const n = Math.max(x.n ?? 1, y.n ?? 1);
  const at = (o: typeof x, i: number): number => o.values(o.n === 1 ? 0 : i);
  let f: (p: number, q: number) => number;
  let isFloat = x.isFloat || y.isFloat;
  let exact = x.exact && y.exact;
  switch (op) {
    case '+':
    case 'add':
      f = (p, q) => p + q;
      break;
    case '-':
    case 'sub':
      f = (p, q) => p - q;
      break;
    case '*':
    case 'mul':
      f = (p, q) => p * q;
      break;
    case '/':
    case 'div':
    case 'divide':
    case 'true_divide':
      f = (p, q) => p / q;
      isFloat = true;
      exact = exact && Array.from({ length: n }, (_, i) => Number.isInteger(at(x, i) / at(y, i))).every(Boolean);
      break;
    case 'pow':
    case '**':
      f = (p, q) => p ** q;
      exact = exact && Array.from({ length: n }, (_, i) => Number.isInteger(at(y, i)) && at(y, i) >= 0).every(Boolean);
      break;
    default:
      return undefined;
  }
  const out = Array.from({ length: n }, (_, i) => f(at(x, i), at(y, i)));
  // Beyond 2^24 float32 no longer holds every integer.
  if (isFloat && out.some((v) => Math.abs(v) > 2 ** 24)) exact = false;
  return valued(out, isFloat, exact) ?? new UnknownValue('tensor values too large to follow');
}

/** `torch.log(t)`, `torch.round(t)`, `torch.pow(2.5, t)`, `torch.diff(t)`, `torch.tensor([…])` and their method forms, on valued tensors. */
export function valuedFunction(name: string, args: PyValue[]): PyValue | undefined {
  const [a, b] = args;
  switch (name) {
    case 'tensor':
      if (Array.isArray(a) && a.length <= MAX_VALUES && a.every((v) => typeof v === 'number')) {
        const xs = a as number[];
        return valued(xs, !xs.every(Number.isInteger), true);
      }
      return undefined;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'divide':
    case 'true_divide':
    case 'pow':
      return valuedBinary(name, a, b);
  }
  if (!(a instanceof ValuedTensor)) return undefined;
  switch (name) {
    case 'log':
      return a.values.every((v) => v > 0) ? valued(a.values.map(Math.log), true, false) : undefined;
    case 'exp':
      return valued(a.values.map(Math.exp), true, false);
    case 'sqrt':
      return a.values.every((v) => v >= 0) ? valued(a.values.map(Math.sqrt), true, a.exact && a.values.every((v) => Number.isInteger(Math.sqrt(v)))) : undefined;
    case 'round':
      return args.length > 1 ? undefined : round(a);
    case 'floor':
      return a.exact ? valued(a.values.map(Math.floor), a.isFloat, true) : a.values.some((v) => near(v, Math.round(v))) ? new UnknownValue('torch.floor() of a value float32 may hold on either side of an integer') : valued(a.values.map(Math.floor), a.isFloat, true);
    case 'ceil':
      return a.exact ? valued(a.values.map(Math.ceil), a.isFloat, true) : a.values.some((v) => near(v, Math.round(v))) ? new UnknownValue('torch.ceil() of a value float32 may hold on either side of an integer') : valued(a.values.map(Math.ceil), a.isFloat, true);
    case 'int':
    case 'long':
      return truncate(a);
    case 'float':
    case 'double':
      return new ValuedTensor(a.values, true, a.exact);
    case 'diff':
      return args.length > 1 ? undefined : valued(a.values.slice(1).map((v, i) => v - a.values[i]), a.isFloat, a.exact);
    case 'tolist':
      // Python numbers: exact integers, or floats (which ModelLens holds in double as Python does, but PyTorch computed in float32).
      return a.exact || !a.isFloat ? [...a.values] : new UnknownValue('.tolist() of float32 values ModelLens holds only in double precision');
    case 'numel':
      return a.values.length;
  }
  return undefined;
}
