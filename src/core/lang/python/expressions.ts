import { UnknownValue, isUnknown } from '../../unknown';
import { ModuleInstance, Namespace, SymTensor } from '../../framework/values';
import { containerKind, namedChildren } from '../../framework/moduleApi';
import type * as N from './nodes';
import type { PyInterp } from './interp';
import { MISSING, Scope } from './scope';
import { PyDict, PyFunction, PySet, type PyValue, RangeValue, Slice } from './values';
export { RangeValue, Slice };
import { callExpr } from './calls';
import { getAttr, moduleItems } from './classes';
import { builtin } from './builtins';
import { isLibraryClass, tensorBinary, tensorIndex } from './torch';
import { assignTarget } from './statements';

/**
 * Python expressions over the shared values. A value the evaluator cannot know is an
 * `UnknownValue` carrying why; operations on it stay unknown, never a default.
 */

/** Tuples are arrays too; this remembers which arrays were written as tuples (isinstance(x, tuple)). */
export const TUPLES = new WeakSet<PyValue[]>();

export function tuple(items: PyValue[]): PyValue[] {
  TUPLES.add(items);
  return items;
}

/** Python truthiness; undefined when it cannot be known (an unknown value, a tensor). */
export function truthy(v: PyValue): boolean | undefined {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyDict) return v.map.size > 0;
  if (v instanceof PySet) return v.items.length > 0;
  if (isUnknown(v) || v instanceof SymTensor) return undefined;
  return true;
}

