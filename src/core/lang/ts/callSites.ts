// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import * as path from 'path';
import { UnknownValue, isUnknown } from '../../unknown';
import type { Interp } from './interp';
import type { Project } from './project';
import { Scope } from './scope';
import type { SourceInfo } from './source';
import { Value, isPlainObjectValue } from '../../framework/values';
import { ClassInfo, ClassRef, FunctionValue } from './values';
import { escapesNamed } from './escapes';
import { type Candidate, type Reach, reachOf, specifierPattern } from './barrels';
import { LIBRARY_OBJECT, hasStatic, receiverClass } from './receivers';

/**
 * Values from call sites: a builder or class whose parameters have no defaults is analysed with
 * the arguments its call sites pass (`new ResBlock(16, 32, 2)`, `createModel(784)`,
 * `this.createModel(numActions)` inside a constructor whose own call site says `new Agent(4)`),
 * when every call site agrees on a parameter. Where they disagree, or an argument has no static
 * value, the parameter stays unknown, with a reason naming it (and the values the sites pass).
 *
 * The call sites are the file's own and those in the workspace files that import the builder or
 * class (`import { ResBlock } from './blocks'`, `require('./models').buildCnn(…)`, renamed,
 * default and namespace imports, and imports through barrels that re-export it: barrels.ts): a
 * file counts when the name it calls is, read through its own imports, the very declaration being
 * analysed. A class's sites are its `new`s, its subclasses' `super(…)` calls and the `new`s of a
 * subclass with no constructor of its own (read through that subclass's sites). A method's sites in
 * other files are calls on an object whose class is known there (`new Trainer().build(…)`, a
 * `const t = new Trainer()` bound once, `this` in a subclass, `Nets.mlp(…)` for a static one); a call
 * of it on an object ModelLens cannot follow, in a file that imports the class, is a site whose
 * arguments are unknown: it may pass anything. The host lists the workspace's files
 * (AnalyzerHost.workspaceFiles, regular files inside the roots only); at most MAX_IMPORTER_FILES
 * of them, nearest first, are read.
 *
 * Only arguments without effects are evaluated (literals, names, arithmetic, object and array
 * literals, member reads): evaluating a call site must not make layers or models of its own.
 */

/** What a call site can be looking for. */
export type Callee =
  | { kind: 'function'; name: string; node?: ts.FunctionLikeDeclaration }
  | { kind: 'class'; info: ClassInfo }
  /** `cls`: the class declaring it (its sites in other files are searched only when it is known). */
  | { kind: 'method'; name: string; node?: ts.MethodDeclaration; cls?: ClassInfo; isStatic?: boolean };

/** A call or `new` and the function it is written in (cached with the file's syntax tree). */
class RawSite {
  constructor(
    readonly call: ts.CallExpression | ts.NewExpression,
    readonly enclosing: ts.FunctionLikeDeclaration | undefined,
  ) {}
}

/** A call site in this run's file (a SourceInfo lives for one analysis; the tree is cached across them). */
class Site extends RawSite {
  constructor(
    raw: RawSite,
    readonly src: SourceInfo,
    /** A call that may be of the callee, with arguments that therefore count as unknown: why. */
    readonly unknownWhy?: string,
  ) {
    super(raw.call, raw.enclosing);
  }
}

/** A mention of the callee that is no call of it (escapes.ts), and its file. */
class Escape {
  constructor(
    readonly node: ts.Node,
    readonly src: SourceInfo,
  ) {}
}

/** Call sites by the callee's last name (`f(…)`, `this.f(…)`, `x.f(…)`, `new F(…)`), per file. */
const sitesByFile = new WeakMap<ts.SourceFile, Map<string, RawSite[]>>();

/** The call sites in `src` of a callee by that name. */
function sitesNamed(src: SourceInfo, name: string): Site[] {
  const raw = rawSites(src.sf).get(name);
  return raw ? raw.map((r) => new Site(r, src)) : [];
}

function rawSites(sf: ts.SourceFile): Map<string, RawSite[]> {
  let m = sitesByFile.get(sf);
  if (m) return m;
  m = new Map();
  const found = m;
  const visit = (n: ts.Node, enclosing: ts.FunctionLikeDeclaration | undefined): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const name = calleeName(n.expression);
      if (name !== undefined) {
        let list = found.get(name);
        if (!list) found.set(name, (list = []));
        // One past the bound: callSiteArguments must know there were more than it reads.
        if (list.length <= MAX_SITES) list.push(new RawSite(n, enclosing));
      }
    }
    const inner = ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body ? (n as ts.FunctionLikeDeclaration) : enclosing;
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(sf, undefined);
  sitesByFile.set(sf, m);
  return m;
}

