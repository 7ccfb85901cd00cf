// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { UnknownValue, isUnknown } from '../../unknown';
import type { Interp } from './interp';
import { Scope } from './scope';
import type { SourceInfo } from './source';
import { ClassInfo, Value, isPlainObjectValue } from '../../framework/values';

/**
 * Values from call sites: a builder or class whose parameters have no defaults is analysed with
 * the arguments its call sites in the file pass (`new ResBlock(16, 32, 2)`, `createModel(784)`,
 * `this.createModel(numActions)` inside a constructor whose own call site says `new Agent(4)`),
 * when every call site agrees on a parameter. Where they disagree, or an argument has no static
 * value, the parameter stays unknown, with a reason naming it.
 *
 * Only arguments without effects are evaluated (literals, names, arithmetic, object and array
 * literals, member reads): evaluating a call site must not make layers or models of its own.
 */

/** What a call site can be looking for. */
export type Callee = { kind: 'function'; name: string } | { kind: 'class'; info: ClassInfo } | { kind: 'method'; name: string };

/** A call or `new` and the function it is written in. */
class Site {
  constructor(
    readonly call: ts.CallExpression | ts.NewExpression,
    readonly enclosing: ts.FunctionLikeDeclaration | undefined,
  ) {}
}

/** Call sites by the callee's last name (`f(…)`, `this.f(…)`, `x.f(…)`, `new F(…)`), per file. */
const sitesByFile = new WeakMap<ts.SourceFile, Map<string, Site[]>>();

function sitesOf(sf: ts.SourceFile): Map<string, Site[]> {
  let m = sitesByFile.get(sf);
  if (m) return m;
  m = new Map();
  const found = m;
  const visit = (n: ts.Node, enclosing: ts.FunctionLikeDeclaration | undefined): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const name = calleeName(n.expression);
      if (name !== undefined) {
        let list = found.get(name);
        if (!list) found.set(name, (list = []));
        if (list.length < MAX_SITES) list.push(new Site(n, enclosing));
      }
    }
    const inner = ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body ? (n as ts.FunctionLikeDeclaration) : enclosing;
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(sf, undefined);
  sitesByFile.set(sf, m);
  return m;
}

const MAX_SITES = 32;
const EMPTY: ReadonlySet<string> = new Set();
const MAX_DEPTH = 3;

function calleeName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The function's name as call sites write it: `function f`, `const f = () => …`, a method. */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  return undefined;
}

/** Whether some parameter has neither a default nor a `?`: a value only a call site can give. */
export function needsArguments(params: readonly ts.ParameterDeclaration[]): boolean {
  return params.some((p) => !p.initializer && !p.questionToken && !p.dotDotDotToken);
}

/**
 * The arguments to run `callee` with (undefined: no call site could be read). `params` are its
 * parameters; a parameter its call sites disagree on, or give no static value, is unknown with a
 * reason naming it.
 */
export function callSiteArguments(interp: Interp, src: SourceInfo, fileScope: Scope, callee: Callee, params: readonly ts.ParameterDeclaration[], depth = 0): Value[] | undefined {
  if (depth > MAX_DEPTH || params.length === 0) return undefined;
  const name = callee.kind === 'class' ? callee.info.name : callee.name;
  const sites = (sitesOf(src.sf).get(name) ?? []).filter((s) => matches(s.call, callee));
  if (sites.length === 0) return undefined;
  const perSite: Value[][] = [];
  for (const s of sites) {
    const scope = siteScope(interp, src, fileScope, s.enclosing, depth);
    const args: Value[] = [];
    const list = s.call.arguments ?? [];
    if (list.some((a) => ts.isSpreadElement(a))) return undefined;
    for (let i = 0; i < params.length; i++) {
      const a = list[i];
      if (!a) args.push(undefined);
      else if (!pure(a, topFunctions(src.sf))) args.push(new UnknownValue(`the argument \`${text(src, a)}\` is not evaluated at its call site`));
      else args.push(evalQuietly(interp, src, a, scope));
    }
    perSite.push(args);
  }
  const out: Value[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const pname = ts.isIdentifier(p.name) ? p.name.text : `parameter ${i + 1}`;
    let v: Value = perSite[0][i];
    for (let k = 1; k < perSite.length && !isUnknown(v); k++) {
      if (!same(v, perSite[k][i])) v = new UnknownValue(`${pname} gets different values at the ${perSite.length} call sites of ${name}`);
    }
    if (v === undefined && !p.initializer && !p.questionToken) v = new UnknownValue(`${pname} has no value at the call site of ${name}`);
    else if (isUnknown(v) && !v.reason.startsWith(pname)) v = new UnknownValue(`${pname} has no static value at the call site of ${name}: ${v.reason}`);
    out.push(v);
  }
  return out;
}

