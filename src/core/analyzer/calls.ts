// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isIdentifier, isMethodDeclaration, isPropertyAccessExpression, isSpreadElement } = ts;
import { catalog } from '../catalog';
import { closestName } from '../catalog/suggest';
import { UnknownValue, isUnknown } from '../unknown';
import type { Interp } from './interp';
import { short } from './interp';
import type { Scope } from './scope';
import {
  ClassInfo,
  ClassRef,
  FunctionValue,
  FunctionalModelValue,
  LayerInstance,
  ModuleInstance,
  Namespace,
  NativeFunction,
  ParameterValue,
  SequentialModelValue,
  SymTensor,
  UnknownLayer,
  Value,
  isPlainObjectValue,
} from './values';
import { makeTfjsLayer, nextUid, tfInput } from './tfjsLayers';
import { instantiateClass } from './classes';
import { applySequential } from './tfjsNested';
import { makeTorchLayer } from './torchLayers';
import { tensorMethod, torchFunction, isTorchFunctionPath } from './tensorOps';
import { CONTAINERS, NOT_BUILTIN, containerProperty, layerAttribute, moduleMethod, parameterAttribute, parameterMethod } from './moduleApi';
import { preludeClass } from './prelude';

/** The ways a layer or module is invoked on tensors. */
const CALL_METHODS = new Set(['forward', 'call', 'apply', '__call__']);

const MATH: Record<string, (...xs: number[]) => number> = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  trunc: Math.trunc,
  max: Math.max,
  min: Math.min,
  sqrt: Math.sqrt,
  abs: Math.abs,
  pow: Math.pow,
  log: Math.log,
  log2: Math.log2,
  exp: Math.exp,
};

/** `obj.key` for interpreter values. */
export function getProperty(interp: Interp, obj: Value, key: string, node: ts.Node): Value {
  if (isUnknown(obj)) return obj;
  if (obj instanceof Namespace) {
    if (obj.path === 'Math' && key === 'PI') return Math.PI;
    if (obj.path === 'Math' && key === 'E') return Math.E;
    return obj.child(key);
  }
  if (obj instanceof ModuleInstance) return moduleProperty(obj, key); // `this.fc1`: the other common case
  if (Array.isArray(obj)) {
    if (key === 'length') return obj.length;
    const i = Number(key);
    if (Number.isInteger(i)) return obj[i < 0 ? obj.length + i : i];
    return new UnknownValue(`\`${key}\` of a list is not evaluated`);
  }
  if (typeof obj === 'string' && key === 'length') return obj.length;
  if (isPlainObjectValue(obj)) return obj[key];
  if (obj instanceof ParameterValue) {
    const a = parameterAttribute(obj, key);
    if (a !== NOT_BUILTIN) return a;
  }
  if (obj instanceof LayerInstance) {
    if (obj.entry.container) {
      // `len(self.blocks)` and `self.blocks[i]`: a container's children.
      const items = obj.args.raw('modules');
      if (Array.isArray(items)) {
        if (key === 'length') return items.length;
        const i = Number(key);
        if (Number.isInteger(i)) return (items[i < 0 ? items.length + i : i] as Value) ?? new UnknownValue(`${obj.displayName} has no child ${key}`);
      }
    }
    // Layer attributes mirror constructor arguments (`this.fc1.out_features`, `layer.units`); a
    // torch layer's `weight`/`bias` are its parameter tensors.
    return layerAttribute(obj, key);
  }
  if (obj instanceof SymTensor) return tensorMethod(interp, obj, key.startsWith('__index__') ? key : 'attr:' + key, [], node);
  return new UnknownValue(`\`${key}\` is not evaluated statically`);
}

function moduleProperty(obj: ModuleInstance, key: string): Value {
  const field = obj.fields.get(key);
  if (field !== undefined || obj.fields.has(key)) return field;
  const param = obj.parameters?.get(key);
  if (param) return param;
  const item = containerProperty(obj, key);
  if (item !== undefined) return item;
  const m = findMethodInHierarchy(obj, key);
  if (m) return new FunctionValue(m.method, m.cls.scope, obj, m.cls);
  if (key === 'training') return true;
  return undefined;
}

