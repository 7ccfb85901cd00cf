import type { DiagramGraph } from './types';
import { visibleGraph } from './visible';

/**
 * Above this many visible nodes a diagram opens with its deepest modules collapsed: a
 * ResNet-50 fully expanded is ~170 nodes, more than a screen can show at a readable size.
 */
export const DEFAULT_VISIBLE_LIMIT = 100;

/**
 * The groups a diagram opens collapsed: every folded run of identical blocks (`×N`), and for a
 * big model the deepest module levels, one level at a time from the innermost, until at most
 * `limit` nodes are visible (or every top-level module is collapsed). The user's own toggles are
 * kept apart from these (the webview's state), so an edit that adds a block still opens folded.
 */
export function defaultCollapsed(graph: DiagramGraph, limit = DEFAULT_VISIBLE_LIMIT): string[] {
  const base = graph.groups.filter((g) => g.repeat !== undefined).map((g) => g.id);
  const count = (ids: string[]) => visibleGraph(graph, new Set(ids)).nodes.length;
  if (count(base) <= limit) return base;
  const byId = new Map(graph.groups.map((g) => [g.id, g]));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    if (!depth.has(id)) {
      const p = byId.get(id)?.parent;
      depth.set(id, p !== undefined && byId.has(p) ? depthOf(p) + 1 : 0);
    }
    return depth.get(id)!;
  };
  const deepest = Math.max(0, ...graph.groups.map((g) => depthOf(g.id)));
  let chosen = base;
  for (let d = deepest; d >= 0; d--) {
    chosen = [...new Set([...base, ...graph.groups.filter((g) => depthOf(g.id) >= d).map((g) => g.id)])];
    if (count(chosen) <= limit) break;
  }
  return chosen;
}
