// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isArrowFunction, isClassDeclaration, isFunctionDeclaration, isFunctionExpression, isIdentifier, isImportDeclaration, isMethodDeclaration, isVariableStatement } = ts;
import type { Shape } from '../shape';
import { type Diagnostic, type LayerRow, type ModelSummary, Row } from '../summary';
import { Unknowable, isUnknown } from '../unknown';
import { BudgetExceeded, Interp } from '../lang/ts/interp';
import { Thrown } from '../lang/ts/soundness';
import { Recorder } from './recorder';
import { Scope } from '../lang/ts/scope';
import { hasModifier } from '../lang/ts/modifiers';
import { instantiateClass } from '../lang/ts/classes';
import { builderArguments, constructorArguments } from '../lang/ts/callSites';
import { applySequential } from './tfjsNested';
import { buildSummary } from './summarize';
import { validInputShape } from './sanity';
import { outOfSteps, rethrowBudget, stoppedAfter } from './budget';
import { flattenTensors, outputShapes } from './torchModel';
import { ClassInfo, FunctionValue, FunctionalModelValue, LayerInstance, SequentialModelValue, SymTensor, Value } from './values';
import type { SourceInfo } from '../lang/ts/source';
import { emptyArray, emptySet } from '../release';

/**
 * Where a tfjs model is built: the code ModelLens runs (statically) to find its layers. A class,
 * not object literals: it points into the syntax tree (see `Site` on why that matters).
 */
class Builder {
  private constructor(
    readonly kind: 'function' | 'method' | 'class' | 'top',
    readonly name: string,
    /** The builder's extent: which models it made, and where a one-model builder's model is. */
    readonly span: ts.Node,
    /** 'function': the function to run. */
    readonly fn?: ts.FunctionLikeDeclaration,
    /** 'method' and 'class': the class to instantiate. */
    readonly cls?: ClassInfo,
    /** 'method': the method to run on the instance. */
    readonly method?: ts.MethodDeclaration,
  ) {}

  static fn(fn: ts.FunctionLikeDeclaration, name: string, span: ts.Node): Builder {
    return new Builder('function', name, span, fn);
  }
  static method(cls: ClassInfo, method: ts.MethodDeclaration): Builder {
    return new Builder('method', cls.name, method, undefined, cls, method);
  }
  static cls(cls: ClassInfo, span: ts.Node): Builder {
    return new Builder('class', cls.name, span, undefined, cls);
  }
  static top(span: ts.Node): Builder {
    return new Builder('top', 'model', span);
  }
}

/** Where the text calls `sequential(` or `model(`: the places tfjs models are made. */
export function modelCalls(text: string): number[] {
  // One regular expression over the text: faster than an indexOf loop per word (measured).
  const found: number[] = [];
  MODEL_CALL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MODEL_CALL.exec(text))) found.push(m.index);
  // `import { sequential as seq }`: calls of the local name make models too.
  ALIAS.lastIndex = 0;
  const aliases = new Set<string>();
  while ((m = ALIAS.exec(text)) && aliases.size < 8) aliases.add(m[1]);
  for (const a of aliases) {
    const call = new RegExp(`(?<![\\w$.])${a.replace(/\$/g, '\\$')}\\s*\\(`, 'g');
    while ((m = call.exec(text))) found.push(m.index);
  }
  if (aliases.size) found.sort((x, y) => x - y);
  return found;
}

const ALIAS = /\b(?:sequential|model)\s+as\s+([A-Za-z_$][\w$]*)/g;

