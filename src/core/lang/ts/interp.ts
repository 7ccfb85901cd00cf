// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isArrayBindingPattern, isArrayLiteralExpression, isObjectLiteralExpression, isBindingElement, isBlock, isComputedPropertyName, isElementAccessExpression, isIdentifier, isMethodDeclaration, isNumericLiteral, isOmittedExpression, isParenthesizedExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteral, isVariableDeclarationList } = ts;
import { UnknownValue, isUnknown } from '../../unknown';
import type { Diagnostic } from '../../summary';
import { NOT_FOUND, Scope } from './scope';
import type { SourceInfo } from './source';
import {
  FunctionalModelValue,
  LayerInstance,
  SequentialModelValue,
  type Loc,
  ModuleInstance,
  Namespace,
  SymTensor,
  UnknownLayer,
  Value,
  isPlainObjectValue,
} from '../../framework/values';
import { ClassRef, FunctionValue } from './values';
import type { Recorder } from '../../framework/recorder';
import type { Project } from './project';
import { evalEnum } from './project';
import { callValue, constructValue, getProperty, optionalCall } from './calls';
import { ModelLayersView, readOnlyCode } from './layersView';
import { iterateModule, setField, setTorchAttribute, torchInstanceOf } from '../../framework/moduleApi';
import type { EvalHost } from '../../framework/host';
import { runModuleForward } from './torchModules';
import { expandLayer } from './prelude';

import { BudgetExceeded, FileBudget } from '../../framework/budget';
import { BUILTIN_GLOBALS } from './builtins';
import { Thrown, alwaysThrows, assignedNames, instanceOf, inOperator, looseEquals, memberOf, moduleInstanceOf, mutableKind, restOf, toText, typeOf } from './soundness';
import { argNodesOf } from './argNodes';
export { BudgetExceeded, Thrown };

/** How a statement ended; `label` is set for `break outer` / `continue outer`. */
export type Completion = { kind: 'normal' } | { kind: 'return'; value: Value } | { kind: 'break'; label?: string } | { kind: 'continue'; label?: string };
const NORMAL: Completion = { kind: 'normal' };
const BREAK: Completion = { kind: 'break' };
const CONTINUE: Completion = { kind: 'continue' };

/** What a loop does after its body completed with `c`: go on, stop, or pass `c` outward. */
function afterBody(c: Completion, labels: readonly string[] | undefined): 'next' | 'stop' | Completion {
  if (c.kind === 'normal') return 'next';
  if (c.kind === 'return') return c;
  if (c.label !== undefined && !labels?.includes(c.label)) return c; // aimed at an outer statement
  return c.kind === 'break' ? 'stop' : 'next';
}

/** Names that mean a library namespace when nothing in scope defines them. */
const GLOBAL_NAMESPACES = new Set(['tf', 'nn', 'torch', 'F', 'Math', 'layers', 'functional', ...BUILTIN_GLOBALS]);

const MAX_CALL_DEPTH = 40;
const MAX_LOOP_ITERATIONS = 10_000;

/**
 * A small, bounded interpreter for the subset of TypeScript that model definitions use:
 * constants, arithmetic, object and array literals, calls of local functions, constructors of
 * user modules, `forward` bodies and tfjs builder functions. It never runs user code: it only
 * evaluates syntax, and anything outside the subset becomes an `UnknownValue` with a reason.
 */
export class Interp implements EvalHost {
  steps = 0;
  callDepth = 0;
  /** Where layer calls are recorded; set while a model is being traced. */
  recorder?: Recorder;
  /** tfjs auto-naming counters (`dense_Dense1`), per className, per analysis. */
  readonly tfjsUid = new Map<string, number>();
  /**
   * The first control-flow decision of the current model that could not be made statically (an
   * `if` on an unknown value, a loop with an unknown bound): from then on, which layers exist or
   * run is not known, so the summary must not present its totals as facts. Reset per model.
   */
  controlUnknown?: string;
  /** The unknown condition (quoted source) while its `then` branch is followed: what is made or recorded there says so. */
  branchCondition?: string;

  constructor(
    readonly project: Project,
    /** The file whose code is being evaluated (switches while inside an imported module). */
    public file: SourceInfo,
    /** Where diagnostics go: swapped per model. */
    public diagnostics: Diagnostic[],
    readonly budget: number,
    /** The whole file's budget (steps, time, native work): built-ins charge it (`charge(n)`). */
    readonly fileBudget: FileBudget = new FileBudget(),
  ) {
    this.rootFile = file;
  }

  /** The analyzed file: diagnostics can only point into it. */
  readonly rootFile: SourceInfo;
  /**
   * While evaluating an imported file: the node in the analyzed file that led there
   * (`new Block(4)`, `this.block.forward(x)`), where that file's problems are reported.
   */
  private anchor?: Loc;

  /** Evaluates code of another file (an imported module) with that file's line map. */
  withFile<T>(f: SourceInfo, fn: () => T, anchor?: Loc): T {
    this.enterFile(f, anchor);
    try {
      return fn();
    } finally {
      this.leaveFile();
    }
  }

  /** What `enterFile` replaced, restored by `leaveFile`: pairs of file and anchor. */
  private readonly fileStack: (SourceInfo | Loc | undefined)[] = [];

  /**
   * From here until the matching `leaveFile()` (in a `finally`), code of file `f` is evaluated:
   * `withFile` without a closure, for the hot paths (see release.ts on closures).
   */
  enterFile(f: SourceInfo, anchor?: Loc): void {
    this.fileStack.push(this.file, this.anchor);
    if (this.file === this.rootFile && f !== this.rootFile) this.anchor = anchor;
    this.file = f;
  }

  leaveFile(): void {
    this.anchor = this.fileStack.pop() as Loc | undefined;
    this.file = this.fileStack.pop() as SourceInfo;
  }

  /** Ends the run (see Project.release). */
  release(): void {
    this.recorder = undefined;
  }

  runForward(inst: ModuleInstance, args: Value[], node: Loc): Value {
    return runModuleForward(this, inst, args, node);
  }

  expandLayer(layer: LayerInstance): ModuleInstance | null {
    return expandLayer(this, layer);
  }

  tick(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded();
    this.fileBudget.step();
  }

  /** Which expression gave which argument of a layer (EvalHost.argNodes): read once, when a quick fix needs it. */
  argNodes(layer: LayerInstance): ReadonlyMap<string, Loc> {
    return (layer.argNodeMap ??= argNodesOf(layer));
  }

