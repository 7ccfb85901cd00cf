import type { Value } from './values';
import { UnknownValue } from '../unknown';

/**
 * Lexical scopes of the interpreter. Top-level `const`s and declarations are bound lazily so that
 * a model may refer to a constant declared further down, and a constant that refers to itself
 * (directly or through others) becomes unknown instead of looping.
 */
/** One class for plain and lazy bindings: lookups stay monomorphic. */
class Binding {
  busy = false;
  constructor(
    public value: Value,
    /** Set until the lazy value is computed. */
    public lazy?: () => Value,
  ) {}
}

export class Scope {
  /** Created on first declaration: most block scopes never declare anything. */
  private vars?: Map<string, Binding>;
  constructor(readonly parent?: Scope) {}

  private map(): Map<string, Binding> {
    return (this.vars ??= new Map());
  }

  declare(name: string, value: Value): void {
    this.map().set(name, new Binding(value));
  }

  declareLazy(name: string, compute: () => Value): void {
    this.map().set(name, new Binding(undefined, compute));
  }

  has(name: string): boolean {
    return (this.vars?.has(name) ?? false) || (this.parent?.has(name) ?? false);
  }

  lookup(name: string): Value | typeof NOT_FOUND {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.vars?.get(name);
      if (!b) continue;
      if (b.lazy === undefined) return b.value;
      if (b.busy) return new UnknownValue(`${name} refers to itself`);
      b.busy = true;
      let v: Value;
      try {
        v = b.lazy();
      } finally {
        b.busy = false;
      }
      b.value = v;
      b.lazy = undefined;
      return v;
    }
    return NOT_FOUND;
  }

  /** Assigns to the nearest existing binding; declares here when there is none (sloppy assignment). */
  assign(name: string, value: Value): void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.vars?.get(name);
      if (b) {
        b.value = value;
        b.lazy = undefined;
        return;
      }
    }
    this.map().set(name, new Binding(value));
  }
}

export const NOT_FOUND: unique symbol = Symbol('not found');
