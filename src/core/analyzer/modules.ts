// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { Namespace } from './values';

/**
 * How library modules appear to the interpreter, however they are imported or required:
 * TensorFlow.js under any name (`import * as tfl from '@tensorflow/tfjs-layers'`,
 * `const tf = require('@tensorflow/tfjs-node')`, `const { layers } = require(…)`) is the `tf`
 * namespace; other libraries keep the name they are bound to, as named imports always did.
 */

/** The TensorFlow.js packages whose exports include the Layers API (`layers`, `sequential`, `model`, `input`). */
export function isTfjsPackage(spec: string): boolean {
  return /^@tensorflow\/tfjs(-node(-gpu)?|-layers)?$/.test(spec);
}

/** A library module as a whole (`import * as X`, `import X`, `const X = require(…)`), bound to `localName`. */
export function libraryModule(spec: string, localName: string | undefined): Namespace {
  if (isTfjsPackage(spec)) return Namespace.root('tf');
  return Namespace.root(localName ?? moduleRootName(spec));
}

/** A named export of a library (`import { layers } from …`, `const { nn } = require(…)`). */
export function libraryMember(spec: string, name: string): Namespace {
  if (isTfjsPackage(spec)) return Namespace.root('tf').child(name);
  return Namespace.root(name);
}

/** A module's value with no name to bind it to: named after its package (`js-pytorch` → a namespace whose members are roots). */
function moduleRootName(spec: string): string {
  return MODULE_PREFIX + spec;
}

const MODULE_PREFIX = 'module:';

/** Whether a namespace stands for a whole non-tfjs module: its members are named like imports (`nn`, `torch`). */
export function isModuleRoot(ns: Namespace): boolean {
  return ns.parts.length === 1 && ns.path.startsWith(MODULE_PREFIX);
}

/** `require('spec')` with a literal, when nothing in scope defines `require`: its specifier. */
export function requireSpecifier(node: ts.Expression | undefined): string | undefined {
  if (!node || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const a = node.arguments[0];
  return node.arguments.length === 1 && a && ts.isStringLiteralLike(a) ? a.text : undefined;
}