  /** A diagnostic at a node of the current file. */
  report(node: Loc, severity: Diagnostic['severity'], message: string, code?: string): Diagnostic | undefined {
    let file = this.file;
    let start: number;
    let end: number;
    const site = file.anchor;
    if (site && site.file === this.rootFile) {
      // Inside the prelude (a composite PyTorch layer): the problem is the user's layer's.
      file = this.rootFile;
      start = site.start;
      end = site.end ?? site.start;
    } else if (file !== this.rootFile) {
      // A problem inside an imported file shows where the analyzed file uses it, naming the place.
      if (!this.anchor) return undefined;
      // (From the prelude inside an imported file: the place is that file's layer.)
      message = site ? `In ${baseName(site.file.path)}:${site.line}: ${message}` : `In ${baseName(file.path)}:${file.lineOfNode(node)}: ${message}`;
      file = this.rootFile;
      start = file.start(this.anchor);
      end = this.anchor.end;
    } else {
      start = file.start(node);
      end = node.end;
    }
    const d: Diagnostic = { line: file.lineOf(start), severity, message, start, end, code };
    const same = this.diagnostics.find((x) => x.start === d.start && x.message === d.message);
    if (same) return undefined;
    this.diagnostics.push(d);
    return d;
  }

  /**
   * Something that could change the model is not modelled exactly (a statement kind, a call it
   * cannot follow that receives a module, a dynamic write): what it could change is unknown from
   * here on. The model's totals say so through `controlUnknown` (read by the model analyses).
   */
  unmodelled(node: ts.Node, reason: string): void {
    this.report(node, 'warning', `${reason[0].toUpperCase()}${reason.slice(1)}: what it could change is unknown.`, 'unmodelled');
    this.controlUnknown ??= reason;
  }

  // ---------------------------------------------------------------- expressions

