import type { VisibleGraph } from '../../src/core/graph';
import type { Box, Direction, Point, Positioned } from './layout';
import { GROUP_HEADER, LABEL_HEIGHT, type NodeBadge, type TextMeter, edgeText, nodeText } from './measure';

const NODE_GAP = 28;
const LAYER_GAP = 30;
const GROUP_PAD = 12;

/**
 * A first picture for big graphs, in a few milliseconds on the page thread, while ELK works in
 * the worker: longest-path layers (inputs on top), nodes ordered within a layer by their
 * predecessors' positions (execution order breaks ties), group boxes around their members,
 * straight edges. ELK's layout replaces it when it arrives; this only has to be readable.
 * Left to right is the same layout with the axes swapped.
 */
export function quickLayout(v: VisibleGraph, meter: TextMeter, direction: Direction = 'DOWN', badges: ReadonlyMap<string, NodeBadge> = new Map()): Positioned {
  const across = direction === 'RIGHT';
  const index = new Map(v.nodes.map((n, i) => [n.id, i]));
  const preds = v.nodes.map(() => [] as number[]);
  for (const e of v.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) preds[t].push(s);
  }
  // Nodes arrive in execution order (a topological order, except outputs which come last anyway).
  const layer = v.nodes.map(() => 0);
  for (let i = 0; i < v.nodes.length; i++) for (const p of preds[i]) if (p < i) layer[i] = Math.max(layer[i], layer[p] + 1);
  const last = Math.max(0, ...layer);
  // Outputs on the bottom row, as in the ELK layout.
  v.nodes.forEach((n, i) => {
    if (n.kind === 'output') layer[i] = last;
  });
  const real = v.nodes.map((n) => meter.nodeSize(nodeText(n, badges.get(n.id))));
  // Laid out top to bottom; across, with each box's sides swapped, then transposed back.
  const sizes = across ? real.map((r) => ({ width: r.height, height: r.width })) : real;
  const layers: number[][] = [];
  v.nodes.forEach((_, i) => (layers[layer[i]] ??= []).push(i));

  // Group membership (a node's chain of expanded groups), for header room and boxes.
  const groupById = new Map(v.groups.map((g) => [g.id, g]));
  const chain = (parent: string | undefined): string[] => {
    const out: string[] = [];
    for (let p = parent; p && groupById.has(p); p = groupById.get(p)!.parent) out.push(p);
    return out;
  };
  const groupsOf = v.nodes.map((n) => chain(n.parent));
  const firstLayer = new Map<string, number>();
  const lastLayer = new Map<string, number>();
  v.nodes.forEach((_, i) => {
    for (const g of groupsOf[i]) {
      firstLayer.set(g, Math.min(firstLayer.get(g) ?? Infinity, layer[i]));
      lastLayer.set(g, Math.max(lastLayer.get(g) ?? -Infinity, layer[i]));
    }
  });
  const opening = new Map<number, number>();
  const closing = new Map<number, number>();
  for (const [, l] of firstLayer) opening.set(l, (opening.get(l) ?? 0) + 1);
  for (const [, l] of lastLayer) closing.set(l, (closing.get(l) ?? 0) + 1);

  const x = v.nodes.map(() => 0);
  const y = v.nodes.map(() => 0);
  let top = 16;
  layers.forEach((members, l) => {
    if (!members) return;
    top += (opening.get(l) ?? 0) * (GROUP_HEADER + 8);
    // Barycentre of the predecessors, execution order for ties: branches stay beside their source.
    const bary = (i: number) => (preds[i].length ? preds[i].reduce((s, p) => s + x[p] + sizes[p].width / 2, 0) / preds[i].length : 0);
    members.sort((a, b) => bary(a) - bary(b) || a - b);
    const width = members.reduce((s, i) => s + sizes[i].width, 0) + NODE_GAP * (members.length - 1);
    const centre = members.reduce((s, i) => s + bary(i), 0) / members.length;
    let left = centre - width / 2;
    let height = 0;
    for (const i of members) {
      x[i] = left;
      y[i] = top;
      left += sizes[i].width + NODE_GAP;
      height = Math.max(height, sizes[i].height);
    }
    top += height + LAYER_GAP + LABEL_HEIGHT + (closing.get(l) ?? 0) * GROUP_PAD;
  });
  const minX = Math.min(...v.nodes.map((_, i) => x[i] - chain(v.nodes[i].parent).length * GROUP_PAD)) - 16;
  const boxes = new Map<string, Box>();
  v.nodes.forEach((n, i) => boxes.set(n.id, across ? { x: y[i], y: x[i] - minX, ...real[i] } : { x: x[i] - minX, y: y[i], ...real[i] }));
  // Innermost groups first, so outer boxes can include inner ones.
  const depth = (id: string) => chain(id).length;
  for (const g of [...v.groups].sort((a, b) => depth(b.id) - depth(a.id))) {
    const inside = [...v.nodes.filter((n) => n.parent === g.id).map((n) => boxes.get(n.id)!), ...v.groups.filter((c) => c.parent === g.id).map((c) => boxes.get(c.id)).filter((b): b is Box => !!b)];
    if (!inside.length) continue;
    const x0 = Math.min(...inside.map((b) => b.x)) - GROUP_PAD;
    const y0 = Math.min(...inside.map((b) => b.y)) - GROUP_HEADER - 6;
    const x1 = Math.max(...inside.map((b) => b.x + b.width)) + GROUP_PAD;
    const y1 = Math.max(...inside.map((b) => b.y + b.height)) + GROUP_PAD;
    boxes.set(g.id, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  const edges: Positioned['edges'] = new Map();
  const labelled = new Set<string>();
  for (const e of v.edges) {
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    const a: Point = across ? { x: s.x + s.width, y: s.y + s.height / 2 } : { x: s.x + s.width / 2, y: s.y + s.height };
    const b: Point = across ? { x: t.x, y: t.y + t.height / 2 } : { x: t.x + t.width / 2, y: t.y };
    const key = `${e.source}\u0000${edgeText(e)}`;
    let label: Box | undefined;
    if (e.label && !labelled.has(key)) {
      labelled.add(key);
      const size = meter.labelSize(e);
      label = { x: a.x + 4, y: a.y + 2, ...size };
    }
    const bent = across ? (a.x < b.x ? [a, { x: a.x + 8, y: a.y }, { x: b.x - 8, y: b.y }, b] : [a, b]) : a.y < b.y ? [a, { x: a.x, y: a.y + 8 }, { x: b.x, y: b.y - 8 }, b] : [a, b];
    edges.set(e.id, { points: bent, label });
  }
  const all = [...boxes.values()];
  // Group boxes may reach above or left of the nodes: shift everything into the drawing.
  const dx = Math.min(0, ...all.map((b) => b.x - 16));
  const dy = Math.min(0, ...all.map((b) => b.y - 16));
  if (dx || dy) {
    for (const b of all) {
      b.x -= dx;
      b.y -= dy;
    }
    for (const e of edges.values()) {
      for (const p of e.points) {
        p.x -= dx;
        p.y -= dy;
      }
      if (e.label) {
        e.label.x -= dx;
        e.label.y -= dy;
      }
    }
  }
  return { boxes, edges, width: Math.max(...all.map((b) => b.x + b.width)) + 16, height: Math.max(...all.map((b) => b.y + b.height)) + 16 };
}
