import { UnknownValue } from '../unknown';
import { type TfjsModelHost, finishSequential, firstLayerInput } from './tfjsModels';
import { LayerInstance, type Loc, SequentialModelValue, SymTensor, Value } from './values';

/**
 * `encoder.apply(x)` where `encoder` is a `tf.sequential`: in tfjs a model is a layer, one row
 * of the outer model's summary holding all its weights. Its sizes are those of the sequential
 * as its own model, traced once at its declared input shape (without one, tfjs refuses to apply
 * it: "The first layer in a Sequential model must get an `inputShape`…").
 */
export function applySequential(interp: TfjsModelHost, mv: SequentialModelValue, args: Value[], node: Loc): Value {
  const rec = interp.recorder;
  if (!rec) return new UnknownValue('a model applied outside a model');
  const x = args.find((a): a is SymTensor => a instanceof SymTensor) ?? new SymTensor(null, -1, 'its input is not a tensor ModelLens can follow');
  if (!mv.asLayer) {
    mv.asLayer = traceAsLayer(interp, mv);
    if (!mv.asLayer.input) interp.report(node, 'error', mv.asLayer.reason ?? 'unknown', 'bad-input-shape');
  }
  return rec.modelLayer(mv, mv.configName ?? mv.autoName ?? 'sequential', 'Sequential', x, mv.asLayer, node);
}

function traceAsLayer(interp: TfjsModelHost, mv: SequentialModelValue): NonNullable<SequentialModelValue['asLayer']> {
  const declared = firstLayerInput(mv.layers[0]).shape;
  if (!declared) {
    const reason = `tfjs cannot apply ${mv.configName ?? mv.autoName ?? 'this Sequential'} as a layer: its first layer needs an inputShape (or batchInputShape)`;
    return { trainable: null, nonTrainable: null, input: null, output: null, reason };
  }
  // Tracing builds and counts its layers: put them back as they were, so that the sequential's
  // own summary (it is a model of its own too) sees them first-called, not reused.
  const layers = mv.layers.filter((l): l is LayerInstance => l instanceof LayerInstance);
  const saved = layers.map((l) => ({ calls: l.calls, built: l.built }));
  const recorder = interp.recorder;
  const diagnostics = interp.diagnostics;
  try {
    // Its problems are reported where it is summarized as its own model, not twice.
    const s = finishSequential(interp, interp.file, mv, 'nested', mv.node, [], undefined, undefined);
    const reason = s.totalParams === null || s.outputShape === null ? s.layers.find((r) => r.unknownReason)?.unknownReason ?? `${mv.autoName ?? 'the model'} could not be traced` : undefined;
    return { trainable: s.trainableParams, nonTrainable: s.nonTrainableParams, input: s.inputShape, output: s.outputShape, reason };
  } finally {
    layers.forEach((l, i) => {
      l.calls = saved[i].calls;
      l.built = saved[i].built;
    });
    interp.recorder = recorder;
    interp.diagnostics = diagnostics;
  }
}