export function findMethod(cls: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  const members = cls.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (isMethodDeclaration(m) && m.name && isIdentifier(m.name) && m.name.text === name && m.body) return m;
  }
  return undefined;
}

function evalArgs(interp: Interp, args: readonly ts.Expression[], scope: Scope): Value[] {
  // Array literals of the exact size for the usual one or two arguments: `[]` plus push would
  // reserve room for seventeen.
  const n = args.length;
  if (n === 1 && !isSpreadElement(args[0])) return [interp.eval(args[0], scope)];
  if (n === 2 && !isSpreadElement(args[0]) && !isSpreadElement(args[1])) {
    const a = interp.eval(args[0], scope);
    return [a, interp.eval(args[1], scope)];
  }
  if (n === 0) return [];
  const out: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (isSpreadElement(a)) {
      const v = interp.eval(a.expression, scope);
      if (Array.isArray(v)) {
        // A loop, not `push(...v)`: a long list would overflow the stack as arguments.
        interp.fileBudget.charge(v.length);
        for (let j = 0; j < v.length; j++) out.push(v[j]);
      } else out.push(v);
    } else out.push(interp.eval(a, scope));
  }
  return out;
}

/** Tensors passed to a call: `layer.apply([a, b])` and `mha.forward(q, k, v)` both give a list. */
function tensorArgs(args: Value[]): Value[] {
  if (args.length === 1 && Array.isArray(args[0])) return args[0];
  return args;
}

export function callValue(interp: Interp, call: ts.CallExpression, scope: Scope): Value {
  const callee = call.expression;
  if (callee.kind === SK.SuperKeyword) return undefined; // handled by class instantiation
  if (isPropertyAccessExpression(callee) && callee.expression.kind === SK.SuperKeyword) return superCall(interp, callee.name.text, call, scope);
  if (isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const recv = interp.eval(callee.expression, scope);
    if (recv instanceof Namespace) return namespaceCall(interp, recv.child(method), call, scope);
    const args = evalArgs(interp, call.arguments, scope);
    return callMethod(interp, recv, method, args, call);
  }
  const fn = interp.eval(callee, scope);
  if (fn instanceof Namespace) return namespaceCall(interp, fn, call, scope);
  const args = evalArgs(interp, call.arguments, scope);
  return callCallable(interp, fn, args, call);
}

/** `super.forward(x)`: the method as the base class of the calling method's class defines it, on the same `this`. */
function superCall(interp: Interp, name: string, call: ts.CallExpression, scope: Scope): Value {
  const self = scope.thisValue();
  const base = scope.homeClass()?.base;
  const m = self instanceof ModuleInstance && base ? findMethodInHierarchy(self, name, base) : undefined;
  if (!m || !(self instanceof ModuleInstance)) return new UnknownValue(`super.${name}() is not evaluated statically`);
  const args = evalArgs(interp, call.arguments, scope);
  // The base class may live in another file: evaluate it with that file's lines.
  interp.enterFile(m.cls.source, call);
  try {
    return interp.invoke(new FunctionValue(m.method, m.cls.scope, self, m.cls), args, self);
  } finally {
    interp.leaveFile();
  }
}

/** `f(args)` where `f` is already a value: a function, or a layer used as a callable. */
export function callCallable(interp: Interp, fn: Value, args: Value[], call: ts.Node): Value {
  if (fn instanceof FunctionValue) return interp.invoke(fn, args);
  if (fn instanceof NativeFunction) return fn.fn(args, call);
  // A torch function held in a variable or field: `const act = F.relu; act(x)`.
  if (fn instanceof Namespace && isTorchFunctionPath(fn.parts)) return torchFunction(interp, fn.last, args, call);
  if (fn instanceof LayerInstance || fn instanceof UnknownLayer || fn instanceof ModuleInstance) {
    return interp.recorder ? interp.recorder.call(fn, tensorArgs(args), call) : new UnknownValue('layer called outside a model');
  }
  if (isUnknown(fn)) return fn;
  return new UnknownValue(`\`${short(call, interp.file)}\` is not evaluated statically`);
}

