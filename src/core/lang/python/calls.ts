import { UnknownValue, isUnknown } from '../../unknown';
import { LayerInstance, ModuleInstance, Namespace, SymTensor, UnknownLayer, type Value } from '../../framework/values';
import { isModuleValue } from '../../framework/moduleApi';
import type { Shape } from '../../shape';
import type * as N from './nodes';
import { PyRaise, type PyInterp } from './interp';
import { Scope } from './scope';
import { BoundMethod, PyClass, PyDict, PyException, PyFunction, PyKwargs, PyNative, PyObject, PyPartial, type PyValue, SuperProxy, UnknownMember } from './values';
import { TUPLES, evalExpr, iterate, textOf, tuple } from './expressions';
import { execBlock } from './statements';
import { builtUnknownOf, getAttr, instantiate, setAttr } from './classes';
import { isTorchValue, torchCall } from './torch';
import { builtin } from './builtins';

const MAX_CALL_DEPTH = 40;

/** Where a model's input shape was found in the file (models.ts reads these). */
export interface InputHint {
  shapes: (Shape | null)[];
  source: string;
}
export const inputHints = new WeakMap<PyInterp, Map<PyValue, InputHint>>();

function hint(I: PyInterp, model: PyValue, h: InputHint): void {
  let m = inputHints.get(I);
  if (!m) inputHints.set(I, (m = new Map()));
  if (!m.has(model)) m.set(model, h);
}

/** A shape from `(64, 128)`; null when it is not a list of sizes. */
function shapeOf(v: PyValue): Shape | null {
  if (!Array.isArray(v) || !v.length || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) return null;
  return v as number[];
}

/**
 * `summary(model, input_size=(64, 128))` (torchinfo), `summary(model, (1, 28, 28))` (torchsummary:
 * no batch), the primer's `custom_summary(model, input_size=…)`: the call is not evaluated, it says
 * which input the file's author runs the model on.
 */
function summaryCall(I: PyInterp, name: string, args: PyValue[], kwargs: Map<string, PyValue>): boolean {
  if (!(name === 'summary' || name.endsWith('_summary')) || !(args[0] instanceof ModuleInstance || args[0] instanceof LayerInstance)) return false;
  const size = kwargs.get('input_size') ?? args[1];
  const noBatch = I.summaryFromTorchsummary && name === 'summary';
  const list = Array.isArray(size) && size.length && size.every((s) => Array.isArray(s)) ? (size as PyValue[]) : [size];
  const shapes = list.map(shapeOf);
  if (shapes.every((s) => s !== null)) {
    const batch = kwargs.get('batch_size');
    const b = typeof batch === 'number' && batch > 0 ? batch : null;
    hint(I, args[0], { shapes: noBatch ? shapes.map((s) => [b, ...s!]) : shapes, source: `${name}() call` });
  }
  return true;
}

export function callExpr(I: PyInterp, e: N.Call, scope: Scope): PyValue {
  const fn = evalExpr(I, e.fn, scope);
  const args: PyValue[] = [];
  const kwargs = new Map<string, PyValue>();
  for (const a of e.args) {
    if (a.kind === 'pos') args.push(evalExpr(I, a.value, scope));
    else if (a.kind === 'kw') kwargs.set(a.name!, evalExpr(I, a.value, scope));
    else if (a.kind === 'star') {
      const v = evalExpr(I, a.value, scope);
      const items = iterate(v);
      if (!items) return skippedCall(I, fn, e, isUnknown(v) ? v : new UnknownValue(`\`*${textOf(I, a.value)}\` cannot be expanded statically`));
      args.push(...items);
    } else {
      const v = evalExpr(I, a.value, scope);
      if (!(v instanceof PyDict)) return skippedCall(I, fn, e, isUnknown(v) ? v : new UnknownValue(`\`**${textOf(I, a.value)}\` cannot be expanded statically`));
      for (const [k, x] of v.map) if (typeof k === 'string') kwargs.set(k, x);
    }
  }
  const name = e.fn.kind === 'name' ? e.fn.id : e.fn.kind === 'attr' ? e.fn.name : '';
  if (summaryCall(I, name, args, kwargs)) return null;
  // `model(x)` outside forward: the example input the file runs the model on.
  if (!I.recorder && (fn instanceof ModuleInstance || fn instanceof LayerInstance) && args[0] instanceof SymTensor && args[0].shape) {
    hint(I, fn, { shapes: args.filter((a): a is SymTensor => a instanceof SymTensor).map((t) => t.shape), source: 'example input' });
    return new UnknownValue('a model called outside forward');
  }
  return callValue(I, fn, args, kwargs, e);
}

