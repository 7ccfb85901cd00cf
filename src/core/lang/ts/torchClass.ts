import type { Shape } from '../../shape';
import type { Diagnostic, ModelSummary } from '../../summary';
import type { Interp } from './interp';
import { Recorder } from '../../framework/recorder';
import { parseShapeList, summarizeTracedModule } from '../../framework/torchModel';
import { BudgetExceeded, outOfSteps, stoppedAfter } from '../../framework/budget';
import { ModuleInstance, type Value } from '../../framework/values';
import { type ClassInfo } from './values';
import { instantiateClass } from './classes';
import { callSiteNote, constructorArguments } from './callSites';
import { forwardArity, runModuleForward } from './torchModules';
import { Thrown } from './soundness';

/** One PyTorch-shaped class as a model: constructed with its defaults, traced through forward. */
export function analyzeTorchClass(interp: Interp, info: ClassInfo, inputOverride: Shape[] | undefined): ModelSummary {
  const diagnostics: Diagnostic[] = [];
  interp.diagnostics = diagnostics;
  interp.steps = 0;
  interp.controlUnknown = undefined;
  const src = interp.file;
  const rec = new Recorder(interp, 'torch', src);
  interp.recorder = rec;
  const node = info.node;
  const start = src.start(node);

  let shapes: (Shape | null)[] = [null];
  let source = 'none';
  if (inputOverride) {
    shapes = inputOverride;
    source = 'cli';
  } else if (info.inputShapeTag) {
    const parsed = parseShapeList(info.inputShapeTag.text);
    if (parsed) {
      shapes = parsed;
      source = '@inputShape';
    } else {
      diagnostics.push({
        line: info.inputShapeTag.line,
        severity: 'error',
        message: `@inputShape should list sizes, batch first, like [64, 128] (got "${info.inputShapeTag.text}")`,
        start: info.inputShapeTag.start,
        end: info.inputShapeTag.end,
        code: 'bad-input-shape',
      });
    }
  }
  rec.allowInference = source === 'none';
  if (source === 'none') shapes = new Array<null>(forwardArity(info)).fill(null);
  let out: Value = undefined;
  let inst: Value = undefined;
  // Control flow ModelLens could not decide: while constructing, it leaves the set of layers
  // (so the totals) unknown; while tracing forward(), the output shapes.
  let builtUnknown: string | undefined;
  let forwardUnknown: string | undefined;
  let constructing = true;
  /** The call-site values it is built with, said on the model (callSiteNote). */
  let builtWith: string | undefined;
  try {
    // Constructor parameters without defaults: from the class's call sites (`new ResBlock(16, 32, 2)`), when they agree.
    const args = constructorArguments(interp, info);
    builtWith = callSiteNote(args);
    inst = instantiateClass(interp, info, args, node);
    builtUnknown = interp.controlUnknown;
    rec.builtUnknown = builtUnknown;
    interp.controlUnknown = undefined;
    constructing = false;
    if (inst instanceof ModuleInstance) {
      inst.calls++;
      const inputs = shapes.map((s, i) => rec.addInput(s, `input${i}`, 'float32'));
      out = runModuleForward(interp, inst, inputs);
    }
    forwardUnknown = interp.controlUnknown;
  } catch (e) {
    if (e instanceof Thrown) {
      // Construction (or forward) fails here in JavaScript: nothing after it is known.
      const why = interp.controlUnknown ?? e.reason;
      const start = src.start(node);
      diagnostics.push({ line: src.lineOf(start), severity: 'warning', message: `${info.name}: ${e.reason}, so ${constructing ? 'its layers and totals are' : 'its output is'} unknown.`, start, end: node.end, code: 'unmodelled' });
      if (constructing) builtUnknown ??= why;
      forwardUnknown ??= why;
    } else {
    if (!(e instanceof BudgetExceeded)) throw e;
    diagnostics.push(outOfSteps(src, node, info.name, interp.budget, e));
    const why = interp.controlUnknown ?? stoppedAfter(interp.budget, e);
    if (constructing) builtUnknown ??= why;
    forwardUnknown ??= why;
    }
  } finally {
    interp.recorder = undefined;
    interp.controlUnknown = undefined;
  }
  const summary = summarizeTracedModule(interp, { name: info.name, node, start, inst, out, rec, source, builtUnknown, forwardUnknown, diagnostics });
  if (builtWith) summary.builtWith = builtWith;
  return summary;
}
