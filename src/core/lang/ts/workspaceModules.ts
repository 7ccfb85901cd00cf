// `import = require` keeps the bundle from wrapping the module in per-property getters.
import ts = require('typescript');
import { UnknownValue } from '../../unknown';
import type { Interp } from './interp';
import type { Project } from './project';
import type { SourceInfo } from './source';
import { libraryMember, libraryModule } from './modules';
import { memberOf } from './soundness';
import { emptyMap } from '../../release';
import { Value, isPlainObjectValue } from '../../framework/values';

/**
 * What a workspace file exports, as JavaScript defines it: ES exports (`export const`, `export
 * { a as b }`, `export default`), re-exports (`export { nn } from 'js-pytorch'`, `export * from
 * './blocks'`, `export * as blocks from`, `export { default as Net } from`) and CommonJS
 * (`module.exports = …`, `exports.x = …`). Imports, `require` and namespace objects read a
 * file through this table; values are still computed only when used.
 */
type ExportEntry = { local: string } | { from: string; name: string };

export class ExportTable {
  readonly entries = new Map<string, ExportEntry>();
  /** `export * from 'spec'`, in order. */
  readonly stars: string[] = [];
  /** The top-level `module.exports = …` / `exports.x = …` statements, in order. */
  readonly commonJs: ts.ExpressionStatement[] = [];

  constructor(sf: ts.SourceFile) {
    for (const s of sf.statements) {
      if (ts.isExportDeclaration(s)) {
        const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
        const clause = s.exportClause;
        if (!clause) {
          if (from !== undefined) this.stars.push(from);
        } else if (ts.isNamespaceExport(clause)) {
          if (from !== undefined) this.entries.set(clause.name.text, { from, name: '*' });
        } else {
          for (const el of clause.elements) {
            const inner = (el.propertyName ?? el.name).text;
            this.entries.set(el.name.text, from !== undefined ? { from, name: inner } : { local: inner });
          }
        }
      } else if (ts.isExportAssignment(s)) {
        this.entries.set('default', { local: 'default' });
      } else if (hasExport(s)) {
        const isDefault = ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
        if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) this.entries.set(isDefault ? 'default' : s.name.text, { local: s.name.text });
        else if (ts.isEnumDeclaration(s)) this.entries.set(s.name.text, { local: s.name.text });
        else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) for (const n of boundNames(d.name)) this.entries.set(n, { local: n });
      } else if (ts.isExpressionStatement(s) && isCommonJsExport(s.expression)) {
        this.commonJs.push(s);
      }
    }
  }

  /** Every name it exports itself (stars not included). */
  names(): string[] {
    return [...this.entries.keys()];
  }
}

function hasExport(s: ts.Statement): boolean {
  return ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The names a binding pattern declares (`{ a, b: [c, ...d] }` → a, c, d). */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...boundNames(el.name));
  return out;
}

/** `module.exports = …`, `module.exports.x = …`, `exports.x = …`. */
function isCommonJsExport(e: ts.Expression): boolean {
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  return isModuleExports(e.left) || (ts.isPropertyAccessExpression(e.left) && (isModuleExports(e.left.expression) || isIdentifierNamed(e.left.expression, 'exports')));
}

function isModuleExports(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && e.name.text === 'exports' && isIdentifierNamed(e.expression, 'module');
}

function isIdentifierNamed(e: ts.Expression, name: string): boolean {
  return ts.isIdentifier(e) && e.text === name;
}

/** How deep re-exports are followed (a cycle of files stops here too). */
const MAX_REEXPORT_DEPTH = 16;

/**
 * The workspace modules of one run: export tables, CommonJS `module.exports` values and
 * namespace objects, each made once.
 */
export class WorkspaceModules {
  private readonly tables = new Map<SourceInfo, ExportTable>();
  private readonly cjs = new Map<SourceInfo, Value>();
  private readonly namespaces = new Map<SourceInfo, Value>();

  constructor(private readonly project: Project) {}

  table(src: SourceInfo): ExportTable {
    let t = this.tables.get(src);
    if (!t) this.tables.set(src, (t = new ExportTable(src.sf)));
    return t;
  }