  eval(node: ts.Expression, scope: Scope): Value {
    this.tick();
    // The kinds that make up most of what models evaluate, called directly (monomorphic,
    // inlinable); the rest through one table load. A handler table alone made its call the
    // interpreter's hottest line: every call through it is megamorphic.
    switch (node.kind) {
      case SK.Identifier:
        return this.identifier(node as ts.Identifier, scope);
      case SK.CallExpression:
        if ((node.flags & OPTIONAL_CHAIN) !== 0) return this.chain(node as ts.CallExpression, scope);
        return callValue(this, node as ts.CallExpression, scope);
      case SK.PropertyAccessExpression: {
        const n = node as ts.PropertyAccessExpression;
        if ((n.flags & OPTIONAL_CHAIN) !== 0) return this.chain(n, scope);
        return getProperty(this, this.eval(n.expression, scope), n.name.text, n);
      }
      case SK.NumericLiteral:
        return Number((node as ts.NumericLiteral).text);
      case SK.ThisKeyword: {
        const self = scope.thisValue();
        return self === NOT_FOUND ? new UnknownValue('`this` is not known here') : self;
      }
      case SK.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression, scope);
      case SK.NewExpression:
        return constructValue(this, node as ts.NewExpression, scope);
      case SK.StringLiteral:
        return (node as ts.StringLiteral).text;
      case SK.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, scope);
      case SK.ArrayLiteralExpression:
        return this.arrayLiteral(node as ts.ArrayLiteralExpression, scope);
      case SK.AsExpression:
        return this.eval((node as ts.AsExpression).expression, scope);
    }
    const handler = EVAL[node.kind];
    return handler ? handler(this, node as never, scope) : new UnknownValue(`\`${short(node, this.file)}\` is not evaluated statically`);
  }

  /** An optional chain (`a?.b.c`, `f?.()`): `undefined` as soon as a `?.` meets null or undefined. */
  chain(n: ChainLink, scope: Scope): Value {
    const v = this.link(n, scope);
    return v === SHORT ? undefined : v;
  }

  /** The value of `inner` as the object of a chain link: `SHORT` when the chain stopped there. */
  linkObject(inner: ts.Expression, scope: Scope): Value {
    return isChainLink(inner) ? this.link(inner, scope) : this.eval(inner, scope);
  }

  /** One link of an optional chain; `SHORT` once the chain has stopped. */
  private link(n: ChainLink, scope: Scope): Value {
    this.tick();
    if (n.kind === SK.CallExpression) return optionalCall(this, n, scope);
    const obj = this.linkObject(n.expression, scope);
    if (obj === SHORT || (n.questionDotToken !== undefined && (obj === null || obj === undefined))) return SHORT;
    return n.kind === SK.PropertyAccessExpression ? getProperty(this, obj, n.name.text, n) : elementOf(this, n, obj, scope);
  }

  /** @internal */ identifier(id: ts.Identifier, scope: Scope): Value {
    const name = id.text;
    if (name === 'undefined') return undefined;
    if (name === 'Infinity') return Infinity;
    if (name === 'NaN') return NaN;
    const v = scope.lookup(name);
    if (v !== NOT_FOUND) return v;
    if (GLOBAL_NAMESPACES.has(name)) return Namespace.root(name);
    return new UnknownValue(`${name} has no value`);
  }

  /** @internal */ arrayLiteral(node: ts.ArrayLiteralExpression, scope: Scope): Value {
    const elements = node.elements;
    // Sized up front unless something is spread (`[]` plus push reserves room for seventeen).
    let spread = false;
    for (let i = 0; i < elements.length && !spread; i++) spread = isSpreadElement(elements[i]) || isOmittedExpression(elements[i]);
    if (!spread) {
      const n = elements.length;
      if (n === 0) return [];
      if (n === 1) return [this.eval(elements[0], scope)];
      if (n === 2) {
        const a = this.eval(elements[0], scope);
        return [a, this.eval(elements[1], scope)];
      }
      const sized: Value[] = new Array(n);
      for (let i = 0; i < n; i++) sized[i] = this.eval(elements[i], scope);
      return sized;
    }
    const out: Value[] = [];
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i];
      if (isSpreadElement(el)) {
        const v = this.eval(el.expression, scope);
        if (Array.isArray(v)) {
          // Counted first; a loop, not `push(...v)`: a long list would overflow the stack as arguments.
          this.fileBudget.charge(v.length);
          for (let j = 0; j < v.length; j++) out.push(v[j]);
        } else out.push(isUnknown(v) ? v : new UnknownValue(`cannot spread \`${short(el.expression, this.file)}\``));
      } else if (isOmittedExpression(el)) {
        out.push(undefined);
      } else {
        out.push(this.eval(el, scope));
      }
    }
    return out;
  }

  /** @internal */ objectLiteral(node: ts.ObjectLiteralExpression, scope: Scope): Value {
    const out: { [key: string]: Value } = {};
    const props = node.properties;
    for (let i = 0; i < props.length; i++) {
      const p = props[i];
      if (isPropertyAssignment(p)) {
        const key = propertyName(p.name, this, scope);
        if (key !== undefined) out[key] = this.eval(p.initializer, scope);
      } else if (isShorthandPropertyAssignment(p)) {
        out[p.name.text] = this.identifier(p.name, scope);
      } else if (isSpreadAssignment(p)) {
        const v = this.eval(p.expression, scope);
        if (isPlainObjectValue(v)) Object.assign(out, v);
      } else if (isMethodDeclaration(p) && isIdentifier(p.name)) {
        out[p.name.text] = new FunctionValue(p, scope);
      }
    }
    return out;
  }

  /** @internal */ prefix(node: ts.PrefixUnaryExpression, scope: Scope): Value {
    const v = this.eval(node.operand, scope);
    if (node.operator === SK.ExclamationToken) return isUnknown(v) ? v : !truthy(v);
    if (isUnknown(v)) {
      // `i++` on an unknown still writes: the variable is unknown afterwards.
      if (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken) this.assignTo(node.operand, v, scope);
      return v;
    }
    if (typeof v !== 'number') {
      const u = new UnknownValue(`\`${short(node, this.file)}\` is not a number`);
      if (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken) this.assignTo(node.operand, u, scope);
      return u;
    }
    switch (node.operator) {
      case SK.MinusToken:
        return -v;
      case SK.PlusToken:
        return v;
      case SK.TildeToken:
        return ~v;
      case SK.PlusPlusToken:
      case SK.MinusMinusToken: {
        const nv = node.operator === SK.PlusPlusToken ? v + 1 : v - 1;
        this.assignTo(node.operand, nv, scope);
        return nv;
      }
    }
    return new UnknownValue(`\`${short(node, this.file)}\` is not evaluated statically`);
  }

  /** @internal */ binary(node: ts.BinaryExpression, scope: Scope): Value {
    const op = node.operatorToken.kind;
    if (op === SK.EqualsToken) {
      const v = this.eval(node.right, scope);
      this.assignTo(node.left, v, scope);
      return v;
    }
    if (op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken || op === SK.AmpersandAmpersandEqualsToken) {
      // `a ??= b`: `b` is evaluated, and assigned, only when `a` calls for it.
      const l = this.eval(node.left, scope);
      if (isUnknown(l)) {
        this.assignTo(node.left, l, scope);
        return l;
      }
      const assign = op === SK.QuestionQuestionEqualsToken ? l === null || l === undefined : op === SK.BarBarEqualsToken ? !truthy(l) : truthy(l);
      if (!assign) return l;
      const v = this.eval(node.right, scope);
      this.assignTo(node.left, v, scope);
      return v;
    }
    if (op >= SK.FirstCompoundAssignment && op <= SK.LastCompoundAssignment) {
      const base = compoundBase(op);
      const v = base === undefined ? new UnknownValue(`\`${short(node, this.file)}\` is not evaluated statically`) : this.arith(base, this.eval(node.left, scope), this.eval(node.right, scope), node);
      this.assignTo(node.left, v, scope);
      return v;
    }
    if (op === SK.InstanceOfKeyword) {
      const l = this.eval(node.left, scope);
      const r = this.eval(node.right, scope);
      const known = r instanceof ClassRef ? moduleInstanceOf(l, r) : torchInstanceOf(l, r);
      return known !== undefined ? known : instanceOf(l, r);
    }
    if (op === SK.InKeyword) return inOperator(this.eval(node.left, scope), this.eval(node.right, scope));
    if (op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
      const l = this.eval(node.left, scope);
      if (isUnknown(l)) return l;
      if (op === SK.AmpersandAmpersandToken) return truthy(l) ? this.eval(node.right, scope) : l;
      if (op === SK.BarBarToken) return truthy(l) ? l : this.eval(node.right, scope);
      return l === null || l === undefined ? this.eval(node.right, scope) : l;
    }
    if (op === SK.CommaToken) {
      this.eval(node.left, scope);
      return this.eval(node.right, scope);
    }
    return this.arith(op, this.eval(node.left, scope), this.eval(node.right, scope), node);
  }

  /** Arithmetic and comparison on known values; tensors go to the tensor-op rules (residual `a + b`). */
  arith(op: ts.SyntaxKind, l: Value, r: Value, node: ts.Node): Value {
    // `m.bias !== null`: in JavaScript equality is identity, tensors included (no overloading).
    if ((l instanceof SymTensor || r instanceof SymTensor) && (op === SK.EqualsEqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken)) {
      return op === SK.EqualsEqualsEqualsToken ? l === r : l !== r;
    }
    if (l instanceof SymTensor || r instanceof SymTensor) {
      const name = { [SK.PlusToken]: 'add', [SK.MinusToken]: 'sub', [SK.AsteriskToken]: 'mul', [SK.SlashToken]: 'div' }[op as number];
      if (name && this.recorder) return this.recorder.broadcastOp(name, [l, r], node);
      return new UnknownValue('unsupported tensor operator');
    }
    if (isUnknown(l)) return l;
    if (isUnknown(r)) return r;
    switch (op) {
      case SK.EqualsEqualsEqualsToken:
        return l === r;
      case SK.ExclamationEqualsEqualsToken:
        return l !== r;
      case SK.EqualsEqualsToken:
        return looseEquals(l, r);
      case SK.ExclamationEqualsToken: {
        const eq = looseEquals(l, r);
        return isUnknown(eq) ? eq : !eq;
      }
    }
    if (op === SK.PlusToken && (typeof l === 'string' || typeof r === 'string')) {
      const a = toText(l);
      if (isUnknown(a)) return a;
      const b = toText(r);
      if (isUnknown(b)) return b;
      // Doubling a string in a loop is native work too; short strings are not worth counting.
      if (a.length + b.length > 4096) this.fileBudget.charge(a.length + b.length);
      return a + b;
    }
    if (typeof l === 'string' && typeof r === 'string' && op >= SK.LessThanToken && op <= SK.GreaterThanEqualsToken) {
      switch (op) {
        case SK.LessThanToken:
          return l < r;
        case SK.GreaterThanToken:
          return l > r;
        case SK.LessThanEqualsToken:
          return l <= r;
        case SK.GreaterThanEqualsToken:
          return l >= r;
      }
    }
    if (typeof l !== 'number' || typeof r !== 'number') return new UnknownValue(`\`${short(node, this.file)}\` is not numeric`);
    switch (op) {
      case SK.PlusToken:
        return l + r;
      case SK.MinusToken:
        return l - r;
      case SK.AsteriskToken:
        return l * r;
      case SK.SlashToken:
        return l / r;
      case SK.PercentToken:
        return l % r;
      case SK.AsteriskAsteriskToken:
        return l ** r;
      case SK.LessThanToken:
        return l < r;
      case SK.LessThanEqualsToken:
        return l <= r;
      case SK.GreaterThanToken:
        return l > r;
      case SK.GreaterThanEqualsToken:
        return l >= r;
      case SK.LessThanLessThanToken:
        return l << r;
      case SK.GreaterThanGreaterThanToken:
        return l >> r;
      case SK.AmpersandToken:
        return l & r;
      case SK.BarToken:
        return l | r;
      case SK.CaretToken:
        return l ^ r;
      case SK.GreaterThanGreaterThanGreaterThanToken:
        return l >>> r;
    }
    return new UnknownValue(`\`${short(node, this.file)}\` is not evaluated statically`);
  }

  /** `x = v`, `this.fc1 = v`, `[a, b] = v`. Assigning a layer to a field names it. */
  assignTo(target: ts.Expression, v: Value, scope: Scope): void {
    if (isIdentifier(target)) {
      nameValue(v, target.text);
      scope.assign(target.text, v);
    } else if (isPropertyAccessExpression(target)) {
      this.writeProperty(this.eval(target.expression, scope), target.name.text, v, target);
    } else if (isElementAccessExpression(target)) {
      const obj = this.eval(target.expression, scope);
      const key = this.eval(target.argumentExpression, scope);
      if (typeof key === 'string' || typeof key === 'number') this.writeProperty(obj, key, v, target);
      else if (!isUnknown(obj) && mutableKind(obj)) this.unmodelled(target, `the write \`${short(target, this.file)}\` has a key with no static value`);
    } else if (isObjectLiteralExpression(target)) {
      // `({ a, b: c, ...rest } = v)`
      const used: string[] = [];
      for (const p of target.properties) {
        if (isShorthandPropertyAssignment(p)) {
          used.push(p.name.text);
          let item = memberOf(v, p.name.text);
          if (item === undefined && p.objectAssignmentInitializer) item = this.eval(p.objectAssignmentInitializer, scope);
          this.assignTo(p.name, item, scope);
        } else if (isPropertyAssignment(p)) {
          const key = propertyName(p.name, this, scope);
          if (key === undefined) {
            this.unmodelled(p, `the destructuring \`${short(p, this.file)}\` has a key with no static value`);
            continue;
          }
          used.push(key);
          let inner: ts.Expression = p.initializer;
          let item = memberOf(v, key);
          if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === SK.EqualsToken) {
            if (item === undefined) item = this.eval(inner.right, scope);
            inner = inner.left;
          }
          this.assignTo(inner, item, scope);
        } else if (isSpreadAssignment(p)) {
          this.assignTo(p.expression, restOf(v, used), scope);
        }
      }
    } else if (isArrayLiteralExpression(target)) {
      const elements = target.elements;
      for (let i = 0; i < elements.length; i++) {
        const el = elements[i];
        if (!isOmittedExpression(el)) this.assignTo(el as ts.Expression, element(v, i), scope);
      }
    } else if (isParenthesizedExpression(target) || target.kind === SK.NonNullExpression || target.kind === SK.AsExpression) {
      this.assignTo((target as ts.ParenthesizedExpression).expression, v, scope);
    } else {
      this.unmodelled(target, `the assignment to \`${short(target, this.file)}\` is not modelled`);
    }
  }

  /**
   * `obj.key = v` and `obj[key] = v` with a known key: a module registers it, plain objects and
   * lists store it; a write the model could depend on that is not modelled makes it unknown.
   */
  writeProperty(obj: Value, key: string | number, v: Value, at: ts.Node): void {
    if (obj instanceof ModuleInstance) setField(obj, String(key), v);
    else if (setTorchAttribute(this, obj, String(key), v, at)) {
      // a layer's weight tied to another's, a parameter frozen (moduleApi.ts)
    }
    else if (Array.isArray(obj)) {
      const i = typeof key === 'number' ? key : Number(key);
      if (key === 'length' && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= obj.length) obj.length = v;
      else if (Number.isInteger(i) && i >= 0 && i <= obj.length + 1_000) {
        while (obj.length < i) obj.push(undefined); // no holes: the interpreter's lists are dense
        obj[i] = v;
      } else this.unmodelled(at, `the write \`${short(at, this.file)}\` is not modelled`);
    } else if (isPlainObjectValue(obj)) {
      if (key === '__proto__') this.unmodelled(at, 'a write to `__proto__` is not modelled');
      else obj[String(key)] = v;
    } else if (obj instanceof ClassRef) obj.info.statics().set(String(key), v);
    else if (obj === null || obj === undefined) throw new Thrown(`\`${short(at, this.file)}\` writes to ${obj}`);
    else if (obj instanceof ModelLayersView) this.unmodelled(at, `the write \`${short(at, this.file)}\` changes a layer of a tf.model(), which is not modelled`);
    else if (isUnknown(obj) || typeof obj !== 'object') {
      // An unknown object: anything it could alias was already made unknown where it was lost.
      // (Primitives ignore writes.)
    } else if ((obj instanceof SequentialModelValue || obj instanceof FunctionalModelValue) && key === 'trainable' && typeof v === 'boolean') {
      obj.frozen = !v; // read when its totals are counted (tfjsModels.ts)
    } else if (obj instanceof LayerInstance && obj.entry.framework === 'tfjs' && key === 'trainable' && typeof v === 'boolean' && (obj.calls === 0 || v === (obj.trainableFlag ?? obj.args.raw('trainable') ?? true))) {
      obj.trainableFlag = v; // before its first call (so before its weights are counted), or no change
    } else if (obj instanceof LayerInstance && key === 'name') {
      // tfjs names are fixed at construction; the row keeps the name it was made with
    } else this.unmodelled(at, `the write \`${short(at, this.file)}\` is not modelled`);
  }

  /** Binds `const [out, [h, c]] = …`, `const { a, b } = …`, `const x = …`. */
  bindName(name: ts.BindingName, v: Value, scope: Scope): void {
    if (isIdentifier(name)) {
      nameValue(v, name.text);
      scope.declare(name.text, v);
    } else if (isArrayBindingPattern(name)) {
      const elements = name.elements;
      for (let i = 0; i < elements.length; i++) {
        const el = elements[i];
        if (isBindingElement(el)) {
          const item = el.dotDotDotToken ? (Array.isArray(v) ? v.slice(i) : v) : element(v, i);
          this.bindName(el.name, item === undefined && el.initializer ? this.eval(el.initializer, scope) : item, scope);
        }
      }
    } else {
      const elements = name.elements;
      const used: string[] = [];
      for (let i = 0; i < elements.length; i++) {
        const el = elements[i];
        if (el.dotDotDotToken) {
          this.bindName(el.name, restOf(v, used), scope);
          continue;
        }
        const key = el.propertyName ? propertyName(el.propertyName, this, scope) : isIdentifier(el.name) ? el.name.text : undefined;
        if (key === undefined) {
          this.unmodelled(el, `the destructuring \`${short(el, this.file)}\` has a key with no static value`);
          this.bindName(el.name, new UnknownValue(`\`${short(el, this.file)}\` has a key with no static value`), scope);
          continue;
        }
        used.push(key);
        let item: Value = memberOf(v, key);
        if (item === undefined && el.initializer) item = this.eval(el.initializer, scope);
        this.bindName(el.name, item, scope);
      }
    }
  }

  // ---------------------------------------------------------------- statements

  exec(stmts: readonly ts.Statement[], scope: Scope): Completion {
    for (let i = 0; i < stmts.length; i++) {
      const c = this.stmt(stmts[i], scope);
      if (c.kind !== 'normal') return c;
    }
    return NORMAL;
  }

  stmt(s: ts.Statement, scope: Scope): Completion {
    this.tick();
    switch (s.kind) {
      case SK.VariableStatement: {
        const decls = (s as ts.VariableStatement).declarationList.declarations;
        for (let i = 0; i < decls.length; i++) {
          const d = decls[i];
          this.bindName(d.name, d.initializer ? this.eval(d.initializer, scope) : undefined, scope);
        }
        return NORMAL;
      }
      case SK.ExpressionStatement:
        this.eval((s as ts.ExpressionStatement).expression, scope);
        return NORMAL;
      case SK.ReturnStatement: {
        const e = (s as ts.ReturnStatement).expression;
        return { kind: 'return', value: e ? this.eval(e, scope) : undefined };
      }
      case SK.Block:
        return this.exec((s as ts.Block).statements, new Scope(scope));
      case SK.IfStatement:
        return this.ifStatement(s as ts.IfStatement, scope);
      case SK.ForOfStatement:
        return this.forOf(s as ts.ForOfStatement, scope);
      case SK.ForStatement:
        return this.forLoop(s as ts.ForStatement, scope);
      case SK.WhileStatement:
        return this.whileLoop(s as ts.WhileStatement, scope);
      case SK.DoStatement:
        return this.doLoop(s as ts.DoStatement, scope);
      case SK.ForInStatement:
        return this.forIn(s as ts.ForInStatement, scope);
      case SK.SwitchStatement:
        return this.switchStatement(s as ts.SwitchStatement, scope);
      case SK.LabeledStatement:
        return this.labelled(s as ts.LabeledStatement, scope, []);
      case SK.TryStatement:
        return this.tryStatement(s as ts.TryStatement, scope);
      case SK.ThrowStatement: {
        const e = (s as ts.ThrowStatement).expression;
        const v = this.eval(e, scope);
        throw new Thrown(`it throws at \`${short(s, this.file)}\` (${this.file === this.rootFile ? 'line ' : baseName(this.file.path) + ':'}${this.file.lineOfNode(s)})`, v);
      }
      case SK.BreakStatement: {
        const l = (s as ts.BreakStatement).label;
        return l ? { kind: 'break', label: l.text } : BREAK;
      }
      case SK.ContinueStatement: {
        const l = (s as ts.ContinueStatement).label;
        return l ? { kind: 'continue', label: l.text } : CONTINUE;
      }
      case SK.FunctionDeclaration: {
        const f = s as ts.FunctionDeclaration;
        if (f.name) scope.declare(f.name.text, new FunctionValue(f, scope));
        return NORMAL;
      }
      case SK.ClassDeclaration: {
        const c = s as ts.ClassDeclaration;
        const info = c.name ? this.project.classInfo(this.file, c) : undefined;
        if (info && c.name) scope.declare(c.name.text, new ClassRef(info));
        return NORMAL;
      }
      case SK.EmptyStatement:
      case SK.TypeAliasDeclaration:
      case SK.InterfaceDeclaration:
      case SK.ImportDeclaration:
      case SK.ExportDeclaration:
      case SK.DebuggerStatement:
      case SK.MissingDeclaration:
        return NORMAL; // nothing to evaluate
      case SK.EnumDeclaration: {
        const e = s as ts.EnumDeclaration;
        scope.declare(e.name.text, evalEnum(this, e, scope));
        return NORMAL;
      }
      default:
        // `with`, namespaces, `export =` inside a body, …: not modelled, so not silently skipped.
        this.unmodelled(s, `the statement \`${short(s, this.file)}\` is not evaluated statically`);
        return NORMAL;
    }
  }

  /** `outer: for (…)`: the label names the loop for `break outer` / `continue outer`. */
  private labelled(s: ts.LabeledStatement, scope: Scope, labels: string[]): Completion {
    labels.push(s.label.text);
    const body = s.statement;
    let c: Completion;
    switch (body.kind) {
      case SK.LabeledStatement:
        return this.labelled(body as ts.LabeledStatement, scope, labels);
      case SK.ForStatement:
        c = this.forLoop(body as ts.ForStatement, scope, labels);
        break;
      case SK.ForOfStatement:
        c = this.forOf(body as ts.ForOfStatement, scope, labels);
        break;
      case SK.ForInStatement:
        c = this.forIn(body as ts.ForInStatement, scope, labels);
        break;
      case SK.WhileStatement:
        c = this.whileLoop(body as ts.WhileStatement, scope, labels);
        break;
      case SK.DoStatement:
        c = this.doLoop(body as ts.DoStatement, scope, labels);
        break;
      default:
        c = this.stmt(body, scope);
    }
    // `break label` out of a labelled block ends the block.
    return c.kind === 'break' && c.label !== undefined && labels.includes(c.label) ? NORMAL : c;
  }

  /** `switch`: the first case equal (===) to the value, else `default`, then on through fallthrough until `break`. */
  private switchStatement(s: ts.SwitchStatement, scope: Scope): Completion {
    const v = this.eval(s.expression, scope);
    const clauses = s.caseBlock.clauses;
    let start = -1;
    if (!isUnknown(v)) {
      for (let i = 0; i < clauses.length && start < 0; i++) {
        const c = clauses[i];
        if (c.kind !== SK.CaseClause) continue;
        const cv = this.eval(c.expression, scope);
        if (isUnknown(cv)) {
          start = -2;
          break;
        }
        if (cv === v) start = i;
      }
      if (start === -1) start = clauses.findIndex((c) => c.kind === SK.DefaultClause);
      if (start === -1) return NORMAL;
    }
    if (start < 0) {
      // The value (or a case) has no static value: if all but one way through throws (an
      // argument check), that one is the model; otherwise which layers are made is unknown.
      const alive: number[] = [];
      for (let i = 0; i < clauses.length; i++) if (!clauseThrows(clauses, i)) alive.push(i);
      const text = short(s.expression, this.file);
      if (alive.length !== 1) {
        this.report(s.expression, 'warning', `The switch on \`${text}\` has no static value${because(v)}: the summary shows the first case, and whatever depends on it is unknown.`, 'unknown-branch');
        this.controlUnknown ??= `it depends on \`${text}\`, which has no static value${because(v)}`;
        if (alive.length === 0) return NORMAL;
      }
      start = alive[0];
      if (alive.length !== 1) {
        const outer = this.branchCondition;
        this.branchCondition ??= `\`${text}\` matches this case`;
        let c: Completion;
        try {
          c = this.runClauses(clauses, start, scope);
        } finally {
          this.branchCondition = outer;
        }
        if (c.kind === 'normal') this.forgetAssigned(clauses, scope, `it depends on \`${text}\`, which has no static value${because(v)}`);
        return c;
      }
    }
    return this.runClauses(clauses, start, scope);
  }

  private runClauses(clauses: ts.NodeArray<ts.CaseOrDefaultClause>, start: number, scope: Scope): Completion {
    const inner = new Scope(scope);
    for (let i = start; i < clauses.length; i++) {
      const c = this.exec(clauses[i].statements, inner);
      if (c.kind === 'break' && c.label === undefined) return NORMAL;
      if (c.kind !== 'normal') return c;
    }
    return NORMAL;
  }

  /**
   * `try/catch/finally`: a `throw` reached in the try block (here or in a function it calls)
   * runs the catch block; `finally` always runs, and its own break/return wins.
   */
  private tryStatement(t: ts.TryStatement, scope: Scope): Completion {
    let c: Completion = NORMAL;
    let pending: Thrown | undefined;
    try {
      c = this.exec(t.tryBlock.statements, new Scope(scope));
    } catch (e) {
      if (!(e instanceof Thrown)) throw e;
      pending = e;
    }
    if (pending && t.catchClause) {
      const inner = new Scope(scope);
      const decl = t.catchClause.variableDeclaration;
      if (decl) this.bindName(decl.name, pending.value, inner);
      pending = undefined;
      try {
        c = this.exec(t.catchClause.block.statements, inner);
      } catch (e) {
        if (!(e instanceof Thrown) || !t.finallyBlock) throw e;
        pending = e;
      }
    }
    if (t.finallyBlock) {
      const f = this.exec(t.finallyBlock.statements, new Scope(scope));
      if (f.kind !== 'normal') return f;
    }
    if (pending) throw pending;
    return c;
  }

  private ifStatement(s: ts.IfStatement, scope: Scope): Completion {
    const cond = this.eval(s.expression, scope);
    if (isUnknown(cond)) {
      // An argument check (`if (n <= 0) throw …`): the branch that throws is the failure path,
      // and the model is the one where the check passes.
      if (alwaysThrows(s.thenStatement)) return s.elseStatement ? this.stmt(s.elseStatement, scope) : NORMAL;
      if (alwaysThrows(s.elseStatement)) return this.stmt(s.thenStatement, scope);
      // Either branch could run. The summary shows the `then` branch, so that the model's shape
      // is still visible, but marks what it recorded there and reports the totals as unknown.
      const text = short(s.expression, this.file);
      this.report(s.expression, 'warning', `The condition \`${text}\` has no static value${because(cond)}: the summary shows the layers where it is true, and whatever depends on it is unknown.`, 'unknown-branch');
      this.controlUnknown ??= `it depends on \`${text}\`, which has no static value${because(cond)}`;
      const outer = this.branchCondition;
      this.branchCondition ??= `\`${text}\``;
      let c: Completion;
      try {
        c = this.stmt(s.thenStatement, scope);
      } finally {
        this.branchCondition = outer;
      }
      // The `then` branch ran as if the condition held: what either branch assigns may hold other values after it.
      if (c.kind === 'normal') this.forgetAssigned([s.thenStatement, s.elseStatement], scope, `it depends on \`${text}\`, which has no static value${because(cond)}`);
      return c;
    }
    if (truthy(cond)) return this.stmt(s.thenStatement, scope);
    return s.elseStatement ? this.stmt(s.elseStatement, scope) : NORMAL;
  }

  /**
   * After a branch or loop that could not be decided, the names its code assigns (declared
   * outside it) may hold values other than the ones the interpreter saw: they become unknown, so
   * that a later layer's input shape, a length or a check is not decided from one guessed path.
   */
  private forgetAssigned(nodes: readonly (ts.Node | undefined)[], scope: Scope, why: string): void {
    for (const name of assignedNames(nodes)) if (scope.has(name)) scope.assign(name, new UnknownValue(why));
  }

  private forOf(s: ts.ForOfStatement, scope: Scope, labels?: string[]): Completion {
    const iterable = this.eval(s.expression, scope);
    const items = iterableItems(iterable);
    // A loop that only reads a tf.model()'s layers (printing them) changes nothing (layersView.ts).
    if (!items && iterable instanceof ModelLayersView && readOnlyCode(s.statement)) return NORMAL;
    if (!items) {
      const text = short(s.expression, this.file);
      this.report(s.expression, 'warning', `Cannot iterate \`${text}\` statically; the loop is skipped, and whatever it would build is unknown.`, 'unknown-value');
      this.controlUnknown ??= `the loop over \`${text}\` could not be followed statically`;
      this.forgetAssigned([s.initializer, s.statement], scope, `the loop over \`${text}\` could not be followed statically`);
      return NORMAL;
    }
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      const inner = new Scope(scope);
      const init = s.initializer;
      if (isVariableDeclarationList(init)) this.bindName(init.declarations[0].name, item, inner);
      else this.assignTo(init, item, scope);
      const next = afterBody(this.stmt(s.statement, inner), labels);
      if (next === 'stop') break;
      if (next !== 'next') return next;
    }
    return NORMAL;
  }

  /** `for (const k in obj)`: a plain object's own keys, a list's indices (as strings, as in JavaScript). */
  private forIn(s: ts.ForInStatement, scope: Scope, labels?: string[]): Completion {
    const obj = this.eval(s.expression, scope);
    let keys: string[] | undefined;
    if (isPlainObjectValue(obj)) keys = Object.keys(obj);
    else if (Array.isArray(obj)) keys = obj.map((_, i) => String(i));
    else if (obj === null || obj === undefined) keys = [];
    if (!keys) {
      const text = short(s.expression, this.file);
      this.report(s.expression, 'warning', `Cannot list the keys of \`${text}\` statically; the loop is skipped, and whatever it would build is unknown.`, 'unknown-value');
      this.controlUnknown ??= `the loop over the keys of \`${text}\` could not be followed statically`;
      this.forgetAssigned([s.initializer, s.statement], scope, `the loop over the keys of \`${text}\` could not be followed statically`);
      return NORMAL;
    }
    for (const key of keys) {
      const inner = new Scope(scope);
      const init = s.initializer;
      if (isVariableDeclarationList(init)) this.bindName(init.declarations[0].name, key, inner);
      else this.assignTo(init, key, scope);
      const next = afterBody(this.stmt(s.statement, inner), labels);
      if (next === 'stop') break;
      if (next !== 'next') return next;
    }
    return NORMAL;
  }

  private forLoop(s: ts.ForStatement, scope: Scope, labels?: string[]): Completion {
    const inner = new Scope(scope);
    if (s.initializer) {
      if (isVariableDeclarationList(s.initializer)) {
        const decls = s.initializer.declarations;
        for (let k = 0; k < decls.length; k++) {
          const d = decls[k];
          this.bindName(d.name, d.initializer ? this.eval(d.initializer, inner) : undefined, inner);
        }
      } else this.eval(s.initializer, inner);
    }
    for (let i = 0; ; i++) {
      if (s.condition) {
        const c = this.eval(s.condition, inner);
        if (isUnknown(c)) {
          const text = short(s.condition, this.file);
          this.report(s.condition, 'warning', `The loop bound \`${text}\` has no static value; the loop is skipped, and whatever it would build is unknown.`, 'unknown-value');
          this.controlUnknown ??= `the loop bound \`${text}\` has no static value`;
          this.forgetAssigned([s.condition, s.statement, s.incrementor], inner, `the loop bound \`${text}\` has no static value`);
          return NORMAL;
        }
        if (!truthy(c)) break;
      }
      if (i >= MAX_LOOP_ITERATIONS) {
        this.report(s, 'warning', `Loop stopped after ${MAX_LOOP_ITERATIONS} iterations.`, 'budget');
        this.controlUnknown ??= `a loop was stopped after ${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`;
        this.forgetAssigned([s.condition, s.statement, s.incrementor], inner, `a loop was stopped after ${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`);
        break;
      }
      const next = afterBody(this.stmt(s.statement, new Scope(inner)), labels);
      if (next === 'stop') break;
      if (next !== 'next') return next;
      if (s.incrementor) this.eval(s.incrementor, inner);
    }
    return NORMAL;
  }

  private doLoop(s: ts.DoStatement, scope: Scope, labels?: string[]): Completion {
    const first = afterBody(this.stmt(s.statement, new Scope(scope)), labels);
    if (first === 'stop') return NORMAL;
    if (first !== 'next') return first;
    return this.whileLoop(s, scope, labels);
  }

  private whileLoop(s: ts.WhileStatement | ts.DoStatement, scope: Scope, labels?: string[]): Completion {
    for (let i = 0; ; i++) {
      const c = this.eval(s.expression, scope);
      if (isUnknown(c)) {
        const text = short(s.expression, this.file);
        this.report(s.expression, 'warning', `The loop condition \`${text}\` has no static value; the loop is skipped, and whatever it would build is unknown.`, 'unknown-value');
        this.controlUnknown ??= `the loop condition \`${text}\` has no static value`;
        this.forgetAssigned([s.expression, s.statement], scope, `the loop condition \`${text}\` has no static value`);
        return NORMAL;
      }
      if (!truthy(c)) return NORMAL;
      if (i >= MAX_LOOP_ITERATIONS) {
        this.report(s, 'warning', `This loop did not end within ${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations; the summary shows the model as it stood then, and its totals are unknown.`, 'budget');
        this.controlUnknown ??= `a loop did not end within ${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`;
        this.forgetAssigned([s.expression, s.statement], scope, `a loop did not end within ${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`);
        return NORMAL;
      }
      const next = afterBody(this.stmt(s.statement, new Scope(scope)), labels);
      if (next === 'stop') break;
      if (next !== 'next') return next;
    }
    return NORMAL;
  }

  // ---------------------------------------------------------------- functions

  /** Calls a function or method body with bound parameters; returns its return value. */
  invoke(fn: FunctionValue, args: Value[], self?: Value): Value {
    if (this.callDepth >= MAX_CALL_DEPTH) {
      const name = fn.node.name && isIdentifier(fn.node.name) ? fn.node.name.text : 'this function';
      this.report(fn.node.name ?? fn.node, 'error', `${name}() recurses more than ${MAX_CALL_DEPTH} calls deep without a static end: its result is unknown.`, 'recursion');
      return new UnknownValue(`${name}() recurses without a static end`);
    }
    if (fn.node.asteriskToken) {
      // A generator's body runs as it is iterated, not when it is called: not modelled.
      const what = 'a generator function is not evaluated statically';
      for (const v of [self, ...args]) {
        if (mutableKind(v as Value)) {
          this.unmodelled(fn.node, `${what}, and it receives ${mutableKind(v as Value)}`);
          break;
        }
      }
      if (self === undefined && fn.self !== undefined && mutableKind(fn.self as Value)) this.unmodelled(fn.node, `${what}, and it can reach ${mutableKind(fn.self as Value)}`);
      return new UnknownValue(what);
    }
    this.callDepth++;
    try {
      const scope = new Scope(fn.closure as Scope);
      const thisValue = self !== undefined ? self : fn.self;
      if (thisValue !== undefined && thisValue !== NOT_FOUND) scope.self = thisValue as Value;
      scope.home = fn.home; // where `super.m()` resolves
      this.bindParameters(fn.node.parameters, args, scope);
      const body = fn.node.body;
      if (!body) return new UnknownValue('function has no body');
      if (!isBlock(body)) return this.eval(body, scope);
      const c = this.exec(body.statements, scope);
      return c.kind === 'return' ? c.value : undefined;
    } finally {
      this.callDepth--;
    }
  }

  /** Binds parameters: given argument, else its default, else unknown ("hiddenSize has no value"). */
  bindParameters(params: readonly ts.ParameterDeclaration[], args: Value[], scope: Scope): void {
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      let v: Value = p.dotDotDotToken ? args.slice(i) : args[i];
      if (v === undefined && p.initializer) v = this.eval(p.initializer, scope);
      if (v === undefined && !p.questionToken && isIdentifier(p.name)) v = new UnknownValue(`${p.name.text} has no value`);
      this.bindName(p.name, v, scope);
    }
  }
}

