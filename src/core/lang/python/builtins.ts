import { UnknownValue, isUnknown } from '../../unknown';
import { LayerInstance, ModuleInstance, Namespace, SymTensor, type Value } from '../../framework/values';
import { PyClass, PyDict, PyFunction, PyModuleValue, PyNative, PyObject, PyPartial, PySet, type PyValue, SuperProxy, BoundMethod } from './values';
import { RangeValue, TUPLES, equal, iterate, str, tuple, truthy } from './expressions';
import { exceptionClass } from './calls';
import { Scope } from './scope';
import { moduleItems, moduleLength } from './classes';
import { torchInstanceOf } from '../../framework/moduleApi';
import { OrderedDictValue, layerClass } from './torch';
import { FieldSpec } from './classes';

/**
 * Python's builtins and the standard-library functions model code uses (`math`, `functools`,
 * `collections`, `dataclasses`), each evaluated exactly or unknown with a reason.
 */

function num(v: PyValue): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;
}

function numeric(name: string, f: (...xs: number[]) => number): PyNative {
  return new PyNative(name, (args) => {
    const xs = args.map(num);
    if (xs.some((x) => x === undefined)) return args.find(isUnknown) ?? new UnknownValue(`${name}() of a value that is not a number`);
    return f(...(xs as number[]));
  });
}

function len(v: PyValue): PyValue {
  if (Array.isArray(v) || typeof v === 'string') return v.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PySet) return v.items.length;
  if (v instanceof RangeValue) return v.length;
  const n = moduleLength(v);
  if (n !== undefined) return n;
  if (v instanceof SymTensor) return v.shape && v.shape[0] !== null && v.shape.length ? (v.shape[0] as number) : new UnknownValue('len() of a tensor whose first dimension is unknown');
  return isUnknown(v) ? v : new UnknownValue('len() of this value is not known statically');
}

/** `types.FunctionType`: a function written with `def` or `lambda` (a bound method, a class or a module is not one). */
const FUNCTION_TYPE = new PyNative('FunctionType', () => new UnknownValue('calling types.FunctionType is not modelled by ModelLens'));

/** isinstance(v, cls): decidable for the values the evaluator makes; unknown otherwise. */
function isinstance(v: PyValue, cls: PyValue): PyValue {
  if (cls === FUNCTION_TYPE && !isUnknown(v)) return v instanceof PyFunction && v.kind !== 'static' && v.kind !== 'class' ? true : v instanceof PyFunction ? new UnknownValue('isinstance() of a decorated method is not known statically') : false;
  if (Array.isArray(cls)) {
    let unknown = false;
    for (const c of cls) {
      const r = isinstance(v, c);
      if (r === true) return true;
      if (r !== false) unknown = true;
    }
    return unknown ? new UnknownValue('isinstance() is not known statically') : false;
  }
  if (isUnknown(v)) return v;
  if (cls instanceof PyClass) {
    if (v instanceof ModuleInstance) return v.cls instanceof PyClass && v.cls.mro().includes(cls);
    if (v instanceof PyObject) return v.cls.mro().includes(cls);
    return false;
  }
  if (cls instanceof PyNative) {
    switch (cls.name) {
      case 'int':
        return typeof v === 'number' ? Number.isInteger(v) : typeof v === 'boolean';
      case 'float':
        return typeof v === 'number' && !Number.isInteger(v) ? true : typeof v === 'number' ? new UnknownValue('int or float is not tracked for whole numbers') : false;
      case 'bool':
        return typeof v === 'boolean';
      case 'str':
        return typeof v === 'string';
      case 'list':
        return Array.isArray(v) && !TUPLES.has(v);
      case 'tuple':
        return Array.isArray(v) && TUPLES.has(v);
      case 'dict':
        return v instanceof PyDict;
      case 'OrderedDict':
        return v instanceof OrderedDictValue;
    }
  }
  if (cls instanceof Namespace && cls.parts[0] === 'torch') {
    // PyTorch's classes as isinstance sees them (moduleApi.ts, shared with TypeScript's instanceof).
    const r = torchInstanceOf(v as Value, cls);
    if (r !== undefined) return r as PyValue;
    if (typeof v !== 'object' || v === null || v instanceof ModuleInstance || v instanceof LayerInstance) return false;
  }
  return new UnknownValue('isinstance() against this class is not known statically');
}

