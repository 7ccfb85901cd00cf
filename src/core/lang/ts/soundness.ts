// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import { UnknownValue, isUnknown } from '../../unknown';
import { catalog } from '../../catalog';
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
import { ClassRef, FunctionValue } from './values';
import { ClassInfo } from './values';
const ClassInfoClass = ClassInfo;
import { UnreadableImport, namespaceMember } from './modules';
import { ModelLayersView } from './layersView';

/**
 * The JavaScript semantics the interpreter needs to stay exact or say it is not: exceptions the
 * model code throws, `typeof`/`instanceof`/`in`, and which values a call it cannot follow could
 * change (see Interp.unmodelled).
 */

/**
 * A `throw` the model code reaches (or a TypeError JavaScript would raise): construction fails
 * there unless a `try` catches it. Carried as a JavaScript exception through calls; the model
 * analyses turn an uncaught one into unknown totals with its reason.
 */
export class Thrown extends Error {
  constructor(
    readonly reason: string,
    /** The thrown value, for a `catch (e)` binding. */
    readonly value: Value = new UnknownValue(reason),
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
  }
}

/**
 * The names code may assign (`x = …`, `x += …`, `x++`, destructuring, `var x`), nested functions
 * included. After a branch or loop the interpreter could not decide, these may hold values other
 * than the ones it saw, so they become unknown (Interp.forgetAssigned).
 */
export function assignedNames(nodes: readonly (ts.Node | undefined)[]): Set<string> {
  const names = new Set<string>();
  const target = (t: ts.Node): void => {
    if (ts.isIdentifier(t)) names.add(t.text);
    else if (ts.isParenthesizedExpression(t)) target(t.expression);
    else if (ts.isArrayLiteralExpression(t)) t.elements.forEach(target);
    else if (ts.isSpreadElement(t) || ts.isSpreadAssignment(t)) target(t.expression);
    else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isShorthandPropertyAssignment(p)) names.add(p.name.text);
        else if (ts.isPropertyAssignment(p)) target(p.initializer);
        else if (ts.isSpreadAssignment(p)) target(p.expression);
      }
    } else if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) target(t.left); // a default: `[a = 1] = …`
    else if (ts.isObjectBindingPattern(t) || ts.isArrayBindingPattern(t)) {
      for (const e of t.elements) if (ts.isBindingElement(e)) target(e.name);
    }
  };
  const walk = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(n.left);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    else if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) for (const d of n.declarations) target(d.name);
    else if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && !ts.isVariableDeclarationList(n.initializer)) target(n.initializer);
    ts.forEachChild(n, walk);
  };
  for (const n of nodes) if (n) walk(n);
  return names;
}

/**
 * Whether a statement always ends by throwing (`throw new Error(…)`, or a block that ends in
 * one, or an `if` whose branches both do). A branch that always throws is the failure path of
 * an argument check: under a condition with no static value, the model is the one that passes.
 */
export function alwaysThrows(s: ts.Statement | undefined): boolean {
  if (!s) return false;
  switch (s.kind) {
    case ts.SyntaxKind.ThrowStatement:
      return true;
    case ts.SyntaxKind.Block: {
      const stmts = (s as ts.Block).statements;
      for (let i = 0; i < stmts.length; i++) {
        const k = stmts[i].kind;
        // Only statements that cannot leave the block early may come before the throw.
        if (alwaysThrows(stmts[i])) return true;
        if (k !== ts.SyntaxKind.ExpressionStatement && k !== ts.SyntaxKind.VariableStatement && k !== ts.SyntaxKind.EmptyStatement) return false;
      }
      return false;
    }
    case ts.SyntaxKind.IfStatement: {
      const i = s as ts.IfStatement;
      return alwaysThrows(i.thenStatement) && alwaysThrows(i.elseStatement);
    }
  }
  return false;
}

const LIBRARY_ROOTS = new Set(['tf', 'nn', 'torch', 'layers', 'F', 'functional']);

/** What a call the interpreter cannot follow could change when it receives `v` (undefined: nothing). */
export function mutableKind(v: Value): string | undefined {
  if (v instanceof ModuleInstance) return 'a module';
  if (v instanceof LayerInstance || v instanceof UnknownLayer) return 'a layer';
  if (v instanceof SequentialModelValue || v instanceof FunctionalModelValue) return 'a model';
  if (v instanceof FunctionValue) return 'a function it could call';
  if (Array.isArray(v)) return 'a list';
  if (isPlainObjectValue(v)) return 'an object';
  if (v instanceof ClassRef) return 'a class';
  if (v instanceof ModelLayersView) return 'the layers of a model';
  // The libraries themselves (`patch(tf)`, `register(nn)`): code could replace what they make.
  if (v instanceof Namespace && LIBRARY_ROOTS.has(v.parts[0]) && v.parts.length <= 2) return 'a library module';
  return undefined;
}

/** JavaScript's `typeof` for interpreter values; unknown where the value's kind is not known. */
export function typeOf(v: Value): Value {
  if (isUnknown(v)) return v;
  if (v === null) return 'object';
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'undefined':
      return typeof v;
  }
  if (v instanceof FunctionValue || v instanceof NativeFunction || v instanceof ClassRef) return 'function';
  if (v instanceof Namespace) return new UnknownValue(`what \`${v.path}\` is, is not known statically`);
  return 'object';
}

/**
 * `v instanceof C` for a user class C on modules and layers, as PyTorch code means it: a module is
 * an instance of its class and its bases; a layer or a tensor never is. Undefined: not a question
 * about torch values (`instanceOf` decides it).
 */