const MAX_SITES = 32;
const SUPER = 'super';
const EMPTY: ReadonlySet<string> = new Set();
const MAX_DEPTH = 3;

function calleeName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  // `super(…)` in a subclass's constructor: a call site of its base class.
  if (e.kind === ts.SyntaxKind.SuperKeyword) return SUPER;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The function's name as call sites write it: `function f`, `const f = () => …`, a method. */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  return undefined;
}

/** Whether some parameter has neither a default nor a `?`: a value only a call site can give. */
export function needsArguments(params: readonly ts.ParameterDeclaration[]): boolean {
  return params.some((p) => !p.initializer && !p.questionToken && !p.dotDotDotToken);
}

/**
 * The arguments to run `callee` with (undefined: no call site could be read). `params` are its
 * parameters; a parameter its call sites disagree on, or give no static value, is unknown with a
 * reason naming it.
 */
export function callSiteArguments(interp: Interp, src: SourceInfo, fileScope: Scope, callee: Callee, params: readonly ts.ParameterDeclaration[], depth = 0): Value[] | undefined {
  if (depth > MAX_DEPTH || params.length === 0) return undefined;
  const name = callee.kind === 'class' ? callee.info.name : callee.name;
  // In its own file a method's call on an object of unknown class counts with its arguments, as
  // it always has; one on an object whose class has another method of that name does not.
  const sites = sitesNamed(src, name).filter((s) => matches(s.call, callee) && !(callee.kind === 'method' && callee.cls && !callee.isStatic && callsMethod(interp, src, fileScope, s.call.expression as ts.PropertyAccessExpression, callee) === 'no'));
  if (callee.kind === 'class') for (const s of superSites(interp, src, fileScope, callee.info)) if (sites.length <= MAX_SITES) sites.push(s);
  if (callee.kind !== 'method' || callee.cls) for (const s of importerSites(interp, src, callee, name)) if (sites.length <= MAX_SITES) sites.push(s);
  // Mentions that are no call (passed as a value, kept in a registry): calls through them are unseen.
  const escapes = escapesNamed(src.sf, name, callee.kind).map((node) => new Escape(node, src));
  if (callee.kind !== 'method' || callee.cls) escapes.push(...importerEscapes(interp, src, callee, name));
  // More sites than are read: the others may pass anything.
  const overflow = sites.length > MAX_SITES || (rawSites(src.sf).get(name)?.length ?? 0) > MAX_SITES;
  if (sites.length > MAX_SITES) sites.length = MAX_SITES;
  // `class Small extends Base {}`: its `new Small(…)` runs Base's constructor with the same arguments.
  const subclasses = callee.kind === 'class' ? implicitSubclasses(interp, src, fileScope, callee.info) : [];
  if (sites.length === 0 && subclasses.length === 0 && escapes.length === 0) return undefined;
  const perSite: Value[][] = [];
  /** Where each of perSite's argument lists comes from, for a disagreement's reason. */
  const places: string[] = [];
  const placeOf = (at: SourceInfo, node: ts.Node) => (at === src ? `line ${at.lineOf(at.start(node))}` : `${path.basename(at.path)}:${at.lineOf(at.start(node))}`);
  for (const s of sites) {
    places.push(placeOf(s.src, s.call));
    if (s.unknownWhy !== undefined) {
      perSite.push(params.map(() => new UnknownValue(s.unknownWhy!)));
      continue;
    }
    const here = s.src === src;
    const scope = siteScope(interp, s.src, here ? fileScope : interp.project.scopeOf(interp, s.src), s.enclosing, depth);
    const args: Value[] = [];
    const list = s.call.arguments ?? [];
    if (list.some((a) => ts.isSpreadElement(a))) {
      perSite.push(params.map(() => new UnknownValue(`\`${text(s.src, s.call)}\` (${placeOf(s.src, s.call)}) spreads its arguments`)));
      continue;
    }
    // A site that leaves a parameter out passes its default: the callee's own initializer, read
    // with the earlier arguments of this site (`mlp(8)` and `mlp(8, 16)` agree when units = 16).
    let defaults: Scope | undefined;
    for (let i = 0; i < params.length; i++) {
      const a = list[i];
      const p = params[i];
      if (!a && p.initializer && pure(p.initializer)) {
        if (!defaults) {
          defaults = new Scope(fileScope);
          for (let k = 0; k < i; k++) if (ts.isIdentifier(params[k].name)) defaults.declare((params[k].name as ts.Identifier).text, args[k]);
        }
        const v = evalQuietly(interp, src, p.initializer, defaults);
        if (ts.isIdentifier(p.name)) defaults.declare(p.name.text, v);
        args.push(v);
        continue;
      }
      if (defaults && ts.isIdentifier(p.name)) defaults = undefined;
      if (!a) args.push(undefined);
      else {
        // Another file's own builders are not run for its call sites: what they make would be counted here.
        const fns = here ? topFunctions(src.sf) : EMPTY;
        const value = (e: ts.Expression): Value => (here ? evalQuietly(interp, s.src, e, scope) : isolated(interp, () => evalQuietly(interp, s.src, e, scope)));
        args.push(argumentValue(s.src, a, fns, value));
      }
    }
    perSite.push(args);
  }
  for (const sub of subclasses) {
    const where = placeOf(sub.source, sub.node);
    // Never constructed: it constructs nothing. Followed too deep: anything.
    const args = depth + 1 > MAX_DEPTH ? params.map(() => new UnknownValue(`the call sites of ${sub.name} (${where}) are followed no deeper`)) : callSiteArguments(interp, sub.source, sub.scope as Scope, { kind: 'class', info: sub }, params, depth + 1);
    if (!args) continue;
    perSite.push(args);
    places.push(`${where} (through ${sub.name})`);
  }
  if (overflow) {
    perSite.push(params.map(() => new UnknownValue(`${name} has more than ${MAX_SITES} call sites: ModelLens reads ${MAX_SITES}, and the others may pass anything`)));
    places.push('other call sites');
  }
  for (const e of escapes.slice(0, 1)) {
    const where = placeOf(e.src, e.node);
    perSite.push(params.map(() => new UnknownValue(`${name} is used as a value at ${where}: calls through it, which ModelLens cannot see, may pass anything`)));
    places.push(where);
  }
  if (perSite.length === 0) return undefined;
  const out: Value[] = [];
  const given: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const pname = ts.isIdentifier(p.name) ? p.name.text : `parameter ${i + 1}`;
    let v = combine(
      perSite.map((args) => args[i]),
      pname,
      (label, values) => `${label} gets different values at the ${perSite.length} call sites of ${name} (${disagreement(places, values)})`,
    );
    if (v === undefined && !p.initializer && !p.questionToken) v = new UnknownValue(`${pname} has no value at the call site of ${name}`);
    else if (isUnknown(v) && !v.reason.startsWith(pname)) v = new UnknownValue(`${pname} has no static value at the call site of ${name}: ${v.reason}`);
    else if (!p.initializer && !p.questionToken && v !== undefined && !isUnknown(v)) given.push(`${pname} = ${describeValue(v)}`);
    out.push(v);
  }
  // The model's numbers hold for these values: it says so (ModelSummary.builtWith).
  if (depth === 0 && given.length) notes.set(out, `${given.join(', ')}, from ${places.length === 1 ? `its call site at ${places[0]}` : `its ${places.length} call sites (${places.slice(0, 3).join(', ')}${places.length > 3 ? ', …' : ''})`}`);
  return out;
}