const exceptions = ['ValueError', 'TypeError', 'RuntimeError', 'NotImplementedError', 'KeyError', 'IndexError', 'AssertionError', 'Exception', 'AttributeError', 'ImportError', 'ModuleNotFoundError', 'StopIteration', 'ZeroDivisionError'];

const BUILTINS = new Map<string, PyValue>([
  ['True', true],
  ['False', false],
  ['None', null],
  ['len', new PyNative('len', (a) => len(a[0]))],
  ['range', new PyNative('range', (a) => {
    const xs = a.map(num);
    if (xs.some((x) => x === undefined || !Number.isInteger(x))) return a.find(isUnknown) ?? new UnknownValue('range() of a value that is not an integer');
    const [start, stop, step] = xs.length === 1 ? [0, xs[0]!, 1] : [xs[0]!, xs[1]!, xs[2] ?? 1];
    return step === 0 ? new UnknownValue('range() step 0') : new RangeValue(start, stop, step);
  })],
  ['enumerate', new PyNative('enumerate', (a, kw) => {
    const items = iterate(a[0]) ?? moduleItems(a[0]);
    const start = num(a[1] ?? kw.get('start') ?? 0) ?? 0;
    return items ? items.map((x, i) => tuple([i + start, x])) : isUnknown(a[0]) ? a[0] : new UnknownValue('enumerate() of a value that cannot be iterated statically');
  })],
  ['zip', new PyNative('zip', (a) => {
    const lists = a.map((x) => iterate(x) ?? moduleItems(x));
    if (lists.some((l) => !l)) return a.find((x, i) => !lists[i] && isUnknown(x)) ?? new UnknownValue('zip() of a value that cannot be iterated statically');
    const n = Math.min(...lists.map((l) => l!.length));
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l![i])));
  })],
  ['list', new PyNative('list', (a) => (a.length === 0 ? [] : iterate(a[0])?.slice() ?? moduleItems(a[0])?.slice() ?? new UnknownValue('list() of a value that cannot be iterated statically')))],
  ['tuple', new PyNative('tuple', (a) => {
    const items = a.length === 0 ? [] : iterate(a[0]) ?? moduleItems(a[0]);
    return items ? tuple([...items]) : new UnknownValue('tuple() of a value that cannot be iterated statically');
  })],
  ['set', new PyNative('set', (a) => {
    const items = a.length === 0 ? [] : iterate(a[0]);
    if (!items || !items.every((x) => x === null || ['number', 'string', 'boolean'].includes(typeof x))) return new UnknownValue('set() of values that are not numbers or strings');
    return new PySet(items.filter((x, i) => items.findIndex((y) => equal(x, y) === true) === i));
  })],
  ['dict', new PyNative('dict', (a, kw) => {
    const d = new PyDict();
    if (a[0] instanceof PyDict) for (const [k, v] of a[0].map) d.map.set(k, v);
    for (const [k, v] of kw) d.map.set(k, v);
    return d;
  })],
  ['int', new PyNative('int', (a) => {
    const x = a[0] === undefined ? 0 : typeof a[0] === 'string' ? Number(a[0]) : num(a[0]);
    return x === undefined || Number.isNaN(x) ? (isUnknown(a[0]) ? a[0] : new UnknownValue('int() of a value that is not a number')) : Math.trunc(x);
  })],
  ['float', new PyNative('float', (a) => {
    const x = a[0] === undefined ? 0 : typeof a[0] === 'string' ? Number(a[0]) : num(a[0]);
    return x === undefined || Number.isNaN(x) ? (isUnknown(a[0]) ? a[0] : new UnknownValue('float() of a value that is not a number')) : x;
  })],
  ['bool', new PyNative('bool', (a) => {
    const t = truthy(a[0] ?? false);
    return t === undefined ? new UnknownValue('bool() of a value with no static truth value') : t;
  })],
  ['str', new PyNative('str', (a) => str(a[0] ?? '') ?? new UnknownValue('str() of this value is not evaluated statically'))],
  ['abs', numeric('abs', Math.abs)],
  ['round', numeric('round', (x, n) => (n === undefined ? roundHalfEven(x) : Math.round(x * 10 ** n) / 10 ** n))],
  ['min', new PyNative('min', (a) => minMax(a, Math.min))],
  ['max', new PyNative('max', (a) => minMax(a, Math.max))],
  ['sum', new PyNative('sum', (a) => {
    const items = iterate(a[0]);
    const xs = items?.map(num);
    return xs && xs.every((x) => x !== undefined) ? (xs as number[]).reduce((p, c) => p + c, num(a[1] ?? 0) ?? 0) : new UnknownValue('sum() of values that are not numbers');
  })],
  ['any', new PyNative('any', (a) => boolAll(a[0], true))],
  ['all', new PyNative('all', (a) => boolAll(a[0], false))],
  ['sorted', new PyNative('sorted', (a) => {
    const items = iterate(a[0]);
    return items && items.every((x) => typeof x === 'number') ? [...(items as number[])].sort((x, y) => x - y) : new UnknownValue('sorted() of values that are not numbers');
  })],
  ['reversed', new PyNative('reversed', (a) => (iterate(a[0]) ?? moduleItems(a[0]))?.slice().reverse() ?? new UnknownValue('reversed() of a value that cannot be iterated statically'))],
  ['isinstance', new PyNative('isinstance', (a) => isinstance(a[0], a[1]))],
  ['hasattr', new PyNative('hasattr', (a) => {
    const [o, n] = a;
    if (typeof n !== 'string') return new UnknownValue('hasattr() with a name that is not static');
    if (o instanceof ModuleInstance) return o.fields.has(n) || (o.cls instanceof PyClass && !!o.cls.lookup(n)) ? true : new UnknownValue(`hasattr(…, '${n}') is not known statically`);
    if (o instanceof PyObject) return o.attrs.has(n) || !!o.cls.lookup(n);
    return new UnknownValue(`hasattr(…, '${n}') is not known statically`);
  })],
  ['print', new PyNative('print', () => null)],
  // Evaluated by calls.ts, which has the interpreter they need.
  ['getattr', new PyNative('getattr', () => new UnknownValue('getattr'))],
  ['setattr', new PyNative('setattr', () => new UnknownValue('setattr'))],
  ['super', new PyNative('super', () => new UnknownValue('super() outside a method'))],
  ['object', new PyNative('object', () => new UnknownValue('object()'))],
  ['callable', new PyNative('callable', (a) => a[0] instanceof PyFunction || a[0] instanceof BoundMethod || a[0] instanceof PyNative || a[0] instanceof PyClass || a[0] instanceof PyPartial)],
  ['id', new PyNative('id', () => new UnknownValue('id()'))],
  ['type', new PyNative('type', (a) => (a[0] instanceof PyObject ? a[0].cls : a[0] instanceof ModuleInstance ? (a[0].cls as PyValue) : a[0] instanceof LayerInstance && a[0].entry.framework === 'torch' ? layerClass(a[0]) : new UnknownValue('type() is not evaluated statically')))],
  ...exceptions.map((n) => [n, exceptionClass(n)] as [string, PyValue]),
]);

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function minMax(a: PyValue[], f: (...xs: number[]) => number): PyValue {
  const items = a.length === 1 ? iterate(a[0]) : a;
  const xs = items?.map(num);
  return xs && xs.length && xs.every((x) => x !== undefined) ? f(...(xs as number[])) : new UnknownValue('min()/max() of values that are not numbers');
}

