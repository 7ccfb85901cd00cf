import type { Diagnostic } from '../../summary';
import { BudgetExceeded, FileBudget } from '../../framework/budget';
import { expansionOf } from '../../framework/moduleApi';
import type { EvalHost } from '../../framework/host';
import type { Recorder } from '../../framework/recorder';
import { LayerInstance, type Loc, ModuleInstance, SymTensor, type Value, withAnchor } from '../../framework/values';
import type { AnalyzerHost } from '../../analyzerHost';
import type { Span } from './nodes';
import type { PySource } from './source';
import { PyClass, PyKwargs, type PyValue } from './values';
import { Scope } from './scope';
import { invokeFunction } from './calls';
import { builtUnknownOf, findMethod, instantiate } from './classes';
import { compositeClass } from './prelude';

/** Raised by `raise` (and a failing `assert`) on a path the evaluator is sure of. */
export class PyRaise extends Error {
  constructor(
    readonly what: string,
    readonly at: Span,
  ) {
    super(what);
  }
}

/**
 * The Python evaluator's state: the file being evaluated, the step budget, the recorder while a
 * model's forward is traced, and control flow it could not decide. It is the shared semantics'
 * `EvalHost` for Python, as lang/ts/interp.ts is for TypeScript. The work itself is laid out by
 * operation: expressions.ts, statements.ts, calls.ts, classes.ts, imports.ts, builtins.ts and
 * torch.ts (what `torch`, `nn` and `F` are in Python); models.ts finds the models in a file.
 */
export class PyInterp implements EvalHost {
  steps = 0;
  callDepth = 0;
  recorder?: Recorder;
  /** The first decision that could not be made statically (see lang/ts/interp.ts): per model. */
  controlUnknown?: string;
  branchCondition?: string;
  /** Side effects on anything outside a call's own locals (see calls.ts: a call that hit unknown control flow). */
  effects = 0;
  /**
   * Modules the file's own code makes while its top level runs (a `main()` it calls included), not
   * inside another module's construction: each class's call sites (models.ts fills a class's
   * required arguments from them when they agree).
   */
  readonly callSites = new Map<PyClass, { inst: ModuleInstance; args: PyValue[]; kwargs: Map<string, PyValue> }[]>();
  /** The file's top level is running (call sites are recorded). */
  topLevel = false;
  /** Module constructions under way. */
  building = 0;
  /** `summary` was imported from torchsummary (whose input_size omits the batch). */
  summaryFromTorchsummary = false;
  diagnostics: Diagnostic[] = [];
  /** Modules of the workspace, by resolved path (imports.ts). */
  readonly modules = new Map<string, Scope | 'loading'>();
  file: PySource;
  private readonly fileStack: PySource[] = [];
  /** While inside an imported file: the location in the analyzed file that led there. */
  private anchors: (Loc | undefined)[] = [];

  constructor(
    readonly rootFile: PySource,
    readonly budget: number,
    readonly host: AnalyzerHost,
    /** Parses another workspace file (imports.ts). */
    readonly load: (path: string) => PySource | undefined,
    /** The whole file's budget (steps, wall time, native work), shared with its imports. */
    readonly fileBudget: FileBudget = new FileBudget(),
  ) {
    this.file = rootFile;
  }

  tick(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded();
    this.fileBudget.step();
  }

  enterFile(f: PySource, anchor: Loc | undefined): void {
    this.fileStack.push(this.file);
    this.anchors.push(this.file === this.rootFile ? anchor : this.anchors[this.anchors.length - 1]);
    this.file = f;
  }

  leaveFile(): void {
    this.file = this.fileStack.pop() ?? this.rootFile;
    this.anchors.pop();
  }

  report(node: Loc, severity: Diagnostic['severity'], message: string, code?: string): Diagnostic | undefined {
    let start = node.pos;
    let end = node.end;
    if (this.file !== this.rootFile) {
      // A problem inside an imported file shows where the analyzed file uses it.
      const anchor = this.anchors[this.anchors.length - 1];
      if (!anchor) return undefined;
      message = `In ${this.file.path.split(/[\\/]/).pop()}:${this.file.lineOf(node.pos)}: ${message}`;
      start = anchor.pos;
      end = anchor.end;
    }
    if (this.diagnostics.some((d) => d.start === start && d.message === message)) return undefined;
    const d: Diagnostic = { line: this.rootFile.lineOf(start), severity, message, start, end, code };
    this.diagnostics.push(d);
    return d;
  }

  /** A user module's `forward`, found along its class's MRO (see Recorder.callModule). */
  runForward(inst: ModuleInstance, args: Value[], node: Loc): Value {
    if (!(inst.cls instanceof PyClass)) return new SymTensor(null, -1, `${inst.cls.name} is not a Python class`);
    const m = findMethod(inst.cls, 'forward');
    if (!m) {
      // On the class when it is in the file running now; else where this file calls it.
      this.report(inst.cls.file === this.file ? inst.cls.node.nameSpan : node, 'info', `${inst.cls.name} has no forward(); its output is unknown.`, 'no-forward');
      return new SymTensor(null, -1, `${inst.cls.name} has no forward()`);
    }
    // Keyword arguments of the call ride along as a trailing PyKwargs (see calls.ts).
    const last = args[args.length - 1] as PyValue;
    const kwargs = last instanceof PyKwargs ? last.map : new Map<string, PyValue>();
    const positional = last instanceof PyKwargs ? args.slice(0, -1) : args;
    return invokeFunction(this, m, [inst, ...positional], kwargs, node) as Value;
  }

  /**
   * A composite layer (LayerEntry.expand: nn.TransformerEncoder) as an instance of PyTorch's own
   * class, transcribed in the prelude (transformerPrelude.ts), its __init__ given the layer's bound
   * arguments; null when it stays one row (expansionOf).
   */
  expandLayer(layer: LayerInstance): ModuleInstance | null {
    const prelude = expansionOf(layer);
    const cls = prelude && compositeClass(this, prelude);
    if (!cls) return null;
    const kwargs = new Map<string, PyValue>();
    for (const [k, v] of Object.entries(layer.args.values)) if (v !== undefined) kwargs.set(k, v as PyValue);
    const saved = { control: this.controlUnknown, effects: this.effects };
    try {
      const inst = withAnchor(cls.file, layer, () => instantiate(this, cls, [], kwargs, layer.node));
      return inst instanceof ModuleInstance && !builtUnknownOf.has(inst) ? inst : null;
    } finally {
      // Making PyTorch's module for a layer the user made decides and changes nothing else.
      this.controlUnknown = saved.control;
      this.effects = saved.effects;
    }
  }
}