/**
 * A call whose `*args`/`**kwargs` cannot be expanded is not made: its result is unknown, and unless
 * the callee is a library function or a pure builtin, what it would have done (`super().__init__(*layers)`
 * registering children) is unknown too.
 */
function skippedCall(I: PyInterp, fn: PyValue, e: N.Call, why: UnknownValue): UnknownValue {
  const pure = fn instanceof Namespace || (fn instanceof PyNative && fn === builtin(fn.name) && fn.name !== 'setattr');
  if (!pure) mayHaveChanged(I, e, why.reason);
  return why;
}

/** Calls a value with positional and keyword arguments. */
export function callValue(I: PyInterp, fn: PyValue, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  if (fn instanceof PyFunction) return invokeFunction(I, fn, args, kwargs, node);
  if (fn instanceof BoundMethod) return invokeFunction(I, fn.fn, [fn.self, ...args], kwargs, node);
  if (fn instanceof PyNative && (fn.name === 'setattr' || fn.name === 'getattr' || fn.name === 'hasattr') && fn === builtin(fn.name)) return attrBuiltin(I, fn.name, args, node);
  if (fn instanceof PyNative) return fn.fn(args, kwargs, node);
  if (fn instanceof PyPartial) return callValue(I, fn.fn, [...fn.args, ...args], new Map([...fn.kwargs, ...kwargs]), node);
  if (fn instanceof PyClass) return instantiate(I, fn, args, kwargs, node);
  if (fn instanceof LayerInstance || fn instanceof UnknownLayer || fn instanceof ModuleInstance) {
    if (!I.recorder) return new UnknownValue('a module called outside a traced forward');
    if (fn instanceof LayerInstance && kwargs.size) ({ args, kwargs } = tensorInputsByName(fn, args, kwargs));
    // Keyword arguments: a trailing object for layers (the recorder's call options), PyKwargs for modules.
    const callArgs: Value[] = args as Value[];
    if (kwargs.size) {
      // A composite made as its module (TransformerEncoder) takes them as its forward's keywords.
      if (fn instanceof ModuleInstance || (fn instanceof LayerInstance && fn.expanded)) callArgs.push(new PyKwargs(kwargs) as unknown as Value);
      else callArgs.push(Object.fromEntries(kwargs) as Value);
    }
    const out = I.recorder.call(fn, callArgs, node) as PyValue;
    // MultiheadAttention(…, need_weights=False) returns (attn_output, None) in Python: the catalog's
    // tuple lists the tensors only (TypeScript's `const [y] = …` reads the same).
    if (fn instanceof LayerInstance && fn.entry.type === 'MultiheadAttention' && Array.isArray(out) && out.length === 1) return tuple([out[0], null]);
    return Array.isArray(out) ? tuple(out) : out;
  }
  if (isTorchValue(fn)) return torchCall(I, fn, args, kwargs, node);
  if (isUnknown(fn)) {
    // A call ModelLens cannot follow, given a module or a container: it may register layers in it.
    if (args.some(mutable) || [...kwargs.values()].some(mutable) || (fn instanceof UnknownMember && (mutable(fn.receiver) || isModuleValue(fn.receiver as Value)))) mayHaveChanged(I, node, fn.reason);
    return fn;
  }
  return new UnknownValue(`calling ${describe(fn)} is not evaluated statically`);
}

/** The tensor inputs of a library layer's forward by name (PyTorch 1.13), in their positional order. */
const FORWARD_INPUTS: Record<string, string[]> = {
  MultiheadAttention: ['query', 'key', 'value'],
  TransformerEncoderLayer: ['src'],
  TransformerEncoder: ['src'],
  TransformerDecoderLayer: ['tgt', 'memory'],
  TransformerDecoder: ['tgt', 'memory'],
  Transformer: ['src', 'tgt'],
  Bilinear: ['input1', 'input2'],
};

