// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, isClassDeclaration, isEnumDeclaration, isExportAssignment, isExternalModuleReference, isFunctionDeclaration, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isNamespaceImport, isPropertyAccessExpression, isStringLiteral, isVariableStatement } = ts;
import { UnknownValue } from '../../unknown';
import type { Interp } from './interp';
import { type Declarations, Scope, type Thunk } from './scope';
import { SourceInfo } from './source';
import { hasModifier } from './modifiers';
import { parseCached } from './parseCache';
import { emptyMap, emptySet } from '../../release';
import { CONTAINERS } from '../../framework/moduleApi';
import { catalog } from '../../catalog';
import { PRELUDE_PATH } from './values';
import { preludeClass } from './prelude';
import { FunctionalModelValue, SequentialModelValue, Value } from '../../framework/values';
import { ClassInfo, ClassRef, FunctionValue } from './values';
import { UnreadableImport, libraryMember, libraryModule } from './modules';
import { ModuleResolver, type ResolvedImport } from './resolver';
import { NO_EXPORT, WorkspaceModules, boundNames } from './workspaceModules';
import type { AnalyzerHost } from '../../analyzerHost';


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

  /** What workspace files export (ES and CommonJS), their namespace objects. */
  readonly modules = new WorkspaceModules(this);
  /** TypeScript's module resolution with the workspace's tsconfig/jsconfig (resolver.ts). */
  private readonly resolver: ModuleResolver;
  /** Files' texts as read through the host (null: not readable), read once per run. */
  private readonly texts = new Map<string, string | null>();

  constructor(readonly host: AnalyzerHost) {
    this.resolver = new ModuleResolver(new ProjectIo(this));
  }

  /** A file's text through the host (the file-access rules), read once and charged to the file's budget. */
  readText(file: string): string | undefined {
    const known = this.texts.get(file);
    if (known !== undefined) return known ?? undefined;
    let text: string | undefined;
    try {
      text = this.host.readFile(file);
    } catch {
      text = undefined;
    }
    // Reading an import is work for this file's budget too (its text, then the clock).
    if (text !== undefined) this.interp?.fileBudget.charge(text.length);
    this.texts.set(file, text ?? null);
    return text;
  }

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
    emptyMap(this.texts);
    this.modules.release();
    this.interp = undefined;
    this.modelSink = undefined;
  }

  addSource(info: SourceInfo): void {
    this.sources.set(info.path, info);
  }

  /** A workspace file by path, parsed once per run (and cached across runs by content). */
  source(file: string): SourceInfo | undefined {
    if (this.sources.has(file)) return this.sources.get(file) ?? undefined;
    const text = this.readText(file);
    const info = text === undefined ? null : new SourceInfo(file, text, parseCached(file, text));
    this.sources.set(file, info);
    if (info) this.interp?.fileBudget.check();
    return info ?? undefined;
  }

  /** Which workspace file `spec` names from `from` (TypeScript's resolver), or that it names a library. */
  resolveImport(from: string, spec: string): ResolvedImport {
    const r = this.resolver.resolve(from, spec);
    if (r.refused && !this.refusedImports.has(spec)) this.refusedImports.set(spec, r.refused);
    return r;
  }

  resolve(from: string, spec: string): string | undefined {
    return this.resolveImport(from, spec).file;
  }

  /** A name imported from a workspace file ModelLens could not read: unknown, recognised by name where it makes layers. */
  unreadable(spec: string, name: string, why = this.refusedImports.get(spec)): UnreadableImport {
    return new UnreadableImport(`\`${name}\` comes from ${spec}, which ModelLens could not read${why ? ` (${why})` : ''}`, [name]);
  }

  /** `require('spec')`, `import * as X from 'spec'` in the current file: the library, or the workspace module's exports. */
  required(interp: Interp, spec: string): Value {
    const r = this.resolveImport(interp.file.path, spec);
    if (r.library) return libraryModule(spec, undefined);
    const other = r.file ? this.source(r.file) : undefined;
    if (!other) return this.unreadable(spec, spec.replace(/^.*[\\/]/, ''), r.refused);
    return this.modules.namespaceObject(interp, other);
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
    scope.file = src;
    this.scopes.set(src, scope);
    return scope;
  }

  /** A value imported from `spec` (resolved to `target`, a workspace file, when it is one). */
  imported(interp: Interp, target: string | undefined, spec: string, name: string): Value {
    const other = target ? this.source(target) : undefined;
    if (!other) return this.unreadable(spec, name);
    const v = this.modules.exported(interp, other, name);
    if (v !== NO_EXPORT) return v;
    // Not exported: TypeScript would reject the import; the file's own declaration is the best reading.
    const own = this.scopeOf(interp, other).lookup(name);
    return typeof own === 'symbol' ? new UnknownValue(`${spec} does not export ${name}`) : own;
  }

  /** `import * as blocks from './blocks'`: the workspace file's exports as an object. */
  namespaceOf(interp: Interp, target: string | undefined, spec: string, name: string): Value {
    const other = target ? this.source(target) : undefined;
    return other ? this.modules.namespaceObject(interp, other) : this.unreadable(spec, name);
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
    } else if (!info.base && info.kind === 'plain' && baseName && catalog.torch.has(baseName) && src.path !== PRELUDE_PATH) {
      // `class MyLinear extends nn.Linear`, `class PreNorm extends nn.TransformerEncoderLayer`.
      info.libraryLayerBase = baseName;
      info.kind = 'torch-module';
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
      } else if (isImportEqualsDeclaration(s)) {
        this.index.set(s.name.text, i); // `import tf = require('@tensorflow/tfjs')`
      } else if (isVariableStatement(s)) {
        // `const { layers, sequential } = require(…)` declares each name of the pattern.
        for (const d of s.declarationList.declarations) if (d.initializer) for (const n of boundNames(d.name)) this.index.set(n, i);
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
      const resolved = project.resolveImport(src.path, spec);
      const workspace = !resolved.library;
      const target = resolved.file;
      const nb = clause.namedBindings;
      if (clause.name?.text === name) {
        if (workspace) scope.declareLazy(name, new ImportThunk(project, interp, target, spec, 'default'));
        else scope.declare(name, libraryModule(spec, name));
      } else if (nb && isNamespaceImport(nb)) {
        if (workspace) scope.declareLazy(name, new ImportThunk(project, interp, target, spec, '*', name));
        else scope.declare(name, libraryModule(spec, name));
      } else if (nb) {
        for (const el of nb.elements) {
          if (el.name.text !== name) continue;
          const imported = (el.propertyName ?? el.name).text;
          if (workspace) scope.declareLazy(name, new ImportThunk(project, interp, target, spec, imported));
          else scope.declare(name, libraryMember(spec, imported));
        }
      }
    } else if (isImportEqualsDeclaration(s)) {
      const ref = s.moduleReference;
      if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
        const spec = ref.expression.text;
        const resolved = project.resolveImport(src.path, spec);
        if (resolved.library) scope.declare(name, libraryModule(spec, name));
        else scope.declareLazy(name, new ImportThunk(project, interp, resolved.file, spec, '*', name));
      } else scope.declare(name, new UnknownValue(`\`import ${name} =\` of a namespace is not evaluated`));
    } else if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (!d.initializer) continue;
        if (isIdentifier(d.name)) {
          if (d.name.text === name) scope.declareLazy(name, new DeclarationThunk(interp, src, d.initializer, scope));
        } else if (boundNames(d.name).includes(name)) {
          // One evaluation of the initializer for all the pattern's names.
          const shared = new DeclarationThunk(interp, src, d.initializer, scope);
          for (const n of boundNames(d.name)) {
            if (n === name || this.index.get(n) === i) {
              this.index.delete(n);
              scope.declareLazy(n, new PatternThunk(interp, src, d.name, shared, n, scope));
            }
          }
        }
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
  private computed = false;
  private result: Value = undefined;
  /** The value, computed on the first call only (a destructuring's names share it). */
  once(): Value {
    if (!this.computed) {
      this.computed = true;
      this.result = this.compute();
    }
    return this.result;
  }
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
    /** The export imported; `*` for the whole module (bound to `local`). */
    private readonly name: string,
    private readonly local?: string,
  ) {}
  compute(): Value {
    if (this.name === '*') return this.project.namespaceOf(this.interp, this.target, this.spec, this.local ?? this.spec);
    return this.project.imported(this.interp, this.target, this.spec, this.name);
  }
}

/** One name of a top-level destructuring (`const { layers, sequential } = require(…)`): the shared initializer's value, taken apart. */
class PatternThunk implements Thunk {
  constructor(
    private readonly interp: Interp,
    private readonly src: SourceInfo,
    private readonly pattern: ts.BindingName,
    private readonly init: DeclarationThunk,
    private readonly name: string,
    private readonly fileScope: Scope,
  ) {}
  compute(): Value {
    const v = this.init.once();
    const scope = new Scope(this.fileScope);
    this.interp.enterFile(this.src);
    try {
      this.interp.bindName(this.pattern, v, scope);
    } finally {
      this.interp.leaveFile();
    }
    const out = scope.lookup(this.name);
    return typeof out === 'symbol' ? undefined : out;
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

/** The resolver's reads: the project's, under the file-access rules (an object, not closures: see release.ts). */
class ProjectIo {
  constructor(private readonly project: Project) {}
  readText(file: string): string | undefined {
    return this.project.readText(file);
  }
  whyUnreadable(file: string): string | undefined {
    return this.project.host.whyUnreadable?.(file);
  }
}
