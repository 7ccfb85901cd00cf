import { UnknownValue, isUnknown } from '../../unknown';
import type { ArgValue } from '../../args';
import { catalog } from '../../catalog';
import { bindTorch } from '../../catalog/bind';
import type { LayerEntry } from '../../catalog/types';
import { closestName } from '../../catalog/suggest';
import { ConfigError, RuleError, Unknowable } from '../../unknown';
import { ShapeError, type Shape, broadcast } from '../../shape';
import { LayerInstance, ModuleInstance, Namespace, ParameterValue, SymTensor, UnknownLayer, type Value, existsOnlyIf } from '../../framework/values';
import { reparametrize } from '../../framework/moduleUtils';
import { CONTAINERS, MODULE_METHODS, NOT_BUILTIN, layerSlots, layerSubmodules, moduleMethod as sharedModuleMethod, parameterMethod } from '../../framework/moduleApi';
import { CONSTANT_OPS, FUNCTIONAL_LAYERS, isShapeKeepingInPlace, tensorMethod, torchFunction } from '../../framework/tensorOps';
import type * as N from './nodes';
import type { PyInterp } from './interp';
import { PyNative, type PyValue, UnknownMember } from './values';
import { BoundTensorMethod, instantiate } from './classes';
import { ELLIPSIS, Slice, TUPLES, textOf, tuple } from './expressions';
import { callValue, mayHaveChanged } from './calls';
import { containerName, preludeClass } from './prelude';
import { ValuedTensor, valued, valuedBinary, valuedFunction } from './valuedTensors';

/**
 * What `torch`, `torch.nn` and `torch.nn.functional` are to Python code: layer classes from the
 * shared catalog (one entry per kind, the same as for TypeScript), tensor functions and methods
 * through the shared shape rules (framework/tensorOps.ts), `nn.Parameter`, `nn.init` (no shapes).
 */

export function isModuleBase(v: PyValue): boolean {
  return v instanceof Namespace && v.last === 'Module' && v.parts[0] === 'torch';
}

/** `nn.Module`, `nn.Sequential`, `torch.nn.Linear`: a library module class (a base makes a class an nn.Module). */
export function isLibraryModuleClass(v: PyValue): boolean {
  return v instanceof Namespace && v.parts[0] === 'torch' && v.parts[1] === 'nn' && /^[A-Z]/.test(v.last);
}

export function isTorchValue(v: PyValue): v is Namespace | BoundTensorMethod {
  return v instanceof Namespace || v instanceof BoundTensorMethod;
}

export function namespaceAttr(ns: Namespace, name: string): PyValue {
  if (name.startsWith('__') && name.endsWith('__')) {
    // `nn.Linear.__name__` (init code compares class names): a class's name is its last part.
    if ((name === '__name__' || name === '__qualname__') && isLibraryClass(ns)) return ns.last;
    // `torch.__version__`, `__doc__`, `__module__`: values ModelLens does not hold.
    return new UnknownValue(`${ns.path}.${name} is not known statically`);
  }
  return ns.child(name);
}

/** `torch.nn.Linear`: a torch.nn class the catalog or the prelude knows (its `__name__` is its last part). */
export function isLibraryClass(ns: Namespace): boolean {
  return ns.parts[0] === 'torch' && ns.parts[1] === 'nn' && ns.parts.length >= 3 && (catalog.torch.has(ns.last) || CONTAINERS.has(ns.last) || ns.last === 'Module');
}

/** `type(layer)`, `layer.__class__`: the torch.nn class of a catalog layer. */
export function layerClass(layer: LayerInstance): Namespace {
  return Namespace.root('torch').child('nn').child(layer.entry.type);
}