const MODEL_CALL = /\b(sequential|model)\s*\(/g;

function functionName(s: ts.Statement): string | undefined {
  return isFunctionDeclaration(s) && s.name ? s.name.text : undefined;
}

/** Finds the builder that contains `pos`: a top-level function, a class member, an exported arrow, or the file itself. */
function builderAt(interp: Interp, src: SourceInfo, pos: number, scope: Scope): Builder | undefined {
  // Top-level statements are ordered and disjoint: binary search, not a scan per match.
  const stmts = src.sf.statements;
  let lo = 0;
  let hi = stmts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stmts[mid].end <= pos) lo = mid + 1;
    else hi = mid;
  }
  for (const s of stmts.length ? [stmts[lo]] : []) {
    if (pos < s.pos || pos >= s.end) continue;
    if (isFunctionDeclaration(s) && s.body) return Builder.fn(s, functionName(s) ?? 'model', s);
    if (isClassDeclaration(s)) {
      const cls = interp.project.classInfo(src, s, scope);
      if (cls.kind !== 'plain') return undefined; // torch modules and custom tfjs layers are not builders
      const member = s.members.find((m) => pos >= m.pos && pos < m.end);
      if (member && isMethodDeclaration(member) && member.body && !isStaticMember(member)) {
        return Builder.method(cls, member);
      }
      if (member && isMethodDeclaration(member) && member.body) {
        return Builder.fn(member, cls.name, member);
      }
      return Builder.cls(cls, s);
    }
    if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (init && (isArrowFunction(init) || isFunctionExpression(init)) && pos >= init.pos && pos < init.end && isIdentifier(d.name)) {
          return Builder.fn(init, d.name.text, init);
        }
        // `export const model = (() => { … })()`: the function called in place builds it.
        const iife = init && ts.isCallExpression(init) && init.arguments.length === 0 ? skipParens(init.expression) : undefined;
        if (iife && (isArrowFunction(iife) || isFunctionExpression(iife)) && pos >= iife.pos && pos < iife.end && isIdentifier(d.name)) {
          return Builder.fn(iife, d.name.text, iife);
        }
      }
    }
    return Builder.top(src.sf);
  }
  return undefined;
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function isStaticMember(m: ts.ClassElement): boolean {
  return hasModifier(m, SK.StaticKeyword);
}

/** Every tfjs model in the file: finds `sequential(`/`model(` calls by text, then runs their builders. */
export function analyzeTfjsModels(interp: Interp, src: SourceInfo, scope: Scope, inputOverride: Shape[] | undefined): { models: ModelSummary[]; diagnostics: Diagnostic[] } {
  const builders: Builder[] = [];
  const seenSpans = new Set<ts.Node>();
  const calls = modelCalls(src.text);
  for (let i = 0; i < calls.length; i++) {
    const b = builderAt(interp, src, calls[i], scope);
    if (b && !seenSpans.has(b.span)) {
      seenSpans.add(b.span);
      builders.push(b);
    }
  }
  // Functions first: a model built in a function is named after it, not after a top-level caller.
  builders.sort((a, b) => (a.kind === 'top' ? 1 : 0) - (b.kind === 'top' ? 1 : 0));
  const done = new Set<ts.Node>();
  const out: ModelSummary[] = [];
  const fileDiagnostics: Diagnostic[] = [];
  for (const b of builders) runBuilder(interp, src, scope, b, done, inputOverride, fileDiagnostics, out);
  // They point at the builders' functions in the tree: see release.ts.
  emptyArray(builders);
  emptySet(seenSpans);
  emptySet(done);
  return { models: out, diagnostics: fileDiagnostics };
}

