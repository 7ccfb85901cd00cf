// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import type { Interp } from './interp';
import type { Scope } from './scope';
import type { SourceInfo } from './source';
import { Namespace, type Value } from '../../framework/values';
import { type ClassInfo, ClassRef } from './values';

/**
 * The class of the object a method is called on at a call site, when the file says it plainly
 * (callSites.ts: a method's call sites in other files). What it cannot tell is undefined, and
 * such a site may pass anything.
 */

/** `static m() {…}`. */
export function hasStatic(m: ts.ClassElement): boolean {
  return !!ts.getModifiers(m as ts.MethodDeclaration)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
}

/** An object a library makes (`tf.sequential()`, `new tf.X()`, `tf.layers.dense(…)`): never an instance of a workspace class. */
export const LIBRARY_OBJECT: unique symbol = Symbol('a library object');

/**
 * The class of the object a method is called on, when the file says it plainly: `new C(…)`,
 * `this` inside a class (`super`: its base), or a name declared once in the file, never assigned
 * again, as `new C(…)` (`const agent = new Agent()`); LIBRARY_OBJECT for what a library's function
 * or class makes. Undefined when it can't be told.
 */
export function receiverClass(interp: Interp, src: SourceInfo, scope: Scope, e: ts.Expression, evaluate: (e: ts.Expression) => Value): ClassInfo | typeof LIBRARY_OBJECT | undefined {
  e = skipWrappers(e);
  const made = (x: ts.Expression): ClassInfo | typeof LIBRARY_OBJECT | undefined => {
    // `new C(…)`: C's instance; `new tf.X(…)`, `tf.layers.dense(…)`: a library's object.
    if (ts.isNewExpression(x)) {
      const v = evaluate(x.expression);
      return v instanceof ClassRef ? v.info : mlLibrary(v) ? LIBRARY_OBJECT : undefined;
    }
    if (ts.isCallExpression(x)) return mlLibrary(evaluate(x.expression)) ? LIBRARY_OBJECT : undefined;
    return undefined;
  };
  if (ts.isNewExpression(e) || ts.isCallExpression(e)) return made(e);
  // `this.m(…)` starts at the class around it; `super.m(…)` (an override calling ours) at its base.
  if (e.kind === ts.SyntaxKind.ThisKeyword || e.kind === ts.SyntaxKind.SuperKeyword) {
    const decl = thisClass(src.sf, e);
    const info = decl ? interp.project.classInfo(src, decl, scope) : undefined;
    return e.kind === ts.SyntaxKind.SuperKeyword ? info?.base : info;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const init = onlyBinding(src.sf, e.text);
  return init ? made(skipWrappers(init)) : undefined;
}

/**
 * A function or class of TensorFlow.js or a PyTorch-shaped library: what it makes is the
 * library's. (Not any library: a dependency-injection container's `get(Trainer)` makes a Trainer.)
 */
function mlLibrary(v: Value): boolean {
  return v instanceof Namespace && ML_ROOTS.has(v.parts[0]);
}
const ML_ROOTS = new Set(['tf', 'nn', 'torch', 'F']);

function skipWrappers(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  return e;
}

/** The class whose instance `this` is at `node`: the innermost class around it, unless a `function` (its own `this`) comes in between. */
function thisClass(sf: ts.SourceFile, node: ts.Node): ts.ClassDeclaration | ts.ClassExpression | undefined {
  let found: ts.ClassDeclaration | ts.ClassExpression | undefined;
  const visit = (n: ts.Node, cls: ts.ClassDeclaration | ts.ClassExpression | undefined): void => {
    if (node.pos < n.pos || node.end > n.end) return;
    if (n === node) {
      found = cls;
      return;
    }
    const inner = ts.isClassDeclaration(n) || ts.isClassExpression(n) ? n : ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) ? undefined : cls;
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(sf, undefined);
  return found;
}

/** The initializer of `name` when the file declares it once (anywhere) and never assigns it again. */
function onlyBinding(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  let init: ts.Expression | undefined;
  let count = 0;
  const visit = (n: ts.Node): void => {
    if (count > 1) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
      count++;
      init = n.initializer;
    } else if ((ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name) && n.name.text === name) count += 2;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(n.left) && n.left.text === name) count += 2;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return count === 1 ? init : undefined;
}
