import type { Shape } from '../shape';
import type { LayerRow, ModelSummary } from '../summary';
import { builtWithLines, isInputRow, tableRows, unknownNotes } from './rows';

/**
 * TensorFlow.js's `model.summary()` (tfjs-layers 4.22 `printSummary`), reproduced from the
 * measured rows: the same column positions and truncation, JSON shapes (`[null,516]`), plain
 * parameter counts, and for graphs that are not a simple chain the `Receives inputs` column with
 * `layer[node][tensor]` references. Layers are listed in tfjs's order (by graph depth), which is
 * recomputed here because the rows are in source order.
 */

/** One call of a layer: tfjs's `Node`. */
interface GraphNode {
  layer: KLayer;
  nodeIndex: number;
  inbound: GraphNode[];
  /** Which output of each inbound node this one reads (an LSTM's state h is its output 1). */
  inboundTensor: number[];
  inputShapes: (Shape | null)[];
  outputShapes: Shape[] | null;
}

/** One layer object, possibly called several times (a shared layer). */
interface KLayer {
  name: string;
  className: string;
  params: number | null;
  nodes: GraphNode[];
}

/** tfjs-layers' printRow: each field ends at its position, overflowing text is cut. */
function printRow(fields: string[], positions: number[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line = line.slice(0, line.length - 1) + ' ';
    line += fields[i];
    line = line.slice(0, positions[i]);
    line += ' '.repeat(positions[i] - line.length);
  }
  return line;
}

function rowOutputs(r: LayerRow): Shape[] | null {
  if (r.outputShapes && r.outputShapes.length > 0) return r.outputShapes;
  return r.outputShape === null ? null : [r.outputShape];
}

/** tfjs's `layer.outputShape`: one shape, the list for multi-output layers, or `multiple`. */
function outputShapeText(layer: KLayer): string {
  const distinct = new Set(layer.nodes.map((n) => JSON.stringify(n.outputShapes)));
  if (distinct.size !== 1) return 'multiple';
  const outs = layer.nodes[0].outputShapes;
  if (outs === null) return '?';
  return JSON.stringify(outs.length === 1 ? outs[0] : outs);
}

/** Builds tfjs's layers and nodes from the rows. Rows with the same name are calls of one layer. */
function buildGraph(model: ModelSummary, rows: LayerRow[]): { layers: Map<string, KLayer>; nodes: GraphNode[]; byRow: Map<number, GraphNode> } {
  const layers = new Map<string, KLayer>();
  const nodes: GraphNode[] = [];
  const byRow = new Map<number, GraphNode>();
  const addNode = (name: string, className: string, params: number | null, inputShapes: (Shape | null)[], outs: Shape[] | null): GraphNode => {
    let layer = layers.get(name);
    if (!layer) {
      layer = { name, className, params, nodes: [] };
      layers.set(name, layer);
    }
    const node: GraphNode = { layer, nodeIndex: layer.nodes.length, inbound: [], inboundTensor: [], inputShapes, outputShapes: outs };
    layer.nodes.push(node);
    nodes.push(node);
    return node;
  };

  const inputRows = rows.filter(isInputRow);
  const modelInputs: GraphNode[] = [];
  for (const r of rows) {
    const outs = rowOutputs(r);
    // An InputLayer's node "receives" the batch input shape it declares.
    const inputShapes = isInputRow(r) && r.inputShapes.length === 0 ? (outs ?? []) : r.inputShapes;
    const node = addNode(r.name, r.type, r.params, inputShapes, outs);
    byRow.set(r.id, node);
    if (isInputRow(r)) modelInputs.push(node);
  }
  const inputNode = (k: number): GraphNode => {
    // Model input k without an InputLayer row: tfjs would have created `input${k+1}` for it.
    while (modelInputs.length <= k) {
      const i = modelInputs.length;
      const shape = model.inputShapes[i] ?? null;
      modelInputs.push(addNode(`input${i + 1}`, 'InputLayer', 0, shape ? [shape] : [], shape ? [shape] : null));
    }
    return modelInputs[k];
  };
  if (inputRows.length === 0) for (let k = 0; k < model.inputShapes.length; k++) inputNode(k);

  for (const r of rows) {
    const node = byRow.get(r.id) as GraphNode;
    r.inputs.forEach((id, i) => {
      const src = id < 0 ? inputNode(-id - 1) : byRow.get(id);
      if (src) {
        node.inbound.push(src);
        node.inboundTensor.push(r.inputOutputs?.[i] ?? 0);
      }
    });
  }
  return { layers, nodes, byRow };
}

/**
 * tfjs's Container ordering: walk back from the outputs recording first-visit order, give every
 * node its longest distance to an output, then list layers deepest first (ties by visit order).
 */
