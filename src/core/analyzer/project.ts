// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { SyntaxKind: SK, canHaveModifiers, getLeadingCommentRanges, getModifiers, isClassDeclaration, isEnumDeclaration, isExportAssignment, isFunctionDeclaration, isIdentifier, isImportDeclaration, isNamespaceImport, isPropertyAccessExpression, isStringLiteral, isVariableStatement } = ts;
import * as path from 'path';
import { UnknownValue } from '../unknown';
import type { Interp } from './interp';
import { Scope } from './scope';
import { SourceInfo } from './source';
import { parseCached } from './parseCache';
import { emptyMap, emptySet } from './release';
import { ClassInfo, ClassRef, FunctionValue, FunctionalModelValue, Namespace, SequentialModelValue, Value } from './values';

/** Where the analyzer reads other files from (the disk for the CLI, open documents in VS Code). */
export interface AnalyzerHost {
  readFile(file: string): string | undefined;
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
    const info = text === undefined ? null : new SourceInfo(file, text, parseCached(file, text));
    this.sources.set(file, info);
    return info ?? undefined;
  }

  resolve(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), spec.replace(/\.(js|mjs|cjs)$/, ''));
    for (const ext of ['', ...EXTENSIONS]) {
      const candidate = base + ext;
      if (candidate === from) continue;
      if (this.source(candidate)) return candidate;
    }
    return undefined;
  }

  noteModel(_interp: Interp, m: SequentialModelValue | FunctionalModelValue): void {
    this.modelSink?.push(m);
  }

  /** The file's top-level scope: imports, constants, enums, functions and classes, each bound lazily. */
  scopeOf(interp: Interp, src: SourceInfo): Scope {
    const existing = this.scopes.get(src);
    if (existing) return existing;
    const scope = new Scope();
    this.scopes.set(src, scope);
    for (const s of src.sf.statements) this.declareTopLevel(interp, src, s, scope);
    return scope;
  }

  private declareTopLevel(interp: Interp, src: SourceInfo, s: ts.Statement, scope: Scope): void {
    if (isImportDeclaration(s) && isStringLiteral(s.moduleSpecifier) && s.importClause) {
      const spec = s.moduleSpecifier.text;
      const clause = s.importClause;
      const target = spec.startsWith('.') ? this.resolve(src.path, spec) : undefined;
      const fromFile = (name: string) => () => {
        const other = target ? this.source(target) : undefined;
        if (!other) return new UnknownValue(`${name} comes from ${spec}, which ModelLens could not read`);
        const v = this.scopeOf(interp, other).lookup(name);
        return typeof v === 'symbol' ? new UnknownValue(`${spec} does not export ${name}`) : v;
      };
      if (clause.name) {
        if (spec.startsWith('.')) scope.declareLazy(clause.name.text, fromFile('default'));
        else scope.declare(clause.name.text, Namespace.root(clause.name.text));
      }
      const nb = clause.namedBindings;
      if (nb && isNamespaceImport(nb)) {
        scope.declare(nb.name.text, spec.startsWith('.') ? new UnknownValue(`namespace imports of workspace files are not followed`) : Namespace.root(nb.name.text));
      } else if (nb) {
        for (const el of nb.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (spec.startsWith('.')) scope.declareLazy(el.name.text, fromFile(imported));
          else scope.declare(el.name.text, Namespace.root(imported));
        }
      }
      return;
    }
    if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (isIdentifier(d.name) && d.initializer) {
          const init = d.initializer;
          scope.declareLazy(d.name.text, () => interp.withFile(src, () => interp.eval(init, scope)));
        }
      }
      return;
    }
    if (isFunctionDeclaration(s) && s.name) {
      scope.declare(s.name.text, new FunctionValue(s, scope));
      if (hasDefaultExport(s)) scope.declare('default', new FunctionValue(s, scope));
      return;
    }
    if (isClassDeclaration(s) && s.name) {
      const info = this.classInfo(src, s, scope);
      scope.declare(s.name.text, new ClassRef(info));
      if (hasDefaultExport(s)) scope.declare('default', new ClassRef(info));
      return;
    }
    if (isEnumDeclaration(s)) {
      scope.declareLazy(s.name.text, () => interp.withFile(src, () => evalEnum(interp, s, scope)));
      return;
    }
    if (isExportAssignment(s)) {
      const e = s.expression;
      scope.declareLazy('default', () => interp.withFile(src, () => interp.eval(e, scope)));
    }
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
    return info;
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
  const mods = canHaveModifiers(s) ? getModifiers(s) : undefined;
  return !!mods?.some((m) => m.kind === SK.DefaultKeyword);
}

function lastName(e: ts.Expression): string | undefined {
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function evalEnum(interp: Interp, e: ts.EnumDeclaration, scope: Scope): Value {
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
function inputShapeTag(src: SourceInfo, node: ts.Node): ClassInfo['inputShapeTag'] {
  const ranges = getLeadingCommentRanges(src.text, node.pos) ?? [];
  for (const r of ranges) {
    const comment = src.text.slice(r.pos, r.end);
    const m = /@inputShape\b([^\n@*]*)/.exec(comment);
    if (m) {
      const start = r.pos + m.index;
      return { text: m[1].trim(), line: src.lineOf(start), start, end: start + m[0].length };
    }
  }
  return undefined;
}
