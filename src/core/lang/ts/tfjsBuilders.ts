// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isArrowFunction, isClassDeclaration, isFunctionDeclaration, isFunctionExpression, isIdentifier, isImportDeclaration, isMethodDeclaration, isVariableStatement } = ts;
import type { Shape } from '../../shape';
import type { Diagnostic, ModelSummary } from '../../summary';
import type { Interp } from './interp';
import { Thrown } from './soundness';
import { Scope } from './scope';
import { hasModifier } from './modifiers';
import { instantiateClass } from './classes';
import { builderArguments, callSiteNote, constructorArguments } from './callSites';
import type { SourceInfo } from './source';
import { Recorder } from '../../framework/recorder';
import { finishFunctional, finishSequential } from '../../framework/tfjsModels';
import { BudgetExceeded, outOfSteps, stoppedAfter } from '../../framework/budget';
import { FunctionalModelValue, type Loc, SequentialModelValue, Value } from '../../framework/values';
import { ClassInfo, FunctionValue } from './values';
import { emptyArray, emptySet } from '../../release';
import { buildSummary } from '../../framework/summarize';
import { isUnknown } from '../../unknown';

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
    /**
     * A function that makes no model itself but returns another builder's (a wrapper or
     * dispatcher): 'sure' when that builder is in this file (its model is this one's, known or
     * `?`), 'maybe' when it is imported (a model only if what it returns is one).
     */
    readonly wrapper: 'sure' | 'maybe' | undefined = undefined,
  ) {}

  static wrapping(fn: ts.FunctionLikeDeclaration, name: string, how: 'sure' | 'maybe'): Builder {
    return new Builder('function', name, fn, fn, undefined, undefined, how);
  }

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
  // Wrappers and dispatchers (`return buildCnn()`, `switch (kind) { case 'cnn': return buildCnn(); … }`)
  // are models too: what they return, run with their own call sites' arguments.
  for (const w of wrappers(interp, src, builders, seenSpans)) builders.push(w);
  // Functions first: a model built in a function is named after it, not after a top-level caller.
  builders.sort((a, b) => (a.kind === 'top' ? 1 : 0) - (b.kind === 'top' ? 1 : 0));
  const done = new Set<Loc>();
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
function runBuilder(interp: Interp, src: SourceInfo, scope: Scope, b: Builder, done: Set<Loc>, inputOverride: Shape[] | undefined, fileDiagnostics: Diagnostic[], out: ModelSummary[]): void {
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
  /** The call-site values the builder runs with (callSiteNote), said on its models. */
  const builtWith: string[] = [];
  const noted = (args: Value[]): Value[] => {
    const note = callSiteNote(args);
    if (note) builtWith.push(note);
    return args;
  };
  try {
    // Parameters without defaults get their values from the call sites in the file (callSites.ts).
    if (b.fn) returned = interp.invoke(new FunctionValue(b.fn, scope), noted(builderArguments(interp, src, scope, b.fn, b.name)));
    else if (b.cls && b.method) {
      const self = instantiateClass(interp, b.cls, noted(constructorArguments(interp, b.cls)), b.cls.node);
      // A constructor that builds the model (`this.model = this.createModel(numActions)`) ran the method with its arguments already.
      const method = b.method;
      if (!models.some((mv) => mv.node.pos >= method.pos && mv.node.end <= method.end)) {
        interp.invoke(new FunctionValue(method, scope, self), noted(builderArguments(interp, src, scope, method, method.name.getText(src.sf))), self);
      }
    } else if (b.cls) instantiateClass(interp, b.cls, noted(constructorArguments(interp, b.cls)), b.cls.node);
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
    const anchor: Loc = mine.length === 1 && b.kind !== 'top' ? (b.kind === 'method' ? b.cls!.node : b.span) : mv.node;
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
  // A wrapper, or a dispatcher whose chosen case returns another builder's model (its own
  // `tf.sequential` being in a case not taken): the model it returns is its model.
  const returnsModel = returned instanceof SequentialModelValue || returned instanceof FunctionalModelValue;
  if (mine.length === 0 && (b.wrapper === 'sure' || (b.kind === 'function' && returnsModel))) {
    try {
      out.push(finishWrapper(interp, src, rec, b, returned, diagnostics, inputOverride, uncertain));
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      diagnostics.push(outOfSteps(src, b.span, b.name, interp.budget, e));
    }
  }
  if (builtWith.length) for (let i = before; i < out.length; i++) out[i].builtWith = builtWith.join('; ');
  interp.recorder = undefined;
  // A builder stopped before it made its model must not vanish silently (a function that may
  // only wrap an imported one is not known to be a builder).
  if (out.length === before && b.wrapper !== 'maybe') for (const d of diagnostics) if (d.code === 'budget') fileDiagnostics.push(d);
}

/**
 * A wrapper's model: the model it returns (made by the builder it called, counted as tfjs counts
 * that model), named after the wrapper and shown at it. When what it returns depends on a value
 * ModelLens does not know (a dispatcher's `kind` its call sites disagree on), the model is there
 * with its totals unknown and the reason.
 */
function finishWrapper(interp: Interp, src: SourceInfo, rec: Recorder, b: Builder, returned: Value, diagnostics: Diagnostic[], inputOverride: Shape[] | undefined, uncertain: string | undefined): ModelSummary {
  if (returned instanceof SequentialModelValue) return finishSequential(interp, src, returned, b.name, b.span, diagnostics, inputOverride, uncertain);
  if (returned instanceof FunctionalModelValue) return finishFunctional(interp, src, rec, returned, b.name, b.span, diagnostics, uncertain, false);
  const why = uncertain ?? (isUnknown(returned) ? returned.reason : `what ${b.name} returns is not a model ModelLens can follow`);
  const start = src.start(b.span);
  return buildSummary({
    name: b.name,
    framework: 'tfjs',
    kind: 'tfjs-sequential',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: b.span.end,
    inputShapes: [null],
    inputShapeSource: 'none',
    outputs: [null],
    rows: [],
    trainable: null,
    nonTrainable: null,
    totalsUnknownReason: `which model ${b.name} returns is unknown: ${why}`,
    outputUnknownReason: why,
    diagnostics,
  });
}

/**
 * Top-level functions that make no model themselves but return what a builder (or another such
 * function) returns: `return buildCnn()`, `const m = buildCnn(); m.compile(…); return m`, the
 * cases of a `switch`. Found by their syntax; what they return is decided when they run.
 */
function wrappers(interp: Interp, src: SourceInfo, builders: readonly Builder[], seen: Set<ts.Node>): Builder[] {
  const names = new Set<string>();
  for (const b of builders) if (b.kind === 'function') names.add(b.name);
  const imported = importedNames(interp, src);
  const candidates: { fn: ts.FunctionLikeDeclaration; name: string }[] = [];
  for (const s of src.sf.statements) {
    if (isFunctionDeclaration(s) && s.body && s.name && !seen.has(s)) candidates.push({ fn: s, name: s.name.text });
    else if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (init && (isArrowFunction(init) || isFunctionExpression(init)) && isIdentifier(d.name) && !seen.has(init)) candidates.push({ fn: init, name: d.name.text });
      }
    }
  }
  const out: Builder[] = [];
  const chosen = new Set<string>();
  // A wrapper of a wrapper is one too: a few rounds reach every chain a file writes.
  for (let round = 0, grew = true; grew && round < 8; round++) {
    grew = false;
    for (const r of registries(src, names)) names.add(r);
    for (const c of candidates) {
      if (chosen.has(c.name) || names.has(c.name) || !returnsModelOf(c.fn, names)) continue;
      chosen.add(c.name);
      names.add(c.name);
      out.push(Builder.wrapping(c.fn, c.name, 'sure'));
      grew = true;
    }
  }
  // Functions returning what an imported function returns: models when that is one.
  if (imported.size > 0) for (const c of candidates) if (!chosen.has(c.name) && !names.has(c.name) && returnsModelOf(c.fn, imported)) out.push(Builder.wrapping(c.fn, c.name, 'maybe'));
  return out;
}