/** `self.attn(query=x, key=x, value=x, need_weights=False)`: inputs given by name become positional; the rest stay call options. */
function tensorInputsByName(layer: LayerInstance, args: PyValue[], kwargs: Map<string, PyValue>): { args: PyValue[]; kwargs: Map<string, PyValue> } {
  const names = FORWARD_INPUTS[layer.entry.type] ?? ['input'];
  if (!names.some((n) => kwargs.has(n))) return { args, kwargs };
  const out = [...args];
  const rest = new Map(kwargs);
  for (let i = args.length; i < names.length && rest.has(names[i]); i++) {
    out.push(rest.get(names[i]));
    rest.delete(names[i]);
  }
  return { args: out, kwargs: rest };
}

function mutable(v: PyValue): boolean {
  return v instanceof ModuleInstance || v instanceof PyObject || v instanceof PyDict || (Array.isArray(v) && !TUPLES.has(v));
}

/** Something not followed may have changed a module: which layers exist is then unknown. */
export function mayHaveChanged(I: PyInterp, node: N.Span, why: string): void {
  I.effects++;
  I.controlUnknown ??= `\`${textOf(I, node)}\` is not followed statically (${why}) and may change the model`;
}

/**
 * Why the attributes a module has may not be all ModelLens saw: it was built along a path that
 * could not be followed, or is being built now (its `__init__` running) after such a path.
 */
function uncertainBuild(I: PyInterp, obj: ModuleInstance): string | undefined {
  return builtUnknownOf.get(obj) ?? (obj.cls instanceof PyClass && obj.cls.instantiating > 0 ? I.controlUnknown : undefined);
}

/** `getattr(obj, "name"[, default])`, `setattr(obj, "name", value)` with static names. */
function attrBuiltin(I: PyInterp, name: string, args: PyValue[], node: N.Span): PyValue {
  const [obj, key] = args;
  if (typeof key !== 'string') {
    if (name === 'setattr') mayHaveChanged(I, node, 'the attribute name has no static value');
    return new UnknownValue(`${name}() with a name that has no static value`);
  }
  if (name === 'setattr') {
    setAttr(I, obj, key, args[2], node);
    return null;
  }
  if (name === 'hasattr') return hasAttr(I, obj, key);
  const v = getAttr(I, obj, key, node);
  if (!isUnknown(v) || args.length <= 2 || !(obj instanceof ModuleInstance) || obj.fields.has(key)) return v;
  // `getattr(m, name, default)` on a module without that attribute: the default, unless the
  // module was built along a path ModelLens could not follow, which may have set it.
  const uncertain = uncertainBuild(I, obj);
  return uncertain ? new UnknownValue(`getattr(…, '${key}', …): ${uncertain}`) : args[2];
}

/** Public attributes every nn.Module has (torch 1.13's `dir(nn.Module())`). */
const MODULE_ATTRIBUTES = new Set(['T_destination', 'add_module', 'apply', 'bfloat16', 'buffers', 'children', 'cpu', 'cuda', 'double', 'dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state', 'get_parameter', 'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'named_buffers', 'named_children', 'named_modules', 'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer', 'register_forward_hook', 'register_forward_pre_hook', 'register_full_backward_hook', 'register_load_state_dict_post_hook', 'register_module', 'register_parameter', 'requires_grad_', 'set_extra_state', 'share_memory', 'state_dict', 'to', 'to_empty', 'train', 'training', 'type', 'xpu', 'zero_grad']);

/**
 * `hasattr(obj, "name")`. On a module whose construction ModelLens followed exactly, every attribute
 * it has is known: its submodules, parameters and buffers, plain attributes, its class's, and
 * nn.Module's own; anything else is absent. A private name (nn.Module keeps many) or a module
 * built along an undecided path stays unknown.
 */
function hasAttr(I: PyInterp, obj: PyValue, key: string): PyValue {
  if (obj instanceof ModuleInstance) {
    if (obj.fields.has(key) || obj.parameters?.has(key) || (obj.cls instanceof PyClass && obj.cls.lookup(key)) || MODULE_ATTRIBUTES.has(key)) return true;
    const uncertain = uncertainBuild(I, obj);
    if (key.startsWith('_') || uncertain) return new UnknownValue(`hasattr(…, '${key}') is not known statically`);
    return false;
  }
  if (obj instanceof PyObject) return obj.attrs.has(key) || !!obj.cls.lookup(key);
  return new UnknownValue(`hasattr(…, '${key}') is not known statically`);
}

function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v !== 'object') return `a ${typeof v}`;
  return `a ${(v as object).constructor?.name ?? 'value'}`;
}

