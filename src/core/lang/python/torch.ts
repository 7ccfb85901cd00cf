import { UnknownValue, isUnknown } from '../../unknown';
import type { ArgValue } from '../../args';
import { catalog } from '../../catalog';
import { bindTorch } from '../../catalog/bind';
import type { LayerEntry } from '../../catalog/types';
import { closestName } from '../../catalog/suggest';
import { ConfigError, RuleError, Unknowable } from '../../unknown';
import { LayerInstance, ModuleInstance, Namespace, ParameterValue, SymTensor, UnknownLayer, type Value, existsOnlyIf } from '../../framework/values';
import { NOT_BUILTIN, layerSlots, parameterMethod, registerName } from '../../framework/moduleApi';
import { tensorMethod, torchFunction } from '../../framework/tensorOps';
import { axis } from '../../shape';
import type * as N from './nodes';
import type { PyInterp } from './interp';
import { PyNative, type PyValue } from './values';
import { BoundTensorMethod, moduleItems } from './classes';
import { Slice, iterate, textOf, tuple } from './expressions';
import { mayHaveChanged } from './calls';

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
  return ns.child(name);
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
  squeeze: { dim: 1 },
  unsqueeze: { dim: 1 },
  chunk: { chunks: 1, dim: 2 },
  softmax: { dim: 1 },
  log_softmax: { dim: 1 },
  normalize: { p: 1, dim: 2 },
};
/** Keyword arguments that never change a result's shape. */
const SHAPE_FREE = new Set(['inplace', 'training', 'p', 'dtype', 'device', 'approximate', 'negative_slope', 'memory_format', 'non_blocking', 'requires_grad', 'eps', 'alpha', 'min', 'max', 'beta', 'threshold', 'lambd', 'out']);

/** `torch.x(…)` / `F.x(…)` / `nn.Linear(…)` / `x.view(…)`. */
export function torchCall(I: PyInterp, fn: Namespace | BoundTensorMethod, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  if (fn instanceof BoundTensorMethod) return tensorCall(I, fn.t, fn.name, args, kwargs, node, 0);
  const parts = fn.parts;
  const last = fn.last;
  if (parts[0] !== 'torch') return new UnknownValue(`${fn.path}() is not evaluated statically`);
  if (parts[1] === 'nn' && parts[2] === 'init') return null; // initialisation changes values, not shapes
  if (last === 'Parameter' && parts[1] === 'nn') {
    const data = args[0] ?? kwargs.get('data');
    if (data instanceof SymTensor && data.shape) return new ParameterValue(data.shape, data.shape.includes(null) ? 'a dimension of the parameter is unknown' : undefined);
    return new ParameterValue(null, isUnknown(data) ? data.reason : 'the parameter tensor has no static size');
  }
  if (parts[1] === 'nn' && parts[2] !== 'functional' && /^[A-Z]/.test(last)) return makeLayer(I, fn, args, kwargs, node);
  const fnName = last;
  if (['zeros', 'ones', 'randn', 'rand', 'empty', 'full', 'randint', 'tensor'].includes(fnName)) return creation(fnName, args, kwargs);
  if (fnName === 'arange') return arange(args, kwargs);
  if (fnName === 'manual_seed' || fnName === 'no_grad') return null;
  return tensorCall(I, null, fnName, args, kwargs, node, 1);
}

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
  const positions = KW_POSITIONS[name] ?? {};
  // The tensor is argument 0 (for a method, `x` itself); keyword arguments go to their positions.
  const full: PyValue[] = t ? [t, ...args] : [...args];
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
    if (name === 'size' || name === 'dim' || name === 'numel') return toPy(tensorMethod(host, x, name, full.slice(1) as Value[], node));
    if (name === 'chunk' || name === 'split' || name === 'unbind') {
      if (name !== 'chunk') return new UnknownValue(`${name}() is not modelled by ModelLens`);
      return tuple(tensorMethod(host, x, name, full.slice(1) as Value[], node) as PyValue[]);
    }
    return toPy(torchFunction(host, name, full as Value[], node));
  }
  if (name === 'cat' || name === 'concat' || name === 'stack') return toPy(torchFunction(host, name, full as Value[], node));
  const first = full[0];
  return isUnknown(first) ? first : new UnknownValue(`torch.${name}() of a value that is not a tensor`);
}

const FUNCTIONAL = new Set(['max_pool1d', 'max_pool2d', 'avg_pool1d', 'avg_pool2d', 'adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_max_pool2d']);