/** What call-site arguments a builder is analysed with, and where they come from, by the list callSiteArguments returned. */
const notes = new WeakMap<Value[], string>();

/** `inputDim = 784, from its call site at line 13`: for arguments callSiteArguments gave; undefined for any other list. */
export function callSiteNote(args: Value[]): string | undefined {
  return notes.get(args);
}

/**
 * An argument's value at a call site: evaluated when it has no effects; an object or list literal
 * with some part that has effects (`{ units: 64, optimizer: tf.train.adam(lr) }`) keeps the parts
 * that have none, the others unknown, so that what the model takes from it is still known.
 */
function argumentValue(src: SourceInfo, a: ts.Expression, fns: ReadonlySet<string>, value: (e: ts.Expression) => Value): Value {
  if (pure(a, fns)) return value(a);
  const notEvaluated = (e: ts.Node) => new UnknownValue(`the argument \`${text(src, e)}\` is not evaluated at its call site`);
  if (ts.isObjectLiteralExpression(a)) {
    const out: { [key: string]: Value } = {};
    for (const p of a.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) out[p.name.text] = pure(p.initializer, fns) ? value(p.initializer) : notEvaluated(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = value(p.name);
      // A spread or a computed key: which keys it has is unknown.
      else return notEvaluated(a);
    }
    return out;
  }
  if (ts.isArrayLiteralExpression(a) && !a.elements.some((e) => ts.isSpreadElement(e) || ts.isOmittedExpression(e))) {
    return a.elements.map((e) => (pure(e, fns) ? value(e) : notEvaluated(e)));
  }
  return notEvaluated(a);
}

/**
 * What every call site passes for one parameter: the value they agree on; for objects with the
 * same keys (lists of the same length) at every site, key by key (item by item), so that
 * `{ units: 64, activation: 'relu' }` and `{ units: 64, activation: 'tanh' }` agree on units;
 * else unknown, `differ` saying which values where.
 */
