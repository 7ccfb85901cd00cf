// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isClassDeclaration, isEnumDeclaration, isExportAssignment, isFunctionDeclaration, isIdentifier, isImportDeclaration, isNamespaceImport, isPropertyAccessExpression, isStringLiteral, isVariableStatement } = ts;
import * as path from 'path';
import { UnknownValue } from '../unknown';
import type { Interp } from './interp';
import { type Declarations, Scope, type Thunk } from './scope';
import { SourceInfo } from './source';
import { hasModifier } from './modifiers';
import { parseCached } from './parseCache';
import { emptyMap, emptySet } from './release';
import { CONTAINERS, PRELUDE_PATH } from './moduleApi';
import { preludeClass } from './prelude';
import { ClassInfo, ClassRef, FunctionValue, FunctionalModelValue, Namespace, SequentialModelValue, Value } from './values';

/** Where the analyzer reads other files from (the disk for the CLI, open documents in VS Code). */
export interface AnalyzerHost {
  readFile(file: string): string | undefined;
  /** Why `file` was not read although it may exist (outside the workspace, too large, a device…). */
  whyUnreadable?(file: string): string | undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/**
 * One analysis run over a file and the workspace files it imports: parsed sources, their
 * top-level scopes (built lazily: a constant is evaluated only when a model needs it), and
 * class declarations.
 */
export class Project {
  private readonly sources = new Map<string, SourceInfo | null>();
  private readonly scopes = new Map<SourceInfo, Scope>();
  private readonly classInfos = new Map<ts.Node, ClassInfo>();
  private readonly resolvingBase = new Set<ts.Node>();
  /**
   * Receives every tfjs model value created while a builder runs. A list, not a callback: a
   * closure called from here stays referenced by V8's call feedback after its builder is done,
   * and kept the builder's variables (its function's syntax, its models) alive (see release.ts).
   */
  modelSink?: (SequentialModelValue | FunctionalModelValue)[];
  interp?: Interp;
  /** PyTorch's composite modules, transcribed (prelude.ts): loaded on first use in this run. */
  prelude?: SourceInfo;

  constructor(readonly host: AnalyzerHost) {}

  /**
   * Ends the run: drops every link from its objects to the syntax trees (sources, top-level
   * scopes, class facts), once the summaries are made. See release.ts for why.
   */
  release(): void {
    for (const s of this.sources.values()) s?.release();
    emptyMap(this.sources);
    this.prelude?.release();
    this.prelude = undefined;
    for (const s of this.scopes.values()) s.release();
    emptyMap(this.scopes);
    for (const info of this.classInfos.values()) (info.node as unknown) = undefined;
    emptyMap(this.classInfos);
    emptySet(this.resolvingBase);
    emptyMap(this.refusedImports);
    this.interp = undefined;
    this.modelSink = undefined;
  }

  addSource(info: SourceInfo): void {
    this.sources.set(info.path, info);
  }

  /** A workspace file by path, parsed once per run (and cached across runs by content). */
  source(file: string): SourceInfo | undefined {
    if (this.sources.has(file)) return this.sources.get(file) ?? undefined;
    let text: string | undefined;
    try {
      text = this.host.readFile(file);
    } catch {
      text = undefined;
    }
    // Parsing an import is work for this file's budget too (its text, then the clock).
    if (text !== undefined) this.interp?.fileBudget.charge(text.length);
    const info = text === undefined ? null : new SourceInfo(file, text, parseCached(file, text));
    this.sources.set(file, info);
    if (info) this.interp?.fileBudget.check();
    return info ?? undefined;
  }

