// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
const { SyntaxKind: SK } = ts;

/**
 * Modifier checks read `node.modifiers` directly. TypeScript's `getModifiers` first computes the
 * node's whole modifier-flag set (and writes it into the node's cache); on a freshly parsed tree
 * every class member and top-level statement paid that once per analysis, about 1% of a cold one.
 * `modifiers` also holds decorators, which are never the keyword asked for.
 */
export function hasModifier(node: ts.Node, kind: ts.ModifierSyntaxKind): boolean {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (mods === undefined) return false;
  for (let i = 0; i < mods.length; i++) if (mods[i].kind === kind) return true;
  return false;
}

/** Any modifier, decorators aside: `constructor(private readonly size = 64)` declares a field. */
export function hasAnyModifier(node: ts.Node): boolean {
  const mods = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (mods === undefined) return false;
  for (let i = 0; i < mods.length; i++) if (mods[i].kind !== SK.Decorator) return true;
  return false;
}