function combine(values: Value[], label: string, differ: (label: string, values: Value[]) => string, depth = 0): Value {
  const first = values[0];
  if (values.every((v) => same(v, first))) return first;
  if (depth < 8 && values.every(isPlainObjectValue)) {
    const keys = Object.keys(first as object);
    if (values.every((v) => Object.keys(v as object).length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(v, k)))) {
      const out: { [key: string]: Value } = {};
      for (const k of keys) out[k] = combine(values.map((v) => (v as { [key: string]: Value })[k]), `${label}.${k}`, differ, depth + 1);
      return out;
    }
  }
  if (depth < 8 && values.every((v) => Array.isArray(v) && v.length === (first as Value[]).length)) {
    return (first as Value[]).map((_, i) => combine(values.map((v) => (v as Value[])[i]), `${label}[${i}]`, differ, depth + 1));
  }
  // A site with no static value: that reason (it is the same whatever the others pass).
  const unknown = values.find((v) => isUnknown(v));
  if (unknown !== undefined) return unknown;
  return new UnknownValue(differ(label, values));
}

/** `16 at line 30, 32 in train.ts:12`: what each site passes, distinct values only, a few of them. */
function disagreement(places: readonly string[], values: Value[]): string {
  const parts: string[] = [];
  const shown: Value[] = [];
  for (let k = 0; k < places.length && parts.length < 3; k++) {
    const v = values[k];
    if (shown.some((x) => same(x, v))) continue;
    shown.push(v);
    parts.push(`${describeValue(v)} at ${places[k]}`);
  }
  return parts.join(', ') + (places.length > parts.length && shown.length >= 3 ? ', …' : '');
}

function describeValue(v: Value): string {
  if (isUnknown(v)) return 'an unknown value';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? v.slice(0, 21) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    const t = JSON.stringify(v);
    if (t !== undefined) return t.length > 30 ? t.slice(0, 27) + '…' : t;
  } catch {
    // a cycle: fall through
  }
  return Array.isArray(v) ? 'a list' : 'an object';
}

/** How many other workspace files one analysis reads looking for call sites, and how much text in all (a fifth of a file's budget). */
export const MAX_IMPORTER_FILES = 200;
const MAX_IMPORTER_CHARS = 2_000_000;

/** Per run: the files read for call sites (nearest first, within the bounds), and the sites found by callee. */
const importerState = new WeakMap<Project, { candidates?: Candidate[]; found: Map<string, Site[]>; escapes: Map<string, Escape[]>; importers: Map<ts.Node, SourceInfo[]> }>();

/** The workspace's other files and their texts, nearest to `file` first, read once per run within MAX_IMPORTER_FILES and MAX_IMPORTER_CHARS. */
function candidatesFor(project: Project, file: string): Candidate[] {
  const out: Candidate[] = [];
  let chars = 0;
  for (const f of nearest(file, project.host.workspaceFiles?.() ?? [])) {
    if (chars > MAX_IMPORTER_CHARS) break;
    const text = project.readText(f);
    if (text === undefined) continue;
    chars += text.length;
    out.push({ file: f, text });
  }
  return out;
}

/**
 * The call sites of `callee` in other workspace files: files that name the callee's file (or a
 * barrel re-exporting it) in a module specifier and mention one of its names, whose call's callee
 * — evaluated through that file's own imports — is this very declaration (a renamed import,
 * `models.buildCnn(…)`, a re-export: whatever reaches it). A method's: calls on an object of its
 * class (receiverClass), or of unknown class (a site with unknown arguments).
 */