/** Runs one builder and adds the summaries of the models it made to `out`. */
function runBuilder(interp: Interp, src: SourceInfo, scope: Scope, b: Builder, done: Set<ts.Node>, inputOverride: Shape[] | undefined, fileDiagnostics: Diagnostic[], out: ModelSummary[]): void {
  const diagnostics: Diagnostic[] = [];
  interp.diagnostics = diagnostics;
  interp.steps = 0;
  interp.controlUnknown = undefined;
  // tfjs numbers layers per process; a fresh builder run starts at 1, like a fresh script. (Counts
  // set to 0 rather than `clear()`, which replaces the map's table every time.)
  for (const k of interp.tfjsUid.keys()) interp.tfjsUid.set(k, 0);
  const rec = new Recorder(interp, 'tfjs', src);
  interp.recorder = rec;
  const models: (SequentialModelValue | FunctionalModelValue)[] = [];
  interp.project.modelSink = models;
  /** What a builder function returned: among several models it made, the one it returns is named after it. */
  let returned: Value = undefined;
  try {
    // Parameters without defaults get their values from the call sites in the file (callSites.ts).
    if (b.fn) returned = interp.invoke(new FunctionValue(b.fn, scope), builderArguments(interp, src, scope, b.fn, b.name));
    else if (b.cls && b.method) {
      const self = instantiateClass(interp, b.cls, constructorArguments(interp, b.cls), b.cls.node);
      // A constructor that builds the model (`this.model = this.createModel(numActions)`) ran the method with its arguments already.
      const method = b.method;
      if (!models.some((mv) => mv.node.pos >= method.pos && mv.node.end <= method.end)) {
        interp.invoke(new FunctionValue(method, scope, self), builderArguments(interp, src, scope, method, method.name.getText(src.sf)), self);
      }
    } else if (b.cls) instantiateClass(interp, b.cls, constructorArguments(interp, b.cls), b.cls.node);
    else {
      const top = new Scope(scope);
      for (const s of src.sf.statements) {
        if (isFunctionDeclaration(s) || isClassDeclaration(s) || isImportDeclaration(s)) continue;
        interp.stmt(s, top);
      }
    }
  } catch (e) {
    if (e instanceof Thrown) {
      // The builder fails here in JavaScript: the models it made so far are not what it returns.
      const start = src.start(b.span);
      diagnostics.push({ line: src.lineOf(start), severity: 'warning', message: `${b.name}: ${e.reason}, so its models' layers and totals are unknown.`, start, end: b.span.end, code: 'unmodelled' });
      interp.controlUnknown ??= e.reason;
    } else {
      if (!(e instanceof BudgetExceeded)) throw e;
      diagnostics.push(outOfSteps(src, b.span, b.name, interp.budget, e));
      interp.controlUnknown ??= stoppedAfter(interp.budget, e);
    }
  } finally {
    interp.project.modelSink = undefined;
  }
  // A builder is construction and forward pass in one: a path it could not decide leaves both the
  // layers (totals) and the output shapes unknown.
  const uncertain = interp.controlUnknown;
  interp.controlUnknown = undefined;
  // The models made here (not by a function it called, which is a builder of its own): usually
  // all of them, and then no second list.
  const here = (mv: SequentialModelValue | FunctionalModelValue) => !done.has(mv.node) && (b.kind === 'top' || (mv.node.pos >= b.span.pos && mv.node.end <= b.span.end));
  // One model per place that makes it: a builder method the constructor calls twice (online and
  // target networks) is one model, the first one made.
  let mine = models;
  if (!models.every((mv, i) => here(mv) && !models.some((o, k) => k < i && o.node === mv.node))) {
    mine = [];
    for (const mv of models) if (here(mv) && !mine.some((o) => o.node === mv.node)) mine.push(mv);
  }
  const before = out.length;
  for (const mv of mine) {
    done.add(mv.node);
    const name = mv.configName ?? ((mine.length === 1 && b.kind !== 'top') || mv === returned ? b.name : mv.userName ?? `model@${mv.line}`);
    // A class or function that builds one model is the model's place in the editor.
    const anchor: ts.Node = mine.length === 1 && b.kind !== 'top' ? (b.kind === 'method' ? b.cls!.node : b.span) : mv.node;
    // Each model gets its own copy of what the builder reported (finishing one adds to its list).
    const diags = mine.length === 1 ? diagnostics : copyDiagnostics(diagnostics);
    try {
      out.push(
        mv instanceof SequentialModelValue
          ? finishSequential(interp, src, mv, name, anchor, diags, inputOverride, uncertain, rec.rows.length === 0 && rec.inputs.length === 0 && mine.length === 1 ? rec : undefined)
          : finishFunctional(interp, src, rec, mv, name, anchor, diags, uncertain, mine.length === 1),
      );
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      diagnostics.push(outOfSteps(src, anchor, name, interp.budget, e));
    }
  }
  interp.recorder = undefined;
  // A builder stopped before it made its model must not vanish silently.
  if (out.length === before) for (const d of diagnostics) if (d.code === 'budget') fileDiagnostics.push(d);
}

function copyDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = new Array(ds.length);
  for (let i = 0; i < ds.length; i++) out[i] = { ...ds[i] };
  return out;
}

export function firstLayerInput(first: Value): { shape: Shape | null; source: string; reason?: string } {
  if (first instanceof SequentialModelValue) return firstLayerInput(first.layers[0]); // a model added as the first layer
  if (first instanceof LayerInstance) {
    const a = first.args;
    try {
      if (a.has('batchInputShape')) return { shape: a.dimList('batchInputShape'), source: 'batchInputShape' };
      if (a.has('inputShape')) {
        const batch = a.has('batchSize') ? a.num('batchSize') : null;
        return { shape: [batch, ...a.dimList('inputShape')], source: 'inputShape' };
      }
      if (a.has('inputDim')) {
        // Dense/Embedding accept `inputDim` as shorthand for inputShape [inputDim] (Embedding: [inputLength]).
        if (first.entry.type === 'Dense') return { shape: [null, a.num('inputDim')], source: 'inputDim' };
        if (first.entry.type === 'Embedding') return { shape: [null, a.has('inputLength') ? a.num('inputLength') : null], source: 'inputLength' };
      }
    } catch (e) {
      rethrowBudget(e);
      // The input shape is written but has no static value (`inputShape: [inputSize]`): say why.
      return { shape: null, source: 'none', reason: e instanceof Unknowable ? `the input shape is unknown: ${e.reason}` : undefined };
    }
  }
  return { shape: null, source: 'none' };
}