export function callMethod(interp: Interp, recv: Value, method: string, args: Value[], call: ts.Node): Value {
  if (isUnknown(recv)) return recv;
  if (recv instanceof LayerInstance || recv instanceof UnknownLayer) {
    if (CALL_METHODS.has(method)) {
      if (!interp.recorder) return new UnknownValue('layer called outside a model');
      // `layer.apply(fn)` is nn.Module.apply (init loops), not a call on tensors.
      if (!(method === 'apply' && recv instanceof LayerInstance && recv.entry.framework === 'torch' && (args[0] instanceof FunctionValue || args[0] instanceof NativeFunction))) {
        return interp.recorder.call(recv, tensorArgs(args), call);
      }
    }
    if (recv instanceof LayerInstance && recv.entry.framework === 'torch') {
      const r = moduleMethod(interp, recv, method, args, call, (fn, a) => callCallable(interp, fn, a, call));
      if (r !== NOT_BUILTIN) return r;
    }
    return new UnknownValue(`${method}() of a layer is not evaluated`);
  }
  if (recv instanceof ModuleInstance) {
    if (method === 'forward' || method === 'call' || method === '__call__') {
      return interp.recorder ? interp.recorder.call(recv, tensorArgs(args), call) : new UnknownValue('module called outside a model');
    }
    const m = findMethodInHierarchy(recv, method);
    if (m) return interp.invoke(new FunctionValue(m.method, m.cls.scope, recv, m.cls), args, recv);
    // `this.act(x)` where the field holds a layer, a module or a function (`F.gelu`, an arrow).
    const field = recv.fields.get(method);
    if (field !== undefined) return callCallable(interp, field, args, call);
    const r = moduleMethod(interp, recv, method, args, call, (fn, a) => callCallable(interp, fn, a, call));
    if (r !== NOT_BUILTIN) return r;
    return new UnknownValue(`${method}() is not evaluated statically`);
  }
  if (recv instanceof SequentialModelValue) {
    if (method === 'add') {
      recv.layers.push(args[0]);
      return undefined;
    }
    // A model is a layer too: `encoder.apply(x)` inside another model.
    if (method === 'apply') return applySequential(interp, recv, tensorArgs(args), call);
    return undefined; // compile, summary, fit: nothing to do statically
  }
  if (recv instanceof FunctionalModelValue) {
    if (method === 'apply') return new UnknownValue('a tf.model() applied as a layer of another model is not followed statically');
    return undefined;
  }
  if (recv instanceof ParameterValue) {
    const r = parameterMethod(recv, method, args);
    if (r !== NOT_BUILTIN) return r;
  }
  if (recv instanceof SymTensor) return tensorMethod(interp, recv, method, args, call);
  if (Array.isArray(recv)) return arrayMethod(interp, recv, method, args, call);
  if (isPlainObjectValue(recv)) {
    const f = recv[method];
    if (f instanceof FunctionValue) return interp.invoke(f, args, recv);
    if (f instanceof NativeFunction) return f.fn(args, call);
  }
  if (recv instanceof FunctionValue && method === 'call') return interp.invoke(recv, args.slice(1), args[0]);
  return new UnknownValue(`${method}() is not evaluated statically`);
}

function findMethodInHierarchy(inst: ModuleInstance, name: string, from: ClassInfo | undefined = tsClass(inst)): { method: ts.MethodDeclaration; cls: ClassInfo } | undefined {
  for (let c: ClassInfo | undefined = from; c; c = c.base) {
    const m = findMethod(c.node, name);
    if (m) return { method: m, cls: c };
  }
  return undefined;
}

/** The TypeScript class of a module (the TypeScript interpreter runs only the classes it defined). */
export function tsClass(inst: ModuleInstance): ClassInfo | undefined {
  return inst.cls instanceof ClassInfo ? inst.cls : undefined;
}