function importerSites(interp: Interp, src: SourceInfo, callee: Callee, name: string): Site[] {
  const project = interp.project;
  if (!project.host.workspaceFiles) return [];
  let state = importerState.get(project);
  if (!state) importerState.set(project, (state = { found: new Map(), escapes: new Map(), importers: new Map() }));
  const key = `${callee.kind}:${src.path}:${name}`;
  const known = state.found.get(key);
  if (known) return known;
  const out: Site[] = [];
  state.found.set(key, out);
  const escapes: Escape[] = [];
  state.escapes.set(key, escapes);
  const candidates = (state.candidates ??= candidatesFor(project, src.path));
  // What is imported is the class for a method, else the declaration itself.
  const exported: Callee | undefined = callee.kind === 'method' ? (callee.cls ? { kind: 'class', info: callee.cls } : undefined) : callee;
  if (!exported) return out;
  const exportedName = exported.kind === 'class' ? exported.info.name : exported.name;
  const reach: Reach = reachOf(interp, src, exportedName, candidates, (v) => isCallee(v, exported), (fn) => isolated(interp, fn));
  const names = new Set<string>();
  let byDefault = false;
  for (const ns of reach.values()) for (const n of ns) if (n === 'default') byDefault = true;
  else names.add(n);
  // A default export is imported under any name: only the specifier says a file may import it.
  const word = byDefault ? undefined : wordPattern([...names]);
  const specs = specifierPattern([...reach.keys()]);
  for (const { file, text } of candidates) {
    if ((word && !word.test(text)) || !specs.test(text)) continue;
    const other = project.source(file);
    if (!other || other === src) continue;
    if (callee.kind === 'class') {
      let list = state.importers.get(callee.info.node);
      if (!list) state.importers.set(callee.info.node, (list = []));
      if (!list.includes(other)) list.push(other);
    }
    const scope = project.scopeOf(interp, other);
    const locals = callee.kind === 'method' ? [callee.name] : localNames(text, [...names]);
    for (const local of locals) for (const node of escapesNamed(other.sf, local, callee.kind)) escapes.push(new Escape(node, other));
    if (exported.kind === 'class' && callee.kind === 'class') locals.push(SUPER);
    for (const local of locals) {
      const found = sitesNamed(other, local);
      // More calls of that name in the file than are read: one of the others may be ours, passing anything.
      if (found.length > MAX_SITES) out.push(new Site(found[MAX_SITES], other, `${path.basename(other.path)} has more than ${MAX_SITES} calls named ${local}: ModelLens reads ${MAX_SITES}`));
      for (const s of found.slice(0, MAX_SITES)) {
        if (out.length > MAX_SITES) return out;
        if (callee.kind === 'method') {
          const site = methodSite(interp, other, scope, s, callee);
          if (site) out.push(site);
          continue;
        }
        if (local === SUPER) {
          if (isSuperOf(interp, other, scope, s, (exported as { info: ClassInfo }).info)) out.push(s);
          continue;
        }
        if (callee.kind === 'class' ? !ts.isNewExpression(s.call) : ts.isNewExpression(s.call)) continue;
        const target = isolated(interp, () => evalQuietly(interp, other, s.call.expression, scope));
        if (isCallee(target, callee)) out.push(s);
      }
    }
  }
  return out;
}

/** The escapes of `callee` in the files that import it (found with its sites by importerSites). */
function importerEscapes(interp: Interp, src: SourceInfo, callee: Callee, name: string): Escape[] {
  importerSites(interp, src, callee, name);
  return importerState.get(interp.project)?.escapes.get(`${callee.kind}:${src.path}:${name}`) ?? [];
}