  /** Export `name` of `src` (`default` included); undefined when it does not export it. */
  exported(interp: Interp, src: SourceInfo, name: string, depth = 0): Value | typeof NO_EXPORT {
    if (depth > MAX_REEXPORT_DEPTH) return new UnknownValue(`the re-exports of ${name} go deeper than ${MAX_REEXPORT_DEPTH} files`);
    const t = this.table(src);
    if (t.commonJs.length > 0) {
      const exportsValue = this.commonJsExports(interp, src);
      if (name === 'default') return exportsValue;
      const v = memberOf(exportsValue, name);
      if (v !== undefined) return v;
    }
    const e = t.entries.get(name);
    if (e && 'local' in e) return this.local(interp, src, e.local);
    if (e) return this.fromModule(interp, src, e.from, e.name, depth);
    for (const spec of t.stars) {
      if (name === 'default') break; // `export *` does not re-export a default
      const target = this.project.resolveImport(src.path, spec);
      if (target.library) return libraryMember(spec, name);
      const other = target.file ? this.project.source(target.file) : undefined;
      if (!other) continue;
      const v = this.exported(interp, other, name, depth + 1);
      if (v !== NO_EXPORT) return v;
    }
    return NO_EXPORT;
  }

  /** `import … from spec` inside `src`: a library's member, or a workspace file's export. */
  private fromModule(interp: Interp, src: SourceInfo, spec: string, name: string, depth: number): Value {
    const target = this.project.resolveImport(src.path, spec);
    if (target.library) return name === '*' ? libraryModule(spec, undefined) : libraryMember(spec, name);
    const other = target.file ? this.project.source(target.file) : undefined;
    if (!other) return this.project.unreadable(spec, name, target.refused);
    if (name === '*') return this.namespaceObject(interp, other);
    const v = this.exported(interp, other, name, depth + 1);
    return v === NO_EXPORT ? new UnknownValue(`${spec} does not export ${name}`) : v;
  }

  private local(interp: Interp, src: SourceInfo, name: string): Value {
    const v = this.project.scopeOf(interp, src).lookup(name);
    return typeof v === 'symbol' ? new UnknownValue(`${name} is not defined in ${src.path}`) : v;
  }

  /** `module.exports` after the file's top-level export statements ran (in its own scope). */
  commonJsExports(interp: Interp, src: SourceInfo): Value {
    if (this.cjs.has(src)) return this.cjs.get(src);
    const scope = this.project.scopeOf(interp, src);
    // `exports` is the object `module.exports` starts as; assigning `module.exports` replaces only the latter.
    const exportsObject: { [key: string]: Value } = {};
    let exportsValue: Value = exportsObject;
    this.cjs.set(src, exportsValue); // a file requiring itself sees what is exported so far
    interp.enterFile(src);
    try {
      for (const s of this.table(src).commonJs) {
        const assign = s.expression as ts.BinaryExpression;
        const v = interp.eval(assign.right, scope);
        if (isModuleExports(assign.left)) {
          exportsValue = v;
        } else {
          const key = (assign.left as ts.PropertyAccessExpression).name.text;
          const target = isModuleExports((assign.left as ts.PropertyAccessExpression).expression) ? exportsValue : exportsObject;
          if (isPlainObjectValue(target)) target[key] = v;
        }
        this.cjs.set(src, exportsValue);
      }
    } finally {
      interp.leaveFile();
    }
    return exportsValue;
  }

  /**
   * `import * as blocks from './blocks'`, `require('./blocks')` of an ES module: an object whose
   * members are its exports, each computed when first read.
   */
  namespaceObject(interp: Interp, src: SourceInfo): Value {
    if (this.namespaces.has(src)) return this.namespaces.get(src);
    const t = this.table(src);
    if (t.commonJs.length > 0 && t.entries.size === 0) {
      const v = this.commonJsExports(interp, src);
      this.namespaces.set(src, v);
      return v;
    }
    const obj: { [key: string]: Value } = {};
    this.namespaces.set(src, obj);
    for (const name of this.allNames(src, 0, new Set())) {
      Object.defineProperty(obj, name, {
        get: () => {
          const v = this.exported(interp, src, name);
          return v === NO_EXPORT ? undefined : v;
        },
        enumerable: true,
        configurable: true,
      });
    }
    return obj;
  }

  /** Its exports' names, through `export *` of workspace files. */
  private allNames(src: SourceInfo, depth: number, seen: Set<SourceInfo>): string[] {
    if (seen.has(src) || depth > MAX_REEXPORT_DEPTH) return [];
    seen.add(src);
    const t = this.table(src);
    const names = t.names();
    for (const spec of t.stars) {
      const target = this.project.resolveImport(src.path, spec);
      const other = target.file ? this.project.source(target.file) : undefined;
      if (other) for (const n of this.allNames(other, depth + 1, seen)) if (n !== 'default' && !names.includes(n)) names.push(n);
    }
    return names;
  }

  release(): void {
    emptyMap(this.tables);
    emptyMap(this.cjs);
    emptyMap(this.namespaces);
  }
}

export const NO_EXPORT: unique symbol = Symbol('no export');
