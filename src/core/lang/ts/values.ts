import type * as ts from 'typescript';
import { LanguageValue, type ModuleClass, type Value } from '../../framework/values';
import type { SourceInfo } from './source';

/**
 * The TypeScript interpreter's own values: functions and classes of the analyzed code. They live
 * in the shared Value world as LanguageValues (framework/values.ts), opaque to the semantics there.
 */

/** Where prelude.ts parses its source from (a path no workspace file can have). */
export const PRELUDE_PATH = '<modellens>/torch-prelude.ts';

export class FunctionValue extends LanguageValue {
  constructor(
    readonly node: ts.FunctionLikeDeclaration,
    /** Scope the function closes over. */
    readonly closure: unknown,
    /** `this` bound for methods. */
    readonly self?: unknown,
    /** For methods: the class whose body defines it (where `super.method()` starts looking). */
    readonly home?: ClassInfo,
  ) {
    super();
  }
}

/** A class declaration the interpreter can instantiate (a class, not a literal: see `Site`). */
export class ClassInfo implements ModuleClass {
  /** Resolved base when it is a user class. */
  base?: ClassInfo = undefined;
  kind: 'torch-module' | 'tfjs-layer' | 'plain' = 'plain';
  /**
   * A PyTorch library layer it derives from (`class MyLinear extends nn.Linear`), whose own
   * parameters and construction the TypeScript front end does not model: its instances are unknown
   * layers (classes.ts), never objects without parameters.
   */
  libraryLayerBase?: string;
  /** How many instantiations of it are under way (the circular-reference guard, classes.ts). */
  instantiating = 0;
  /** Its static fields as read or written so far (`Bottleneck.expansion`). */
  private staticValues?: Map<string, Value>;
  statics(): Map<string, Value> {
    return (this.staticValues ??= new Map());
  }
  constructor(
    readonly name: string,
    /** Not readonly only so that Project.release can drop it. */
    public node: ts.ClassDeclaration | ts.ClassExpression,
    readonly source: SourceInfo,
    /** The base class expression's last name: `Module`, `Layer`, `ResBlock`. */
    readonly baseName: string | undefined,
    /** `@inputShape` JSDoc tag text, if any. */
    readonly inputShapeTag: { text: string; line: number; start: number; end: number } | undefined,
    /** The top-level scope of its file (a `Scope`; typed loosely to keep this module dependency-free). */
    readonly scope: unknown,
  ) {}

  /**
   * The prelude's classes (PyTorch's own, transcribed) it is or derives from, nearest first
   * (ModuleClass.libraryLineage): `class Stage extends nn.Sequential` gives `['Sequential']`.
   */
  libraryLineage(): string[] {
    const out: string[] = [];
    for (let c: ClassInfo | undefined = this; c; c = c.base) if (c.source.path === PRELUDE_PATH) out.push(c.name);
    return out;
  }
}

export class ClassRef extends LanguageValue {
  constructor(readonly info: ClassInfo) {
    super();
  }
}
