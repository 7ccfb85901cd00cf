// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isElementAccessExpression, isIdentifier, isMethodDeclaration, isPrivateIdentifier, isPropertyAccessExpression, isPropertyDeclaration, isSpreadElement } = ts;
import { catalog } from '../../catalog';
import { closestName } from '../../catalog/suggest';
import { UnknownValue, isUnknown } from '../../unknown';
import type { Interp } from './interp';
import { SHORT, short } from './interp';
import { Scope, fileOf } from './scope';
import { hasModifier } from './modifiers';
import { Thrown, mutableKind } from './soundness';
import { LAYER_READS, ModelLayersView, readOnlyCode } from './layersView';
import { NOT_HANDLED, arrayMethod, newArray, numberMethod, stringMethod } from './builtins';
import { builtinCall, builtinConstant, isBuiltinPath, unknownBuiltin } from './builtins';
import {
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
} from '../../framework/values';
import { ClassInfo, ClassRef, FunctionValue } from './values';
import { makeTfjsLayer, nextUid, tfInput } from '../../framework/tfjsLayers';
import { instantiateClass } from './classes';
import { applySequential } from '../../framework/tfjsNested';
import { makeTorchLayer } from './torchLayers';
import { tensorMethod, torchFunction, isTorchFunctionPath } from '../../framework/tensorOps';
import { CONTAINERS, NOT_BUILTIN, containerProperty, layerAttribute, moduleMethod, parameterAttribute, parameterMethod } from '../../framework/moduleApi';
import { preludeClass } from './prelude';
import { UnreadableImport, namespaceMember, requireSpecifier } from './modules';

/** The ways a layer or module is invoked on tensors. */
const CALL_METHODS = new Set(['forward', 'call', 'apply', '__call__']);

/** `obj.key` for interpreter values. */
export function getProperty(interp: Interp, obj: Value, key: string, node: ts.Node): Value {
  if (isUnknown(obj)) return obj instanceof UnreadableImport ? obj.member(key) : obj;
  if (obj instanceof Namespace) {
    const child = namespaceMember(obj, key);
    const c = builtinConstant(child.parts);
    return c === NOT_HANDLED ? child : c;
  }
  if (obj instanceof ModuleInstance) return moduleProperty(interp, obj, key); // `this.fc1`: the other common case
  if (obj instanceof ClassRef) return staticMember(interp, obj.info, key, node);
  if (Array.isArray(obj)) {
    if (key === 'length') return obj.length;
    const i = Number(key);
    if (Number.isInteger(i)) return obj[i < 0 ? obj.length + i : i];
    return new UnknownValue(`\`${key}\` of a list is not evaluated`);
  }
  if (typeof obj === 'string') {
    if (key === 'length') return obj.length;
    const i = Number(key);
    if (Number.isInteger(i) && i >= 0) return obj[i];
  }
  if (isPlainObjectValue(obj)) return key === '__proto__' ? new UnknownValue('`__proto__` is not evaluated') : obj[key];
  if (obj === null || obj === undefined) throw new Thrown(`\`${short(node, interp.file)}\` reads \`${key}\` of ${obj}`);
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
  if (obj instanceof SequentialModelValue && key === 'layers') return [...obj.layers]; // a copy, as tfjs's getter gives
  // Read-only until something writes through it (layersView.ts).
  if (obj instanceof FunctionalModelValue && key === 'layers') return new ModelLayersView(`\`${short(node, interp.file)}\` of a tf.model() is not modelled`);
  if (obj instanceof SymTensor) return tensorMethod(interp, obj, key.startsWith('__index__') ? key : 'attr:' + key, [], node);
  return new UnknownValue(`\`${key}\` is not evaluated statically`);
}