/** `(?<![\w$])(a|b)(?![\w$])`: one of the names as a word. */
function wordPattern(names: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w$])(?:${names.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`);
}

/**
 * The names a file may call the declaration by: its own and its re-exports' names, an import's
 * rename (`{ buildCnn as cnn }`, `{ buildCnn: cnn } = require(…)`), and the names of default
 * imports and whole-module requires (`import Net from './net'`, `const Agent = require('./agent')`,
 * `import Agent = require('./agent')`).
 * Too many is harmless: each call is checked by evaluating its callee.
 */
function localNames(text: string, names: readonly string[]): string[] {
  const out = [...names];
  const add = (n: string) => out.length < names.length + 6 && !out.includes(n) && out.push(n);
  const alt = names.map((n) => n.replace(/\$/g, '\\$')).join('|');
  const rename = new RegExp(`(?<![\\w$])(?:${alt})\\s*(?:as\\s+|:\\s*)([A-Za-z_$][\\w$]*)`, 'g');
  let m: RegExpExecArray | null;
  while ((m = rename.exec(text))) add(m[1]);
  const whole = /\bimport\s+([A-Za-z_$][\w$]*)\s*(?:,|from\b|=\s*require\b)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\s*\(/g;
  while ((m = whole.exec(text))) add(m[1] ?? m[2]);
  return out;
}

/** Whether a value is the declaration being analysed (same kind of node at the same place: a file parsed under another spelling of its path is the same file). */
function isCallee(v: Value, callee: Callee): boolean {
  if (callee.kind === 'class') return v instanceof ClassRef && (v.info === callee.info || sameNode(v.info.node, callee.info.node));
  if (!callee.node || !(v instanceof FunctionValue)) return false;
  return v.node === callee.node || sameNode(v.node, callee.node);
}

function sameNode(a: ts.Node | undefined, b: ts.Node | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && a.pos === b.pos && a.end === b.end;
}

/** `super(…)` in the constructor of a subclass of `base` (its `extends` evaluated in its own file). */
function isSuperOf(interp: Interp, src: SourceInfo, scope: Scope, s: Site, base: ClassInfo): boolean {
  if (!s.enclosing || !ts.isConstructorDeclaration(s.enclosing)) return false;
  const cls = classAround(src.sf, s.enclosing);
  const heritage = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!heritage) return false;
  const v = isolated(interp, () => evalQuietly(interp, src, heritage, scope));
  return v instanceof ClassRef && (v.info === base || sameNode(v.info.node, base.node));
}

/**
 * Subclasses of `base` with no constructor of their own (JavaScript gives them one that passes
 * all its arguments to `super`), declared at the top level of its file or of a file that imports it.
 */
function implicitSubclasses(interp: Interp, src: SourceInfo, fileScope: Scope, base: ClassInfo): ClassInfo[] {
  const out: ClassInfo[] = [];
  const files = [src, ...(importerState.get(interp.project)?.importers.get(base.node) ?? [])];
  for (const file of files) {
    const scope = file === src ? fileScope : interp.project.scopeOf(interp, file);
    for (const st of file.sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name || st.members.some((m) => ts.isConstructorDeclaration(m))) continue;
      const heritage = st.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      if (!heritage) continue;
      const v = isolated(interp, () => evalQuietly(interp, file, heritage, scope));
      if (v instanceof ClassRef && (v.info === base || sameNode(v.info.node, base.node))) out.push(interp.project.classInfo(file, st, scope));
    }
  }
  return out;
}

/** The `super(…)` calls of the file's own subclasses of `base`. */
function superSites(interp: Interp, src: SourceInfo, fileScope: Scope, base: ClassInfo): Site[] {
  return sitesNamed(src, SUPER).filter((s) => isSuperOf(interp, src, fileScope, s, base));
}

/**
 * A call `x.m(…)` in another file as a site of method `callee`: a static method when `x.m`
 * evaluates to it; an instance method when the class of `x` (receiverClass) finds this method
 * first in its chain of classes. A call on an object whose class can't be told is a site with
 * unknown arguments (it may be a call of this method with anything); on an object of another
 * class, none.
 */
function methodSite(interp: Interp, other: SourceInfo, scope: Scope, s: Site, callee: Extract<Callee, { kind: 'method' }>): Site | undefined {
  const e = s.call.expression;
  if (ts.isNewExpression(s.call) || !ts.isPropertyAccessExpression(e) || !callee.cls) return undefined;
  if (callee.isStatic) {
    const v = isolated(interp, () => evalQuietly(interp, other, e, scope));
    return isCallee(v, callee) ? s : undefined;
  }
  const ours = callsMethod(interp, other, scope, e, callee);
  if (ours === 'no') return undefined;
  if (ours === 'yes') return s;
  return new Site(s, other, `\`${text(other, s.call)}\` in ${path.basename(other.path)}:${other.lineOf(other.start(s.call))} may call ${callee.cls.name}.${callee.name} on an object ModelLens cannot follow`);
}

/** Whether `x.m` calls instance method `callee`: the class of `x` finds it first in its chain ('unknown': that class can't be told). */
function callsMethod(interp: Interp, src: SourceInfo, scope: Scope, e: ts.PropertyAccessExpression, callee: Extract<Callee, { kind: 'method' }>): 'yes' | 'no' | 'unknown' {
  const cls = receiverClass(interp, src, scope, e.expression, (x) => isolated(interp, () => evalQuietly(interp, src, x, scope)));
  if (!cls) return 'unknown';
  if (cls === LIBRARY_OBJECT) return 'no';
  for (let c: ClassInfo | undefined = cls; c; c = c.base) {
    const m = c.node.members.find((x) => ts.isMethodDeclaration(x) && !!x.body && !hasStatic(x) && x.name && (ts.isIdentifier(x.name) || ts.isStringLiteral(x.name)) && x.name.text === callee.name);
    if (m) return callee.node && sameNode(m, callee.node) ? 'yes' : 'no';
    // A base class it could not resolve (`extends lib.Base`): that base may be ours.
    if (!c.base && c.kind === 'plain' && c.node.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) return 'unknown';
  }
  return 'no';
}