function toPy(v: Value): PyValue {
  return Array.isArray(v) ? tuple(v as PyValue[]) : (v as PyValue);
}

/** `a + b` and friends with a tensor on one side: the shared broadcasting op. */
export function tensorBinary(I: PyInterp, op: string, a: PyValue, b: PyValue, node: N.Span): PyValue {
  const rec = I.recorder;
  if (!rec) return new UnknownValue('tensor arithmetic outside a traced forward');
  const name = ({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow', '//': 'div', mul: 'mul' } as Record<string, string>)[op];
  if (op === '@') return a instanceof SymTensor ? toPy(tensorMethod(I, a, 'matmul', [b as Value], node)) : new UnknownValue('matmul with a non-tensor on the left');
  if (!name) return new UnknownValue(`the tensor operator ${op} is not modelled by ModelLens`);
  return rec.broadcastOp(name, [a as Value, b as Value], node) as PyValue;
}

/** `x[…]`: basic indexing (integers drop a dimension, slices keep it, None adds one, `...` skips). */
export function tensorIndex(I: PyInterp, t: SymTensor, idx: PyValue, node: N.Span): PyValue {
  const rec = I.recorder;
  if (!rec) return new UnknownValue('tensor indexing outside a traced forward');
  const items = Array.isArray(idx) ? idx : [idx];
  for (const it of items) if (isUnknown(it) || it instanceof SymTensor) return new SymTensor(null, t.src, `the index \`${textOf(I, node)}\` is not modelled statically`);
  return rec.op('index', [t], (s) => {
    const shape = s[0];
    const out: (number | null)[] = [];
    let d = 0;
    const ell = items.findIndex((x) => x instanceof UnknownValue);
    void ell;
    const consumed = items.filter((x) => x !== null && !(x === ELLIPSIS_MARK)).length;
    for (const it of items) {
      if (it === null) {
        out.push(1);
        continue;
      }
      if (typeof it === 'number') {
        axis(shape.length, d); // validates
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
    void consumed;
    return [...out, ...shape.slice(d)];
  }, node);
}

const ELLIPSIS_MARK = {};

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
function makeLayer(I: PyInterp, ns: Namespace, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
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
  let positional = args;
  let childNames: string[] | undefined;
  // `nn.Sequential(OrderedDict([...]))`: named children.
  if (entry.container === 'sequential' && args.length === 1 && args[0] instanceof OrderedDictValue) {
    childNames = [...args[0].map.keys()].map(String);
    positional = [...args[0].map.values()];
  }
  // `nn.ModuleList()`: its own empty list (the catalog's default is one array shared by every binding, and append() fills it).
  if (entry.container === 'modulelist' && args.length === 0 && !kwargs.has('modules')) positional = [[]];
  if (entry.container === 'modulelist' && args.length === 1) {
    const items = iterate(args[0]);
    if (!items) return new UnknownLayer('ModuleList', 'torch', node, site);
    positional = [[...items]];
  }
  if (entry.container) {
    // PyTorch accepts only modules as children (anything else raises): one ModelLens cannot follow leaves the container unknown.
    const children = entry.container === 'modulelist' && Array.isArray(positional[0]) ? (positional[0] as PyValue[]) : positional;
    const bad = children.find((c) => !(c instanceof LayerInstance || c instanceof ModuleInstance || c instanceof UnknownLayer));
    if (bad !== undefined) {
      const u = new UnknownLayer(entry.type, 'torch', node, site);
      u.reason = `a child of this ${entry.type} is not a module ModelLens can follow${isUnknown(bad) ? ` (${bad.reason})` : ''}`;
      return u;
    }
  }
  try {
    const kw: Record<string, ArgValue> = {};
    for (const [k, v] of kwargs) kw[k] = v as ArgValue;
    const bound = bindTorch(entry, positional as ArgValue[], kwargs.size ? kw : undefined);
    const layer = new LayerInstance(entry, bound, node, site, undefined, undefined);
    layer.argNodeMap = argNodesOf(entry, node, args.length);
    if (I.branchCondition) layer.conditional = existsOnlyIf(I.branchCondition);
    layer.childNames = childNames;
    adopt(layer);
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

/** A container's children get PyTorch's names (`features.0`) and their owner. */
function adopt(layer: LayerInstance): void {
  const children = moduleItems(layer);
  if (!children) return;
  children.forEach((c, k) => {
    registerName(c as Value, layer.childNames?.[k] ?? String(k));
    if ((c instanceof LayerInstance || c instanceof UnknownLayer || c instanceof ModuleInstance) && !c.owner) c.owner = layer;
  });
}

/** `collections.OrderedDict`: a dict whose order Sequential keeps as child names. */
import { PyDict } from './values';
export class OrderedDictValue extends PyDict {}

/** `layer.weight`, `seq.append(m)`, `len(layers)`: what model code reads from library layers. */
export function layerAttr(I: PyInterp, layer: LayerInstance, name: string, node: N.Span): PyValue {
  const children = moduleItems(layer);
  if (children && (name === 'append' || name === 'extend' || name === 'add_module' || name === 'insert')) {
    return new PyNative(name, (a) => {
      I.effects++;
      const add = name === 'extend' ? iterate(a[0]) ?? [] : name === 'add_module' ? [a[1]] : name === 'insert' ? [a[1]] : [a[0]];
      for (const c of add) {
        if (name === 'insert' && typeof a[0] === 'number') children.splice(a[0], 0, c);
        else children.push(c);
        if (name === 'add_module' && typeof a[0] === 'string') {
          layer.childNames ??= children.slice(0, -1).map((_, i) => String(i));
          layer.childNames.push(a[0]);
        }
      }
      adopt(layer);
      return layer;
    });
  }
  // `self.embed.weight`, `fc.bias`: the layer's own parameters, made from the kind's weights rule
  // (moduleApi.ts), so that tying and freezing them count as PyTorch counts them.
  if (layer.entry.framework === 'torch' && !children) {
    const slots = layerSlots(layer);
    if (!isUnknown(slots)) {
      const p = slots.get(name);
      if (p) return p;
      if (name === 'weight' || name === 'bias') return null; // Linear(…, bias=False).bias is None
    } else if (name === 'weight' || name === 'bias') return slots;
  }
  const v = layer.args.values[name];
  if (v !== undefined && !(v instanceof UnknownValue)) return v as PyValue;
  return new UnknownValue(`${layer.entry.type}.${name} is not evaluated statically`);
}

/** `self.modules()`, `self.children()`, `self.apply(fn)` and friends on a user module. */
export function moduleMethod(I: PyInterp, inst: ModuleInstance, name: string, node: N.Span): PyValue {
  switch (name) {
    case 'modules':
      return new PyNative(name, () => allModules(inst));
    case 'children':
      return new PyNative(name, () => inst.fieldNames.map((k) => inst.fields.get(k) as PyValue).filter(isModuleLike));
    case 'named_modules':
      return new PyNative(name, () => new UnknownValue('named_modules() is not evaluated statically'));
    case 'apply':
    case 'register_buffer':
    case 'add_module':
      if (name === 'add_module') {
        return new PyNative(name, (a) => {
          if (typeof a[0] !== 'string') mayHaveChanged(I, node, 'the module name has no static value');
          else {
            I.effects++;
            const v = a[1];
            if (v instanceof LayerInstance || v instanceof ModuleInstance || v instanceof UnknownLayer) {
              registerName(v as Value, a[0]);
              if (!inst.fields.has(a[0])) inst.fieldNames.push(a[0]);
              inst.fields.set(a[0], v as Value);
            }
          }
          return null;
        });
      }
      if (name === 'register_buffer') return new PyNative(name, () => null); // buffers are not parameters
      return new PyNative(name, () => inst as PyValue); // apply(init_fn): initialisation, no shapes
  }
  // A method ModelLens does not know may change the module when called (an unreadable base class's).
  return new PyNative(name, () => {
    mayHaveChanged(I, node, `${inst.cls.name}.${name} is not known`);
    return new UnknownValue(`${inst.cls.name}.${name}() is not known`);
  });
}

function isModuleLike(v: PyValue): boolean {
  return v instanceof LayerInstance || v instanceof ModuleInstance || v instanceof UnknownLayer;
}

function allModules(root: PyValue): PyValue[] {
  const out: PyValue[] = [];
  const seen = new Set<PyValue>();
  const walk = (v: PyValue): void => {
    if (!isModuleLike(v) || seen.has(v)) return;
    seen.add(v);
    out.push(v);
    if (v instanceof ModuleInstance) for (const k of v.fieldNames) walk(v.fields.get(k) as PyValue);
    for (const c of moduleItems(v) ?? []) walk(c);
  };
  walk(root);
  return out;
}