/**
 * Names the file binds from other workspace files, by import or require (`import { buildCnn }`,
 * `const zoo = require('./zoo')`, `const { build } = require(…)`): not the libraries' (a function
 * returning `tf.tidy(…)` is no wrapper).
 */
function importedNames(interp: Interp, src: SourceInfo): Set<string> {
  const out = new Set<string>();
  const workspace = (spec: ts.Expression): boolean => ts.isStringLiteralLike(spec) && !interp.project.resolveImport(src.path, spec.text).library;
  for (const s of src.sf.statements) {
    if (isImportDeclaration(s) && s.importClause && workspace(s.moduleSpecifier)) {
      const c = s.importClause;
      if (c.name) out.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
      else if (nb) for (const el of nb.elements) out.add(el.name.text);
    } else if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (!init || !ts.isCallExpression(init) || !isIdentifier(init.expression) || init.expression.text !== 'require' || !init.arguments[0] || !workspace(init.arguments[0])) continue;
        if (isIdentifier(d.name)) out.add(d.name.text);
        else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (isIdentifier(el.name)) out.add(el.name.text);
      }
    }
  }
  return out;
}

/**
 * Top-level objects holding builders (`const BUILDERS = { cnn: buildCnn, mlp: () => buildMlp(10) }`):
 * a function returning `BUILDERS[kind]()` returns a builder's model.
 */