// ------------------------------------------------------------------ expression handlers
// The kinds `eval` does not handle in its switch.

type EvalHandler = (i: Interp, node: never, scope: Scope) => Value;
const EVAL: (EvalHandler | undefined)[] = [];
function on<T extends ts.Node>(kinds: ts.SyntaxKind[], h: (i: Interp, node: T, scope: Scope) => Value): void {
  for (const k of kinds) EVAL[k] = h as EvalHandler;
}

on<ts.NoSubstitutionTemplateLiteral>([SK.NoSubstitutionTemplateLiteral], (_, n) => n.text);
on([SK.TrueKeyword], () => true);
on([SK.FalseKeyword], () => false);
on([SK.NullKeyword], () => null);
on([SK.VoidExpression], () => undefined);
on<ts.ParenthesizedExpression>(
  [SK.ParenthesizedExpression, SK.NonNullExpression, SK.TypeAssertionExpression, SK.SatisfiesExpression, SK.AwaitExpression],
  (i, n, scope) => i.eval(n.expression, scope),
);
on<ts.ElementAccessExpression>([SK.ElementAccessExpression], (i, n, scope) => {
  if ((n.flags & OPTIONAL_CHAIN) !== 0) return i.chain(n, scope);
  return elementOf(i, n, i.eval(n.expression, scope), scope);
});
export function elementOf(i: Interp, n: ts.ElementAccessExpression, obj: Value, scope: Scope): Value {
  const key = i.eval(n.argumentExpression, scope);
  if (isUnknown(key)) return key;
  if (obj instanceof SymTensor && typeof key === 'number') return getProperty(i, obj, '__index__' + key, n);
  if (typeof key !== 'string' && typeof key !== 'number') return new UnknownValue(`\`${short(n, i.file)}\`: the key is not a string or number`);
  return getProperty(i, obj, String(key), n);
}
on<ts.PrefixUnaryExpression>([SK.PrefixUnaryExpression], (i, n, scope) => i.prefix(n, scope));
on<ts.ConditionalExpression>([SK.ConditionalExpression], (i, n, scope) => {
  const cond = i.eval(n.condition, scope);
  if (isUnknown(cond)) return new UnknownValue(`the condition \`${short(n.condition, i.file)}\` has no static value`);
  return i.eval(truthy(cond) ? n.whenTrue : n.whenFalse, scope);
});
on<ts.TemplateExpression>([SK.TemplateExpression], (i, n, scope) => {
  let s = n.head.text;
  const spans = n.templateSpans;
  for (let k = 0; k < spans.length; k++) {
    const span = spans[k];
    const v = toText(i.eval(span.expression, scope));
    if (isUnknown(v)) return v;
    s += v + span.literal.text;
  }
  return s;
});
on<ts.ArrowFunction>([SK.ArrowFunction, SK.FunctionExpression], (_, n, scope) => new FunctionValue(n, scope, scope.thisValue()));
on<ts.PostfixUnaryExpression>([SK.PostfixUnaryExpression], (i, n, scope) => {
  const before = i.eval(n.operand, scope);
  if (typeof before === 'number') i.assignTo(n.operand, n.operator === SK.PlusPlusToken ? before + 1 : before - 1, scope);
  else {
    const u = isUnknown(before) ? before : new UnknownValue(`\`${short(n, i.file)}\` is not a number`);
    i.assignTo(n.operand, u, scope);
    return u;
  }
  return before;
});
on<ts.TypeOfExpression>([SK.TypeOfExpression], (i, n, scope) => {
  // `typeof undeclared` is 'undefined' in JavaScript, not an error.
  if (isIdentifier(n.expression) && !scope.has(n.expression.text) && !GLOBAL_NAMESPACES.has(n.expression.text)) return 'undefined';
  return typeOf(i.eval(n.expression, scope));
});
on<ts.ClassExpression>([SK.ClassExpression], (i, n, scope) => new ClassRef(i.project.classInfo(i.file, n, scope)));
on<ts.DeleteExpression>([SK.DeleteExpression], (i, n, scope) => {
  const target = n.expression;
  if (isPropertyAccessExpression(target) || isElementAccessExpression(target)) {
    const obj = i.eval(target.expression, scope);
    const key = isPropertyAccessExpression(target) ? target.name.text : i.eval(target.argumentExpression, scope);
    if (isPlainObjectValue(obj) && (typeof key === 'string' || typeof key === 'number')) return delete obj[String(key)];
    if (isUnknown(obj)) return obj;
  }
  i.unmodelled(n, `\`${short(n, i.file)}\` is not modelled`);
  return new UnknownValue(`\`${short(n, i.file)}\` is not modelled`);
});