/** Short source text of a node, for messages. */
export function textOf(I: PyInterp, n: N.Span): string {
  const t = I.file.text.slice(n.pos, n.end).replace(/\s+/g, ' ');
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

export function evalExpr(I: PyInterp, e: N.Expr, scope: Scope): PyValue {
  I.tick();
  switch (e.kind) {
    case 'name': {
      const v = scope.lookup(e.id);
      if (v !== MISSING) return v;
      const b = builtin(e.id);
      return b !== undefined ? b : new UnknownValue(`\`${e.id}\` is not defined`);
    }
    case 'num':
      return e.bad ? new UnknownValue(e.bad) : e.value;
    case 'str':
      return e.bytes ? new UnknownValue('a bytes literal') : e.value;
    case 'fstr':
      return fstring(I, e, scope);
    case 'const':
      return e.value === 'ellipsis' ? ELLIPSIS : e.value;
    case 'attr':
      return getAttr(I, evalExpr(I, e.obj, scope), e.name, e);
    case 'subscript':
      return subscript(I, evalExpr(I, e.obj, scope), evalExpr(I, e.index, scope), e);
    case 'slice':
      return new Slice(opt(I, e.lower, scope), opt(I, e.upper, scope), opt(I, e.step, scope));
    case 'call':
      return callExpr(I, e, scope);
    case 'bin':
      return binary(I, e.op, evalExpr(I, e.left, scope), evalExpr(I, e.right, scope), e);
    case 'unary': {
      const v = evalExpr(I, e.operand, scope);
      if (e.op === 'not') {
        const t = truthy(v);
        return t === undefined ? new UnknownValue(`\`${textOf(I, e)}\` has no static value`) : !t;
      }
      if (typeof v === 'number') return e.op === '-' ? -v : e.op === '+' ? v : ~v;
      if (typeof v === 'boolean') return e.op === '-' ? -Number(v) : e.op === '+' ? Number(v) : ~Number(v);
      if (v instanceof SymTensor) return e.op === '-' ? tensorBinary(I, 'mul', v, -1, e) : new UnknownValue(`\`${textOf(I, e)}\` is not evaluated statically`);
      return isUnknown(v) ? v : new UnknownValue(`\`${textOf(I, e)}\` is not evaluated statically`);
    }
    case 'boolop': {
      const l = evalExpr(I, e.left, scope);
      const t = truthy(l);
      if (t === undefined) return isUnknown(l) ? l : new UnknownValue(`\`${textOf(I, e.left)}\` has no static truth value`);
      if (e.op === 'and') return t ? evalExpr(I, e.right, scope) : l;
      return t ? l : evalExpr(I, e.right, scope);
    }
    case 'compare': {
      let left = evalExpr(I, e.first, scope);
      let result: PyValue = true;
      for (const { op, right } of e.rest) {
        const r = evalExpr(I, right, scope);
        // `mask = ids != pad`, `(x > 0).float()`: elementwise on a tensor, a tensor of booleans.
        if (e.rest.length === 1 && TENSOR_COMPARISONS.has(op) && (left instanceof SymTensor || r instanceof SymTensor) && [left, r].every((v) => v instanceof SymTensor || typeof v === 'number' || typeof v === 'boolean')) {
          return tensorBinary(I, op, left, r, e);
        }
        const c = compare(op, left, r);
        // An unknown operand's own reason says why (`sizes is not None` where sizes could not be computed).
        if (c === undefined) return isUnknown(left) ? left : isUnknown(r) ? r : new UnknownValue(`\`${textOf(I, e)}\` has no static value`);
        if (!c) return false;
        result = c;
        left = r;
      }
      return result;
    }
    case 'ifexp': {
      const t = truthy(evalExpr(I, e.test, scope));
      if (t === undefined) return new UnknownValue(`\`${textOf(I, e.test)}\` has no static value`);
      return evalExpr(I, t ? e.body : e.orelse, scope);
    }
    case 'lambda':
      return new PyFunction(e, scope, I.file);
    case 'tuple':
    case 'list':
    case 'set': {
      const items = elements(I, e.elts, scope);
      if (isUnknown(items)) return items;
      if (e.kind === 'tuple') return tuple(items);
      if (e.kind === 'set') return new UnknownValue('a set is not evaluated statically');
      return items;
    }
    case 'starred':
      return new UnknownValue('a starred expression outside a call or list');
    case 'dict': {
      const d = new PyDict();
      for (const it of e.items) {
        if (!it.key) {
          const src = evalExpr(I, it.value, scope);
          if (!(src instanceof PyDict)) return new UnknownValue(`\`**${textOf(I, it.value)}\` is not a dict ModelLens knows`);
          for (const [k, v] of src.map) d.map.set(k, v);
          continue;
        }
        const k = evalExpr(I, it.key, scope);
        if (!isKey(k)) return new UnknownValue(`the key \`${textOf(I, it.key)}\` has no static value`);
        d.map.set(k, evalExpr(I, it.value, scope));
      }
      return d;
    }
    case 'listcomp':
    case 'genexp':
    case 'setcomp':
    case 'dictcomp':
      return comprehension(I, e, scope);
    case 'bad':
      return new UnknownValue(e.why === 'a syntax error' ? `\`${textOf(I, e)}\` has a syntax error` : `${e.why} is not evaluated by ModelLens`);
  }
}

function opt(I: PyInterp, e: N.Expr | undefined, scope: Scope): PyValue {
  return e ? evalExpr(I, e, scope) : null;
}

/** `...` */
export const ELLIPSIS = new UnknownValue('`...` (Ellipsis)');

export function isKey(v: PyValue): v is string | number | boolean | null {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
}

/** Items of a list/tuple display, with `*xs` spread; unknown when a spread is not a list. */
export function elements(I: PyInterp, elts: N.Expr[], scope: Scope): PyValue[] | UnknownValue {
  const out: PyValue[] = [];
  for (const x of elts) {
    if (x.kind === 'starred') {
      const v = evalExpr(I, x.value, scope);
      const items = iterate(v);
      if (!items) return isUnknown(v) ? v : new UnknownValue(`\`*${textOf(I, x.value)}\` cannot be expanded statically`);
      out.push(...items);
    } else out.push(evalExpr(I, x, scope));
  }
  return out;
}

/** The items iterating a value gives, or undefined when that is not known statically. */
export function iterate(v: PyValue): PyValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof PyDict) return [...v.map.keys()];
  if (v instanceof RangeValue) return v.items();
  return moduleItems(v); // an nn.ModuleList or nn.Sequential: its children
}

function comprehension(I: PyInterp, e: N.Comp, outer: Scope): PyValue {
  const scope = new Scope(outer, outer.module);
  const out: PyValue[] = [];
  const dict = e.kind === 'dictcomp' ? new PyDict() : undefined;
  let unknown: UnknownValue | undefined;
  const run = (i: number): void => {
    if (unknown) return;
    if (i === e.clauses.length) {
      if (dict) {
        const k = evalExpr(I, e.elt, scope);
        if (!isKey(k)) unknown = new UnknownValue('a dictionary comprehension key has no static value');
        else dict.map.set(k, evalExpr(I, e.value!, scope));
      } else out.push(evalExpr(I, e.elt, scope));
      return;
    }
    const c = e.clauses[i];
    if (c.kind === 'if') {
      const t = truthy(evalExpr(I, c.test, scope));
      if (t === undefined) unknown = new UnknownValue(`the comprehension's condition \`${textOf(I, c.test)}\` has no static value`);
      else if (t) run(i + 1);
      return;
    }
    const iterable = evalExpr(I, c.iter, scope);
    const items = iterate(iterable);
    if (!items) {
      unknown = isUnknown(iterable) ? iterable : new UnknownValue(`\`${textOf(I, c.iter)}\` cannot be iterated statically`);
      return;
    }
    for (const item of items) {
      assignTarget(I, c.target, item, scope);
      run(i + 1);
    }
  };
  run(0);
  if (unknown) return unknown;
  if (dict) return dict;
  if (e.kind === 'setcomp') return new UnknownValue('a set is not evaluated statically');
  return out;
}

