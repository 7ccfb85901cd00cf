import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { VisibleGraph } from '../../src/core/graph';
import { GROUP_HEADER, type NodeBadge, type TextMeter, edgeText, nodeText } from './measure';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Positioned {
  /** Absolute boxes of visible nodes and expanded groups. */
  boxes: Map<string, Box>;
  /** Edge polylines (absolute) and label boxes. */
  edges: Map<string, { points: Point[]; label?: Box }>;
  width: number;
  height: number;
}

/**
 * Above this many visible nodes ELK runs with its cheap settings, and a quick page-thread layout
 * is drawn first while ELK works in the worker (see docs/diagram.md, Speed).
 */
export const LARGE_GRAPH = 300;

const COMMON: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.spacing.edgeLabel': '3',
  // Execution order is the natural left-to-right order of branches: keep it when it costs no crossings.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** Cheap settings for big graphs: one crossing-minimisation pass, simple node placement. */
const FAST: LayoutOptions = {
  'elk.layered.thoroughness': '1',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  // Orthogonal routing dominates ELK's time on a thousand edges; straight segments do not.
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
};
/** Flat big graphs also skip crossing minimisation (ELK refuses that across hierarchy levels). */
const FAST_FLAT: LayoutOptions = { 'elk.layered.crossingMinimization.strategy': 'NONE' };

const LABEL: LayoutOptions = { 'elk.edgeLabels.placement': 'TAIL' };

/** Top to bottom (the default) or left to right. */
export type Direction = 'DOWN' | 'RIGHT';

export function elkGraph(v: VisibleGraph, meter: TextMeter, direction: Direction = 'DOWN', badges: ReadonlyMap<string, NodeBadge> = new Map()): ElkNode {
  const large = v.nodes.length > LARGE_GRAPH;
  const root: ElkNode = { id: '__root', children: [], edges: [], layoutOptions: { ...COMMON, 'elk.direction': direction, ...(large ? FAST : {}), ...(large && !v.groups.length ? FAST_FLAT : {}) } };
  if (v.groups.length) root.layoutOptions!['elk.hierarchyHandling'] = 'INCLUDE_CHILDREN';
  const containers = new Map<string, ElkNode>();
  for (const g of v.groups) {
    containers.set(g.id, { id: g.id, children: [], layoutOptions: { 'elk.padding': `[top=${GROUP_HEADER + 8},left=12,bottom=12,right=12]` } });
  }
  const place = (parent: string | undefined, child: ElkNode) => (parent && containers.get(parent) ? containers.get(parent)! : root).children!.push(child);
  for (const g of v.groups) place(g.parent, containers.get(g.id)!);
  for (const n of v.nodes) {
    const size = meter.nodeSize(nodeText(n, badges.get(n.id)));
    const node: ElkNode = { id: n.id, ...size };
    // Inputs on the first layer, outputs on the last: the picture reads top to bottom (or left to right).
    if (n.kind === 'input' && !n.parent) node.layoutOptions = { 'elk.layered.layering.layerConstraint': 'FIRST' };
    if (n.kind === 'output') node.layoutOptions = { 'elk.layered.layering.layerConstraint': 'LAST' };
    place(n.parent, node);
  }
  // Group headers are fitted to the box when drawn: ELK (0.12, direction DOWN) applies a
  // compound node's minimum size and label size to the wrong axis, so no size is asked of it.
  // One tensor leaves a node once: when it feeds several consumers its shape is written once.
  const labelled = new Set<string>();
  for (const e of v.edges) {
    const edge: ElkExtendedEdge = { id: e.id, sources: [e.source], targets: [e.target] };
    const key = `${e.source}\u0000${edgeText(e)}`;
    // Labels at the producer's end, beside the edge: no label layers, so the picture stays compact.
    if (e.label && !labelled.has(key) && labelled.add(key)) edge.labels = [{ id: `${e.id}:l`, text: edgeText(e), ...meter.labelSize(e), layoutOptions: LABEL }];
    root.edges!.push(edge);
  }
  return root;
}

/** Flattens ELK's answer (absolute coordinates, thanks to the ROOT coordinate options). */
export function readLayout(out: ElkNode): Positioned {
  const boxes = new Map<string, Box>();
  const edges: Positioned['edges'] = new Map();
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      boxes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      visit(c);
    }
    for (const e of n.edges ?? []) {
      const points: Point[] = [];
      for (const s of e.sections ?? []) points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
      const l = e.labels?.[0];
      edges.set(e.id, { points, label: l && l.x !== undefined ? { x: l.x, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : undefined });
    }
  };
  visit(out);
  return { boxes, edges, width: out.width ?? 0, height: out.height ?? 0 };
}
