import type { LayerRow, ModelSummary } from '../summary';
import type { DiagramNode, NeuronColumn, NeuronView } from './types';

/** Fully-connected layer classes: each output unit is one neuron. */
const DENSE_TYPES = new Set(['Linear', 'Dense']);
/** Rows that change no width and can sit between dense layers (drawn as a column caption). */
const PASS_FAMILIES = new Set(['activation', 'dropout']);
/** Beyond this many dense layers the figure stops being readable: the layer graph is better. */
export const MAX_NEURON_LAYERS = 8;
/** Columns up to this width are drawn whole; wider ones as HEAD circles, an ellipsis, TAIL circles. */
export const MAX_DRAWN_UNITS = 10;
export const HEAD_UNITS = 4;
export const TAIL_UNITS = 2;

function column(type: string, name: string, units: number, node: string, line: number): NeuronColumn {
  if (units <= MAX_DRAWN_UNITS) {
    return { type, name, units, shown: [...Array(units).keys()], ellipsis: false, ellipsisAfter: -1, hidden: 0, node, line };
  }
  const tail = Array.from({ length: TAIL_UNITS }, (_, i) => units - TAIL_UNITS + i);
  return { type, name, units, shown: [...Array(HEAD_UNITS).keys(), ...tail], ellipsis: true, ellipsisAfter: HEAD_UNITS - 1, hidden: units - HEAD_UNITS - TAIL_UNITS, node, line };
}

/** tfjs Dense folds its activation into the layer (`activation: 'relu'`); `linear` is none. */
function foldedActivation(row: LayerRow): string | undefined {
  const a = row.args?.activation;
  return typeof a === 'string' && a !== 'linear' ? a : undefined;
}

/**
 * The classic feed-forward figure, for models that are one chain of fully-connected layers
 * (with activations/dropout between them) over a known 2-d input: one column per layer.
 * Anything else (convolutions, branches, unknown widths, too many layers) gets null.
 */
export function buildNeuronView(model: ModelSummary, nodes: DiagramNode[]): NeuronView | null {
  const input = model.inputShapes.length === 1 ? model.inputShapes[0] : null;
  if (!input || input.length !== 2 || input[1] === null) return null;
  const leaves = model.layers.filter((r) => !r.container);
  if (!leaves.length || model.layers.some((r) => r.op)) return null;
  const inputNode = nodes.find((n) => n.kind === 'input');
  const columns: NeuronColumn[] = [column('Input', 'input', input[1], inputNode?.id ?? 'in0', inputNode?.line ?? model.line)];
  let prev: number | undefined;
  for (const r of leaves) {
    // A chain: each row reads the previous row's output (the first reads the model input).
    const expected = prev === undefined ? (r.family === 'input' ? undefined : -1) : prev;
    if (r.family === 'input' && prev === undefined) {
      prev = r.id;
      continue;
    }
    if (r.inputs.length !== 1 || r.inputs[0] !== expected) return null;
    prev = r.id;
    if (DENSE_TYPES.has(r.type)) {
      const units = r.outputShape?.[r.outputShape.length - 1];
      if (r.outputShape?.length !== 2 || units === null || units === undefined) return null;
      const col = column(r.type, r.name, units, `n${r.id}`, r.line);
      const act = foldedActivation(r);
      if (act) col.activation = act;
      columns.push(col);
    } else if (PASS_FAMILIES.has(r.family) && columns.length > 1) {
      const last = columns[columns.length - 1];
      if (r.family === 'activation') last.activation = last.activation ? `${last.activation}, ${r.type}` : r.type;
    } else {
      return null;
    }
  }
  const dense = columns.length - 1;
  return dense >= 1 && dense <= MAX_NEURON_LAYERS ? { columns } : null;
}
