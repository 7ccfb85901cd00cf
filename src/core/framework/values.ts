import { Args, LayerSpec } from '../args';
import { commas, paramsWithoutInput } from '../catalog/util';
import type { LayerEntry } from '../catalog/types';
import type { Shape } from '../shape';
import { UnknownValue } from '../unknown';

/**
 * Where something was written, in any language: a span of the file's text. A TypeScript node is
 * one (its `pos` may include leading trivia; `SourceInfo.start` skips it), and so is a node of the
 * Python front end (src/core/lang/python/nodes.ts). The shared semantics (values, the recorder,
 * tensor ops, model totals) keep and pass these without looking inside.
 */
export interface Loc {
  readonly pos: number;
  readonly end: number;
}

/** A source file as the shared semantics see it, whatever its language: its path and line map. */
export interface SourceText {
  readonly path: string;
  readonly text: string;
  lineOf(pos: number): number;
}

/** What a module's class is to the shared semantics (the TypeScript `ClassInfo`, a Python class). */
export interface ModuleClass {
  readonly name: string;
  /**
   * The library classes it is or derives from (a front end's transcriptions of PyTorch's own, such
   * as `Sequential` in the TypeScript prelude), nearest first: what `isinstance` and the container
   * rules see.
   */
  libraryLineage?(): string[];
  /** Its file, when that file's sites can stand for a layer's place in the user's code (see withAnchor). */
  readonly source?: { anchor?: Site };
}

/**
 * Values of the static interpreter. Plain numbers, strings, arrays and objects mirror what the
 * user wrote; the classes below stand for the things ModelLens cares about: layers, user
 * modules, symbolic tensors, models and functions.
 */

/**
 * Where something was written: its file, start offset and 1-based line, computed once.
 *
 * Objects that point at a file (`SourceInfo`, hence its whole syntax tree) are classes, never
 * object literals. V8 allocates long-lived literals straight into the old generation
 * ("pretenuring"), and an old object that points into a young tree keeps that tree alive
 * through every young-generation collection until the next full one, even after the analysis
 * has dropped both: in a cold analysis each tree was then copied twice, which cost more than
 * the analysis itself. `new` of a class is never pretenured.
 */
export class Site {
  constructor(
    readonly file: SourceText,
    readonly start: number,
    readonly line: number,
    /** End of the node: set when the site stands for another node's (see SourceInfo.anchor). */
    readonly end?: number,
  ) {}
}

/** A layer object: `new nn.Linear(…)`, `tf.layers.dense({…})`, or an unknown kind. */
export class LayerInstance extends LayerSpec {
  /** How often forward/apply called it (reuse detection). */
  calls = 0;
  /** The module-tree count that last reached it (torchModel.ts counts each object once). */
  counted = 0;
  /** Registered as a module attribute or container child (its PyTorch name is fixed then). */
  registered = false;
  /** The ModuleList or Sequential holding it: its row is this one's parent, as in torchinfo's tree. */
  owner?: LayerInstance | ModuleInstance;
  /** tfjs: weights are created on the first call (build); counts are fixed then. */
  built?: Built;
  /** Made in the `then` branch of a condition with no static value: "exists only if `useNorm` is true…". */
  conditional?: string;
  /** A Sequential's children's names when given as an object (`{ conv: …, relu: … }`); else their indices. */
  childNames?: string[];
  /** A composite PyTorch layer run as its transcribed module (see LayerEntry.expand); null: runs as one row. */
  expanded?: ModuleInstance | null;
  /** A deep copy of a template layer (`TransformerEncoder` clones its `encoder_layer`): see `LayerRow.cloned`. */
  copied?: boolean;
  /** Its bound arguments as JSON (`LayerRow.args`), made at its first row and shared by the rest. */
  serialized?: Record<string, unknown>;
  /** The modules its kind registers inside it (LayerEntry.submodules, MultiheadAttention's out_proj), made when first needed. */
  submodules?: [string, LayerInstance][];
  /** For such a submodule: the layer that holds it and reads its weights (it is never called itself). */
  heldBy?: LayerInstance;
  /** Its parameters by name, made when code first reads one (`fc.weight`); a tied one is another layer's. */
  slots?: Map<string, ParameterValue>;
  /** `requires_grad_(false)` on the whole layer (a kind whose parameters are not listed by name). */
  frozenAll?: boolean;
  /** tfjs: `layer.trainable = flag` written before the layer was built (read when it is counted). */
  trainableFlag?: boolean;
  /**
   * Which expression gave which argument, by parameter name (quick fixes edit the exact literal):
   * set at construction by a front end that has it at hand (Python), or read from the syntax when
   * first needed (TypeScript: `EvalHost.argNodes`).
   */
  argNodeMap?: ReadonlyMap<string, Loc>;
  constructor(
    entry: LayerEntry,
    args: Args,
    readonly node: Loc,
    readonly site: Site,
    /** PyTorch-shaped: the constructor call's argument expressions (see `argNodeMap`). */
    readonly argExprs: readonly Loc[] | undefined,
    /** The object literal that gave keyword arguments (PyTorch) or the config (tfjs). */
    readonly keywordsExpr: Loc | undefined,
    name?: string,
  ) {
    super(entry, args, name);
  }
  get line(): number {
    return this.site.line;
  }
  userName?: string;
  get displayName(): string {
    return this.userName ?? this.name ?? this.entry.type;
  }
}

