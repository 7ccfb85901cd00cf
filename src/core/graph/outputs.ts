import type { LayerRow, ModelSummary } from '../summary';
import { Shape, shapesEqual } from '../shape';

/**
 * Which rows produce the model's outputs. The summary lists `outputShapes` but not their
 * producers, so: the sinks (rows nobody consumes), matched to the outputs by shape, latest
 * first; when a returned tensor is also consumed inside the model (so it is no sink), the
 * latest row with that shape stands in. Returns one row id (or undefined) per output.
 */
export function outputProducers(model: ModelSummary, isNode: (row: LayerRow) => boolean, resolve: (id: number) => number): (number | undefined)[] {
  const consumed = new Set<number>();
  for (const row of model.layers) {
    if (!isNode(row)) continue;
    for (const src of row.inputs) if (src >= 0) consumed.add(resolve(src));
  }
  const nodes = model.layers.filter(isNode);
  const sinks = nodes.filter((r) => !consumed.has(r.id) && r.family !== 'input');
  const used = new Set<number>();
  const wanted = model.outputShapes.length ? model.outputShapes : model.outputShape ? [model.outputShape] : [];
  // Match in order when the sinks line up one to one (the common case: tfjs `outputs: [a, b]`).
  if (sinks.length === wanted.length && sinks.every((r, k) => r.outputShape && wanted[k] && shapesEqual(r.outputShape, wanted[k] as Shape))) return sinks.map((r) => r.id);
  return wanted.map((shape) => {
    // An output whose shape is unknown matches no row by shape: the fallback picks a sink.
    const byShape = (pool: LayerRow[]) => (shape === null ? undefined : [...pool].reverse().find((r) => !used.has(r.id) && r.outputShape !== null && shapesEqual(r.outputShape, shape)));
    const pick = byShape(sinks) ?? byShape(nodes) ?? [...sinks].reverse().find((r) => !used.has(r.id));
    if (pick) used.add(pick.id);
    return pick?.id;
  });
}
