import type { DiagramEdge, DiagramGraph, DiagramGroup, DiagramNode } from './types';

/** A collapsed group is drawn as one node standing for everything inside it. */
export interface CollapsedGroupNode extends Omit<DiagramNode, 'kind'> {
  kind: 'group';
  /** How many layer/op nodes it hides. */
  hiddenCount: number;
  /** A folded run of identical blocks: how many. */
  repeat?: number;
}

export type VisibleNode = DiagramNode | CollapsedGroupNode;

export interface VisibleEdge extends DiagramEdge {
  /** How many original edges this one stands for (edges into a collapsed group merge). */
  count: number;
}

export interface VisibleGraph {
  nodes: VisibleNode[];
  /** Expanded groups (drawn as boxes around their visible children). */
  groups: DiagramGroup[];
  edges: VisibleEdge[];
}

/**
 * What is on screen with some groups collapsed: nodes inside a collapsed group are replaced by
 * the group (the outermost collapsed one wins), edges inside it disappear, and edges crossing
 * its border are redirected to it, merging duplicates. Pure; `collapsed` holds group ids.
 */
export function visibleGraph(graph: DiagramGraph, collapsed: ReadonlySet<string>): VisibleGraph {
  const groupById = new Map(graph.groups.map((g) => [g.id, g]));
  /** The outermost collapsed group containing `parent` (inclusive), or undefined. */
  const hiddenBy = new Map<string, string | undefined>();
  const outermostCollapsed = (parent: string | undefined): string | undefined => {
    if (parent === undefined) return undefined;
    if (hiddenBy.has(parent)) return hiddenBy.get(parent);
    const above = outermostCollapsed(groupById.get(parent)?.parent);
    const result = above ?? (collapsed.has(parent) ? parent : undefined);
    hiddenBy.set(parent, result);
    return result;
  };
  const rep = new Map<string, string>();
  const hiddenCount = new Map<string, number>();
  const nodes: VisibleNode[] = [];
  const groups: DiagramGroup[] = [];
  for (const g of graph.groups) {
    const hider = outermostCollapsed(g.parent);
    if (hider) continue;
    if (collapsed.has(g.id)) {
      const { children: _children, row, ...rest } = g;
      nodes.push({ ...rest, row, kind: 'group', hiddenCount: 0 });
    } else {
      groups.push(g);
    }
  }
  for (const n of graph.nodes) {
    const hider = outermostCollapsed(n.parent);
    if (hider) {
      rep.set(n.id, hider);
      hiddenCount.set(hider, (hiddenCount.get(hider) ?? 0) + 1);
    } else {
      nodes.push(n);
    }
  }
  for (const n of nodes) if (n.kind === 'group') n.hiddenCount = hiddenCount.get(n.id) ?? 0;
  const edges: VisibleEdge[] = [];
  const seen = new Map<string, VisibleEdge>();
  for (const e of graph.edges) {
    const source = rep.get(e.source) ?? e.source;
    const target = rep.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) {
      edges.push({ ...e, count: 1 });
      continue;
    }
    if (source === target) continue;
    const key = `${source}\u0000${target}\u0000${e.label}`;
    const known = seen.get(key);
    if (known) {
      known.count++;
      continue;
    }
    const merged: VisibleEdge = { ...e, source, target, count: 1 };
    seen.set(key, merged);
    edges.push(merged);
  }
  return { nodes, groups, edges };
}