/** The workspace's other files, nearest to `file` first (same folder, then by shared folders), at most MAX_IMPORTER_FILES. */
function nearest(file: string, files: readonly string[]): string[] {
  // The analysis worker keeps the listing across edits: so is the order of a file's neighbours.
  let byFile = nearestMemo.get(files);
  if (!byFile) nearestMemo.set(files, (byFile = new Map()));
  const known = byFile.get(file);
  if (known) return known;
  const abs = (f: string) => (path.isAbsolute(f) ? path.normalize(f) : path.resolve(f));
  const self = abs(file);
  const dir = path.dirname(self).split(path.sep);
  const shared = (f: string): number => {
    const d = path.dirname(f).split(path.sep);
    let n = 0;
    while (n < d.length && n < dir.length && d[n] === dir[n]) n++;
    return n === dir.length && d.length === dir.length ? Infinity : n - Math.abs(d.length - n);
  };
  const out = files
    .filter((f) => abs(f) !== self)
    .map((f) => ({ f, k: shared(abs(f)) }))
    .sort((a, b) => b.k - a.k || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
    .slice(0, MAX_IMPORTER_FILES)
    .map((x) => x.f);
  if (byFile.size >= 16) byFile.delete(byFile.keys().next().value as string);
  byFile.set(file, out);
  return out;
}
const nearestMemo = new WeakMap<readonly string[], Map<string, string[]>>();

/**
 * Runs `fn` (reading another file) so that nothing it happens to make is taken for the model
 * being analysed: no model it makes is this builder's, no layer it calls is a row of this model.
 */
function isolated<T>(interp: Interp, fn: () => T): T {
  const project = interp.project;
  const sink = project.modelSink;
  const recorder = interp.recorder;
  project.modelSink = [];
  interp.recorder = undefined;
  try {
    return fn();
  } finally {
    project.modelSink = sink;
    interp.recorder = recorder;
  }
}

/** `new C(…)` for a class; a call for a function or method (a method through any object: `this.m`, `agent.m`). */
function matches(call: ts.CallExpression | ts.NewExpression, callee: Callee): boolean {
  if (callee.kind === 'class') return ts.isNewExpression(call);
  if (ts.isNewExpression(call)) return false;
  if (callee.kind === 'function') return ts.isIdentifier(call.expression);
  return ts.isPropertyAccessExpression(call.expression);
}

/** The scope a call site's arguments are read in: its function's parameters from that function's own call sites. */
function siteScope(interp: Interp, src: SourceInfo, fileScope: Scope, fn: ts.FunctionLikeDeclaration | undefined, depth: number): Scope {
  const scope = new Scope(fileScope);
  if (!fn) return scope;
  let callee: Callee | undefined;
  if (ts.isConstructorDeclaration(fn)) {
    const cls = fn.parent as ts.ClassLikeDeclaration | undefined;
    // Parent pointers are not set: find the class by position among the file's classes.
    const decl = cls ?? classAround(src.sf, fn);
    if (decl) callee = { kind: 'class', info: interp.project.classInfo(src, decl as ts.ClassDeclaration, fileScope) };
  } else {
    const name = functionName(fn) ?? variableNameOf(src.sf, fn);
    if (name) callee = ts.isMethodDeclaration(fn) ? methodCallee(interp, src, fileScope, fn, name) : { kind: 'function', name, node: fn };
  }
  const args = callee ? callSiteArguments(interp, src, fileScope, callee, fn.parameters, depth + 1) : undefined;
  for (let i = 0; i < fn.parameters.length; i++) {
    const p = fn.parameters[i];
    if (!ts.isIdentifier(p.name)) continue;
    let v = args?.[i];
    // No value from a call site: the parameter's own default, as JavaScript would use it.
    if (v === undefined && p.initializer && pure(p.initializer)) v = evalQuietly(interp, src, p.initializer, scope);
    scope.declare(p.name.text, v !== undefined ? v : new UnknownValue(`${p.name.text} has no value at the call site`));
  }
  return scope;
}

/** A method as a callee, with its class (a class declaration's: its sites in other files are searched). */
function methodCallee(interp: Interp, src: SourceInfo, fileScope: Scope, fn: ts.MethodDeclaration, name: string): Callee {
  const decl = classAround(src.sf, fn);
  const cls = decl && ts.isClassDeclaration(decl) && decl.name ? interp.project.classInfo(src, decl, fileScope) : undefined;
  return { kind: 'method', name, node: fn, cls, isStatic: hasStatic(fn) };
}

function classAround(sf: ts.SourceFile, node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let found: ts.ClassLikeDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found || node.pos < n.pos || node.end > n.end) return;
    if (ts.isClassLike(n) && n.members.some((m) => m === node)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** `const build = (…) => …`: the name an arrow or function expression is called by. */
function variableNameOf(sf: ts.SourceFile, fn: ts.Node): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found || fn.pos < n.pos || fn.end > n.end) return;
    if (ts.isVariableDeclaration(n) && n.initializer === fn && ts.isIdentifier(n.name)) found = n.name.text;
    else if (ts.isPropertyAssignment(n) && n.initializer === fn && ts.isIdentifier(n.name)) found = n.name.text;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The file's top-level function declarations: their calls may be call-site arguments (`combine(buildEncoder(8), buildDecoder(8))`). */
const functionsByFile = new WeakMap<ts.SourceFile, Set<string>>();
function topFunctions(sf: ts.SourceFile): Set<string> {
  let names = functionsByFile.get(sf);
  if (!names) {
    names = new Set();
    for (const st of sf.statements) if (ts.isFunctionDeclaration(st) && st.name && st.body) names.add(st.name.text);
    functionsByFile.set(sf, names);
  }
  return names;
}

/**
 * Syntax whose evaluation has no effect on the model being analysed: what a call site's argument
 * may be. A call of one of the file's own functions qualifies (a builder whose model is passed
 * on): the interpreter runs it as it runs any builder, and what it makes is that call's own.
 */
function pure(e: ts.Node, fns: ReadonlySet<string> = EMPTY): boolean {
  const ok = (x: ts.Node): boolean => pure(x, fns);
  switch (e.kind) {
    case ts.SyntaxKind.CallExpression: {
      const c = e as ts.CallExpression;
      return ts.isIdentifier(c.expression) && fns.has(c.expression.text) && c.arguments.every(ok);
    }
    case ts.SyntaxKind.Identifier:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.PropertyAccessExpression:
      return ok((e as ts.PropertyAccessExpression).expression);
    case ts.SyntaxKind.ElementAccessExpression:
      return ok((e as ts.ElementAccessExpression).expression) && ok((e as ts.ElementAccessExpression).argumentExpression);
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.SpreadElement:
    case ts.SyntaxKind.SpreadAssignment:
      return ok((e as ts.ParenthesizedExpression).expression);
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const p = e as ts.PrefixUnaryExpression;
      return p.operator !== ts.SyntaxKind.PlusPlusToken && p.operator !== ts.SyntaxKind.MinusMinusToken && ok(p.operand);
    }
    case ts.SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      const op = b.operatorToken.kind;
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) return false;
      return ok(b.left) && ok(b.right);
    }
    case ts.SyntaxKind.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      return ok(c.condition) && ok(c.whenTrue) && ok(c.whenFalse);
    }
    case ts.SyntaxKind.TemplateExpression:
      return (e as ts.TemplateExpression).templateSpans.every((s) => ok(s.expression));
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (e as ts.ArrayLiteralExpression).elements.every(ok);
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (e as ts.ObjectLiteralExpression).properties.every((q) => (ts.isPropertyAssignment(q) ? !ts.isComputedPropertyName(q.name) && ok(q.initializer) : ts.isShorthandPropertyAssignment(q) || (ts.isSpreadAssignment(q) && ok(q.expression))));
  }
  return false;
}

