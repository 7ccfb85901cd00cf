// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { toSnake } from '../../catalog/bind';
import type { LayerInstance, Loc } from '../../framework/values';

/**
 * Which expression of a layer's construction gave which argument, for a quick fix on the exact
 * literal: positional ones in signature order, then the keywords object's properties (PyTorch:
 * their snake_case names). The layer keeps its expressions as `Loc`s; they are TypeScript nodes.
 */
export function argNodesOf(layer: LayerInstance): Map<string, Loc> {
  const nodes = new Map<string, Loc>();
  const sig = layer.entry.signature;
  const exprs = layer.argExprs as readonly ts.Expression[] | undefined;
  const kw = layer.keywordsExpr as ts.Node | undefined;
  if (sig && exprs) {
    const positional = kw ? exprs.length - 1 : exprs.length;
    for (let i = 0; i < sig.length && i < positional && !sig[i].rest; i++) nodes.set(sig[i].name, exprs[i]);
  }
  if (kw && ts.isObjectLiteralExpression(kw)) {
    const torch = layer.entry.framework === 'torch';
    for (const prop of kw.properties) {
      if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) nodes.set(torch ? toSnake(prop.name.text) : prop.name.text, prop.initializer);
    }
  }
  return nodes;
}
