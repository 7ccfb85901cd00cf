import { UnknownValue } from '../../unknown';
import { type ModuleClass, Namespace, type SymTensor, type Value } from '../../framework/values';
import type { ClassDef, FunctionDef, Lambda, Span } from './nodes';
import type { Scope } from './scope';
import type { PySource } from './source';

/**
 * Values only Python has. Everything a model is made of (layers, modules, tensors, unknowns,
 * numbers, strings, lists) is the shared world of framework/values.ts; these are the language's
 * own machinery around it: functions, classes, plain objects, dicts, keyword arguments.
 */

/** A `def` or `lambda` with the scope it closes over. */
export class PyFunction {
  constructor(
    readonly node: FunctionDef | Lambda,
    readonly closure: Scope,
    readonly file: PySource,
    /** The class whose body defines it (where `super()` starts looking). */
    readonly home?: PyClass,
    readonly kind: 'function' | 'static' | 'class' | 'property' = 'function',
  ) {}
  get name(): string {
    return this.node.kind === 'def' ? this.node.name : '<lambda>';
  }
}

/** A function with its first argument bound: `self.method`, `Cls.classmethod`. */
export class BoundMethod {
  constructor(
    readonly fn: PyFunction,
    readonly self: PyValue,
  ) {}
}

/** A built-in the evaluator provides (`len`, `math.sqrt`, `nn.init.kaiming_normal_`). */
export class PyNative {
  constructor(
    readonly name: string,
    readonly fn: (args: PyValue[], kwargs: Map<string, PyValue>, node: Span) => PyValue,
  ) {}
}

/**
 * `layer.name` ModelLens does not know: `?` when read, and a call of it (a method of the layer's
 * own) may change the layer, so the call makes the totals `?` (calls.ts).
 */
export class UnknownMember extends UnknownValue {
  constructor(
    reason: string,
    readonly receiver: PyValue,
  ) {
    super(reason);
  }
}

/** `functools.partial(f, *args, **kwargs)`. */
export class PyPartial {
  constructor(
    readonly fn: PyValue,
    readonly args: PyValue[],
    readonly kwargs: Map<string, PyValue>,
  ) {}
}

/** Where prelude.ts's transcription of PyTorch's containers lives (a path no workspace file can have). */
export const PY_PRELUDE_PATH = '<modellens>/torch-prelude.py';

/** A class defined in Python: an `nn.Module` subclass or a plain class (a `@dataclass` config). */
export class PyClass implements ModuleClass {
  /** Class attributes and methods, in definition order. */
  readonly attrs = new Map<string, PyValue>();
  /** `@dataclass` fields in order, with their defaults (undefined: required). */
  dataclassFields?: { name: string; default?: PyValue }[];
  /** `# @inputShape [64, 128]` above the class or in its docstring. */
  inputShapeTag?: { text: string; line: number; start: number; end: number };
  /** How many instantiations are under way (a class that contains itself). */
  instantiating = 0;
  /** `__module__`: the `__name__` of the module that defined it (`__main__` for the analysed file). */
  moduleName: PyValue = undefined;
  constructor(
    readonly name: string,
    readonly node: ClassDef,
    readonly file: PySource,
    /** Base classes: other PyClasses, or library classes (`nn.Module`, as a Namespace). */
    readonly bases: PyValue[],
    /** Whether it derives from `torch.nn.Module`. */
    readonly isModule: boolean,
  ) {}

  /** Its file (ModuleClass.source): the prelude's sites stand for a composite layer's place while it runs. */
  get source(): PySource {
    return this.file;
  }

  /** Method resolution order (C3 for the single and simple multiple inheritance model code uses). */
  mro(): PyClass[] {
    const out: PyClass[] = [this];
    for (const b of this.bases) if (b instanceof PyClass) for (const c of b.mro()) if (!out.includes(c)) out.push(c);
    return out;
  }

  /** PyTorch's classes (prelude.ts: `Sequential`, `ModuleDict`, …) along its order: what `containerKind` and `isinstance` ask. */
  libraryLineage(): string[] {
    const out: string[] = [];
    for (const c of this.mro()) {
      if (c.file.path === PY_PRELUDE_PATH) out.push(c.name);
      // `class LayerNorm2d(nn.LayerNorm)`: isinstance(m, nn.LayerNorm) holds.
      for (const b of c.bases) if (b instanceof Namespace && b.parts[0] === 'torch' && b.last !== 'Module') out.push(b.last);
    }
    return out;
  }

  lookup(name: string): { value: PyValue; owner: PyClass } | undefined {
    for (const c of this.mro()) if (c.attrs.has(name)) return { value: c.attrs.get(name), owner: c };
    return undefined;
  }
}

/** An instance of a plain (non-Module) class: a config object, a helper. */
export class PyObject {
  readonly attrs = new Map<string, PyValue>();
  constructor(readonly cls: PyClass) {}
}

/** A dict (keys are strings, numbers, booleans or None; insertion order kept). */
export class PyDict {
  readonly map = new Map<string | number | boolean | null, PyValue>();
}

/** Keyword arguments riding along a call into a module's `forward` (the recorder passes values only). */
export class PyKwargs {
  constructor(readonly map: Map<string, PyValue>) {}
}

/** An exception object (`ValueError("…")`): only ever raised. */
export class PyException {
  constructor(
    readonly type: string,
    readonly message: string,
  ) {}
}

/** A module imported from the workspace: its top-level names. */
export class PyModuleValue {
  constructor(
    readonly name: string,
    readonly scope: Scope,
  ) {}
}

/** `super()` inside a method: attribute lookups start after `home` in `self`'s class order. */
export class SuperProxy {
  constructor(
    readonly self: PyValue,
    readonly home: PyClass,
  ) {}
}

/** `set(…)` of numbers, strings, booleans or None: its distinct items (Python's iteration order is not modelled). */
export class PySet {
  constructor(readonly items: PyValue[]) {}
}

/** `range(…)`, kept lazy so `len(range(n))` and large ranges cost nothing until iterated. */
export class RangeValue {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}
  get length(): number {
    return Math.max(0, Math.ceil((this.stop - this.start) / this.step));
  }
  items(): number[] | undefined {
    if (this.length > 100_000) return undefined;
    const out: number[] = [];
    for (let i = this.start; this.step > 0 ? i < this.stop : i > this.stop; i += this.step) out.push(i);
    return out;
  }
}

/** `a:b:c` inside a subscript. */
export class Slice {
  constructor(
    readonly lower: PyValue,
    readonly upper: PyValue,
    readonly step: PyValue,
  ) {}
}

/** `x.view` before it is called: a tensor method waiting for its arguments (torch.ts). */
export class BoundTensorMethod {
  constructor(
    readonly t: SymTensor,
    readonly name: string,
  ) {}
}

export type PyValue = Value | PyValue[] | PySet | RangeValue | Slice | BoundTensorMethod | PyFunction | BoundMethod | PyNative | PyPartial | PyClass | PyObject | PyDict | PyKwargs | PyException | PyModuleValue | SuperProxy;