function boolAll(v: PyValue, any: boolean): PyValue {
  const items = iterate(v);
  if (!items) return new UnknownValue('any()/all() of a value that cannot be iterated statically');
  let unknown = false;
  for (const x of items) {
    const t = truthy(x);
    if (t === undefined) unknown = true;
    else if (t === any) return any;
  }
  return unknown ? new UnknownValue('any()/all() of values with no static truth value') : !any;
}

export function builtin(name: string): PyValue | undefined {
  return BUILTINS.get(name);
}

/** `super()` needs the method's class and self: calls.ts makes it per call (see scope setup). */
export function makeSuper(self: PyValue, home: PyClass): SuperProxy {
  return new SuperProxy(self, home);
}

/** Standard-library modules model code imports, by dotted name (imports.ts). */
export function stdlibModule(name: string): Map<string, PyValue> | undefined {
  switch (name) {
    case 'math':
      return new Map<string, PyValue>([
        ['pi', Math.PI],
        ['e', Math.E],
        ['inf', Infinity],
        ['sqrt', numeric('sqrt', Math.sqrt)],
        ['floor', numeric('floor', Math.floor)],
        ['ceil', numeric('ceil', Math.ceil)],
        ['log', numeric('log', (x, b) => (b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)))],
        ['log2', numeric('log2', Math.log2)],
        ['log10', numeric('log10', Math.log10)],
        ['exp', numeric('exp', Math.exp)],
        ['pow', numeric('pow', Math.pow)],
        ['sin', numeric('sin', Math.sin)],
        ['cos', numeric('cos', Math.cos)],
        ['isqrt', numeric('isqrt', (x) => Math.floor(Math.sqrt(x)))],
        ['gcd', numeric('gcd', gcd)],
        ['prod', new PyNative('prod', (a) => {
          const xs = iterate(a[0])?.map(num);
          return xs && xs.every((x) => x !== undefined) ? (xs as number[]).reduce((p, c) => p * c, 1) : new UnknownValue('math.prod() of values that are not numbers');
        })],
      ]);
    case 'functools':
      return new Map<string, PyValue>([
        ['partial', new PyNative('partial', (a, kw) => new PyPartial(a[0], a.slice(1), new Map(kw)))],
        ['wraps', new PyNative('wraps', () => new PyNative('wraps', (a) => a[0]))],
        ['reduce', new PyNative('reduce', () => new UnknownValue('functools.reduce is not evaluated statically'))],
      ]);
    case 'collections':
      return new Map<string, PyValue>([
        ['namedtuple', new PyNative('namedtuple', (a) => namedtuple(a[0], a[1]))],
        ['OrderedDict', new PyNative('OrderedDict', (a, kw) => {
          const d = new OrderedDictValue();
          const items = a[0] instanceof PyDict ? [...a[0].map.entries()].map(([k, v]) => [k, v] as PyValue[]) : a[0] === undefined ? [] : iterate(a[0]);
          if (!items) return new UnknownValue('OrderedDict() of a value that cannot be iterated statically');
          for (const it of items) {
            if (!Array.isArray(it) || it.length !== 2 || (typeof it[0] !== 'string' && typeof it[0] !== 'number')) return new UnknownValue('OrderedDict() entries are not static (key, value) pairs');
            d.map.set(it[0], it[1]);
          }
          for (const [k, v] of kw) d.map.set(k, v);
          return d;
        })],
      ]);
    case 'dataclasses':
      return new Map<string, PyValue>([
        ['dataclass', new PyNative('dataclass', (a) => a[0] ?? new PyNative('dataclass', (b) => b[0]))],
        ['field', new PyNative('field', (_a, kw) => new FieldSpec(kw.has('default') ? kw.get('default') : new UnknownValue('a dataclass field with a default_factory')) as unknown as PyValue)],
      ]);
    case 'copy':
      // A shallow copy of a config object, dict or list; a copy of anything holding modules or
      // tensors (whose registration a copy would duplicate) is not followed.
      return new Map<string, PyValue>([
        ['copy', new PyNative('copy', (a) => shallowCopy(a[0]))],
        ['deepcopy', new PyNative('deepcopy', (a) => (plainData(a[0]) ? deepCopyPlain(a[0]) : new UnknownValue('copy.deepcopy() of a value holding modules or tensors is not followed')))],
      ]);
    case 'numpy':
      // Only what model configuration code uses; any other numpy name is unknown (not defined here).
      return new Map<string, PyValue>([['linspace', new PyNative('linspace', (a, kw) => linspace(a, kw))]]);
    case 'types':
      // What code checks values against (`isinstance(obj, FunctionType)`); calling them is not modelled.
      return new Map<string, PyValue>([
        ['FunctionType', FUNCTION_TYPE],
        ['LambdaType', FUNCTION_TYPE],
      ]);
    case 'typing':
      // Type hints are ignored; `cast(T, v)` is `v` at run time.
      return new Map<string, PyValue>([
        ['cast', new PyNative('cast', (a) => a[1])],
        ['TYPE_CHECKING', false],
        // typing.OrderedDict called makes a collections.OrderedDict.
        ['OrderedDict', stdlibModule('collections')!.get('OrderedDict')],
      ]);
  }
  return undefined;
}