/** `unused`: the builder's recorder when it recorded nothing, so that its rows can be this model's. */
export function finishSequential(interp: Interp, src: SourceInfo, mv: SequentialModelValue, name: string, anchor: ts.Node, diagnostics: Diagnostic[], inputOverride: Shape[] | undefined, uncertain: string | undefined, unused?: Recorder): ModelSummary {
  interp.diagnostics = diagnostics;
  const rec = unused ?? new Recorder(interp, 'tfjs', src);
  interp.recorder = rec;
  let layers = mv.layers;
  let { shape, source, reason: inputReason } = firstLayerInput(layers[0]);
  if (layers[0] instanceof LayerInstance && layers[0].entry.type === 'InputLayer') layers = layers.slice(1); // tfjs hides it in Sequential
  if (inputOverride) {
    shape = inputOverride[0];
    source = 'cli';
  }
  if (shape && !validInputShape(shape)) {
    const at = layers[0] instanceof LayerInstance ? layers[0].node : mv.node;
    interp.report(at, 'error', `The input shape [${shape.join(', ')}] has a negative or fractional size; tfjs requires positive integers.`, 'bad-input-shape');
    shape = null;
  } else if (!shape && !inputReason) {
    const at = layers[0] instanceof LayerInstance ? layers[0].node : mv.node;
    interp.report(at, 'warning', 'The first layer has no inputShape (or batchInputShape): tfjs cannot build this model, and its sizes are unknown.', 'bad-input-shape');
  }
  let x: Value = rec.addInput(shape, 'input', 'float32', undefined, inputReason);
  for (const l of layers) {
    if (l instanceof LayerInstance || (l && typeof l === 'object' && 'typeName' in l)) x = rec.call(l as LayerInstance, [x], mv.node);
    else if (l instanceof SequentialModelValue && l !== mv) x = applySequential(interp, l, [x], mv.node); // a model is a layer too
    else {
      // Whatever it is, it could hold weights: the totals are not the sum of the layers seen.
      const why = isUnknown(l) ? l.reason : 'it is not a layer ModelLens can follow';
      uncertain ??= `a layer added to the model has no static value (${why})`;
      x = new SymTensor(null, -1, why);
    }
  }
  interp.recorder = undefined;
  const totals = frozenIf(mv, countBuilt(rec, rec.rows), rec.rows);
  const start = src.start(anchor);
  return buildSummary({
    name,
    framework: 'tfjs',
    kind: 'tfjs-sequential',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: anchor.end,
    inputShapes: [shape],
    inputShapeSource: source,
    outputs: outputShapes(x),
    rows: rec.rows,
    trainable: totals.trainable,
    nonTrainable: totals.nonTrainable,
    totalsUnknownReason: uncertain,
    outputUnknownReason: uncertain,
    diagnostics,
  });
}

/** Why a model's inputs/outputs value holds something other than tensors (undefined: all tensors). */
function notTensor(v: Value, depth = 0): string | undefined {
  if (v instanceof SymTensor) return undefined;
  if (Array.isArray(v) && depth < 8) {
    for (const x of v) {
      const why = notTensor(x, depth + 1);
      if (why !== undefined) return why;
    }
    return v.length === 0 ? 'an empty list' : undefined;
  }
  if (isUnknown(v)) return v.reason;
  return 'not a tensor ModelLens can follow';
}

/** `model.trainable = false`: tfjs marks every weight of every layer non-trainable (Container's setter). */
function frozenIf(mv: SequentialModelValue | FunctionalModelValue, totals: { trainable: number | null; nonTrainable: number | null }, rows: LayerRow[]): { trainable: number | null; nonTrainable: number | null } {
  if (!mv.frozen) return totals;
  for (const r of rows) {
    if (r.op || r.trainableParams === 0) continue;
    r.nonTrainableParams = r.trainableParams === null || r.nonTrainableParams === null ? null : r.nonTrainableParams + r.trainableParams;
    r.trainableParams = r.trainableParams === null ? null : 0;
  }
  return { trainable: totals.trainable === null ? null : 0, nonTrainable: totals.trainable === null || totals.nonTrainable === null ? null : totals.trainable + totals.nonTrainable };
}