function tfjsOrder(nodes: GraphNode[]): { layers: KLayer[]; nodesByDepth: Map<number, GraphNode[]> } {
  const consumed = new Set<GraphNode>();
  for (const n of nodes) for (const src of n.inbound) consumed.add(src);
  const outputs = nodes.filter((n) => !consumed.has(n) && n.inbound.length > 0);
  if (outputs.length === 0) outputs.push(...nodes.filter((n) => !consumed.has(n)));

  const layerIndex = new Map<KLayer, number>();
  const finished = new Set<GraphNode>();
  const decreasing: GraphNode[] = [];
  const visit = (node: GraphNode, inProgress: Set<GraphNode>): void => {
    if (inProgress.has(node) || finished.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    for (const src of node.inbound) visit(src, inProgress);
    finished.add(node);
    inProgress.delete(node);
    decreasing.push(node);
  };
  for (const o of outputs) visit(o, new Set());

  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<KLayer, number>();
  for (const node of decreasing.slice().reverse()) {
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const src of node.inbound) nodeDepth.set(src, Math.max(depth + 1, nodeDepth.get(src) ?? 0));
  }

  const nodesByDepth = new Map<number, GraphNode[]>();
  for (const [node, d] of nodeDepth) {
    const list = nodesByDepth.get(d) ?? [];
    list.push(node);
    nodesByDepth.set(d, list);
  }
  const layers = [...layerDepth.keys()].sort(
    (a, b) => (layerDepth.get(b) as number) - (layerDepth.get(a) as number) || (layerIndex.get(a) as number) - (layerIndex.get(b) as number),
  );
  return { layers, nodesByDepth };
}

/** tfjs's isModelSequentialLike: one node per depth, none merging inputs, no shared layer. */
function sequentialLike(layers: KLayer[], nodesByDepth: Map<number, GraphNode[]>): boolean {
  const relevant = new Set<GraphNode>();
  for (const depth of [...nodesByDepth.keys()].sort((a, b) => a - b)) {
    const list = nodesByDepth.get(depth) as GraphNode[];
    if (list.length > 1 || (list.length === 1 && list[0].inbound.length > 1)) return false;
    list.forEach((n) => relevant.add(n));
  }
  return layers.every((l) => l.nodes.filter((n) => relevant.has(n)).length <= 1);
}

export function formatKeras(model: ModelSummary): string {
  const rows = tableRows(model).filter((r) => !r.container);
  let layers: KLayer[];
  let sequential = true;
  let relevant = new Set<GraphNode>();
  if (model.kind === 'tfjs-functional') {
    const graph = buildGraph(model, rows);
    const order = tfjsOrder(graph.nodes);
    layers = order.layers;
    sequential = sequentialLike(layers, order.nodesByDepth);
    for (const list of order.nodesByDepth.values()) list.forEach((n) => relevant.add(n));
  } else {
    // A Sequential's own layer list has no InputLayer; PyTorch modules print their leaves in call order.
    const graph = buildGraph(model, rows.filter((r) => !isInputRow(r)));
    layers = [...graph.layers.values()].filter((l) => l.className !== 'InputLayer');
    relevant = new Set(graph.nodes);
  }

  const header = ['Layer (type)', 'Input Shape', 'Output shape', 'Param #'];
  let lineLength: number;
  let positions: number[];
  if (sequential) {
    lineLength = 90;
    positions = [0.32, 0.61, 0.89, 1].map((p) => Math.floor(lineLength * p));
  } else {
    lineLength = 115;
    positions = [0.24, 0.48, 0.7, 0.8, 1].map((p) => Math.floor(lineLength * p));
    header.push('Receives inputs');
  }

  const lines = ['_'.repeat(lineLength), printRow(header, positions), '='.repeat(lineLength)];
  layers.forEach((layer, i) => {
    // tfjs prints JSON; an input ModelLens could not infer prints as `?`, as output shapes do.
    const inputShape = layer.nodes.map((n) => '[' + n.inputShapes.map((s) => (s === null ? '?' : JSON.stringify(s))).join(',') + ']').join(',');
    const fields = [
      `${layer.name} (${layer.className})`,
      inputShape,
      outputShapeText(layer),
      layer.params === null ? '?' : String(layer.params),
    ];
    if (sequential) {
      lines.push(printRow(fields, positions));
    } else {
      const connections: string[] = [];
      for (const node of layer.nodes) {
        if (!relevant.has(node)) continue;
        node.inbound.forEach((src, i) => connections.push(`${src.layer.name}[${src.nodeIndex}][${node.inboundTensor[i]}]`));
      }
      lines.push(printRow([...fields, connections[0] ?? ''], positions));
      for (const c of connections.slice(1)) lines.push(printRow(['', '', '', '', c], positions));
    }
    lines.push((i === layers.length - 1 ? '=' : '_').repeat(lineLength));
  });

  const count = (n: number | null): string => (n === null ? '?' : String(n));
  lines.push(
    `Total params: ${count(model.totalParams)}`,
    `Trainable params: ${count(model.trainableParams)}`,
    `Non-trainable params: ${count(model.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );
  lines.push(...builtWithLines(model), ...unknownNotes(model, tableRows(model)));
  return lines.join('\n') + '\n';
}