export function moduleInstanceOf(v: Value, ctor: ClassRef): boolean | UnknownValue | undefined {
  if (v instanceof ModuleInstance) {
    for (let c: ClassInfo | undefined = v.cls instanceof ClassInfoClass ? v.cls : undefined; c; c = c.base) if (c === ctor.info) return true;
    return false;
  }
  if (v instanceof LayerInstance || v instanceof SymTensor || typeof v !== 'object' || v === null) return false;
  if (v instanceof UnknownLayer) return new UnknownValue(`whether ${v.typeName} is a ${ctor.info.name} is not known`);
  return undefined;
}

/** `v instanceof C` where it can be decided: user classes by their hierarchy, layers by their catalog kind. */
export function instanceOf(v: Value, c: Value): Value {
  if (isUnknown(v)) return v;
  if (isUnknown(c)) return c;
  if (v === null || v === undefined || typeof v !== 'object') return false;
  if (c instanceof ClassRef) {
    if (v instanceof ModuleInstance && v.cls instanceof ClassInfoClass) return inherits(v.cls, c.info);
    if (isPlainObjectValue(v) || Array.isArray(v) || v instanceof LayerInstance) return false;
    return new UnknownValue(`whether the value is a ${c.info.name} is not known statically`);
  }
  if (c instanceof Namespace) {
    const name = c.last;
    if (c.parts.length === 1) {
      if (name === 'Array') return Array.isArray(v);
      if (name === 'Object') return !(v instanceof Namespace);
    }
    if (v instanceof LayerInstance && (catalog.torch.has(name) || name === 'Module')) {
      if (name === 'Module') return true;
      return v.entry.type === name;
    }
    if (v instanceof ModuleInstance && name === 'Module') return true;
    if ((isPlainObjectValue(v) || Array.isArray(v)) && (catalog.torch.has(name) || name === 'Module')) return false;
  }
  return new UnknownValue('this `instanceof` is not decided statically');
}

function inherits(cls: ClassInfo, target: ClassInfo): boolean {
  for (let c: ClassInfo | undefined = cls; c; c = c.base) if (c === target) return true;
  return false;
}

/** `key in obj`. */
export function inOperator(key: Value, obj: Value): Value {
  if (isUnknown(key)) return key;
  if (isUnknown(obj)) return obj;
  if (typeof key !== 'string' && typeof key !== 'number') return new UnknownValue('`in` with a key that is not a string or number');
  const k = String(key);
  if (isPlainObjectValue(obj)) return k in obj;
  if (Array.isArray(obj)) return k === 'length' || (Number.isInteger(Number(k)) && Number(k) >= 0 && Number(k) < obj.length);
  if (obj instanceof ModuleInstance && obj.fields.has(k)) return true;
  return new UnknownValue('this `in` is not decided statically');
}

/** `==`: JavaScript's loose equality where both sides are primitives; identity for objects. */
export function looseEquals(l: Value, r: Value): Value {
  const lp = l === null || typeof l !== 'object';
  const rp = r === null || typeof r !== 'object';
  if (lp && rp) return l == r;
  if (!lp && !rp) return l === r;
  // An object against a primitive: JavaScript converts the object first.
  if (l === null || l === undefined || r === null || r === undefined) return false;
  return new UnknownValue('`==` between an object and a primitive is not evaluated');
}

/** JavaScript's string conversion (template literals, `+` with a string); unknown if any part is. */
export function toText(v: Value, depth = 0): string | UnknownValue {
  if (isUnknown(v)) return v;
  if (v === null) return depth > 0 ? '' : 'null';
  if (v === undefined) return depth > 0 ? '' : 'undefined';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (depth > 8) return new UnknownValue('a deeply nested list converted to text');
    const parts: string[] = [];
    for (const x of v) {
      const t = toText(x, depth + 1);
      if (isUnknown(t)) return t;
      parts.push(t);
    }
    return parts.join(',');
  }
  if (isPlainObjectValue(v)) return '[object Object]';
  return new UnknownValue('the text of this value is not known statically');
}

/** `v.key` for destructuring: a plain object's member, an unknown's unknown. */
export function memberOf(v: Value, key: string): Value {
  if (isPlainObjectValue(v)) return v[key];
  if (v instanceof UnreadableImport) return v.member(key);
  if (isUnknown(v)) return v;
  if (v instanceof Namespace) return namespaceMember(v, key);
  if (Array.isArray(v)) return key === 'length' ? v.length : Number.isInteger(Number(key)) ? v[Number(key)] : undefined;
  if (v instanceof ModuleInstance) return v.fields.get(key);
  if (v instanceof LayerInstance) {
    const raw = v.args.raw(key);
    return raw === undefined ? new UnknownValue(`\`${key}\` of ${v.entry.type} is not known`) : (raw as Value);
  }
  if (v instanceof ParameterValue || v instanceof SymTensor) return new UnknownValue(`\`${key}\` is not known statically`);
  if (v === null || v === undefined) throw new Thrown(`destructuring ${v}`);
  return new UnknownValue(`\`${key}\` is not known statically`);
}

/** `{ a, ...rest } = v`: the members not named before the rest. */
export function restOf(v: Value, used: readonly string[]): Value {
  if (isUnknown(v)) return v;
  if (isPlainObjectValue(v)) {
    const out: { [key: string]: Value } = {};
    for (const k of Object.keys(v)) if (!used.includes(k)) out[k] = v[k];
    return out;
  }
  return new UnknownValue('the rest of this value is not known statically');
}