/** tfjs counts each layer's weights once, however often it is applied. */
function countBuilt(rec: Recorder, rows: LayerRow[], ids?: number[]): { trainable: number | null; nonTrainable: number | null } {
  // Which layers were counted: only those called more than once can come again (most never do).
  let seen: Set<unknown> | undefined;
  let trainable: number | null = 0;
  let nonTrainable: number | null = 0;
  const n = ids ? ids.length : rows.length;
  for (let k = 0; k < n; k++) {
    const id = ids ? ids[k] : rows[k].id;
    const layer = rec.layerOf[id];
    const row = rec.rows[id];
    if (row.op || row.family === 'input') continue;
    if (!(layer instanceof LayerInstance) || layer.calls > 1) {
      if (seen?.has(layer)) continue;
      (seen ??= new Set()).add(layer);
    }
    trainable = trainable === null || row.trainableParams === null ? null : trainable + row.trainableParams;
    nonTrainable = nonTrainable === null || row.nonTrainableParams === null ? null : nonTrainable + row.nonTrainableParams;
  }
  return { trainable, nonTrainable };
}

/** `only`: the builder made no other model, so its recorded rows can become this model's rows as they are. */
function finishFunctional(interp: Interp, src: SourceInfo, rec: Recorder, mv: FunctionalModelValue, name: string, anchor: ts.Node, diagnostics: Diagnostic[], uncertain: string | undefined, only: boolean): ModelSummary {
  const inputs = flattenTensors(mv.inputs as Value);
  const outputs = flattenTensors(mv.outputs as Value);
  // An output (or input) that is not a tensor ModelLens followed: the layers that made it are not
  // among the rows, so their sum is not the total.
  const lost = notTensor(mv.outputs as Value) ?? notTensor(mv.inputs as Value) ?? outputs.find((t) => t.shape === null && t.reason !== undefined && t.src === -1 && !rec.inputs[0])?.reason;
  if (lost !== undefined) uncertain ??= `an input or output of tf.model() has no static value (${lost})`;
  // The rows this model consists of: everything its outputs depend on.
  const keep = new Set<number>();
  const stack = outputs.map((t) => t.src).filter((s) => s >= 0);
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const s of rec.rows[id].inputs) if (s >= 0) stack.push(s);
  }
  const ids = [...keep].sort((a, b) => a - b);
  const rows: LayerRow[] = [];
  const newId = new Map<number, number>();
  const inputRow = new Map<number, number>();
  // tfjs lists a functional model's InputLayers as layers of their own.
  for (const t of inputs) {
    const k = -t.src - 1;
    const inp = rec.inputs[k];
    if (!inp || inputRow.has(t.src)) continue;
    const at = inp.node ?? mv.node;
    const start = src.start(at);
    inputRow.set(t.src, rows.length);
    const row = new Row(rows.length, inp.name, 'InputLayer', 'input', src.lineOf(start), start, at.end, undefined, 1, undefined, [], undefined, [], undefined);
    row.outputShape = inp.shape;
    row.catalogKey = 'tfjs:InputLayer';
    rows.push(row);
  }
  const seenLayers = new Set<unknown>();
  for (const id of ids) {
    const r = rec.rows[id];
    const layer = rec.layerOf[id];
    const inputs = r.inputs;
    const remapped: number[] = new Array(inputs.length);
    for (let k = 0; k < inputs.length; k++) {
      const s = inputs[k];
      remapped[k] = s >= 0 ? newId.get(s) ?? s : inputRow.get(s) ?? s;
    }
    // Several models of one builder may share rows: each gets its own copy then.
    const row: LayerRow = only ? r : r.toJSON();
    row.id = rows.length;
    row.inputs = remapped;
    // Reuse is per model: the first call in this model builds the weights.
    row.reused = seenLayers.has(layer) ? true : undefined;
    seenLayers.add(layer);
    newId.set(id, rows.length);
    rows.push(row);
  }
  for (const t of inputs) {
    if (t.src >= 0 || !inputRow.has(t.src)) interp.report(mv.node, 'warning', 'An input of tf.model() is not a tf.input() ModelLens can follow.', 'unknown-value');
  }
  const totals = frozenIf(mv, countBuilt(rec, rec.rows, ids), rows);
  const start = src.start(anchor);
  return buildSummary({
    name,
    framework: 'tfjs',
    kind: 'tfjs-functional',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: anchor.end,
    inputShapes: inputs.map((t) => t.shape),
    inputShapeSource: 'tf.input',
    outputs: outputs.map((t) => t.shape),
    rows,
    trainable: totals.trainable,
    nonTrainable: totals.nonTrainable,
    totalsUnknownReason: uncertain,
    outputUnknownReason: uncertain,
    diagnostics,
  });
}