/**
 * `namedtuple("Outputs", ["logits", "aux"])`: calling it makes the tuple of its fields in order
 * (`Outputs(x, aux)`, `Outputs(logits=x, aux=aux)`); reading a field by name is not modelled.
 */
function namedtuple(name: PyValue, fields: PyValue): PyValue {
  const names = typeof fields === 'string' ? fields.split(/[\s,]+/).filter(Boolean) : Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? (fields as string[]) : undefined;
  if (typeof name !== 'string' || !names) return new UnknownValue('namedtuple() with fields that have no static value');
  return new PyNative(name, (a, kw) => {
    if (a.length > names.length || [...kw.keys()].some((k) => !names.includes(k))) return new UnknownValue(`${name}() with arguments that are not its fields`);
    const items = names.map((f, i) => (i < a.length ? a[i] : kw.has(f) ? kw.get(f) : undefined));
    return items.some((x) => x === undefined) ? new UnknownValue(`${name}() without all its fields`) : tuple(items as PyValue[]);
  });
}

/**
 * `np.linspace(start, stop, num)` as numpy computes it in double precision (`arange(num) * step +
 * start`, the last value set to `stop`), as an array whose `.tolist()` is the list of values.
 */
function linspace(a: PyValue[], kw: Map<string, PyValue>): PyValue {
  const [start, stop] = a;
  const num = a[2] ?? kw.get('num') ?? 50;
  if (typeof start !== 'number' || typeof stop !== 'number' || typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num > 100_000 || [...kw.keys()].some((k) => k !== 'num')) {
    return new UnknownValue('np.linspace() with arguments ModelLens does not evaluate');
  }
  const div = num - 1;
  const step = div > 0 ? (stop - start) / div : NaN;
  const values = Array.from({ length: num }, (_, i) => (div > 0 ? i * step + start : start));
  if (num > 1) values[num - 1] = stop;
  return numpyArray(values);
}

