import type { Diagnostic } from '../summary';
import type { Recorder } from './recorder';
import type { LayerInstance, Loc, ModuleInstance, Site, SourceText, Value } from './values';

/**
 * What the shared PyTorch semantics (the recorder, tensor ops, model totals) need from the
 * language front end that is evaluating a model: where it is, where problems go, and how to run
 * a user module's `forward`, which only the language that defined the class can. The TypeScript
 * interpreter (lang/ts/interp.ts) is one; the Python evaluator (lang/python/interp.ts) another.
 */
export interface EvalHost {
  /** Where layer calls are recorded while a model is traced. */
  recorder?: Recorder;
  /** The undecidable condition whose `then` branch is being followed (rows made there say so). */
  readonly branchCondition?: string;
  /**
   * Set once the code took a path ModelLens could not follow (a loop over unknown values): what
   * the values are after it is uncertain, so a shape that does not fit is no longer an error.
   */
  readonly controlUnknown?: string;
  /** The file whose code is running now. */
  readonly file: SourceText & { site(node: Loc): Site; start(node: Loc): number };
  /** The analyzed file: diagnostics can only point into it. */
  readonly rootFile: SourceText;
  /** A diagnostic at a location of the current file (undefined: a duplicate, or nowhere to show it). */
  report(node: Loc, severity: Diagnostic['severity'], message: string, code?: string): Diagnostic | undefined;
  /** Runs a user module's `forward` on the given values. */
  runForward(inst: ModuleInstance, args: Value[], node: Loc): Value;
  /**
   * Runs `fn` with `file` as the current file, its problems shown at `anchor` of the analyzed one
   * (a layer made in an imported file). Front ends without imports of model code leave it out.
   */
  withFile?<T>(file: SourceText, fn: () => T, anchor?: Loc): T;
  /**
   * Which expression gave which argument of a layer it made (for a quick fix on the literal), read
   * from its syntax when first needed. A front end that sets `LayerInstance.argNodeMap` when it
   * makes the layer leaves it out.
   */
  argNodes?(layer: LayerInstance): ReadonlyMap<string, Loc>;
  /** A composite catalog layer (LayerEntry.expand) as its transcribed module; null runs it as one row. */
  expandLayer(layer: LayerInstance): ModuleInstance | null;
}
