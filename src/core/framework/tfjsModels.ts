import type { Shape } from '../shape';
import { type Diagnostic, type LayerRow, type ModelSummary, Row } from '../summary';
import { Unknowable, isUnknown } from '../unknown';
import type { EvalHost } from './host';
import { Recorder } from './recorder';
import { applySequential } from './tfjsNested';
import { buildSummary } from './summarize';
import { validInputShape } from './sanity';
import { rethrowBudget } from './budget';
import { flattenTensors, outputShapes } from './torchModel';
import { FunctionalModelValue, LayerInstance, type Loc, SequentialModelValue, SymTensor, Value } from './values';

/**
 * A tfjs model (`tf.sequential`, `tf.model`) once its builder has run: its rows, totals and
 * shapes as tfjs's `model.summary()` gives them. The front end finds and runs the builder
 * (lang/ts/tfjsBuilders.ts) and lends what finishing needs: where problems go, and the list they
 * are collected in while this model is finished.
 */
export type TfjsModelHost = EvalHost & { diagnostics: Diagnostic[] };

export function firstLayerInput(first: Value): { shape: Shape | null; source: string; reason?: string } {
  if (first instanceof SequentialModelValue) return firstLayerInput(first.layers[0]); // a model added as the first layer
  if (first instanceof LayerInstance) {
    const a = first.args;
    try {
      if (a.has('batchInputShape')) return { shape: a.dimList('batchInputShape'), source: 'batchInputShape' };
      if (a.has('inputShape')) {
        const batch = a.has('batchSize') ? a.num('batchSize') : null;
        return { shape: [batch, ...a.dimList('inputShape')], source: 'inputShape' };
      }
      if (a.has('inputDim')) {
        // Dense/Embedding accept `inputDim` as shorthand for inputShape [inputDim] (Embedding: [inputLength]).
        if (first.entry.type === 'Dense') return { shape: [null, a.num('inputDim')], source: 'inputDim' };
        if (first.entry.type === 'Embedding') return { shape: [null, a.has('inputLength') ? a.num('inputLength') : null], source: 'inputLength' };
      }
    } catch (e) {
      rethrowBudget(e);
      // The input shape is written but has no static value (`inputShape: [inputSize]`): say why.
      return { shape: null, source: 'none', reason: e instanceof Unknowable ? `the input shape is unknown: ${e.reason}` : undefined };
    }
  }
  return { shape: null, source: 'none' };
}

/** `unused`: the builder's recorder when it recorded nothing, so that its rows can be this model's. */
export function finishSequential(interp: TfjsModelHost, src: EvalHost['file'], mv: SequentialModelValue, name: string, anchor: Loc, diagnostics: Diagnostic[], inputOverride: Shape[] | undefined, uncertain: string | undefined, unused?: Recorder): ModelSummary {
  interp.diagnostics = diagnostics;
  const rec = unused ?? new Recorder(interp, 'tfjs', src);
  interp.recorder = rec;
  let layers = mv.layers;
  let { shape, source, reason: inputReason } = firstLayerInput(layers[0]);
  if (layers[0] instanceof LayerInstance && layers[0].entry.type === 'InputLayer') layers = layers.slice(1); // tfjs hides it in Sequential
  if (inputOverride) {
    shape = inputOverride[0];
    source = 'cli';
  }
  if (shape && !validInputShape(shape)) {
    const at = layers[0] instanceof LayerInstance ? layers[0].node : mv.node;
    interp.report(at, 'error', `The input shape [${shape.join(', ')}] has a negative or fractional size; tfjs requires positive integers.`, 'bad-input-shape');
    shape = null;
  } else if (!shape && !inputReason) {
    const at = layers[0] instanceof LayerInstance ? layers[0].node : mv.node;
    interp.report(at, 'warning', 'The first layer has no inputShape (or batchInputShape): tfjs cannot build this model, and its sizes are unknown.', 'bad-input-shape');
  }
  let x: Value = rec.addInput(shape, 'input', 'float32', undefined, inputReason);
  for (const l of layers) {
    if (l instanceof LayerInstance || (l && typeof l === 'object' && 'typeName' in l)) x = rec.call(l as LayerInstance, [x], mv.node);
    else if (l instanceof SequentialModelValue && l !== mv) x = applySequential(interp, l, [x], mv.node); // a model is a layer too
    else {
      // Whatever it is, it could hold weights: the totals are not the sum of the layers seen.
      const why = isUnknown(l) ? l.reason : 'it is not a layer ModelLens can follow';
      uncertain ??= `a layer added to the model has no static value (${why})`;
      x = new SymTensor(null, -1, why);
    }
  }
  interp.recorder = undefined;
  const totals = frozenIf(mv, countBuilt(rec, rec.rows), rec.rows);
  const start = src.start(anchor);
  return buildSummary({
    name,
    framework: 'tfjs',
    kind: 'tfjs-sequential',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: anchor.end,
    inputShapes: [shape],
    inputShapeSource: source,
    outputs: outputShapes(x),
    rows: rec.rows,
    trainable: totals.trainable,
    nonTrainable: totals.nonTrainable,
    totalsUnknownReason: uncertain,
    outputUnknownReason: uncertain,
    diagnostics,
  });
}

/** Why a model's inputs/outputs value holds something other than tensors (undefined: all tensors). */
function notTensor(v: Value, depth = 0): string | undefined {
  if (v instanceof SymTensor) return undefined;
  if (Array.isArray(v) && depth < 8) {
    for (const x of v) {
      const why = notTensor(x, depth + 1);
      if (why !== undefined) return why;
    }
    return v.length === 0 ? 'an empty list' : undefined;
  }
  if (isUnknown(v)) return v.reason;
  return 'not a tensor ModelLens can follow';
}