function fstring(I: PyInterp, e: N.FStr, scope: Scope): PyValue {
  let s = '';
  for (const p of e.parts) {
    if (typeof p === 'string') {
      s += p;
      continue;
    }
    const v = evalExpr(I, p.expr, scope);
    if (p.spec || (p.conversion && p.conversion !== '!s')) return new UnknownValue('an f-string with a format spec or conversion');
    const t = str(v);
    if (t === undefined) return new UnknownValue(`the f-string part \`${textOf(I, p.expr)}\` has no static value`);
    s += t;
  }
  return s;
}

/** `str(v)` for the values whose text Python defines simply. */
export function str(v: PyValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return undefined;
}

function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** Comparisons PyTorch computes elementwise when an operand is a tensor (`is`, `in` are Python's own). */
const TENSOR_COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=']);

export function compare(op: string, a: PyValue, b: PyValue): boolean | undefined {
  if (op === 'is' || op === 'is not') {
    // Identity is decidable for None, booleans and objects the evaluator made; not for unknowns.
    if (isUnknown(a) || isUnknown(b)) return undefined;
    const same = a === b;
    return op === 'is' ? same : !same;
  }
  if (op === 'in' || op === 'not in') {
    let r: boolean | undefined;
    if (Array.isArray(b)) r = b.some((x) => equal(a, x) === true) ? true : b.every((x) => equal(a, x) === false) ? false : undefined;
    else if (typeof b === 'string' && typeof a === 'string') r = b.includes(a);
    else if (b instanceof PyDict && isKey(a)) r = b.map.has(a);
    else if (b instanceof PySet) r = b.items.some((x) => equal(a, x) === true) ? true : b.items.every((x) => equal(a, x) === false) ? false : undefined;
    else if (b instanceof ModuleInstance && typeof a === 'string' && (containerKind(b) === 'ModuleDict' || containerKind(b) === 'ParameterDict')) {
      r = containerKind(b) === 'ModuleDict' ? namedChildren(b).some(([k]) => k === a) : !!b.parameters?.has(a);
    }
    if (r === undefined) return undefined;
    return op === 'in' ? r : !r;
  }
  if (op === '==' || op === '!=') {
    const eq = equal(a, b);
    return eq === undefined ? undefined : op === '==' ? eq : !eq;
  }
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) {
    switch (op) {
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      case '>=':
        return x >= y;
    }
  }
  return undefined;
}

export function equal(a: PyValue, b: PyValue): boolean | undefined {
  if (isUnknown(a) || isUnknown(b) || a instanceof SymTensor || b instanceof SymTensor) return undefined;
  // A library value against a plain one: `torch.float32 == 'float32'` is false, but a library
  // attribute may itself be a plain value ModelLens does not hold (`torch.version.cuda == '11.7'`).
  // A torch.nn class is never a plain value (`type(m) == 'Conv1d'` is false).
  if ((a instanceof Namespace && isPlain(b)) || (b instanceof Namespace && isPlain(a))) return isLibraryClass((a instanceof Namespace ? a : b) as Namespace) ? false : undefined;
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof b === 'boolean' && typeof a === 'number') return Number(b) === a;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    let all: boolean | undefined = true;
    for (let i = 0; i < a.length; i++) {
      const e = equal(a[i], b[i]);
      if (e === false) return false;
      if (e === undefined) all = undefined;
    }
    return all;
  }
  return a === b;
}

function isPlain(v: PyValue): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
}

function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