/** Keyword arguments a tensor function's shape depends on, as positions after the tensor(s). */
const KW_POSITIONS: Record<string, Record<string, number>> = {
  cat: { dim: 1, tensors: 0 },
  concat: { dim: 1, tensors: 0 },
  stack: { dim: 1, tensors: 0 },
  flatten: { start_dim: 1, end_dim: 2 },
  mean: { dim: 1, keepdim: 2 },
  sum: { dim: 1, keepdim: 2 },
  amax: { dim: 1, keepdim: 2 },
  amin: { dim: 1, keepdim: 2 },
  std: { dim: 1, keepdim: 2 },
  var: { dim: 1, keepdim: 2 },
  transpose: { dim0: 1, dim1: 2 },
  swapaxes: { axis0: 1, axis1: 2 },
  swapdims: { dim0: 1, dim1: 2 },
  squeeze: { dim: 1 },
  unsqueeze: { dim: 1 },
  chunk: { chunks: 1, dim: 2 },
  split: { split_size_or_sections: 1, split_size: 1, dim: 2 },
  unbind: { dim: 1 },
  max: { dim: 1, keepdim: 2 },
  min: { dim: 1, keepdim: 2 },
  argmax: { dim: 1, keepdim: 2 },
  argmin: { dim: 1, keepdim: 2 },
  prod: { dim: 1, keepdim: 2 },
  logsumexp: { dim: 1, keepdim: 2 },
  select: { dim: 1, index: 2 },
  narrow: { dim: 1, start: 2, length: 3 },
  cumsum: { dim: 1 },
  cumprod: { dim: 1 },
  softmax: { dim: 1 },
  log_softmax: { dim: 1 },
  normalize: { p: 1, dim: 2 },
  roll: { shifts: 1, dims: 2 },
  linear: { input: 0, weight: 1, bias: 2 },
  masked_fill: { mask: 1, value: 2 },
};
/** Keyword arguments that never change a result's shape. */
const SHAPE_FREE = new Set(['inplace', 'training', 'p', 'dtype', 'device', 'approximate', 'negative_slope', 'memory_format', 'non_blocking', 'requires_grad', 'eps', 'alpha', 'min', 'max', 'beta', 'threshold', 'lambd', 'out']);