/** `new C(…)` for a class; a call for a function or method (a method through any object: `this.m`, `agent.m`). */
function matches(call: ts.CallExpression | ts.NewExpression, callee: Callee): boolean {
  if (callee.kind === 'class') return ts.isNewExpression(call);
  if (ts.isNewExpression(call)) return false;
  if (callee.kind === 'function') return ts.isIdentifier(call.expression);
  return ts.isPropertyAccessExpression(call.expression);
}

/** The scope a call site's arguments are read in: its function's parameters from that function's own call sites. */
function siteScope(interp: Interp, src: SourceInfo, fileScope: Scope, fn: ts.FunctionLikeDeclaration | undefined, depth: number): Scope {
  const scope = new Scope(fileScope);
  if (!fn) return scope;
  let callee: Callee | undefined;
  if (ts.isConstructorDeclaration(fn)) {
    const cls = fn.parent as ts.ClassLikeDeclaration | undefined;
    // Parent pointers are not set: find the class by position among the file's classes.
    const decl = cls ?? classAround(src.sf, fn);
    if (decl) callee = { kind: 'class', info: interp.project.classInfo(src, decl as ts.ClassDeclaration, fileScope) };
  } else {
    const name = functionName(fn) ?? variableNameOf(src.sf, fn);
    if (name) callee = ts.isMethodDeclaration(fn) ? { kind: 'method', name } : { kind: 'function', name };
  }
  const args = callee ? callSiteArguments(interp, src, fileScope, callee, fn.parameters, depth + 1) : undefined;
  for (let i = 0; i < fn.parameters.length; i++) {
    const p = fn.parameters[i];
    if (!ts.isIdentifier(p.name)) continue;
    const v = args?.[i];
    scope.declare(p.name.text, v !== undefined ? v : new UnknownValue(`${p.name.text} has no value at the call site`));
  }
  return scope;
}

function classAround(sf: ts.SourceFile, node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let found: ts.ClassLikeDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found || node.pos < n.pos || node.end > n.end) return;
    if (ts.isClassLike(n) && n.members.some((m) => m === node)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** `const build = (…) => …`: the name an arrow or function expression is called by. */
function variableNameOf(sf: ts.SourceFile, fn: ts.Node): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found || fn.pos < n.pos || fn.end > n.end) return;
    if (ts.isVariableDeclaration(n) && n.initializer === fn && ts.isIdentifier(n.name)) found = n.name.text;
    else if (ts.isPropertyAssignment(n) && n.initializer === fn && ts.isIdentifier(n.name)) found = n.name.text;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The file's top-level function declarations: their calls may be call-site arguments (`combine(buildEncoder(8), buildDecoder(8))`). */
const functionsByFile = new WeakMap<ts.SourceFile, Set<string>>();
function topFunctions(sf: ts.SourceFile): Set<string> {
  let names = functionsByFile.get(sf);
  if (!names) {
    names = new Set();
    for (const st of sf.statements) if (ts.isFunctionDeclaration(st) && st.name && st.body) names.add(st.name.text);
    functionsByFile.set(sf, names);
  }
  return names;
}

/**
 * Syntax whose evaluation has no effect on the model being analysed: what a call site's argument
 * may be. A call of one of the file's own functions qualifies (a builder whose model is passed
 * on): the interpreter runs it as it runs any builder, and what it makes is that call's own.
 */