// ------------------------------------------------------------------ helpers

const OPTIONAL_CHAIN = ts.NodeFlags.OptionalChain;
/** What an optional chain (`a?.b.c`) evaluates to inside, once a `?.` met null or undefined. */
export const SHORT = new UnknownValue('an optional chain stopped early');

type ChainLink = ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression;
function isChainLink(n: ts.Node): n is ChainLink {
  return (n.flags & OPTIONAL_CHAIN) !== 0 && (n.kind === SK.PropertyAccessExpression || n.kind === SK.ElementAccessExpression || n.kind === SK.CallExpression);
}

/** Whether a switch entered at clause `i` always ends in a throw (before any break). */
function clauseThrows(clauses: ts.NodeArray<ts.CaseOrDefaultClause>, i: number): boolean {
  for (let k = i; k < clauses.length; k++) {
    const stmts = clauses[k].statements;
    for (const st of stmts) {
      if (alwaysThrows(st)) return true;
      if (st.kind !== SK.ExpressionStatement && st.kind !== SK.VariableStatement && st.kind !== SK.EmptyStatement) return false;
    }
  }
  return false;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

export function truthy(v: Value): boolean {
  if (v instanceof UnknownValue) return false;
  return !!v;
}

function element(v: Value, i: number): Value {
  if (Array.isArray(v)) return v[i];
  if (isUnknown(v)) return v;
  // A layer whose outputs are unknown (`const [out, h] = rnn(x)` after a shape error) gives one
  // unknown tensor: its parts are unknown for the same reason, not for "not a list".
  if (v instanceof SymTensor && v.shape === null) return v;
  return new UnknownValue('not a list');
}

function iterableItems(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof LayerInstance && v.entry.container) {
    const items = v.args.raw('modules');
    return Array.isArray(items) ? (items as Value[]) : undefined;
  }
  if (v instanceof ModuleInstance) return iterateModule(v);
  return undefined;
}