function moduleProperty(interp: Interp, obj: ModuleInstance, key: string): Value {
  const field = obj.fields.get(key);
  if (field !== undefined || obj.fields.has(key)) return field;
  const param = obj.parameters?.get(key);
  if (param) return param;
  const item = containerProperty(obj, key);
  if (item !== undefined) return item;
  const g = findMethodInHierarchy(obj, key, tsClass(obj), SK.GetAccessor);
  if (g) return callGetter(interp, g.method, g.cls, obj);
  const m = findMethodInHierarchy(obj, key);
  if (m) return new FunctionValue(m.method, m.cls.scope, obj, m.cls);
  if (key === 'training') return true;
  return undefined;
}

/** A class's own instance method (or, with `kind`, getter) by name. */
export function findMethod(cls: ts.ClassLikeDeclaration, name: string, kind: ts.SyntaxKind = SK.MethodDeclaration, isStatic = false): ts.MethodDeclaration | undefined {
  const members = cls.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (m.kind === kind && (m as ts.MethodDeclaration).body && m.name && (isIdentifier(m.name) || isPrivateIdentifier(m.name)) && m.name.text === name && hasModifier(m, SK.StaticKeyword) === isStatic) return m as ts.MethodDeclaration;
  }
  return undefined;
}

/** Runs a getter with `this` bound, in its class's file. */
export function callGetter(interp: Interp, g: ts.MethodDeclaration, cls: ClassInfo, self: Value): Value {
  interp.enterFile(cls.source);
  try {
    return interp.invoke(new FunctionValue(g, cls.scope, self, cls), [], self);
  } finally {
    interp.leaveFile();
  }
}

/**
 * `Bottleneck.expansion`, `Net.make(…)`: a class's static fields (initialized on first read, in
 * declaration order as far as reads allow), static methods and getters, inherited from its bases.
 */
function staticMember(interp: Interp, info: ClassInfo, key: string, node: ts.Node): Value {
  for (let c: ClassInfo | undefined = info; c; c = c.base) {
    const statics = c.statics();
    if (statics.has(key)) return statics.get(key);
    const members = c.node.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (!m.name || !(isIdentifier(m.name) || isPrivateIdentifier(m.name) || ts.isStringLiteral(m.name)) || m.name.text !== key || !hasModifier(m, SK.StaticKeyword)) continue;
      if (isPropertyDeclaration(m)) {
        // `static expansion = 4`: `this` in the initializer is the class.
        const scope = new Scope(c.scope as Scope);
        scope.self = new ClassRef(c);
        interp.enterFile(c.source, node);
        let v: Value;
        try {
          v = m.initializer ? interp.eval(m.initializer, scope) : undefined;
        } finally {
          interp.leaveFile();
        }
        statics.set(key, v);
        return v;
      }
      if (isMethodDeclaration(m) && m.body) return new FunctionValue(m, c.scope, new ClassRef(c), c);
      if (m.kind === SK.GetAccessor && (m as ts.GetAccessorDeclaration).body) return callGetter(interp, m as unknown as ts.MethodDeclaration, c, new ClassRef(c));
    }
  }
  if (key === 'name') return info.name;
  return new UnknownValue(`\`${info.name}.${key}\` is not known statically`);
}

