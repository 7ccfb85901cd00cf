// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');

/**
 * Where a builder, class or method whose parameters come from its call sites (callSites.ts) is
 * mentioned other than by a call of it: passed as a value (`register(buildMlp)`), stored in a
 * registry (`{ mlp: buildMlp }`, then `BUILDERS[kind](dim)`), renamed (`const make = Net`), bound
 * (`t.build.bind(t)`), destructured off an object (`const { build } = trainer`). Calls through such
 * a value are invisible to the site search, and may pass anything: each escape makes the
 * parameters unknown, never the values of the calls that happen to be visible.
 *
 * Not escapes: calls and `new`s of it, its declarations, imports and exports (CommonJS's too),
 * types, `typeof`, `instanceof`, `extends` (a subclass's `super(…)` is a site), and reads of its
 * static members (`Net.expansion`). The scan is by name, so a mention of another declaration of
 * the same name counts too: that can only make a value unknown, never wrong.
 */
export type EscapeKind = 'function' | 'class' | 'method';

const cache = new WeakMap<ts.SourceFile, Map<string, ts.Node[]>>();

/** A node's parent, as the walk saw it. */
type Up = (n: ts.Node) => ts.Node | undefined;

/** The escapes of `name` in a file (cached with its syntax tree). */
export function escapesNamed(sf: ts.SourceFile, name: string, kind: EscapeKind): ts.Node[] {
  let byName = cache.get(sf);
  if (!byName) cache.set(sf, (byName = new Map()));
  const key = `${kind}:${name}`;
  let found = byName.get(key);
  if (found) return found;
  found = [];
  const out = found;
  // A file that never spells the name has none (most files, most names).
  if (sf.text.includes(name)) {
    // The analyzer's trees are parsed without parent links: the walk keeps them.
    const parents = new Map<ts.Node, ts.Node>();
    const up: Up = (n) => parents.get(n);
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n.text === name && (kind === 'method' ? methodEscapes(n, up) : valueEscapes(n, up))) out.push(n);
      else if (kind === 'method' && ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === name) out.push(n);
      ts.forEachChild(n, (c) => {
        parents.set(c, n);
        visit(c);
      });
    };
    visit(sf);
  }
  byName.set(key, found);
  return found;
}

/** Whether an identifier naming a function or class uses it as a value. */
function valueEscapes(id: ts.Identifier, up: Up): boolean {
  const p = up(id);
  if (!p) return false;
  // Called or constructed: a site.
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === id) return false;
  // A member of something else (`x.name`), or a read of its own static member (`Net.expansion`).
  if (ts.isPropertyAccessExpression(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeNode(p) || ts.isExpressionWithTypeArguments(p) || ts.isTypeQueryNode(p)) return false;
  // Declarations and the names of properties, parameters and members.
  if (isDeclarationName(id, p)) return false;
  // A property key, not a reference: `const { buildCnn: make } = require(…)`, `{ buildCnn: … }` in a pattern.
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  // Imports and exports (`export { buildMlp }`, `export default Net`).
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p) || ts.isExportSpecifier(p) || ts.isExportAssignment(p)) return false;
  if (ts.isTypeOfExpression(p)) return false;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return false;
  if (ts.isHeritageClause(p)) return false;
  // Exports of an object holding it: `module.exports = { buildMlp }`, `exports.mlp = buildMlp`, `export default { buildMlp }`.
  if (isCommonJsExport(id, up)) return false;
  return true;
}

/** Whether an identifier naming a method reads it off an object without calling it (`t.build`, `{ build } = t`). */
function methodEscapes(id: ts.Identifier, up: Up): boolean {
  const p = up(id);
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) {
    const user = up(p);
    if (user && ts.isCallExpression(user) && user.expression === p) return false; // `t.build(…)`: a site
    if (user && ts.isBinaryExpression(user) && user.left === p && user.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false; // `this.build = …`
    return true;
  }
  // `const { build } = trainer` / `const { build: make } = trainer`.
  const pattern = up(p);
  if (ts.isBindingElement(p) && pattern && ts.isObjectBindingPattern(pattern) && (p.propertyName ? p.propertyName === id : p.name === id)) return true;
  return false;
}

function isDeclarationName(id: ts.Identifier, p: ts.Node): boolean {
  return (
    ((ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isEnumMember(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)) &&
      (p as ts.NamedDeclaration).name === id) ||
    (ts.isLabeledStatement(p) && p.label === id) ||
    ((ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id)
  );
}

function isModuleExports(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return e.text === 'exports';
  return ts.isPropertyAccessExpression(e) && ((ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports') || isModuleExports(e.expression));
}

function isCommonJsExport(id: ts.Identifier, up: Up): boolean {
  let value: ts.Node = id;
  const prop = up(id);
  // `{ buildMlp }` and `{ mlp: buildMlp }` inside the object assigned to module.exports.
  if (prop && (ts.isShorthandPropertyAssignment(prop) || (ts.isPropertyAssignment(prop) && prop.initializer === id))) {
    const obj = up(prop);
    if (!obj || !ts.isObjectLiteralExpression(obj)) return false;
    value = obj;
  }
  const p = up(value);
  // `export default { buildMlp, buildCnn }`: an ES export of the same object.
  if (p && ts.isExportAssignment(p) && value !== id) return true;
  return !!p && ts.isBinaryExpression(p) && p.right === value && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && isModuleExports(p.left);
}