  resolve(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), spec.replace(/\.(js|mjs|cjs)$/, ''));
    for (const ext of ['', ...EXTENSIONS]) {
      const candidate = base + ext;
      if (candidate === from) continue;
      if (this.source(candidate)) return candidate;
      const why = this.host.whyUnreadable?.(candidate);
      if (why && !this.refusedImports.has(spec)) this.refusedImports.set(spec, why);
    }
    return undefined;
  }

  /** Why an import specifier's file was kept out (see fileAccess.ts), for the `?` it leaves. */
  readonly refusedImports = new Map<string, string>();

  noteModel(_interp: Interp, m: SequentialModelValue | FunctionalModelValue): void {
    this.modelSink?.push(m);
  }

  /** The file's top-level scope: imports, constants, enums, functions and classes, each bound on first use. */
  scopeOf(interp: Interp, src: SourceInfo): Scope {
    const existing = this.scopes.get(src);
    if (existing) return existing;
    const scope = new Scope();
    scope.decls = new TopLevel(this, interp, src);
    this.scopes.set(src, scope);
    return scope;
  }

  /** A value imported from `spec` (resolved to `target`, a workspace file, when it is one). */
  imported(interp: Interp, target: string | undefined, spec: string, name: string): Value {
    const other = target ? this.source(target) : undefined;
    if (!other) {
      const why = this.refusedImports.get(spec);
      return new UnknownValue(`${name} comes from ${spec}, which ModelLens could not read${why ? ` (${why})` : ''}`);
    }
    const v = this.scopeOf(interp, other).lookup(name);
    return typeof v === 'symbol' ? new UnknownValue(`${spec} does not export ${name}`) : v;
  }

  /** Class facts, with the base class resolved through scopes (so imported bases work). */
  classInfo(src: SourceInfo, node: ts.ClassDeclaration | ts.ClassExpression, scope?: Scope): ClassInfo {
    const known = this.classInfos.get(node);
    if (known) return known;
    const heritage = extendsClause(node);
    const baseName = heritage ? lastName(heritage) : undefined;
    const info = new ClassInfo(node.name?.text ?? 'AnonymousClass', node, src, baseName, inputShapeTag(src, node), scope ?? (this.interp ? this.scopeOf(this.interp, src) : new Scope()));
    this.classInfos.set(node, info);
    if (baseName === 'Module') info.kind = 'torch-module';
    else if (baseName === 'Layer') info.kind = 'tfjs-layer';

    else if (heritage && isIdentifier(heritage) && !this.resolvingBase.has(node)) {
      // A user base class: inherit its kind (class Base extends nn.Module; class Net extends Base).
      this.resolvingBase.add(node);
      try {
        const v = (info.scope as Scope).lookup(heritage.text);
        if (v instanceof ClassRef && v.info !== info) {
          info.base = v.info;
          info.kind = v.info.kind;
        }
      } finally {
        this.resolvingBase.delete(node);
      }
    }
    if (!info.base && baseName && CONTAINERS.has(baseName) && this.interp && src.path !== PRELUDE_PATH) {
      // `class Stage extends nn.Sequential`: PyTorch's container class (prelude.ts) is its base.
      const base = preludeClass(this.interp, baseName);
      if (base) {
        info.base = base;
        info.kind = 'torch-module';
      }
    }
    return info;
  }
}

/**
 * A file's top-level declarations, indexed by name when its scope is made and bound the first
 * time a name is looked up (Scope.decls). The index holds statement positions, numbers, so it
 * points at nothing; only the names a model uses get values.
 */
class TopLevel implements Declarations {
  private readonly index = new Map<string, number>();

  constructor(
    private readonly project: Project,
    private readonly interp: Interp,
    private readonly src: SourceInfo,
  ) {
    const stmts = src.sf.statements;
    // A later declaration of a name replaces an earlier one (an overload's implementation, say).
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      if (isImportDeclaration(s) && isStringLiteral(s.moduleSpecifier) && s.importClause) {
        const clause = s.importClause;
        if (clause.name) this.index.set(clause.name.text, i);
        const nb = clause.namedBindings;
        if (nb && isNamespaceImport(nb)) this.index.set(nb.name.text, i);
        else if (nb) for (const el of nb.elements) this.index.set(el.name.text, i);
      } else if (isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) if (isIdentifier(d.name) && d.initializer) this.index.set(d.name.text, i);
      } else if ((isFunctionDeclaration(s) || isClassDeclaration(s)) && s.name) {
        this.index.set(s.name.text, i);
        if (hasDefaultExport(s)) this.index.set('default', i);
      } else if (isEnumDeclaration(s)) {
        this.index.set(s.name.text, i);
      } else if (isExportAssignment(s)) {
        this.index.set('default', i);
      }
    }
  }

  bind(name: string, scope: Scope): boolean {
    const i = this.index.get(name);
    if (i === undefined) return false;
    this.index.delete(name);
    const { project, interp, src } = this;
    const s = src.sf.statements[i];
    if (isImportDeclaration(s) && isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const spec = s.moduleSpecifier.text;
      const clause = s.importClause;
      const workspace = spec.startsWith('.');
      const target = workspace ? project.resolve(src.path, spec) : undefined;
      const nb = clause.namedBindings;
      if (clause.name?.text === name) {
        if (workspace) scope.declareLazy(name, new ImportThunk(project, interp, target, spec, 'default'));
        else scope.declare(name, Namespace.root(name));
      } else if (nb && isNamespaceImport(nb)) {
        scope.declare(name, workspace ? new UnknownValue(`namespace imports of workspace files are not followed`) : Namespace.root(name));
      } else if (nb) {
        for (const el of nb.elements) {
          if (el.name.text !== name) continue;
          const imported = (el.propertyName ?? el.name).text;
          if (workspace) scope.declareLazy(name, new ImportThunk(project, interp, target, spec, imported));
          else scope.declare(name, Namespace.root(imported));
        }
      }
    } else if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (isIdentifier(d.name) && d.initializer && d.name.text === name) scope.declareLazy(name, new DeclarationThunk(interp, src, d.initializer, scope));
      }
    } else if (isFunctionDeclaration(s)) {
      scope.declare(name, new FunctionValue(s, scope));
    } else if (isClassDeclaration(s)) {
      scope.declare(name, new ClassRef(project.classInfo(src, s, scope)));
    } else if (isEnumDeclaration(s)) {
      scope.declareLazy(name, new DeclarationThunk(interp, src, s, scope));
    } else if (isExportAssignment(s)) {
      scope.declareLazy(name, new DeclarationThunk(interp, src, s.expression, scope));
    }
    return true;
  }
}

