import type { PyValue } from './values';

/**
 * A Python namespace: a function's locals, a module's globals. Reads fall back to the enclosing
 * function scopes, then the module, then the builtins (a class body's names are not visible to its
 * methods, as in Python). `global` names write through to the module.
 */
export class Scope {
  readonly vars = new Map<string, PyValue>();
  private globalNames?: Set<string>;
  /** The module scope (itself for a module). */
  readonly module: Scope;
  constructor(
    readonly parent: Scope | undefined,
    module?: Scope,
  ) {
    this.module = module ?? this;
  }

  lookup(name: string): PyValue | typeof MISSING {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    return MISSING;
  }

  set(name: string, v: PyValue): void {
    if (this.globalNames?.has(name) && this.module) this.module.vars.set(name, v);
    else this.vars.set(name, v);
  }

  declareGlobal(name: string): void {
    (this.globalNames ??= new Set()).add(name);
  }
}

export const MISSING: unique symbol = Symbol('missing');