/**
 * A layer's weights, counted once (tfjs: at its first call with a known input). The formula
 * (`128 × 516 + 516 = 66,564`) is written when first read, by running the parameter rule again
 * with formulas on (catalog/util.ts `formulas`).
 */
export class Built {
  private written: string | undefined = undefined;
  constructor(
    readonly trainable: number | null,
    readonly nonTrainable: number | null,
    /** Why the counts are unknown. */
    readonly reason?: string,
    /** The rule and what it saw (counted ones); `inputs` undefined: counted without an input. */
    private readonly entry?: LayerEntry,
    private readonly args?: Args,
    private readonly inputs?: Shape[],
  ) {}

  get formula(): string | undefined {
    const { entry, args, inputs } = this;
    if (this.written === undefined && entry && args && this.trainable !== null && this.nonTrainable !== null) {
      try {
        const p = inputs ? entry.params(args, inputs) : paramsWithoutInput(entry, args);
        this.written = `${p.formula} = ${commas(this.trainable + this.nonTrainable)}`;
      } catch {
        this.written = undefined; // the rule succeeded when counting; nothing else can fail it
      }
    }
    return this.written;
  }
}

/** A layer whose kind ModelLens does not know: it still becomes a row, with `?` and a reason. */
export class UnknownLayer {
  calls = 0;
  counted = 0;
  userName?: string;
  registered = false;
  owner?: LayerInstance | ModuleInstance;
  /** Why it is unknown: "unknown layer" or the configuration error. */
  reason = 'unknown layer';
  constructor(
    readonly typeName: string,
    readonly framework: 'torch' | 'tfjs',
    readonly node: Loc,
    readonly site: Site,
  ) {}
  get line(): number {
    return this.site.line;
  }
}

/** An instance of a user-defined `nn.Module` subclass. */
export class ModuleInstance {
  /** Registered attributes (PyTorch's `_modules` and plain attributes). */
  readonly fields = new Map<string, Value>();
  /** Their names in assignment order (PyTorch's registration order), to walk without an iterator. */
  readonly fieldNames: string[] = [];
  counted = 0;
  /** Own `nn.Parameter`s by name; made for the first one (most modules have none). */
  parameters?: Map<string, ParameterValue>;
  calls = 0;
  userName?: string;
  registered = false;
  owner?: LayerInstance | ModuleInstance;
  /** Made in the `then` branch of a condition with no static value (see LayerInstance). */
  conditional?: string;
  /**
   * Why a child was registered that ModelLens does not know (`add_module('1', Permute(…))` with
   * Permute unreadable): the container's children, their count, positions and iteration are unknown.
   */
  holdsUnknown?: string;
  constructor(
    /** A `ClassInfo` when TypeScript defined it; the Python front end's class otherwise. */
    readonly cls: ModuleClass,
    readonly node: Loc,
    readonly site: Site,
  ) {}
  get line(): number {
    return this.site.line;
  }
}

/** A tensor flowing through forward/apply: its shape (null = unknown) and where it came from. */
export class SymTensor {
  constructor(
    readonly shape: Shape | null,
    /** Producing row id, or -(k+1) for model input k. */
    readonly src: number,
    /** Why the shape is unknown. */
    readonly reason?: string,
    /** Integer tokens (embedding inputs): for forward passes and docs. */
    readonly dtype: 'float32' | 'int32' = 'float32',
    /** Which of the producer's outputs this is (its index in the row's `outputShapes`): `h` vs `c`. */
    readonly out = 0,
  ) {}
}

/**
 * A value only one language has, which the shared semantics keep and pass along without looking
 * inside: the TypeScript interpreter's functions and classes (lang/ts/values.ts).
 */
export abstract class LanguageValue {
  /** Nominal: only a front end's own value classes are one, never a plain object. */
  declare private readonly languageValue: never;
}