/** A 1-d numpy array of known values, as an object whose one attribute is `tolist()` (any other is unknown). */
function numpyArray(values: number[]): PyValue {
  const attrs = new Scope(undefined);
  attrs.vars.set('tolist', new PyNative('tolist', () => [...values]));
  return new PyModuleValue('numpy.ndarray', attrs);
}

function shallowCopy(v: PyValue): PyValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return TUPLES.has(v) ? v : [...v];
  if (v instanceof PyObject) {
    const o = new PyObject(v.cls);
    for (const [k, x] of v.attrs) o.attrs.set(k, x);
    return o;
  }
  if (v instanceof PyDict && !(v instanceof OrderedDictValue)) {
    const d = new PyDict();
    for (const [k, x] of v.map) d.map.set(k, x);
    return d;
  }
  return new UnknownValue('copy.copy() of this value is not followed');
}

/** Numbers, strings, None, functions, classes, and lists/dicts/objects of them: copying them copies no module. */
function plainData(v: PyValue, depth = 0): boolean {
  if (depth > 20) return false;
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every((x) => plainData(x, depth + 1));
  if (v instanceof PyObject) return [...v.attrs.values()].every((x) => plainData(x, depth + 1));
  if (v instanceof PyDict && !(v instanceof OrderedDictValue)) return [...v.map.values()].every((x) => plainData(x, depth + 1));
  return v instanceof PyClass || v instanceof PyFunction || v instanceof PyPartial || v instanceof PyNative;
}

function deepCopyPlain(v: PyValue): PyValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const items = v.map(deepCopyPlain);
    return TUPLES.has(v) ? tuple(items) : items;
  }
  if (v instanceof PyObject) {
    const o = new PyObject(v.cls);
    for (const [k, x] of v.attrs) o.attrs.set(k, deepCopyPlain(x));
    return o;
  }
  if (v instanceof PyDict) {
    const d = new PyDict();
    for (const [k, x] of v.map) d.map.set(k, deepCopyPlain(x));
    return d;
  }
  return v;
}

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

export { equal };