/** `torch.x(…)` / `F.x(…)` / `nn.Linear(…)` / `x.view(…)`. */
export function torchCall(I: PyInterp, fn: Namespace | BoundTensorMethod, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  if (fn instanceof BoundTensorMethod) {
    // `widths.int().tolist()` while a module is built: the values (valuedTensors.ts).
    if (fn.t instanceof ValuedTensor && !I.recorder && !kwargs.size) {
      const v = valuedFunction(fn.name, [fn.t, ...args]);
      if (v !== undefined) return v;
    }
    return tensorCall(I, fn.t, fn.name, args, kwargs, node, 0);
  }
  const parts = fn.parts;
  const last = fn.last;
  if (parts[0] !== 'torch') return new UnknownValue(`${fn.path}() is not evaluated statically`);
  if (parts[1] === 'nn' && parts[2] === 'init') return null; // initialisation changes values, not shapes
  if (last === 'Parameter' && parts[1] === 'nn') {
    const data = args[0] ?? kwargs.get('data');
    if (data instanceof SymTensor && data.shape) return new ParameterValue(data.shape, data.shape.includes(null) ? 'a dimension of the parameter is unknown' : undefined);
    return new ParameterValue(null, isUnknown(data) ? data.reason : 'the parameter tensor has no static size');
  }
  // nn.utils.weight_norm(m) & co.: the module, its parameter replaced (framework/moduleUtils.ts).
  const reparam = REPARAMETRIZATIONS.get(parts.slice(3).join('.'));
  if (parts[1] === 'nn' && parts[2] === 'utils' && reparam) {
    const arg = (i: number, key: string, otherwise: PyValue) => (i < args.length ? args[i] : kwargs.has(key) ? kwargs.get(key) : otherwise);
    I.effects++;
    // (module, name='weight', dim=0): only weight_norm's norm depends on `dim`.
    const out = reparametrize(reparam, arg(0, 'module', undefined) as Value, arg(1, 'name', 'weight') as Value, reparam.endsWith('weight_norm') ? (arg(2, 'dim', 0) as Value) : null);
    if (isUnknown(out)) I.controlUnknown ??= out.reason;
    return out as PyValue;
  }
  // nn.Sequential, nn.ModuleList, …: PyTorch's own classes, transcribed (prelude.ts).
  const container = containerName(fn);
  const containerClass = container && preludeClass(I, container);
  if (containerClass) return instantiate(I, containerClass, args, kwargs, node);
  if (parts[1] === 'nn' && parts[2] !== 'functional' && /^[A-Z]/.test(last)) return makeLayer(I, fn, args, kwargs, node);
  const fnName = last;
  if (!I.recorder && !kwargs.size) {
    // Configuration computed with tensors while a module is built (valuedTensors.ts).
    const v = valuedFunction(fnName, args);
    if (v !== undefined) return v;
  }
  if (fnName === 'arange' && !I.recorder) {
    const r = arange(args, kwargs);
    if (r instanceof SymTensor && r.shape && kwargs.size === 0 && args.every((a) => typeof a === 'number' && Number.isInteger(a))) {
      const [start, step] = args.length === 1 ? [0, 1] : [args[0] as number, (args[2] as number | undefined) ?? 1];
      const values = Array.from({ length: r.shape[0] as number }, (_, i) => start + i * step);
      return valued(values, false, true) ?? r;
    }
    return r;
  }
  if (['zeros', 'ones', 'randn', 'rand', 'empty', 'full', 'randint', 'tensor'].includes(fnName)) return creation(fnName, args, kwargs);
  if (fnName === 'arange') return arange(args, kwargs);
  if (fnName === 'manual_seed' || fnName === 'no_grad') return null;
  // The model runs eagerly in Python, never scripted or traced: TorchScript's guards are decided.
  if (parts[1] === 'jit' && (fnName === 'is_scripting' || fnName === 'is_tracing')) return false;
  if (parts[1] === 'jit' && fnName === 'annotate') return args[1];
  // torch._assert(cond, msg): as `assert`, a failure path (not followed when undecided).
  if (fnName === '_assert') return null;
  return tensorCall(I, null, fnName, args, kwargs, node, 1);
}

/** torch.nn.utils' functions that replace a module's parameter, by their path under it. */
const REPARAMETRIZATIONS = new Map<string, Parameters<typeof reparametrize>[0]>([
  ['weight_norm', 'weight_norm'],
  ['spectral_norm', 'spectral_norm'],
  ['parametrizations.weight_norm', 'parametrizations.weight_norm'],
  ['parametrizations.spectral_norm', 'parametrizations.spectral_norm'],
]);

function creation(name: string, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  let dims: PyValue[] = name === 'full' ? [args[0]] : name === 'randint' ? [kwargs.get('size') ?? args[args.length - 1]] : args;
  if (name === 'tensor') return new UnknownValue('torch.tensor() of data is not evaluated statically');
  if (kwargs.has('size')) dims = [kwargs.get('size')];
  if (dims.length === 1 && Array.isArray(dims[0])) dims = dims[0] as PyValue[];
  if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) return new UnknownValue(`the size of torch.${name}() has no static value`);
  return new SymTensor(dims as number[], -1000, undefined, name === 'randint' ? 'int32' : 'float32');
}

/** `torch.arange(end)`, `torch.arange(start, end[, step])`: a 1-d tensor of ceil((end - start) / step) values. */
function arange(args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  const xs = args.map((a) => (typeof a === 'number' ? a : undefined));
  const step = xs[2] ?? (kwargs.has('step') ? (typeof kwargs.get('step') === 'number' ? (kwargs.get('step') as number) : undefined) : 1);
  const [start, end] = xs.length === 1 ? [0, xs[0]] : [xs[0], xs[1] ?? (typeof kwargs.get('end') === 'number' ? (kwargs.get('end') as number) : undefined)];
  if (start === undefined || end === undefined || step === undefined || step === 0) return new UnknownValue('the bounds of torch.arange() have no static value');
  return new SymTensor([Math.max(0, Math.ceil((end - start) / step))], -1000, undefined, 'int32');
}