function arrayMethod(interp: Interp, arr: Value[], method: string, args: Value[], call: ts.Node): Value {
  const fn = args[0];
  switch (method) {
    case 'push':
      interp.fileBudget.charge(args.length);
      arr.push(...args);
      return arr.length;
    case 'concat': {
      // Native work counts against the file's budget before it is done (`a = a.concat(a)` doubles).
      let n = arr.length;
      for (const a of args) n += Array.isArray(a) ? a.length : 1;
      interp.fileBudget.charge(n);
      return arr.concat(...args.map((a) => (Array.isArray(a) ? a : [a])));
    }
    case 'slice':
      interp.fileBudget.charge(arr.length);
      return arr.slice(typeof args[0] === 'number' ? args[0] : undefined, typeof args[1] === 'number' ? args[1] : undefined);
    case 'includes':
      return arr.includes(args[0]);
    case 'map':
      interp.fileBudget.charge(arr.length);
      if (fn instanceof FunctionValue) return arr.map((x, i) => interp.invoke(fn, [x, i]));
      break;
    case 'forEach':
      if (fn instanceof FunctionValue) arr.forEach((x, i) => interp.invoke(fn, [x, i]));
      return undefined;
    case 'reduce':
      // `layers.reduce((x, layer) => layer.apply(x), input)`: a common way to chain tfjs layers.
      if (fn instanceof FunctionValue) {
        let acc = args.length > 1 ? args[1] : arr[0];
        for (let i = args.length > 1 ? 0 : 1; i < arr.length; i++) acc = interp.invoke(fn, [acc, arr[i], i]);
        return acc;
      }
      break;
  }
  return new UnknownValue(`${method}() of a list is not evaluated`);
}

