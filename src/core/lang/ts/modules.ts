// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { UnknownValue } from '../../unknown';
import { isMlPackage } from './evidence';
import { Namespace } from '../../framework/values';

/**
 * How library modules appear to the interpreter, however they are imported or required:
 * TensorFlow.js under any name (`import * as tfl from '@tensorflow/tfjs-layers'`,
 * `const tf = require('@tensorflow/tfjs-node')`, `const { layers } = require(…)`) is the `tf`
 * namespace; a PyTorch-shaped package as a whole (`const T = require('js-pytorch')`) is a module
 * whose `nn`, `torch`, `F` are those namespaces and whose other members are `torch`'s; other
 * libraries keep the name they are bound to, as named imports always did.
 */

/** The TensorFlow.js packages (the Layers API's `layers`, `sequential`, `model`, `input` among their exports). */
export function isTfjsPackage(spec: string): boolean {
  return /^@tensorflow\/tfjs(-[a-z-]+)?$/.test(spec) || /^tfjs(-node(-gpu)?)?$/.test(spec);
}

/** A PyTorch-shaped package (js-pytorch and the like): an ML package that is not TensorFlow.js. */
function isTorchPackage(spec: string): boolean {
  return isMlPackage(spec) && !spec.startsWith('@tensorflow') && !isTfjsPackage(spec);
}

/** Names a PyTorch-shaped module exports as namespaces of their own. */
const TORCH_NAMESPACES = new Set(['nn', 'torch', 'F', 'functional', 'init', 'optim']);

/** A library module as a whole (`import * as X`, `import X`, `const X = require(…)`), bound to `localName`. */
export function libraryModule(spec: string, localName: string | undefined): Namespace {
  if (isTfjsPackage(spec)) return Namespace.root('tf');
  // `import * as nn from 'torch/nn'`: the name says what it is.
  if (localName !== undefined && (TORCH_NAMESPACES.has(localName) || !isTorchPackage(spec))) return Namespace.root(localName);
  if (isTorchPackage(spec)) return Namespace.root(TORCH_MODULE_PREFIX + spec);
  return Namespace.root(localName ?? MODULE_PREFIX + spec);
}

/** A named export of a library (`import { layers } from …`, `const { nn } = require(…)`). */
export function libraryMember(spec: string, name: string): Namespace {
  if (isTfjsPackage(spec)) return Namespace.root('tf').child(name);
  return Namespace.root(name);
}

/** Roots standing for a whole module (no name to give them): other libraries', PyTorch-shaped ones'. */
const MODULE_PREFIX = 'module:';
const TORCH_MODULE_PREFIX = 'torch-module:';

/** `ns.key` for any library namespace: a PyTorch-shaped module's members are its namespaces, else `torch`'s. */
export function namespaceMember(ns: Namespace, key: string): Namespace {
  if (ns.parts.length === 1 && ns.path.startsWith(TORCH_MODULE_PREFIX)) return TORCH_NAMESPACES.has(key) ? Namespace.root(key) : Namespace.root('torch').child(key);
  return ns.child(key);
}

/** `require('spec')` with a literal argument: its specifier (undefined for anything else). */
export function requireSpecifier(node: ts.CallExpression): string | undefined {
  if (!ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const a = node.arguments[0];
  return node.arguments.length === 1 && a && ts.isStringLiteralLike(a) ? a.text : undefined;
}

/**
 * What a name imported from a workspace file that ModelLens could not read (missing, outside the
 * workspace, too large) stands for: unknown, with the reason, but with the path it is used
 * through (`shim.nn.Linear`), so that layers made through it are still recognised by kind and
 * listed (never erased), while every number they could change is `?` (see guessedConstruct).
 */
export class UnreadableImport extends UnknownValue {
  constructor(
    reason: string,
    readonly parts: readonly string[],
  ) {
    super(reason);
  }
  member(key: string): UnreadableImport {
    return new UnreadableImport(this.reason, [...this.parts, key].slice(-4));
  }
  get last(): string {
    return this.parts[this.parts.length - 1];
  }
}