/** tf.sequential(): layers added in order; resolved when the builder scope finishes. */
export class SequentialModelValue {
  readonly layers: Value[] = [];
  userName?: string;
  /** `model.trainable = false`: every weight of it counts as non-trainable (tfjs's Container setter). */
  frozen?: boolean;
  /** `tf.sequential({name: 'encoder'})`. */
  configName?: string;
  /** The name tfjs gives it otherwise (`sequential_1`), as a layer of another model. */
  autoName?: string;
  /** Applied as a layer of another model: what it is as a layer (see Recorder.callSequentialModel). */
  asLayer?: { trainable: number | null; nonTrainable: number | null; input: Shape | null; output: Shape | null; reason?: string };
  constructor(
    readonly node: Loc,
    readonly line: number,
  ) {}
}

/** tf.model({inputs, outputs}). */
export class FunctionalModelValue {
  userName?: string;
  /** `model.trainable = false` (see SequentialModelValue). */
  frozen?: boolean;
  configName?: string;
  constructor(
    readonly node: Loc,
    readonly line: number,
    readonly inputs: Value,
    readonly outputs: Value,
  ) {}
}

/** A built-in the interpreter provides (`this.addWeight` inside a custom tfjs layer's build). */
export class NativeFunction {
  constructor(readonly fn: (args: Value[], node: Loc) => Value) {}
}

/**
 * A parameter tensor: `new nn.Parameter(torch.randn(3, 4))` on a user module, or a layer's own
 * `weight`/`bias` once code reads it (`this.head.weight = this.embed.weight`). It is a tensor in
 * forward (a constant of its shape), and an object with an identity when counting: PyTorch's
 * `parameters()` yields a shared (tied) tensor once, and `requires_grad = false` makes it frozen.
 */
export class ParameterValue extends SymTensor {
  /** The module-tree count that last reached it (torchModel.ts counts each tensor once). */
  counted = 0;
  /** `requires_grad` is false: counted as non-trainable. */
  frozen = false;
  readonly numel: number | null;
  constructor(
    shape: Shape | null,
    reason?: string,
    /** Stands for all of this layer's parameters (a kind whose weights are not listed by name). */
    readonly whole?: LayerInstance,
    numel?: number | null,
  ) {
    super(shape, -1000, reason);
    this.numel = numel !== undefined ? numel : shape && shape.every((d) => d !== null) ? (shape as number[]).reduce((a, b) => a * b, 1) : null;
  }
}

/** A namespace-like object we recognise by name (`tf`, `nn`, `torch`, `F`, `Math`). */
export class Namespace {
  /** Interned: `tf.layers.dense` is one object, so paths are never rebuilt or re-split. */
  private static readonly roots = new Map<string, Namespace>();
  private children?: Map<string, Namespace>;
  readonly last: string;
  private constructor(
    readonly path: string,
    readonly parts: readonly string[],
  ) {
    this.last = parts[parts.length - 1];
  }

  static root(name: string): Namespace {
    let ns = Namespace.roots.get(name);
    if (!ns) {
      ns = new Namespace(name, [name]);
      if (Namespace.roots.size < 256) Namespace.roots.set(name, ns);
    }
    return ns;
  }

  child(key: string): Namespace {
    let ns = this.children?.get(key);
    if (!ns) {
      ns = new Namespace(this.path + '.' + key, [...this.parts, key]);
      // Bounded: paths come from arbitrary source text.
      if ((this.children ??= new Map()).size < 256) this.children.set(key, ns);
    }
    return ns;
  }
}

export type Value =
  | number
  | boolean
  | string
  | null
  | undefined
  | UnknownValue
  | LayerInstance
  | UnknownLayer
  | ModuleInstance
  | SymTensor
  | LanguageValue
  | SequentialModelValue
  | FunctionalModelValue
  | Namespace
  | NativeFunction
  | ParameterValue
  | Value[]
  | { [key: string]: Value };

/** Why a layer made under an undecidable condition may not exist. */
export function existsOnlyIf(condition: string): string {
  return `exists only if ${condition} is true, which is not known statically`;
}

/** Why a row recorded under an undecidable condition may not run. */
export function runsOnlyIf(condition: string): string {
  return `runs only if ${condition} is true, which is not known statically`;
}

export function isPlainObjectValue(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export { UnknownValue };

/**
 * Runs `fn` with `file`'s sites standing for `layer`'s construction in the user's code: a
 * transcribed module (the TypeScript prelude) running for a catalog layer points at that layer.
 */
export function withAnchor<T>(file: { anchor?: Site }, layer: LayerInstance, fn: () => T): T {
  const saved = file.anchor;
  file.anchor = new Site(layer.site.file, layer.site.start, layer.site.line, layer.node.end);
  try {
    return fn();
  } finally {
    file.anchor = saved;
  }
}