export function evalArgs(interp: Interp, args: readonly ts.Expression[], scope: Scope): Value[] {
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
    if (recv instanceof Namespace) return namespaceCall(interp, namespaceMember(recv, method), call, scope);
    if (recv instanceof UnreadableImport) return namespaceCall(interp, guessed(interp, recv.member(method), call), call, scope);
    const args = evalArgs(interp, call.arguments, scope);
    return callMethod(interp, recv, method, args, call);
  }
  if (isElementAccessExpression(callee)) {
    // `this[name](x)`, `builders[kind](cfg)`: a method by a computed name.
    const recv = interp.eval(callee.expression, scope);
    const key = interp.eval(callee.argumentExpression, scope);
    const args = evalArgs(interp, call.arguments, scope);
    // The name's own reason (`kind gets different values at the 2 call sites of create (…)`) says why.
    if (typeof key !== 'string' && typeof key !== 'number') return notFollowed(interp, call, isUnknown(key) ? key : 'the method name has no static value', recv, args, isUnknown(key) ? key.reason : undefined);
    if (recv instanceof Namespace) return notFollowed(interp, call, `\`${short(call, interp.file)}\` is not evaluated statically`, NO_RECEIVER, args);
    return callMethod(interp, recv, String(key), args, call);
  }
  if (isIdentifier(callee) && callee.text === 'require' && !scope.has('require')) {
    // CommonJS: the library, or the workspace module's exports.
    const spec = requireSpecifier(call);
    if (spec !== undefined) return interp.project.required(interp, spec);
    return notFollowed(interp, call, `\`${short(call, interp.file)}\` does not name a module statically`, NO_RECEIVER, evalArgs(interp, call.arguments, scope));
  }
  const fn = interp.eval(callee, scope);
  if (fn instanceof Namespace) return namespaceCall(interp, fn, call, scope);
  if (fn instanceof UnreadableImport) return namespaceCall(interp, guessed(interp, fn, call), call, scope);
  const args = evalArgs(interp, call.arguments, scope);
  return callCallable(interp, fn, args, call);
}

/**
 * A call or `new` through a name imported from a file ModelLens could not read: it is taken for
 * what its name says (`shim.nn.Linear`, `layers.dense`), so the layers it makes are listed, but
 * what the file really defines could differ, so the model's totals are `?` with the reason.
 */
function guessed(interp: Interp, u: UnreadableImport, node: ts.Node): Namespace {
  interp.unmodelled(node, u.reason);
  let ns = Namespace.root(u.parts[0]);
  for (let i = 1; i < u.parts.length; i++) ns = ns.child(u.parts[i]);
  return ns;
}

/** A call in an optional chain (`a?.b()`, `f?.()`): SHORT once a `?.` met null or undefined (see Interp.chain). */
export function optionalCall(interp: Interp, call: ts.CallExpression, scope: Scope): Value {
  const callee = call.expression;
  if (isPropertyAccessExpression(callee)) {
    const recv = interp.linkObject(callee.expression, scope);
    if (recv === SHORT || (callee.questionDotToken && (recv === null || recv === undefined))) return SHORT;
    if (call.questionDotToken) {
      // `a.b?.()`: the method itself may be missing.
      const f = getProperty(interp, recv, callee.name.text, callee);
      if (f === null || f === undefined) return SHORT;
    }
    if (recv instanceof Namespace) return namespaceCall(interp, recv.child(callee.name.text), call, scope);
    return callMethod(interp, recv, callee.name.text, evalArgs(interp, call.arguments, scope), call);
  }
  const fn = interp.linkObject(callee, scope);
  if (fn === SHORT || (call.questionDotToken && (fn === null || fn === undefined))) return SHORT;
  if (fn instanceof Namespace) return namespaceCall(interp, fn, call, scope);
  return callCallable(interp, fn, evalArgs(interp, call.arguments, scope), call);
}

/** No receiver, for `notFollowed`. */
export const NO_RECEIVER: unique symbol = Symbol('no receiver');

/**
 * The result of a call the interpreter cannot follow. If it receives something the model is made
 * of (a module, a layer, a model, a list or object, a callback it could run), it could change
 * it: the model's totals become unknown with the reason (Interp.unmodelled).
 */