/**
 * Runs a function's body with its parameters bound. A call whose body took a path that could
 * not be decided, but that changed nothing outside its own locals (a logging helper's `if`),
 * leaves the caller's control flow certain: only its result is unknown.
 */
export function invokeFunction(I: PyInterp, fn: PyFunction, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  if (I.callDepth >= MAX_CALL_DEPTH) return new UnknownValue('calls nested too deeply (recursion?)');
  const scope = new Scope(fn.closure, fn.closure.module);
  const bindError = bindParams(I, fn, args, kwargs, scope);
  if (bindError) return bindError;
  // `super()` in a method: the class after the method's own in self's order.
  if (fn.home && fn.node.kind === 'def' && args.length) {
    const self = args[0];
    const home = fn.home;
    scope.vars.set('super', new PyNative('super', () => new SuperProxy(self, home)));
  }
  const controlBefore = I.controlUnknown;
  const effectsBefore = I.effects;
  const rowsBefore = I.recorder?.rows.length ?? 0;
  I.callDepth++;
  const sameFile = fn.file === I.file;
  if (!sameFile) I.enterFile(fn.file, node);
  let result: PyValue;
  try {
    if (fn.node.kind === 'lambda') result = evalExpr(I, fn.node.body, scope);
    else {
      const c = execBlock(I, fn.node.body, scope);
      result = c.kind === 'return' ? c.value : null;
    }
  } finally {
    I.callDepth--;
    if (!sameFile) I.leaveFile();
  }
  if (controlBefore === undefined && I.controlUnknown !== undefined && I.effects === effectsBefore && (I.recorder?.rows.length ?? 0) === rowsBefore) {
    const why = I.controlUnknown;
    I.controlUnknown = undefined;
    return new UnknownValue(`${fn.name}() took a path that is not known statically (${why})`);
  }
  return result;
}

function bindParams(I: PyInterp, fn: PyFunction, args: PyValue[], kwargs: Map<string, PyValue>, scope: Scope): UnknownValue | undefined {
  const params = fn.node.params;
  let i = 0;
  const rest = new Map(kwargs);
  let missing = false;
  for (const p of params) {
    if (p.kind === 'star') {
      scope.set(p.name, args.slice(i));
      i = args.length;
      continue;
    }
    if (p.kind === 'dstar') continue;
    let v: PyValue | undefined;
    if (!p.kwOnly && i < args.length) v = args[i++];
    else if (rest.has(p.name)) {
      v = rest.get(p.name);
      rest.delete(p.name);
    } else if (p.default) v = evalExpr(I, p.default, fn.closure);
    else {
      v = new UnknownValue(`the argument \`${p.name}\` of ${fn.name}() has no value`);
      missing = true;
    }
    scope.set(p.name, v);
  }
  const dstar = params.find((p) => p.kind === 'dstar');
  if (dstar && missing) {
    // Summarised without a call that gives its required arguments (a class on its own): the
    // keywords such a call would pass are not known either (`nn.Conv2d(cin, cout, **kwargs)`
    // may get its kernel_size there), so they are unknown, never none.
    scope.set(dstar.name, new UnknownValue(`the keyword arguments **${dstar.name} of ${fn.name}() are not known`));
  } else if (dstar) {
    const d = new PyDict();
    for (const [k, v] of rest) d.map.set(k, v);
    scope.set(dstar.name, d);
  } else if (rest.size) {
    throw new PyRaise(`TypeError: ${fn.name}() got an unexpected keyword argument '${[...rest.keys()][0]}'`, fn.node);
  }
  if (i < args.length && !params.some((p) => p.kind === 'star')) {
    throw new PyRaise(`TypeError: ${fn.name}() takes ${params.filter((p) => p.kind === 'param' && !p.kwOnly).length} positional arguments but ${args.length} were given`, fn.node);
  }
  return undefined;
}

/** `ValueError("…")`: an exception value, only ever raised. */
export function exceptionClass(name: string): PyNative {
  return new PyNative(name, (args) => new PyException(name, typeof args[0] === 'string' ? args[0] : ''));
}