export function binary(I: PyInterp, op: string, a: PyValue, b: PyValue, node: N.Span): PyValue {
  if (a instanceof SymTensor || b instanceof SymTensor) return tensorBinary(I, op, a, b, node);
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0 ? new UnknownValue('division by zero') : x / y;
      case '//':
        return y === 0 ? new UnknownValue('division by zero') : Math.floor(x / y);
      case '%':
        return y === 0 ? new UnknownValue('division by zero') : pyMod(x, y);
      case '**':
        return x ** y;
      case '<<':
        return x * 2 ** y;
      case '>>':
        return Math.floor(x / 2 ** y);
      case '&':
        return x & y;
      case '|':
        return x | y;
      case '^':
        return x ^ y;
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '%' && typeof a === 'string') return percentFormat(a, Array.isArray(b) ? b : [b]);
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return TUPLES.has(a) ? tuple([...a, ...b]) : [...a, ...b];
  if (op === '*' && Array.isArray(a) && typeof y === 'number') return repeatList(a, y);
  if (op === '*' && Array.isArray(b) && typeof x === 'number') return repeatList(b, x);
  if (op === '*' && typeof a === 'string' && typeof y === 'number') return y > 10_000 ? new UnknownValue('a very long string') : a.repeat(Math.max(0, y));
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) {
    const d = new PyDict();
    for (const [k, v] of a.map) d.map.set(k, v);
    for (const [k, v] of b.map) d.map.set(k, v);
    return d;
  }
  return new UnknownValue(`\`${textOf(I, node)}\` is not evaluated statically`);
}

function repeatList(a: PyValue[], n: number): PyValue {
  if (n * a.length > 100_000) return new UnknownValue('a very long list');
  const out: PyValue[] = [];
  for (let i = 0; i < n; i++) out.push(...a);
  return TUPLES.has(a) ? tuple(out) : out;
}

function index(i: PyValue, length: number): number | undefined {
  if (typeof i === 'boolean') i = Number(i);
  if (typeof i !== 'number' || !Number.isInteger(i)) return undefined;
  const k = i < 0 ? length + i : i;
  return k >= 0 && k < length ? k : undefined;
}

/** Python slice bounds on a sequence of `length`. */
export function sliceRange(s: Slice, length: number): number[] | undefined {
  const step = s.step === null ? 1 : s.step;
  if (typeof step !== 'number' || step === 0 || !Number.isInteger(step)) return undefined;
  const bound = (v: PyValue, dflt: number): number | undefined => {
    if (v === null) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
    const k = v < 0 ? v + length : v;
    return step > 0 ? Math.min(Math.max(k, 0), length) : Math.min(Math.max(k, -1), length - 1);
  };
  const lo = bound(s.lower, step > 0 ? 0 : length - 1);
  const hi = bound(s.upper, step > 0 ? length : -1);
  if (lo === undefined || hi === undefined) return undefined;
  const out: number[] = [];
  for (let i = lo; step > 0 ? i < hi : i > hi; i += step) out.push(i);
  return out;
}

export function subscript(I: PyInterp, obj: PyValue, idx: PyValue, node: N.Span): PyValue {
  if (obj instanceof SymTensor) return tensorIndex(I, obj, idx, node);
  if (isUnknown(obj)) return obj;
  if (isUnknown(idx)) return idx;
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (idx instanceof Slice) {
      const r = sliceRange(idx, obj.length);
      if (!r) return new UnknownValue(`\`${textOf(I, node)}\`: the slice has no static value`);
      if (typeof obj === 'string') return r.map((i) => obj[i]).join('');
      const items = r.map((i) => obj[i]);
      return TUPLES.has(obj) ? tuple(items) : items;
    }
    const k = index(idx, obj.length);
    if (k === undefined) return new UnknownValue(`\`${textOf(I, node)}\`: index out of range or not an integer`);
    return obj[k];
  }
  if (obj instanceof PyDict && isKey(idx)) {
    return obj.map.has(idx) ? obj.map.get(idx) : new UnknownValue(`\`${textOf(I, node)}\`: the key is not in the dict`);
  }
  return subscriptOther(I, obj, idx, node);
}

/** Indexing containers of layers (`self.features[0]`) lives with the classes (classes.ts). */
import { subscriptObject as subscriptOther } from './classes';

/** `"layer%d" % (i + 1)`: %d, %i, %s and %% with static values; anything else is unknown. */
function percentFormat(fmt: string, args: PyValue[]): PyValue {
  let k = 0;
  let bad = false;
  const out = fmt.replace(/%([%dis])/g, (_, c: string) => {
    if (c === '%') return '%';
    const v = args[k++];
    const t = c === 's' ? str(v) : typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined;
    if (t === undefined) bad = true;
    return t ?? '';
  });
  if (bad || k !== args.length || /%[^%dis]/.test(fmt.replace(/%%/g, ''))) return new UnknownValue('a %-formatted string ModelLens cannot evaluate');
  return out;
}