function registries(src: SourceInfo, names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const s of src.sf.statements) {
    if (!isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      const init = d.initializer;
      if (!init || !ts.isObjectLiteralExpression(init) || !isIdentifier(d.name) || names.has(d.name.text)) continue;
      const holds = init.properties.some((p) => {
        if (ts.isShorthandPropertyAssignment(p)) return names.has(p.name.text);
        if (ts.isMethodDeclaration(p)) return returnsModelOf(p, names);
        if (!ts.isPropertyAssignment(p)) return false;
        const v = p.initializer;
        if (isIdentifier(v)) return names.has(v.text);
        return (isArrowFunction(v) || isFunctionExpression(v)) && returnsModelOf(v, names);
      });
      if (holds) out.push(d.name.text);
    }
  }
  return out;
}

/** Whether some `return` of `fn` (its own, not a nested function's) returns a call of one of `names`, directly or through a local. */
function returnsModelOf(fn: ts.FunctionLikeDeclaration, names: ReadonlySet<string>): boolean {
  const body = fn.body;
  if (!body) return false;
  const locals = new Map<string, ts.Expression>();
  const returns: ts.Expression[] = [];
  if (!ts.isBlock(body)) returns.push(body);
  else {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
      else if (ts.isVariableDeclaration(n) && isIdentifier(n.name) && n.initializer) locals.set(n.name.text, n.initializer);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
  }
  const isModel = (e: ts.Expression, depth: number): boolean => {
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (ts.isCallExpression(e)) {
      const f = e.expression;
      // `buildCnn(…)`; `zoo.buildCnn(…)` through an imported namespace; `BUILDERS[kind](…)` through a registry of builders.
      if (isIdentifier(f)) return names.has(f.text);
      return (ts.isPropertyAccessExpression(f) || ts.isElementAccessExpression(f)) && isIdentifier(f.expression) && names.has(f.expression.text);
    }
    if (ts.isConditionalExpression(e)) return isModel(e.whenTrue, depth) || isModel(e.whenFalse, depth);
    if (isIdentifier(e) && depth < 4) {
      const init = locals.get(e.text);
      return init !== undefined && isModel(init, depth + 1);
    }
    return false;
  };
  return returns.some((e) => isModel(e, 0));
}

function copyDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = new Array(ds.length);
  for (let i = 0; i < ds.length; i++) out[i] = { ...ds[i] };
  return out;
}