/**
 * A top-level `const x = …`, `export default …` or enum, evaluated on first use in its own file.
 * An object rather than a closure: see release.ts on what closures keep alive.
 */
class DeclarationThunk implements Thunk {
  constructor(
    private readonly interp: Interp,
    private readonly src: SourceInfo,
    private readonly node: ts.Expression | ts.EnumDeclaration,
    private readonly scope: Scope,
  ) {}
  compute(): Value {
    this.interp.enterFile(this.src);
    try {
      return isEnumDeclaration(this.node) ? evalEnum(this.interp, this.node, this.scope) : this.interp.eval(this.node, this.scope);
    } finally {
      this.interp.leaveFile();
    }
  }
}

class ImportThunk implements Thunk {
  constructor(
    private readonly project: Project,
    private readonly interp: Interp,
    private readonly target: string | undefined,
    private readonly spec: string,
    private readonly name: string,
  ) {}
  compute(): Value {
    return this.project.imported(this.interp, this.target, this.spec, this.name);
  }
}

/** The expression after `extends`, if any. */
function extendsClause(node: ts.ClassLikeDeclaration): ts.Expression | undefined {
  const clauses = node.heritageClauses;
  if (!clauses) return undefined;
  for (let i = 0; i < clauses.length; i++) if (clauses[i].token === SK.ExtendsKeyword) return clauses[i].types[0]?.expression;
  return undefined;
}

function hasDefaultExport(s: ts.Statement): boolean {
  return hasModifier(s, SK.DefaultKeyword);
}

function lastName(e: ts.Expression): string | undefined {
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

export function evalEnum(interp: Interp, e: ts.EnumDeclaration, scope: Scope): Value {
  const out: { [key: string]: Value } = {};
  let next = 0;
  const inner = new Scope(scope);
  for (const m of e.members) {
    const name = isIdentifier(m.name) || isStringLiteral(m.name) ? m.name.text : undefined;
    if (name === undefined) continue;
    let v: Value = next;
    if (m.initializer) v = interp.eval(m.initializer, inner);
    out[name] = v;
    inner.declare(name, v);
    next = typeof v === 'number' ? v + 1 : NaN;
  }
  return out;
}

/**
 * `@inputShape [64, 128]` (or several: `[8, 50] [8, 50]`) in the JSDoc just above the class
 * (or its `export`): batch first, NCHW for images.
 */
export function inputShapeTag(src: SourceInfo, node: ts.Node): ClassInfo['inputShapeTag'] {
  // Everything between a node's full start and its own start is trivia, so a tag found there is
  // in one of its leading comments: no comment ranges to collect.
  // The search stays inside that trivia: `indexOf` from here would run on to the next tag in the
  // file, past every untagged class, and make a file of many of them quadratic.
  const text = src.text;
  const end = src.start(node);
  for (let at = node.pos; at < end; at++) {
    if (text.charCodeAt(at) !== 64 /* @ */ || !text.startsWith(TAG, at)) continue;
    let p = at + TAG.length;
    if (p < text.length && isWordChar(text.charCodeAt(p))) continue; // `@inputShapes`: not the tag
    // The tag's text runs to the end of the line, the next tag or the comment's closing `*`.
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c === 10 || c === 64 /* @ */ || c === 42 /* * */) break;
      p++;
    }
    return { text: text.slice(at + TAG.length, p).trim(), line: src.lineOf(at), start: at, end: p };
  }
  return undefined;
}

const TAG = '@inputShape';

/** `\w` of a regular expression. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