export function notFollowed(interp: Interp, call: ts.Node, reason: string | UnknownValue, recv: Value | typeof NO_RECEIVER, args: readonly Value[], why?: string): UnknownValue {
  const u = typeof reason === 'string' ? new UnknownValue(reason) : reason;
  let what = recv === NO_RECEIVER ? undefined : mutableKind(recv);
  for (let i = 0; i < args.length && !what; i++) what = mutableKind(args[i]);
  if (what) interp.unmodelled(call, `\`${short(call, interp.file)}\` is not followed statically${why ? ` (${why})` : ''}, and it receives ${what}`);
  return u;
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
  if (fn instanceof FunctionValue) {
    // A function imported from another file runs with that file's line map (its layers' lines,
    // its problems shown at this call).
    const home = fileOf(fn.closure as Scope);
    if (home === undefined || home === interp.file) return interp.invoke(fn, args);
    interp.enterFile(home, call);
    try {
      return interp.invoke(fn, args);
    } finally {
      interp.leaveFile();
    }
  }
  if (fn instanceof NativeFunction) return fn.fn(args, call);
  // A torch function held in a variable or field: `const act = F.relu; act(x)`.
  if (fn instanceof Namespace && isTorchFunctionPath(fn.parts)) return torchFunction(interp, fn.last, args, call);
  if (fn instanceof Namespace) {
    const r = builtinCall(interp, fn.parts, args, call);
    if (r !== NOT_HANDLED) return r;
  }
  if (fn instanceof LayerInstance || fn instanceof UnknownLayer || fn instanceof ModuleInstance) {
    // A user module's forward receives its arguments as written (DenseNet's layer gets a list).
    return interp.recorder ? interp.recorder.call(fn, fn instanceof ModuleInstance ? args : tensorArgs(args), call) : new UnknownValue('layer called outside a model');
  }
  if (fn === null || fn === undefined) throw new Thrown(`\`${short(call, interp.file)}\` calls ${fn}`);
  return notFollowed(interp, call, isUnknown(fn) ? fn : `\`${short(call, interp.file)}\` is not evaluated statically`, NO_RECEIVER, args);
}