/** `model.trainable = false`: tfjs marks every weight of every layer non-trainable (Container's setter). */
function frozenIf(mv: SequentialModelValue | FunctionalModelValue, totals: { trainable: number | null; nonTrainable: number | null }, rows: LayerRow[]): { trainable: number | null; nonTrainable: number | null } {
  if (!mv.frozen) return totals;
  for (const r of rows) {
    if (r.op || r.trainableParams === 0) continue;
    r.nonTrainableParams = r.trainableParams === null || r.nonTrainableParams === null ? null : r.nonTrainableParams + r.trainableParams;
    r.trainableParams = r.trainableParams === null ? null : 0;
  }
  return { trainable: totals.trainable === null ? null : 0, nonTrainable: totals.trainable === null || totals.nonTrainable === null ? null : totals.trainable + totals.nonTrainable };
}

/** tfjs counts each layer's weights once, however often it is applied. */
function countBuilt(rec: Recorder, rows: LayerRow[], ids?: number[]): { trainable: number | null; nonTrainable: number | null } {
  // Which layers were counted: only those called more than once can come again (most never do).
  let seen: Set<unknown> | undefined;
  let trainable: number | null = 0;
  let nonTrainable: number | null = 0;
  const n = ids ? ids.length : rows.length;
  for (let k = 0; k < n; k++) {
    const id = ids ? ids[k] : rows[k].id;
    const layer = rec.layerOf[id];
    const row = rec.rows[id];
    if (row.op || row.family === 'input') continue;
    if (!(layer instanceof LayerInstance) || layer.calls > 1) {
      if (seen?.has(layer)) continue;
      (seen ??= new Set()).add(layer);
    }
    trainable = trainable === null || row.trainableParams === null ? null : trainable + row.trainableParams;
    nonTrainable = nonTrainable === null || row.nonTrainableParams === null ? null : nonTrainable + row.nonTrainableParams;
  }
  return { trainable, nonTrainable };
}

/** `only`: the builder made no other model, so its recorded rows can become this model's rows as they are. */
export function finishFunctional(interp: TfjsModelHost, src: EvalHost['file'], rec: Recorder, mv: FunctionalModelValue, name: string, anchor: Loc, diagnostics: Diagnostic[], uncertain: string | undefined, only: boolean): ModelSummary {
  const inputs = flattenTensors(mv.inputs as Value);
  const outputs = flattenTensors(mv.outputs as Value);
  // An output (or input) that is not a tensor ModelLens followed: the layers that made it are not
  // among the rows, so their sum is not the total.
  const lost = notTensor(mv.outputs as Value) ?? notTensor(mv.inputs as Value) ?? outputs.find((t) => t.shape === null && t.reason !== undefined && t.src === -1 && !rec.inputs[0])?.reason;
  if (lost !== undefined) uncertain ??= `an input or output of tf.model() has no static value (${lost})`;
  // The rows this model consists of: everything its outputs depend on.
  const keep = new Set<number>();
  const stack = outputs.map((t) => t.src).filter((s) => s >= 0);
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const s of rec.rows[id].inputs) if (s >= 0) stack.push(s);
  }
  const ids = [...keep].sort((a, b) => a - b);
  const rows: LayerRow[] = [];
  const newId = new Map<number, number>();
  const inputRow = new Map<number, number>();
  // tfjs lists a functional model's InputLayers as layers of their own.
  for (const t of inputs) {
    const k = -t.src - 1;
    const inp = rec.inputs[k];
    if (!inp || inputRow.has(t.src)) continue;
    const at = inp.node ?? mv.node;
    const start = src.start(at);
    inputRow.set(t.src, rows.length);
    const row = new Row(rows.length, inp.name, 'InputLayer', 'input', src.lineOf(start), start, at.end, undefined, 1, undefined, [], undefined, [], undefined);
    row.outputShape = inp.shape;
    row.catalogKey = 'tfjs:InputLayer';
    rows.push(row);
  }
  const seenLayers = new Set<unknown>();
  for (const id of ids) {
    const r = rec.rows[id];
    const layer = rec.layerOf[id];
    const inputs = r.inputs;
    const remapped: number[] = new Array(inputs.length);
    for (let k = 0; k < inputs.length; k++) {
      const s = inputs[k];
      remapped[k] = s >= 0 ? newId.get(s) ?? s : inputRow.get(s) ?? s;
    }
    // Several models of one builder may share rows: each gets its own copy then.
    const row: LayerRow = only ? r : r.toJSON();
    row.id = rows.length;
    row.inputs = remapped;
    // Reuse is per model: the first call in this model builds the weights.
    row.reused = seenLayers.has(layer) ? true : undefined;
    seenLayers.add(layer);
    newId.set(id, rows.length);
    rows.push(row);
  }
  for (const t of inputs) {
    if (t.src >= 0 || !inputRow.has(t.src)) interp.report(mv.node, 'warning', 'An input of tf.model() is not a tf.input() ModelLens can follow.', 'unknown-value');
  }
  const totals = frozenIf(mv, countBuilt(rec, rec.rows, ids), rows);
  const start = src.start(anchor);
  return buildSummary({
    name,
    framework: 'tfjs',
    kind: 'tfjs-functional',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: anchor.end,
    inputShapes: inputs.map((t) => t.shape),
    inputShapeSource: 'tf.input',
    outputs: outputs.map((t) => t.shape),
    rows,
    trainable: totals.trainable,
    nonTrainable: totals.nonTrainable,
    totalsUnknownReason: uncertain,
    outputUnknownReason: uncertain,
    diagnostics,
  });
}
