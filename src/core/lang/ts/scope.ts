import type { Value } from '../../framework/values';
import type { ClassInfo } from './values';
import type { SourceInfo } from './source';
import { UnknownValue } from '../../unknown';
import { emptyMap } from '../../release';

/** How a lazy binding gets its value: an object with a method, not a closure (see release.ts). */
export interface Thunk {
  compute(): Value;
}

/** A top-level declaration not evaluated yet: computed on first lookup (see `declareLazy`). */
class Lazy {
  busy = false;
  constructor(readonly thunk: Thunk) {}
}

/** A file's top-level declarations, bound on first use (see Scope.decls). */
export interface Declarations {
  /** Binds `name` in `scope` if the file declares it; says whether it did. */
  bind(name: string, scope: Scope): boolean;
}

/**
 * Lexical scopes of the interpreter. Top-level `const`s and declarations are bound lazily so that
 * a model may refer to a constant declared further down, and a constant that refers to itself
 * (directly or through others) becomes unknown instead of looping.
 *
 * Most scopes hold one to three names (a call's parameters, a loop variable, a block's `const`):
 * those live in three inline slots, so making such a scope is one small object, with no Map and
 * no object per name. The fourth name on, and lazy bindings, go to a Map (a file's top level).
 * `this` and the home class of a method are fields, not names: every call has them.
 */
export class Scope {
  private k0: string | undefined = undefined;
  private v0: Value = undefined;
  private k1: string | undefined = undefined;
  private v1: Value = undefined;
  private k2: string | undefined = undefined;
  private v2: Value = undefined;
  private more: Map<string, Value | Lazy> | undefined = undefined;
  /** `this` of a function or class body; NOT_FOUND in other scopes (`thisValue` looks outward). */
  self: Value | typeof NOT_FOUND = NOT_FOUND;
  /** For a method's scope: the class whose body defines it, where `super.m()` starts looking. */
  home: ClassInfo | undefined = undefined;
  /**
   * For a file's top-level scope: its declarations, bound the first time a name is looked up.
   * Most of a file's names are never used by a model; binding all up front cost more than the
   * rest of a small model's analysis.
   */
  decls: Declarations | undefined = undefined;
  /** For a file's top-level scope: the file (a function of another file runs with that file's line map: see `fileOf`). */
  file: SourceInfo | undefined = undefined;

  constructor(readonly parent?: Scope) {}

  declare(name: string, value: Value): void {
    if (this.k0 === name) this.v0 = value;
    else if (this.k1 === name) this.v1 = value;
    else if (this.k2 === name) this.v2 = value;
    else if (this.more !== undefined && this.more.has(name)) this.more.set(name, value);
    else if (this.k0 === undefined) {
      this.k0 = name;
      this.v0 = value;
    } else if (this.k1 === undefined) {
      this.k1 = name;
      this.v1 = value;
    } else if (this.k2 === undefined) {
      this.k2 = name;
      this.v2 = value;
    } else (this.more ??= new Map()).set(name, value);
  }

  declareLazy(name: string, thunk: Thunk): void {
    // A name lives in one place: a lazy binding replaces an inline one of the same name.
    if (this.k0 === name) this.k0 = this.v0 = undefined;
    else if (this.k1 === name) this.k1 = this.v1 = undefined;
    else if (this.k2 === name) this.k2 = this.v2 = undefined;
    (this.more ??= new Map()).set(name, new Lazy(thunk));
  }

  has(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.k0 === name || s.k1 === name || s.k2 === name || (s.more !== undefined && s.more.has(name))) return true;
      if (s.decls !== undefined && s.decls.bind(name, s)) return true;
    }
    return false;
  }

  lookup(name: string): Value | typeof NOT_FOUND {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.own(name);
      if (v !== NOT_FOUND) return v;
      // Not bound yet: a top-level declaration is bound now, on its first use.
      if (s.decls !== undefined && s.decls.bind(name, s)) return s.own(name);
    }
    return NOT_FOUND;
  }

  /** The binding of `name` in this scope itself (computing a lazy one), or NOT_FOUND. */
  private own(name: string): Value | typeof NOT_FOUND {
    if (this.k0 === name) return this.v0;
    if (this.k1 === name) return this.v1;
    if (this.k2 === name) return this.v2;
    const more = this.more;
    if (more === undefined) return NOT_FOUND;
    const b = more.get(name);
    if (b === undefined && !more.has(name)) return NOT_FOUND;
    if (!(b instanceof Lazy)) return b as Value;
    if (b.busy) return new UnknownValue(`${name} refers to itself`);
    b.busy = true;
    let v: Value;
    try {
      v = b.thunk.compute();
    } finally {
      b.busy = false;
    }
    // Unless evaluating it assigned the name meanwhile, the value replaces the lazy binding.
    if (more.get(name) === b) more.set(name, v);
    return v;
  }

  /** Assigns to the nearest existing binding; declares here when there is none (sloppy assignment). */
  assign(name: string, value: Value): void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      // A top-level name assigned before any read is bound first, so that the assignment reaches it.
      if (s.decls !== undefined && !(s.more !== undefined && s.more.has(name))) s.decls.bind(name, s);
      if (s.k0 === name) {
        s.v0 = value;
        return;
      }
      if (s.k1 === name) {
        s.v1 = value;
        return;
      }
      if (s.k2 === name) {
        s.v2 = value;
        return;
      }
      if (s.more !== undefined && s.more.has(name)) {
        s.more.set(name, value);
        return;
      }
    }
    this.declare(name, value);
  }

  /** Forgets every binding (see Project.release). */
  release(): void {
    this.k0 = this.k1 = this.k2 = undefined;
    this.v0 = this.v1 = this.v2 = undefined;
    this.self = NOT_FOUND;
    this.home = undefined;
    this.decls = undefined;
    this.file = undefined;
    if (this.more) emptyMap(this.more);
  }

  /** `this` here: the nearest enclosing function or class body's. */
  thisValue(): Value | typeof NOT_FOUND {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.self !== NOT_FOUND) return s.self;
    return NOT_FOUND;
  }

  /** The class of the nearest enclosing method, for `super.m()`. */
  homeClass(): ClassInfo | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.home !== undefined) return s.home;
    return undefined;
  }
}

export const NOT_FOUND: unique symbol = Symbol('not found');

/** The file a function closing over `scope` was written in: its outermost scope's. */
export function fileOf(scope: Scope | undefined): SourceInfo | undefined {
  let s = scope;
  for (let depth = 0; s !== undefined && depth < 10_000; depth++) {
    if (s.parent === undefined) return s.file;
    s = s.parent;
  }
  return undefined;
}