export function callMethod(interp: Interp, recv: Value, method: string, args: Value[], call: ts.Node): Value {
  if (recv instanceof ModelLayersView) {
    // `model.layers.forEach((l) => console.log(l.name))`, `layer.getConfig()`: reads change nothing.
    const callbacks = ts.isCallExpression(call) ? call.arguments.filter((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) : [];
    const others = args.filter((a) => !(a instanceof FunctionValue) && mutableKind(a) !== undefined);
    if (LAYER_READS.has(method) && others.length === 0 && callbacks.every((c) => readOnlyCode(c)) && args.filter((a) => a instanceof FunctionValue).length === callbacks.length) return recv;
    interp.unmodelled(call, `\`${short(call, interp.file)}\` could change a layer of a tf.model(), which is not modelled`);
    return recv;
  }
  if (isUnknown(recv)) return notFollowed(interp, call, recv, NO_RECEIVER, args);
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
    // Reading methods leave the layer as it is; any other could change it.
    if (READ_ONLY_METHODS.has(method)) return notFollowed(interp, call, `${method}() of a layer is not evaluated`, NO_RECEIVER, args);
    return notFollowed(interp, call, `${method}() of a layer is not evaluated`, recv, args);
  }
  if (recv instanceof ModuleInstance) {
    if (method === 'forward' || method === 'call' || method === '__call__') {
      return interp.recorder ? interp.recorder.call(recv, args, call) : new UnknownValue('module called outside a model');
    }
    const m = findMethodInHierarchy(recv, method);
    if (m) return interp.invoke(new FunctionValue(m.method, m.cls.scope, recv, m.cls), args, recv);
    // `this.act(x)` where the field holds a layer, a module or a function (`F.gelu`, an arrow).
    const field = recv.fields.get(method);
    if (field !== undefined) return callCallable(interp, field, args, call);
    const r = moduleMethod(interp, recv, method, args, call, (fn, a) => callCallable(interp, fn, a, call));
    if (r !== NOT_BUILTIN) return r;
    if (READ_ONLY_METHODS.has(method)) return notFollowed(interp, call, `${method}() is not evaluated statically`, NO_RECEIVER, args);
    return notFollowed(interp, call, `${method}() is not evaluated statically`, recv, args);
  }
  if (recv instanceof SequentialModelValue) {
    if (method === 'add') {
      recv.layers.push(args[0]);
      return undefined;
    }
    // A model is a layer too: `encoder.apply(x)` inside another model.
    if (method === 'apply') return applySequential(interp, recv, tensorArgs(args), call);
    if (method === 'getLayer') return new ModelLayersView(`\`${short(call, interp.file)}\` is not modelled`);
    if (MODEL_METHODS_WITHOUT_EFFECT.has(method)) return undefined;
    return notFollowed(interp, call, `${method}() of a model is not evaluated statically`, recv, args);
  }
  if (recv instanceof FunctionalModelValue) {
    if (method === 'getLayer') return new ModelLayersView(`\`${short(call, interp.file)}\` of a tf.model() is not modelled`);
    if (method === 'apply') return new UnknownValue('a tf.model() applied as a layer of another model is not followed statically');
    if (MODEL_METHODS_WITHOUT_EFFECT.has(method)) return undefined;
    return notFollowed(interp, call, `${method}() of a model is not evaluated statically`, recv, args);
  }
  if (recv instanceof ParameterValue) {
    const r = parameterMethod(recv, method, args);
    if (r !== NOT_BUILTIN) return r;
  }
  if (recv instanceof SymTensor) return tensorMethod(interp, recv, method, args, call);
  if (Array.isArray(recv)) {
    const r = arrayMethod(interp, recv, method, args, call);
    return r !== NOT_HANDLED ? r : notFollowed(interp, call, `the list method ${method}() is not evaluated statically here`, recv, args);
  }
  if (typeof recv === 'string') {
    const r = stringMethod(interp, recv, method, args);
    return r !== NOT_HANDLED ? r : notFollowed(interp, call, `the string method ${method}() is not evaluated statically here`, NO_RECEIVER, args);
  }
  if (typeof recv === 'number') {
    const r = numberMethod(recv, method, args);
    return r !== NOT_HANDLED ? r : notFollowed(interp, call, `the number method ${method}() is not evaluated statically here`, NO_RECEIVER, args);
  }
  if (isPlainObjectValue(recv)) {
    const f = recv[method];
    if (f instanceof FunctionValue) return interp.invoke(f, args, recv);
    if (f instanceof NativeFunction) return f.fn(args, call);
    if (f instanceof ClassRef || f instanceof Namespace || f instanceof LayerInstance || f instanceof ModuleInstance || f instanceof UnknownLayer) return callCallable(interp, f, args, call);
    if (f === undefined && !(method in recv)) throw new Thrown(`\`${short(call, interp.file)}\`: the object has no ${method}()`);
  }
  if (recv instanceof ClassRef) {
    const f = staticMember(interp, recv.info, method, call);
    if (f instanceof FunctionValue) return interp.invoke(f, args, recv);
    return notFollowed(interp, call, isUnknown(f) ? f : `${method}() is not evaluated statically`, NO_RECEIVER, args);
  }
  if (recv instanceof FunctionValue && method === 'call') return interp.invoke(recv, args.slice(1), args[0]);
  if (recv instanceof FunctionValue && method === 'apply') return interp.invoke(recv, Array.isArray(args[1]) ? args[1] : [], args[0]);
  if (recv === null || recv === undefined) throw new Thrown(`\`${short(call, interp.file)}\` calls ${method}() of ${recv}`);
  return notFollowed(interp, call, `${method}() is not evaluated statically`, recv, args);
}