/** Evaluates an argument without reporting: a call site's problems are not the model's. */
function evalQuietly(interp: Interp, src: SourceInfo, e: ts.Expression, scope: Scope): Value {
  const diagnostics = interp.diagnostics;
  const unknownBefore = interp.controlUnknown;
  interp.diagnostics = [];
  interp.enterFile(src);
  try {
    return interp.eval(e, scope);
  } catch {
    return new UnknownValue(`\`${text(src, e)}\` could not be evaluated at its call site`);
  } finally {
    interp.leaveFile();
    interp.diagnostics = diagnostics;
    interp.controlUnknown = unknownBefore;
  }
}

/** Whether two call sites pass the same value: equal primitives, or lists and objects with the same contents. */
function same(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b) || depth > 8) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i], depth + 1));
  if (isPlainObjectValue(a) && isPlainObjectValue(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k], depth + 1));
  }
  return false;
}

function text(src: SourceInfo, n: ts.Node): string {
  const t = src.text.slice(src.start(n), n.end).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/** The arguments to construct `info` with: none when its constructor needs none, else its `new` sites'. */
export function constructorArguments(interp: Interp, info: ClassInfo): Value[] {
  for (let c: ClassInfo | undefined = info; c; c = c.base) {
    const ctor = c.node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    if (!ctor) continue;
    if (!needsArguments(ctor.parameters)) return [];
    return callSiteArguments(interp, info.source, info.scope as Scope, { kind: 'class', info }, ctor.parameters) ?? [];
  }
  return [];
}

/** The arguments to run a builder function or method with: its call sites', when it has parameters without defaults. */
export function builderArguments(interp: Interp, src: SourceInfo, fileScope: Scope, fn: ts.FunctionLikeDeclaration, fallbackName: string): Value[] {
  if (!needsArguments(fn.parameters)) return [];
  const name = functionName(fn) ?? fallbackName;
  const callee: Callee = ts.isMethodDeclaration(fn) ? methodCallee(interp, src, fileScope, fn, name) : { kind: 'function', name, node: fn };
  return callSiteArguments(interp, src, fileScope, callee, fn.parameters) ?? [];
}