/** Gives a layer or module the name it is assigned to, unless it already has one. */
export function nameValue(v: Value, name: string): void {
  if ((v instanceof LayerInstance || v instanceof UnknownLayer || v instanceof ModuleInstance) && v.userName === undefined) v.userName = name;
  else if (v && typeof v === 'object' && 'userName' in v && (v as { userName?: string }).userName === undefined) (v as { userName?: string }).userName = name;
}

function compoundBase(op: ts.SyntaxKind): ts.SyntaxKind | undefined {
  switch (op) {
    case SK.PercentEqualsToken:
      return SK.PercentToken;
    case SK.AsteriskAsteriskEqualsToken:
      return SK.AsteriskAsteriskToken;
    case SK.LessThanLessThanEqualsToken:
      return SK.LessThanLessThanToken;
    case SK.GreaterThanGreaterThanEqualsToken:
      return SK.GreaterThanGreaterThanToken;
    case SK.GreaterThanGreaterThanGreaterThanEqualsToken:
      return SK.GreaterThanGreaterThanGreaterThanToken;
    case SK.AmpersandEqualsToken:
      return SK.AmpersandToken;
    case SK.BarEqualsToken:
      return SK.BarToken;
    case SK.CaretEqualsToken:
      return SK.CaretToken;
    case SK.PlusEqualsToken:
      return SK.PlusToken;
    case SK.MinusEqualsToken:
      return SK.MinusToken;
    case SK.AsteriskEqualsToken:
      return SK.AsteriskToken;
    case SK.SlashEqualsToken:
      return SK.SlashToken;
  }
  return undefined;
}

function propertyName(name: ts.PropertyName, interp: Interp, scope: Scope): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  if (isComputedPropertyName(name)) {
    const v = interp.eval(name.expression, scope);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
  return undefined;
}

/** A short quote of source text for messages. */
export function short(node: ts.Node, file: SourceInfo): string {
  const t = file.text.slice(file.start(node), node.end).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/**
 * Why a value a branch depends on is unknown, when its reason comes from its call sites (` (kind
 * gets different values at the 2 call sites of build: …)`): the place to look. Other reasons are
 * already said where the value was made.
 */
function because(v: Value): string {
  return isUnknown(v) && / call sites? of /.test(v.reason) ? ` (${v.reason})` : '';
}