/** Methods that only read a layer or module (or do nothing ModelLens models): they cannot change its weights. */
const READ_ONLY_METHODS = new Set(['countParams', 'getConfig', 'getClassName', 'getWeights', 'toString', 'summary', 'computeOutputShape', 'parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'named_children', 'buffers', 'named_buffers', 'state_dict', 'extra_repr', 'numel', 'train', 'eval', 'to', 'cuda', 'cpu', 'zero_grad']);

/** Model methods that don't change its layers or weights' count: training, saving, printing. */
const MODEL_METHODS_WITHOUT_EFFECT = new Set(['compile', 'summary', 'fit', 'fitDataset', 'evaluate', 'evaluateDataset', 'predict', 'predictOnBatch', 'trainOnBatch', 'save', 'countParams', 'getConfig', 'toJSON', 'execute', 'dispose', 'getWeights', 'setWeights', 'loadWeights', 'resetStates']);

function findMethodInHierarchy(inst: ModuleInstance, name: string, from: ClassInfo | undefined = tsClass(inst), kind: ts.SyntaxKind = SK.MethodDeclaration): { method: ts.MethodDeclaration; cls: ClassInfo } | undefined {
  for (let c: ClassInfo | undefined = from; c; c = c.base) {
    const m = findMethod(c.node, name, kind);
    if (m) return { method: m, cls: c };
  }
  return undefined;
}

/** The TypeScript class of a module (the TypeScript interpreter runs only the classes it defined). */
export function tsClass(inst: ModuleInstance): ClassInfo | undefined {
  return inst.cls instanceof ClassInfo ? inst.cls : undefined;
}

/** Calls through a library namespace: Math.floor, tf.layers.dense, tf.input, tf.sequential, torch.cat, F.relu. */
function namespaceCall(interp: Interp, ns: Namespace, call: ts.CallExpression, scope: Scope): Value {
  const parts = ns.parts;
  const last = ns.last;
  const path = ns.path;
  if (isBuiltinPath(parts) && !scopeDefines(scope, parts[0])) {
    const args = evalArgs(interp, call.arguments, scope);
    const r = builtinCall(interp, parts, args, call);
    return r !== NOT_HANDLED ? r : notFollowed(interp, call, unknownBuiltin(path), NO_RECEIVER, args);
  }
  if (parts.length >= 2 && parts[parts.length - 2] === 'layers' && catalog.tfjsByFactory.has(last)) {
    const entry = catalog.tfjsByFactory.get(last)!;
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    return makeTfjsLayer(interp, entry, config, call, call.arguments[0]);
  }
  // tf.layers.input is tf.input under another name (the same function in tfjs-layers' exports).
  if (parts.length >= 2 && parts[parts.length - 2] === 'layers' && last === 'input') {
    const config = call.arguments[0] ? interp.eval(call.arguments[0], scope) : undefined;
    return tfInput(interp, config, call);
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
  const args = evalArgs(interp, call.arguments, scope);
  // `tf.tidy(() => …)` runs its function and returns its result.
  if (last === 'tidy' && parts.length === 2 && args.length === 1 && args[0] instanceof FunctionValue) return interp.invoke(args[0], []);
  // A library function reads the configs and lists it is given (`tf.regularizers.l2({ l2 })`);
  // a module, layer, model or callback it receives it could change or run.
  const reason = `${path}() is not evaluated statically`;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (Array.isArray(a) || isPlainObjectValue(a)) continue;
    if (mutableKind(a)) return notFollowed(interp, call, reason, NO_RECEIVER, [a]);
  }
  return new UnknownValue(reason);
}

/** Whether a name is bound by the code (a user's own `Array`), not the global built-in. */
function scopeDefines(scope: Scope, name: string): boolean {
  return scope.has(name);
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
  let ctor = interp.eval(node.expression, scope);
  if (ctor instanceof UnreadableImport) ctor = guessed(interp, ctor, node);
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
  if (ctor instanceof Namespace && ctor.parts.length === 1 && ctor.last === 'Array') {
    const r = newArray(interp, evalArgs(interp, argNodes, scope));
    if (r !== NOT_HANDLED) return r;
  }
  const args = evalArgs(interp, argNodes, scope);
  return notFollowed(interp, node, isUnknown(ctor) ? ctor : `\`new ${short(node.expression, interp.file)}\` is not evaluated statically`, NO_RECEIVER, args);
}