/**
 * A tensor function (`t` null: the tensor is the first argument) or method. Keyword arguments are
 * put in their positions; one the shape may depend on and that is not modelled makes it unknown.
 */
function tensorCall(I: PyInterp, t: SymTensor | null, name: string, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span, offset: number): PyValue {
  try {
    return tensorCallRule(I, t, name, args, kwargs, node, offset);
  } catch (e) {
    // A rule's verdict outside a recorded op (`x.size(99)` on a 4-d tensor): PyTorch raises, ModelLens says so.
    if (!(e instanceof RuleError)) throw e;
    const why = e instanceof Unknowable ? e.reason : e.message;
    if (!(e instanceof Unknowable)) I.report(node, 'error', `\`${textOf(I, node)}\`: ${why}`, 'shape-mismatch');
    return new UnknownValue(why);
  }
}

function tensorCallRule(I: PyInterp, t: SymTensor | null, name: string, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span, offset: number): PyValue {
  // A Parameter's own methods (`requires_grad_(False)`, in-place initialisers), shared with TypeScript.
  if (t instanceof ParameterValue) {
    const r = parameterMethod(t, name, kwargs.has('requires_grad') ? [kwargs.get('requires_grad') as Value] : (args as Value[]));
    if (r !== NOT_BUILTIN) return r as PyValue;
  }
  if (name === 'meshgrid' && !t) {
    // `torch.meshgrid(a, b, indexing="ij")`: tensors, then the indexing as a trailing options object.
    const rest = new Map(kwargs);
    rest.delete('indexing');
    if (rest.size) return new UnknownValue(`the keyword argument ${[...rest.keys()][0]}= of meshgrid() is not modelled by ModelLens`);
    const opts: Record<string, PyValue> = kwargs.has('indexing') ? { indexing: kwargs.get('indexing') } : {};
    return toPy(torchFunction(I, name, [...args, opts] as Value[], node));
  }
  const positions = KW_POSITIONS[name] ?? {};
  // The tensor is argument 0 (for a method, `x` itself); keyword arguments go to their positions.
  const full: PyValue[] = t ? [t, ...args] : [...args];
  // `p.normal_(mean=0.0, std=0.02)`: an in-place initialiser's keywords (not tensors) never change a shape.
  if (t && isShapeKeepingInPlace(name) && ![...kwargs.values()].some((v) => v instanceof SymTensor)) kwargs = new Map();
  for (const [k, v] of kwargs) {
    if (k in positions) {
      while (full.length < positions[k]) full.push(undefined);
      full[positions[k]] = v;
    } else if (!SHAPE_FREE.has(k) && !FUNCTIONAL.has(name)) {
      return new UnknownValue(`the keyword argument ${k}= of ${name}() is not modelled by ModelLens`);
    }
  }
  void offset;
  if (FUNCTIONAL.has(name) && kwargs.size) {
    // Functional pooling: the layer's own keyword names (kernel_size=, stride=).
    const kw: Record<string, ArgValue> = {};
    for (const [k, v] of kwargs) if (!SHAPE_FREE.has(k)) kw[k] = v as ArgValue;
    full.push(kw as PyValue);
  }
  const host = I;
  if (full[0] instanceof SymTensor) {
    const x = full[0];
    if (name === 'size' || name === 'dim' || name === 'numel' || (t && isShapeKeepingInPlace(name))) return toPy(tensorMethod(host, x, name, full.slice(1) as Value[], node));
    if (name === 'chunk' || name === 'split' || name === 'unbind') {
      // `x.split(16, dim=2)`, `torch.chunk(x, 3, -1)`, `x.unbind(1)`: a tuple of tensors (the shared rules).
      if (!I.recorder) return new UnknownValue(`${name}() outside a traced forward`);
      return tuple(tensorMethod(host, x, name, full.slice(1) as Value[], node) as PyValue[]);
    }
    if ((name === 'max' || name === 'min') && full[1] instanceof SymTensor) {
      // torch.max(a, b): elementwise.
      return I.recorder ? (I.recorder.broadcastOp(name === 'max' ? 'maximum' : 'minimum', [x, full[1]], node) as PyValue) : new UnknownValue(`${name}() outside a traced forward`);
    }
    const reduced = toPy(torchFunction(host, name, full as Value[], node));
    // `x.max(dim=1)`, `torch.min(x, 1)`: PyTorch returns (values, indices), both of the reduced shape.
    if (VALUES_INDICES.has(name) && full[1] !== undefined && full[1] !== null) return tuple([reduced, reduced]);
    return reduced;
  }
  if (name === 'cat' || name === 'concat' || name === 'stack' || name === 'einsum') return toPy(torchFunction(host, name, full as Value[], node));
  const first = full[0];
  return isUnknown(first) ? first : new UnknownValue(`torch.${name}() of a value that is not a tensor`);
}

