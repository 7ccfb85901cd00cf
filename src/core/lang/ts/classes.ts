// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isCallExpression, isConstructorDeclaration, isExpressionStatement, isIdentifier, isPrivateIdentifier, isPropertyDeclaration } = ts;
import type { Interp } from './interp';
import { Scope } from './scope';
import { hasAnyModifier, hasModifier } from './modifiers';
import { type Loc, ModuleInstance, UnknownLayer, Value, existsOnlyIf, isPlainObjectValue } from '../../framework/values';
import { ClassInfo, FunctionValue } from './values';
import { setField } from '../../framework/moduleApi';
import { callGetter, evalArgs } from './calls';
import { makeCustomTfjsLayer } from './tfjsCustom';

/** How deep one class may appear inside itself before we call it circular (A holds a B holds an A …). */
const MAX_SELF_NESTING = 8;

/**
 * `new ResBlock(64)`: runs the class's field initializers and constructor statically, with
 * `this` bound to a `ModuleInstance` (user nn.Module), a custom tfjs layer, or a plain object
 * (a class that merely holds a tfjs model in a field).
 */
export function instantiateClass(interp: Interp, info: ClassInfo, args: Value[], node: ts.Node): Value {
  const active = info.instantiating;
  if (active > MAX_SELF_NESTING) {
    interp.report(node, 'error', `${info.name} contains itself (a circular module reference): PyTorch could not even construct it, so its size is unknown.`, 'cycle');
    // A placeholder layer keeps the containing model's totals unknown instead of partial.
    const u = new UnknownLayer(info.name, 'torch', node, interp.file.site(node));
    u.reason = 'circular module reference';
    return u;
  }
  info.instantiating = active + 1;
  try {
    if (info.kind === 'tfjs-layer') return makeCustomTfjsLayer(interp, info, args, node);
    if (info.libraryLayerBase) {
      // Its parameters are the library layer's, made by a constructor ModelLens does not run here:
      // unknown, so the model's totals are `?` with the reason, never the sum without them.
      const u = new UnknownLayer(info.name, 'torch', node, interp.file.site(node));
      u.reason = `unmodelled subclass of nn.${info.libraryLayerBase}: the TypeScript reader does not model a library layer as a base class yet`;
      return u;
    }
    if (info.kind === 'torch-module') {
      const inst = new ModuleInstance(info, node, interp.file.site(node));
      if (interp.branchCondition) inst.conditional = existsOnlyIf(interp.branchCondition);
      initClass(interp, info, inst, args, node);
      return inst;
    }
    const obj: { [key: string]: Value } = {};
    initClass(interp, info, obj, args, node);
    return obj;
  } finally {
    info.instantiating = active;
  }
}

/** Field initializers run at `super()`, before the rest of the constructor, as in JavaScript. */
export function initClass(interp: Interp, info: ClassInfo, self: Value, args: Value[], anchor?: Loc): void {
  interp.enterFile(info.source, anchor);
  try {
    construct(interp, info, self, args);
  } finally {
    interp.leaveFile();
  }
}

function construct(interp: Interp, info: ClassInfo, self: Value, args: Value[]): void {
  const scope = new Scope(info.scope as Scope);
  scope.self = self;
  const members = info.node.members;
  if (isPlainObjectValue(self)) attachMethods(interp, info, self);
  let ctor: ts.ConstructorDeclaration | undefined;
  for (let i = 0; i < members.length && !ctor; i++) {
    const m = members[i];
    if (isConstructorDeclaration(m) && m.body) ctor = m;
  }
  if (!ctor || !ctor.body) {
    if (info.base) initClass(interp, info.base, self, args);
    runFields(interp, members, self, scope);
    return;
  }
  interp.bindParameters(ctor.parameters, args, scope);
  const params = ctor.parameters;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    // `constructor(private readonly hidden = 64)` declares a field too.
    if (hasAnyModifier(p) && isIdentifier(p.name)) {
      const v = scope.lookup(p.name.text);
      if (typeof v !== 'symbol') setField(self, p.name.text, v);
    }
  }
  let fieldsDone = false;
  const body = ctor.body.statements;
  for (let i = 0; i < body.length; i++) {
    const s = body[i];
    if (isExpressionStatement(s) && isCallExpression(s.expression) && s.expression.expression.kind === SK.SuperKeyword) {
      // `super(...layers)` spreads, as any call does.
      const superArgs = evalArgs(interp, s.expression.arguments, scope);
      if (info.base) initClass(interp, info.base, self, superArgs);
      runFields(interp, members, self, scope);
      fieldsDone = true;
      continue;
    }
    const c = interp.stmt(s, scope);
    if (c.kind === 'return') break;
  }
  if (!fieldsDone) runFields(interp, members, self, scope);
}

/** The class's field initializers, in order. */
function runFields(interp: Interp, members: ts.NodeArray<ts.ClassElement>, self: Value, scope: Scope): void {
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (isPropertyDeclaration(m) && m.initializer && !isStatic(m) && (isIdentifier(m.name) || isPrivateIdentifier(m.name))) {
      setField(self, m.name.text, interp.eval(m.initializer, scope));
    }
  }
}

function isStatic(m: ts.ClassElement): boolean {
  return hasModifier(m, SK.StaticKeyword);
}

/**
 * A plain class's instance (one that is not a module or layer) is a plain object: its methods and
 * getters become non-enumerable members, so that `this.createModel(n)` calls them while spreads
 * and `Object.keys` see only its fields, as in JavaScript. A subclass's own come first and win.
 */
function attachMethods(interp: Interp, info: ClassInfo, self: { [key: string]: Value }): void {
  const members = info.node.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (!m.name || !(isIdentifier(m.name) || isPrivateIdentifier(m.name)) || isStatic(m)) continue;
    const key = m.name.text;
    if (Object.prototype.hasOwnProperty.call(self, key)) continue;
    if (ts.isMethodDeclaration(m) && m.body) {
      Object.defineProperty(self, key, { value: new FunctionValue(m, info.scope, self, info), writable: true, configurable: true, enumerable: false });
    } else if (ts.isGetAccessorDeclaration(m) && m.body) {
      const getter = m as unknown as ts.MethodDeclaration;
      Object.defineProperty(self, key, { get: () => callGetter(interp, getter, info, self), configurable: true, enumerable: false });
    }
  }
}
