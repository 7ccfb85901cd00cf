// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { UnknownValue } from '../../unknown';

/**
 * `model.layers` and `model.getLayer(…)` of a tf.model(): the layers in tfjs's own order (by
 * depth), which ModelLens does not model. Reading them (printing names, counting them, reading a
 * config) changes nothing, so it leaves the totals alone; a write through them (`layer.trainable
 * = false`), a method that is not a plain read, or handing them to code ModelLens does not follow
 * could change the counts, and makes the totals unknown (calls.ts, interp.ts).
 */
export class ModelLayersView extends UnknownValue {}

/** Methods of a layer, or of the list of layers, that only read. */
export const LAYER_READS = new Set([
  // a layer
  'getConfig', 'getClassName', 'countParams', 'getWeights', 'computeOutputShape', 'toJSON', 'toString', 'getInputAt', 'getOutputAt',
  // the list
  'forEach', 'map', 'filter', 'find', 'findIndex', 'some', 'every', 'slice', 'includes', 'indexOf', 'join', 'at', 'reduce', 'entries', 'keys', 'values',
  // what a printout does with the values
  'padStart', 'padEnd', 'toFixed', 'toUpperCase', 'toLowerCase',
]);

/**
 * Whether `node` (a loop body, a callback) only reads: no assignment or `++` except to a name
 * declared inside it, no `new` or `delete`, and no call except console's, a read of LAYER_READS,
 * `String`/`Number`/`JSON.stringify`. A body that passes could not change any count.
 */
export function readOnlyCode(node: ts.Node): boolean {
  const locals = new Set<string>();
  const collect = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name)) locals.add(n.name.text);
    ts.forEachChild(n, collect);
  };
  collect(node);
  const localTarget = (e: ts.Expression): boolean => ts.isIdentifier(e) && locals.has(e.text);
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && !localTarget(n.left)) ok = false;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && !localTarget(n.operand)) ok = false;
    else if (ts.isNewExpression(n) || ts.isDeleteExpression(n)) ok = false;
    else if (ts.isCallExpression(n) && !readingCall(n.expression)) ok = false;
    if (ok) ts.forEachChild(n, visit);
  };
  visit(node);
  return ok;
}

function readingCall(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'String' || callee.text === 'Number';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const obj = callee.expression;
  if (ts.isIdentifier(obj) && obj.text === 'console') return true;
  if (ts.isIdentifier(obj) && obj.text === 'JSON' && callee.name.text === 'stringify') return true;
  return LAYER_READS.has(callee.name.text);
}