/** Calls through a library namespace: Math.floor, tf.layers.dense, tf.input, tf.sequential, torch.cat, F.relu. */
function namespaceCall(interp: Interp, ns: Namespace, call: ts.CallExpression, scope: Scope): Value {
  const parts = ns.parts;
  const last = ns.last;
  const path = ns.path;
  if (parts[0] === 'Math' && parts.length === 2 && MATH[last]) {
    const args = evalArgs(interp, call.arguments, scope);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (isUnknown(a)) return a;
      if (typeof a !== 'number') return new UnknownValue(`Math.${last} needs numbers`);
    }
    return MATH[last](...(args as number[]));
  }
  if (parts.length >= 2 && parts[parts.length - 2] === 'layers' && catalog.tfjsByFactory.has(last)) {
    const entry = catalog.tfjsByFactory.get(last)!;
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    return makeTfjsLayer(interp, entry, config, call, call.arguments[0]);
  }
  if (parts.length >= 2 && parts[parts.length - 2] === 'layers') {
    const meant = closestName(last, catalog.tfjsByFactory.keys());
    const d = interp.report(call, 'warning', `Unknown tfjs layer \`${path}\`: its parameters and shape are unknown.${meant ? ` Did you mean \`${parts.slice(0, -1).join('.')}.${meant}\`?` : ''}`, 'unknown-layer');
    const u = new UnknownLayer(last, 'tfjs', call, interp.file.site(call));
    if (meant) suggestKind(interp, d, u, call.expression, parts, meant);
    return u;
  }
  const isTf = parts[0] === 'tf' || parts.length === 1;
  if (isTf && last === 'sequential') {
    const m = new SequentialModelValue(call, interp.file.lineOfNode(call));
    m.autoName = nextUid(interp, 'sequential_');
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    if (isPlainObjectValue(config) && Array.isArray(config.layers)) m.layers.push(...config.layers);
    if (isPlainObjectValue(config) && typeof config.name === 'string') m.configName = config.name;
    interp.project.noteModel(interp, m);
    return m;
  }
  if (isTf && last === 'model') {
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    if (!isPlainObjectValue(config)) return new UnknownValue('tf.model() needs {inputs, outputs}');
    const m = new FunctionalModelValue(call, interp.file.lineOfNode(call), config.inputs, config.outputs);
    if (typeof config.name === 'string') m.configName = config.name;
    interp.project.noteModel(interp, m);
    return m;
  }
  if (isTf && last === 'input') {
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    return tfInput(interp, config, call);
  }
  if (parts.includes('init') && (parts[0] === 'nn' || parts[0] === 'torch' || parts[0] === 'init')) {
    // nn.init.kaiming_normal_(m.weight, …): fills a tensor in place; sizes are unchanged.
    return evalArgs(interp, call.arguments, scope)[0];
  }
  if (isTorchFunctionPath(parts)) {
    const args = evalArgs(interp, call.arguments, scope);
    return torchFunction(interp, last, args, call);
  }
  return new UnknownValue(`${path}() is not evaluated statically`);
}

/**
 * An unknown kind close to a catalog name (`nn.Lineer`): the row's reason names the likely one,
 * and the diagnostic gets a quick fix replacing the last name of the callee (`Lineer` in
 * `nn.Lineer`) when the callee is written out here as a property access.
 */
function suggestKind(interp: Interp, d: ReturnType<Interp['report']>, u: UnknownLayer, callee: ts.Expression, parts: readonly string[], meant: string): void {
  const full = [...parts.slice(0, -1), meant].join('.');
  u.reason = `unknown layer (did you mean ${full}?)`;
  if (!d || interp.file !== interp.rootFile || !ts.isPropertyAccessExpression(callee)) return;
  const at = callee.name;
  d.fix = { start: interp.file.start(at), end: at.end, text: meant, title: `Change to ${full}` };
}

export function constructValue(interp: Interp, node: ts.NewExpression, scope: Scope): Value {
  const ctor = interp.eval(node.expression, scope);
  const argNodes = node.arguments ?? [];
  if (ctor instanceof ClassRef) return instantiateClass(interp, ctor.info, evalArgs(interp, argNodes, scope), node);
  if (ctor instanceof Namespace) {
    const name = ctor.last;
    if (name === 'Parameter') {
      // `new nn.Parameter(torch.randn(3, 4), requires_grad?)`: registered when assigned to a field.
      const args = evalArgs(interp, argNodes, scope);
      const data = args[0];
      const last = args[args.length - 1];
      const grad = args.length > 1 ? (isPlainObjectValue(last) ? last.requires_grad ?? last.requiresGrad : last) : true;
      let p: ParameterValue;
      if (data instanceof SymTensor && data.shape) {
        const known = data.shape.every((d) => d !== null);
        p = new ParameterValue(data.shape, known ? undefined : 'a dimension of the parameter is unknown');
      } else p = new ParameterValue(null, isUnknown(data) ? data.reason : 'the parameter tensor has no static size');
      if (grad === false) p.frozen = true;
      else if (grad !== true && grad !== undefined) return new UnknownValue('requires_grad of the parameter has no static value');
      return p;
    }
    if (CONTAINERS.has(name)) {
      // nn.Sequential, nn.ModuleList, …: PyTorch's own classes, transcribed (prelude.ts).
      const info = preludeClass(interp, name);
      if (info) return instantiateClass(interp, info, evalArgs(interp, argNodes, scope), node);
    }
    const entry = catalog.torch.get(name);
    if (entry) return makeTorchLayer(interp, entry, argNodes, evalArgs(interp, argNodes, scope), node);
    // A capitalized name is surely meant as a layer; a lower-case one (`new nn.conv2d`) only when it is a near miss of one.
    const meant = closestName(name, catalog.torch.keys());
    if ((/^[A-Z]/.test(name) || meant !== undefined) && !['Map', 'Set', 'Array', 'Error', 'Float32Array', 'Int32Array', 'Date', 'Object'].includes(name)) {
      const d = interp.report(node, 'warning', `Unknown layer \`${ctor.path}\`: its parameters and shape are unknown.${meant ? ` Did you mean \`${[...ctor.parts.slice(0, -1), meant].join('.')}\`?` : ''}`, 'unknown-layer');
      const u = new UnknownLayer(name, 'torch', node, interp.file.site(node));
      if (meant) suggestKind(interp, d, u, node.expression, ctor.parts, meant);
      return u;
    }
  }
  if (isUnknown(ctor)) return ctor;
  return new UnknownValue(`\`new ${short(node.expression, interp.file)}\` is not evaluated statically`);
}