function pure(e: ts.Node, fns: ReadonlySet<string> = EMPTY): boolean {
  const ok = (x: ts.Node): boolean => pure(x, fns);
  switch (e.kind) {
    case ts.SyntaxKind.CallExpression: {
      const c = e as ts.CallExpression;
      return ts.isIdentifier(c.expression) && fns.has(c.expression.text) && c.arguments.every(ok);
    }
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression:
      return ok((e as ts.PropertyAccessExpression).expression);
    case ts.SyntaxKind.ElementAccessExpression:
      return ok((e as ts.ElementAccessExpression).expression) && ok((e as ts.ElementAccessExpression).argumentExpression);
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.SpreadElement:
    case ts.SyntaxKind.SpreadAssignment:
      return ok((e as ts.ParenthesizedExpression).expression);
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const p = e as ts.PrefixUnaryExpression;
      return p.operator !== ts.SyntaxKind.PlusPlusToken && p.operator !== ts.SyntaxKind.MinusMinusToken && ok(p.operand);
    }
    case ts.SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      const op = b.operatorToken.kind;
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) return false;
      return ok(b.left) && ok(b.right);
    }
    case ts.SyntaxKind.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      return ok(c.condition) && ok(c.whenTrue) && ok(c.whenFalse);
    }
    case ts.SyntaxKind.TemplateExpression:
      return (e as ts.TemplateExpression).templateSpans.every((s) => ok(s.expression));
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (e as ts.ArrayLiteralExpression).elements.every(ok);
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (e as ts.ObjectLiteralExpression).properties.every((q) => (ts.isPropertyAssignment(q) ? !ts.isComputedPropertyName(q.name) && ok(q.initializer) : ts.isShorthandPropertyAssignment(q) || (ts.isSpreadAssignment(q) && ok(q.expression))));
  }
  return false;
}

/** Evaluates an argument without reporting: a call site's problems are not the model's. */
function evalQuietly(interp: Interp, src: SourceInfo, e: ts.Expression, scope: Scope): Value {
  const diagnostics = interp.diagnostics;
  const unknownBefore = interp.controlUnknown;
  interp.diagnostics = [];
  interp.enterFile(src);
  try {
    return interp.eval(e, scope);
  } catch {
    return new UnknownValue(`\`${text(src, e)}\` could not be evaluated at its call site`);
  } finally {
    interp.leaveFile();
    interp.diagnostics = diagnostics;
    interp.controlUnknown = unknownBefore;
  }
}

/** Whether two call sites pass the same value: equal primitives, or lists and objects with the same contents. */
function same(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b) || depth > 8) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i], depth + 1));
  if (isPlainObjectValue(a) && isPlainObjectValue(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k], depth + 1));
  }
  return false;
}

function text(src: SourceInfo, n: ts.Node): string {
  const t = src.text.slice(src.start(n), n.end).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/** The arguments to construct `info` with: none when its constructor needs none, else its `new` sites'. */
export function constructorArguments(interp: Interp, info: ClassInfo): Value[] {
  for (let c: ClassInfo | undefined = info; c; c = c.base) {
    const ctor = c.node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    if (!ctor) continue;
    if (!needsArguments(ctor.parameters)) return [];
    return callSiteArguments(interp, info.source, info.scope as Scope, { kind: 'class', info }, ctor.parameters) ?? [];
  }
  return [];
}

/** The arguments to run a builder function or method with: its call sites', when it has parameters without defaults. */
export function builderArguments(interp: Interp, src: SourceInfo, fileScope: Scope, fn: ts.FunctionLikeDeclaration, fallbackName: string): Value[] {
  if (!needsArguments(fn.parameters)) return [];
  const name = functionName(fn) ?? fallbackName;
  const callee: Callee = ts.isMethodDeclaration(fn) ? { kind: 'method', name } : { kind: 'function', name };
  return callSiteArguments(interp, src, fileScope, callee, fn.parameters) ?? [];
}