/** Reductions that, given a dim, return a (values, indices) pair. */
const VALUES_INDICES = new Set(['max', 'min', 'median', 'mode']);

/** Functional forms of catalog layers (F.max_pool2d, F.interpolate): their keywords are the layer's own (`kernel_size=`, `scale_factor=`). */
const FUNCTIONAL = new Set(Object.keys(FUNCTIONAL_LAYERS));

function toPy(v: Value): PyValue {
  return Array.isArray(v) ? tuple(v as PyValue[]) : (v as PyValue);
}

const COMPARISONS: Record<string, string> = { '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge', '==': 'eq', '!=': 'ne' };

/** `a + b` and friends with a tensor on one side: the shared broadcasting op. */
export function tensorBinary(I: PyInterp, op: string, a: PyValue, b: PyValue, node: N.Span): PyValue {
  const comparison = COMPARISONS[op];
  // A comparison is a tensor of booleans, in forward or while a module is built (never an index of integers).
  if (comparison) return (I.recorder ?? CONSTANT_OPS).broadcastOp(comparison, [a as Value, b as Value], node) as PyValue;
  const rec = I.recorder;
  if (!rec) return valuedBinary(op, a, b) ?? constantArithmetic(op, a, b);
  const name = ({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow', '//': 'div', mul: 'mul' } as Record<string, string>)[op];
  if (op === '@') return a instanceof SymTensor ? toPy(tensorMethod(I, a, 'matmul', [b as Value], node)) : new UnknownValue('matmul with a non-tensor on the left');
  if (!name) return new UnknownValue(`the tensor operator ${op} is not modelled by ModelLens`);
  return rec.broadcastOp(name, [a as Value, b as Value], node) as PyValue;
}

/**
 * `torch.ones(dim, 1, 1) * layer_scale`, `10 * torch.ones(h, 1, 1)` while a module is built (the
 * values of a parameter or buffer): elementwise, so the broadcast shape of the operands.
 */
function constantArithmetic(op: string, a: PyValue, b: PyValue): PyValue {
  if (!['+', '-', '*', '/', '**', '//'].includes(op)) return new UnknownValue(`the tensor operator ${op} outside a traced forward`);
  const shapes: Shape[] = [];
  for (const v of [a, b]) {
    if (v instanceof SymTensor) {
      if (!v.shape) return new UnknownValue(v.reason ?? 'a tensor of unknown shape');
      shapes.push(v.shape);
    } else if (typeof v !== 'number' && typeof v !== 'boolean') return isUnknown(v) ? v : new UnknownValue('tensor arithmetic with a value that is not a tensor or number');
  }
  // Integers stay integers (an index computed at construction) except through true division.
  const integer = op !== '/' && op !== '**' && [a, b].every((v) => (v instanceof SymTensor ? v.dtype === 'int32' : typeof v === 'boolean' || Number.isInteger(v)));
  try {
    return new SymTensor(shapes.reduce(broadcast), -1000, undefined, integer ? 'int32' : 'float32');
  } catch (e) {
    if (e instanceof RuleError) return new UnknownValue(e.message);
    throw e;
  }
}

/**
 * `x[…]`: basic indexing (integers drop a dimension, slices keep it, None adds one, `...` stands
 * for the dimensions the rest does not name), and one tensor of integers among full slices
 * (`table[index]`: the index's shape in place of the dimension it indexes). While a module is
 * built (a buffer computed in `__init__`), the same rules without a row.
 */
export function tensorIndex(I: PyInterp, t: SymTensor, idx: PyValue, node: N.Span): PyValue {
  const rec = I.recorder ?? CONSTANT_OPS;
  const items = Array.isArray(idx) && TUPLES.has(idx) ? idx : [idx];
  const gather = integerIndex(items);
  if (gather) {
    return rec.op('index', [t, gather.index], (s) => {
      const [shape, index] = s;
      const named = items.length - (gather.ellipsis ? 1 : 0);
      if (named > shape.length) throw new ShapeError(`too many indices for a ${shape.length}-d tensor: ${named} were indexed`);
      // The dimension the tensor indexes: the items before it, an ellipsis among them standing for
      // the dimensions no item names.
      const at = gather.ellipsis && gather.ellipsisAt < gather.at ? gather.at - 1 + shape.length - named : gather.at;
      return [...shape.slice(0, at), ...index, ...shape.slice(at + 1)];
    }, node);
  }
  for (const it of items) if ((isUnknown(it) && it !== ELLIPSIS) || it instanceof SymTensor || Array.isArray(it)) return new SymTensor(null, t.src, `the index \`${textOf(I, node)}\` is not modelled statically`);
  if (items.filter((x) => x === ELLIPSIS).length > 1) return new SymTensor(null, t.src, 'an index can only have a single ellipsis');
  return rec.op('index', [t], (s) => {
    const shape = s[0];
    const out: (number | null)[] = [];
    // Dimensions the index names (None and `...` name none).
    const named = items.filter((x) => x !== null && x !== ELLIPSIS).length;
    if (named > shape.length) throw new ShapeError(`too many indices for a ${shape.length}-d tensor: ${named} were indexed`);
    let d = 0;
    for (const it of items) {
      if (it === ELLIPSIS) {
        const skip = shape.length - named;
        out.push(...shape.slice(d, d + skip));
        d += skip;
        continue;
      }
      if (it === null) {
        out.push(1);
        continue;
      }
      if (typeof it === 'number' || typeof it === 'boolean') {
        if (typeof it === 'boolean') throw new ConfigError('a boolean index is not modelled by ModelLens');
        const n = shape[d];
        if (!Number.isInteger(it)) throw new ConfigError('an index that is not an integer');
        if (n !== null && (it >= n || it < -n)) throw new ShapeError(`index ${it} is out of bounds for dimension ${d} with size ${n}`);
        d++;
        continue;
      }
      if (it instanceof Slice) {
        const n = shape[d];
        if (n === null || n === undefined) out.push(null);
        else {
          const len = sliceLength(it, n);
          if (len === undefined) throw new ConfigError('a slice bound has no static value');
          out.push(len);
        }
        d++;
        continue;
      }
      throw new ConfigError(`the index \`${textOf(I, node)}\` is not modelled by ModelLens`);
    }
    return [...out, ...shape.slice(d)];
  }, node);
}



/**
 * The one tensor of integers in an index whose other items are full slices `:` or one `...`:
 * PyTorch's advanced indexing then puts the index's shape where the dimension was. A tensor of
 * booleans (a mask: how many it selects depends on the data), of floats, or several tensors are
 * not this case.
 */
function integerIndex(items: PyValue[]): { index: SymTensor; at: number; ellipsis: boolean; ellipsisAt: number } | undefined {
  const tensors = items.filter((x) => x instanceof SymTensor);
  if (tensors.length !== 1) return undefined;
  const index = tensors[0] as SymTensor;
  if (index.dtype !== 'int32') return undefined;
  const full = (x: PyValue) => x instanceof Slice && x.lower === null && x.upper === null && x.step === null;
  if (!items.every((x) => x === index || x === ELLIPSIS || full(x))) return undefined;
  const ellipsisAt = items.indexOf(ELLIPSIS);
  if (items.filter((x) => x === ELLIPSIS).length > 1) return undefined;
  return { index, at: items.indexOf(index), ellipsis: ellipsisAt >= 0, ellipsisAt };
}

function sliceLength(s: Slice, n: number): number | undefined {
  const step = s.step === null ? 1 : s.step;
  if (typeof step !== 'number' || step <= 0) return undefined;
  const b = (v: PyValue, dflt: number) => (v === null ? dflt : typeof v === 'number' ? Math.min(Math.max(v < 0 ? v + n : v, 0), n) : undefined);
  const lo = b(s.lower, 0);
  const hi = b(s.upper, n);
  if (lo === undefined || hi === undefined) return undefined;
  return Math.max(0, Math.ceil((hi - lo) / step));
}

/** `nn.Linear(784, 256)`: the catalog entry bound with Python's positional and keyword arguments. */
export function makeLayer(I: PyInterp, ns: Namespace, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  const entry = catalog.torch.get(ns.last);
  const site = I.file.site(node);
  if (!entry) {
    const written = ns.path.replace(/^torch\./, '');
    // A near miss of a catalog name (`nn.Lineer`): say which, with a quick fix on the name.
    const meant = closestName(ns.last, catalog.torch.keys());
    const full = meant && [...written.split('.').slice(0, -1), meant].join('.');
    const d = I.report(node, 'warning', `Unknown layer \`${written}\`: its parameters and shape are unknown.${full ? ` Did you mean \`${full}\`?` : ''}`, 'unknown-layer');
    const u = new UnknownLayer(ns.last, 'torch', node, site);
    if (meant) {
      u.reason = `unknown layer (did you mean ${full}?)`;
      const callee = (node as N.Call).kind === 'call' ? (node as N.Call).fn : undefined;
      const at = callee && callee.kind === 'attr' ? callee.end - ns.last.length : -1;
      if (d && I.file === I.rootFile && at >= 0 && I.file.text.slice(at, callee!.end) === ns.last) d.fix = { start: at, end: callee!.end, text: meant, title: `Change to ${full}` };
    }
    return u;
  }
  const positional = args;
  try {
    const kw: Record<string, ArgValue> = {};
    for (const [k, v] of kwargs) kw[k] = v as ArgValue;
    const bound = bindTorch(entry, positional as ArgValue[], kwargs.size ? kw : undefined);
    const layer = new LayerInstance(entry, bound, node, site, undefined, undefined);
    layer.argNodeMap = argNodesOf(entry, node, args.length);
    if (I.branchCondition) layer.conditional = existsOnlyIf(I.branchCondition);
    // A composite (TransformerEncoder) is PyTorch's module from the start (see lang/ts/torchLayers.ts).
    if (entry.expand) layer.expanded = I.expandLayer(layer);
    return layer;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    I.report(node, 'error', e.message, 'config');
    const u = new UnknownLayer(entry.type, 'torch', node, site);
    u.reason = e.message;
    return u;
  }
}

/**
 * Which argument expression gave which parameter, for quick fixes on the exact literal: positional
 * ones in the signature's order (only when the call's own arguments are all there is: no `*args`,
 * no `functools.partial` in front), then the keywords.
 */
function argNodesOf(entry: LayerEntry, node: N.Span, given: number): Map<string, N.Span> {
  const out = new Map<string, N.Span>();
  if ((node as N.Call).kind !== 'call') return out;
  const call = node as N.Call;
  const positional = call.args.filter((a) => a.kind === 'pos');
  const sig = entry.signature;
  if (sig && positional.length === given && !call.args.some((a) => a.kind === 'star')) {
    for (let i = 0; i < sig.length && i < positional.length && !sig[i].rest; i++) out.set(sig[i].name, positional[i].value);
  }
  for (const a of call.args) if (a.kind === 'kw' && a.name) out.set(a.name, a.value);
  return out;
}

/** `collections.OrderedDict`: a dict whose order Sequential keeps as child names. */
import { PyDict } from './values';
export class OrderedDictValue extends PyDict {}

/** `layer.weight`, `seq.append(m)`, `len(layers)`: what model code reads from library layers. */
export function layerAttr(I: PyInterp, layer: LayerInstance, name: string, node: N.Span): PyValue {
  if (name === '__class__' && layer.entry.framework === 'torch') return layerClass(layer);
  // `self.embed.weight`, `fc.bias`: the layer's own parameters, made from the kind's weights rule
  // (moduleApi.ts), so that tying and freezing them count as PyTorch counts them.
  if (layer.entry.framework === 'torch') {
    const slots = layerSlots(layer);
    if (!isUnknown(slots)) {
      const p = slots.get(name);
      if (p) return p;
      if (name === 'weight' || name === 'bias') return null; // Linear(…, bias=False).bias is None
    } else if (name === 'weight' || name === 'bias') return slots;
    // What the layer holds as a module: a composite's submodules and flags (`encoder.layers`),
    // the modules its kind registers inside it (`attn.out_proj`).
    const held = layer.expanded?.fields.get(name) ?? layer.expanded?.parameters?.get(name) ?? layerSubmodules(layer).find(([k]) => k === name)?.[1];
    if (held !== undefined) return held as PyValue;
  }
  const v = layer.args.values[name];
  if (v !== undefined && !(v instanceof UnknownValue)) return v as PyValue;
  // A library layer is an nn.Module: `self.fc.requires_grad_(False)`, `m.apply(init)`.
  if (layer.entry.framework === 'torch' && MODULE_METHODS.has(name)) return moduleMethod(I, layer, name, node);
  // Not known: reading it is `?`; calling it (a method of the layer's own) may change the layer.
  return new UnknownMember(`${layer.entry.type}.${name} is not evaluated statically`, layer);
}


/**
 * `self.add_module(…)`, `self.modules()`, `self.apply(fn)`, `self.fc.requires_grad_(False)` and the
 * rest of nn.Module's API on a user module or a library layer: PyTorch's semantics as
 * framework/moduleApi.ts writes them for both languages (keyword arguments ride as the trailing
 * options object it reads, `recurse=False`).
 */
export function moduleMethod(I: PyInterp, inst: ModuleInstance | LayerInstance, name: string, node: N.Span): PyValue {
  const typeName = inst instanceof ModuleInstance ? inst.cls.name : inst.entry.type;
  if (MODULE_METHODS.has(name)) {
    return new PyNative(name, (args, kwargs, at) => {
      I.effects++;
      const all = (kwargs.size ? [...args, Object.fromEntries(kwargs)] : args) as Value[];
      const r = sharedModuleMethod(I, inst, name, all, at, (fn, a) => callValue(I, fn as PyValue, a as PyValue[], new Map(), at) as Value);
      if (r === NOT_BUILTIN) return new UnknownValue(`${typeName}.${name}() is not known`);
      return toPyDeep(r);
    });
  }
  // An attribute ModelLens does not know: `?` when read (it may be a flag: `getattr(b, "_is_cn",
  // False)` read as a method was true), and a call of it (an unreadable base class's method) may
  // change the module (calls.ts).
  return new UnknownMember(`${typeName}.${name} is not known`, inst);
}

/** The shared API's `[name, module]` pairs become Python tuples (`for name, m in self.named_modules()`). */
function toPyDeep(v: Value): PyValue {
  if (!Array.isArray(v)) return v as PyValue;
  return v.map((x) => (Array.isArray(x) ? tuple(x as PyValue[]) : (x as PyValue)));
}
