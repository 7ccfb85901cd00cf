import type { LayerRow, ModelSummary } from '../summary';
import { inertGraph } from './inert';
import { paramsText, shapeText } from './format';
import { buildNeuronView } from './neurons';
import { outputProducers } from './outputs';
import { foldRepeats } from './repeats';
import type { DiagramEdge, DiagramGraph, DiagramGroup, DiagramNode } from './types';

export const nodeId = (row: number): string => `n${row}`;
export const groupId = (row: number): string => `g${row}`;

/**
 * The diagram of one model: a node per layer call and functional op (ops carry the residual
 * branches, so they are real nodes), the model's inputs and outputs as nodes of their own,
 * containers with children as collapsible groups, and one edge per tensor handed from a
 * producer to a consumer, labelled with its shape. Pure.
 */
export function buildDiagramGraph(model: ModelSummary): DiagramGraph {
  const fw = model.framework;
  const rows = model.layers;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hasChildren = new Set<number>();
  for (const r of rows) if (r.parent !== undefined && byId.has(r.parent)) hasChildren.add(r.parent);
  const isGroup = (r: LayerRow) => r.container && hasChildren.has(r.id);
  const isNode = (r: LayerRow) => !isGroup(r);

  // A consumer may name a container as its producer; the tensor really comes out of the
  // container's last executed descendant.
  const lastLeaf = new Map<number, number>();
  for (const r of rows) {
    if (!isNode(r)) continue;
    for (let p = r.parent; p !== undefined; p = byId.get(p)?.parent) lastLeaf.set(p, r.id);
  }
  const resolve = (id: number): number => (byId.get(id) && isGroup(byId.get(id)!) ? (lastLeaf.get(id) ?? id) : id);
  const parentOf = (r: LayerRow): string | undefined => (r.parent !== undefined && byId.has(r.parent) && isGroup(byId.get(r.parent)!) ? groupId(r.parent) : undefined);

  const nodes: DiagramNode[] = [];
  const groups: DiagramGroup[] = [];
  const edges: DiagramEdge[] = [];

  // Model inputs referenced as -(k+1) (torch, tfjs sequential). Functional tfjs models have
  // InputLayer rows instead, which become the input nodes themselves.
  const inputRefs = new Set<number>();
  for (const r of rows) if (isNode(r)) for (const s of r.inputs) if (s < 0) inputRefs.add(-s - 1);
  const inputCount = Math.max(inputRefs.size ? Math.max(...inputRefs) + 1 : 0, rows.some((r) => r.family === 'input') ? 0 : model.inputShapes.length);
  for (let k = 0; k < inputCount; k++) {
    nodes.push({ id: `in${k}`, kind: 'input', type: 'Input', name: inputCount > 1 ? `input ${k}` : 'input', params: 0, paramsText: '', family: 'input', line: model.line, shape: shapeText(model.inputShapes[k], fw) });
  }

  for (const r of rows) {
    if (isGroup(r)) {
      groups.push({
        id: groupId(r.id), row: r.id, type: r.type, name: r.name, hyper: r.hyper || undefined,
        params: r.totalParams, paramsText: paramsText(r.totalParams), family: r.family, line: r.line,
        parent: parentOf(r), shape: shapeText(r.outputShape, fw), children: [],
        ...(r.file !== undefined ? { file: r.file } : {}),
      });
      continue;
    }
    const kind = r.op ? 'op' : r.family === 'input' ? 'input' : 'layer';
    const node: DiagramNode = {
      id: nodeId(r.id), kind, row: r.id, type: r.type, name: r.name, hyper: r.hyper || undefined,
      params: r.totalParams, paramsText: paramsText(r.totalParams), family: r.family, line: r.line,
      parent: parentOf(r), shape: shapeText(r.outputShape, fw),
    };
    if (r.reused) node.reused = true;
    if (r.file !== undefined) node.file = r.file;
    const detail = r.unknownReason ?? r.formula;
    if (detail) node.detail = detail;
    nodes.push(node);
    r.inputs.forEach((src, i) => {
      const source = src < 0 ? `in${-src - 1}` : nodeId(resolve(src));
      const producer = src < 0 ? model.inputShapes[-src - 1] : byId.get(resolve(src))?.outputShape;
      // The consumer's own view of input i is exact even when the producer returns a tuple (RNNs).
      edges.push({ id: `e${edges.length}`, source, target: node.id, label: shapeText(r.inputShapes[i] ?? producer, fw), targetIndex: i });
    });
  }

  const groupById = new Map(groups.map((g) => [g.id, g]));
  for (const item of [...groups, ...nodes]) if (item.parent) groupById.get(item.parent)?.children.push(item.id);
  // Children in execution order (groups were pushed before nodes above).
  const order = new Map<string, number>();
  for (const r of rows) order.set(isGroup(r) ? groupId(r.id) : nodeId(r.id), r.id);
  for (const g of groups) g.children.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  foldRepeats(groups, nodes, edges);

  const producers = outputProducers(model, isNode, resolve);
  const outShapes = model.outputShapes.length ? model.outputShapes : model.outputShape ? [model.outputShape] : [];
  producers.forEach((row, k) => {
    const id = `out${k}`;
    nodes.push({ id, kind: 'output', type: 'Output', name: producers.length > 1 ? `output ${k}` : 'output', params: 0, paramsText: '', family: 'output', line: row !== undefined ? (byId.get(row)?.line ?? 0) : 0, shape: shapeText(outShapes[k], fw) });
    if (row !== undefined) edges.push({ id: `e${edges.length}`, source: nodeId(row), target: id, label: shapeText(outShapes[k], fw), targetIndex: 0 });
  });

  return inertGraph({
    version: 1,
    model: { name: model.name, framework: fw, kind: model.kind, line: model.line, totalParams: model.totalParams, paramsText: paramsText(model.totalParams) || '0' },
    nodes,
    groups,
    edges,
    neurons: buildNeuronView(model, nodes),
  });
}

