import { UnknownValue } from '../../unknown';
import { Namespace } from '../../framework/values';
import type * as N from './nodes';
import { PyRaise, type PyInterp } from './interp';
import { Scope } from './scope';
import { PyModuleValue, type PyValue } from './values';
import { stdlibModule } from './builtins';
import { execBlock } from './statements';

/**
 * Imports as real code writes them. `torch` and its submodules are library namespaces (the shared
 * catalog and tensor rules give them meaning); `math`, `functools`, `collections`, `dataclasses`
 * are builtins.ts's; a workspace package or module (`from .blocks import ResBlock`,
 * `from mypkg.layers import Head`) is read from the workspace and evaluated once; anything else
 * is unknown with the reason (never executed, never guessed).
 */

const LIBRARIES = new Set(['torch', 'torchvision']);

function library(path: string[]): PyValue | undefined {
  if (!LIBRARIES.has(path[0])) return undefined;
  let ns = Namespace.root(path[0]);
  for (const p of path.slice(1)) ns = ns.child(p);
  return ns;
}

function stdlib(path: string[]): PyValue | undefined {
  const m = stdlibModule(path.join('.'));
  if (!m) return undefined;
  const scope = new Scope(undefined);
  for (const [k, v] of m) scope.vars.set(k, v);
  return new PyModuleValue(path.join('.'), scope);
}

/** The file a module path names, relative to the importing file (level dots) or to its folder's package roots. */
function resolveWorkspace(I: PyInterp, level: number, module: string[]): PyValue | undefined {
  const dir = I.file.path.replace(/[\\/][^\\/]*$/, '');
  const candidates: string[] = [];
  if (level > 0) {
    let base = dir;
    for (let i = 1; i < level; i++) base = base.replace(/[\\/][^\\/]*$/, '');
    const p = [base, ...module].join('/');
    candidates.push(p + '.py', p + '/__init__.py');
  } else {
    // An absolute import of the workspace's own package: look in the file's folder and its parents.
    let base = dir;
    for (let i = 0; i < 6 && base; i++) {
      const p = [base, ...module].join('/');
      candidates.push(p + '.py', p + '/__init__.py');
      const up = base.replace(/[\\/][^\\/]*$/, '');
      if (up === base) break;
      base = up;
    }
  }
  for (const c of candidates) {
    const loaded = I.modules.get(c);
    if (loaded === 'loading') return new UnknownValue(`a circular import of ${module.join('.')}`);
    if (loaded) return new PyModuleValue(module.join('.'), loaded);
    const src = I.load(c);
    if (!src) continue;
    const scope = new Scope(undefined);
    // Its `__name__` (a class's `__module__`): the name it is imported by, or, imported relatively,
    // its place in the packages around it (the folders that hold an __init__.py), as Python names it.
    scope.set('__name__', level === 0 ? module.join('.') : packageName(I, c));
    I.modules.set(c, 'loading');
    I.enterFile(src, undefined);
    try {
      execBlock(I, src.tree.body, scope);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      // A module whose top level raises: what it defined so far stays.
    } finally {
      I.leaveFile();
      I.modules.set(c, scope);
    }
    return new PyModuleValue(module.join('.'), scope);
  }
  return undefined;
}

/** A module file's dotted name: its stem (none for a package's __init__.py) after each enclosing folder that holds an __init__.py. */
function packageName(I: PyInterp, file: string): PyValue {
  const parts = file.split(/[\\/]/);
  const stem = parts.pop()!.replace(/\.py$/, '');
  const names = stem === '__init__' ? [] : [stem];
  let dir = parts.join('/');
  for (let i = 0; i < 16 && parts.length > 1; i++) {
    if (I.host.readFile(`${dir}/__init__.py`) === undefined) break;
    names.unshift(parts.pop()!);
    dir = parts.join('/');
  }
  return names.length > 0 ? names.join('.') : new UnknownValue(`the name of the module ${file} is not known`);
}

function importModule(I: PyInterp, level: number, path: string[]): PyValue {
  if (level === 0) {
    // A library the workspace holds the source of (torchvision opened as a folder, or vendored):
    // its own code, read as any workspace package is. `torch` itself is always the modelled library.
    if (path[0] !== 'torch' && LIBRARIES.has(path[0])) {
      const own = resolveWorkspace(I, 0, path);
      if (own) return own;
    }
    const lib = library(path) ?? stdlib(path);
    if (lib) return lib;
  }
  return resolveWorkspace(I, level, path) ?? new UnknownValue(`the module ${'.'.repeat(level)}${path.join('.')} cannot be read`);
}

export function runImport(I: PyInterp, s: N.Import, scope: Scope): void {
  for (const { path, asname } of s.names) {
    if (asname) scope.set(asname, importModule(I, 0, path));
    else if (LIBRARIES.has(path[0])) scope.set(path[0], Namespace.root(path[0]));
    else scope.set(path[0], importModule(I, 0, path.slice(0, 1)));
  }
}

export function runImportFrom(I: PyInterp, s: N.ImportFrom, scope: Scope): void {
  const mod = importModule(I, s.level, s.module);
  if (!s.names) {
    if (mod instanceof PyModuleValue) for (const [k, v] of mod.scope.vars) if (!k.startsWith('_')) scope.set(k, v);
    return;
  }
  for (const { name, asname } of s.names) {
    let v: PyValue;
    if (mod instanceof Namespace) v = mod.child(name);
    else if (mod instanceof PyModuleValue) {
      v = mod.scope.vars.has(name) ? mod.scope.vars.get(name) : importModule(I, s.level, [...s.module, name]);
      if (v instanceof UnknownValue && !mod.scope.vars.has(name)) v = new UnknownValue(`${name} is not defined in ${mod.name}`);
    } else v = mod;
    scope.set(asname ?? name, v);
  }
}
