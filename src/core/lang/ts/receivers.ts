// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import type { Interp } from './interp';
import type { Scope } from './scope';
import type { SourceInfo } from './source';
import type { Value } from '../../framework/values';
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

/**
 * The class of the object a method is called on, when the file says it plainly: `new C(…)`,
 * `this` inside a class (`super`: its base), or a name declared once in the file, never assigned again, as
 * `new C(…)` (`const agent = new Agent()`). Undefined when it can't be told.
 */
export function receiverClass(interp: Interp, src: SourceInfo, scope: Scope, e: ts.Expression, evaluate: (e: ts.Expression) => Value): ClassInfo | undefined {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  const classOf = (ctor: ts.Expression): ClassInfo | undefined => {
    const v = evaluate(ctor);
    return v instanceof ClassRef ? v.info : undefined;
  };
  if (ts.isNewExpression(e)) return classOf(e.expression);
  // `this.m(…)` starts at the class around it; `super.m(…)` (an override calling ours) at its base.
  if (e.kind === ts.SyntaxKind.ThisKeyword || e.kind === ts.SyntaxKind.SuperKeyword) {
    const decl = thisClass(src.sf, e);
    const info = decl ? interp.project.classInfo(src, decl, scope) : undefined;
    return e.kind === ts.SyntaxKind.SuperKeyword ? info?.base : info;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const init = onlyBinding(src.sf, e.text);
  let x = init;
  while (x && (ts.isParenthesizedExpression(x) || ts.isAsExpression(x))) x = x.expression;
  return x && ts.isNewExpression(x) ? classOf(x.expression) : undefined;
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
