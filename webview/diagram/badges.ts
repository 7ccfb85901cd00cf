import type { DiagramBadge, VisibleGraph } from '../../src/core/graph';
import type { NodeBadge } from './measure';

export interface NodeBadges {
  /** Visible node id → the badge drawn inside it. */
  byNode: Map<string, NodeBadge>;
  /** Visible ids whose box turns red: a node that disagrees, or a collapsed module hiding one. */
  mismatched: string[];
  count: number;
  mismatches: number;
}

/** The text a node's badge shows: actual shape and mean (`[64, 516] · μ 0.12`). */
export function badgeText(b: DiagramBadge): string {
  if (!b.shape) return '✗ real pass disagrees';
  return b.mean ? `${b.shape} · μ ${b.mean}` : b.shape;
}

/**
 * Forward-pass badges for what is on screen: one inside each node that ran, drawn as the box's
 * last line (the layout makes room for it, so a badge never covers an edge, a neighbour or a
 * module's border). A collapsed module gets one badge counting the disagreements it hides.
 * `repOf` maps a node to what stands for it on screen (itself, or its outermost collapsed module).
 */
export function nodeBadges(v: VisibleGraph, badges: ReadonlyMap<string, DiagramBadge>, repOf: (id: string) => string | undefined): NodeBadges {
  const visible = new Set(v.nodes.map((n) => n.id));
  const hiddenMismatches = new Map<string, number>();
  const byNode = new Map<string, NodeBadge>();
  const mismatched: string[] = [];
  let mismatches = 0;
  for (const b of badges.values()) {
    if (visible.has(b.node)) {
      byNode.set(b.node, { text: badgeText(b), bad: b.mismatch });
      if (b.mismatch) {
        mismatched.push(b.node);
        mismatches++;
      }
      continue;
    }
    const rep = repOf(b.node);
    if (rep && rep !== b.node && visible.has(rep) && b.mismatch) hiddenMismatches.set(rep, (hiddenMismatches.get(rep) ?? 0) + 1);
  }
  for (const [id, n] of hiddenMismatches) {
    byNode.set(id, { text: `✗ ${n} disagree${n === 1 ? 's' : ''}`, bad: true });
    mismatched.push(id);
    mismatches++;
  }
  return { byNode, mismatched, count: byNode.size, mismatches };
}
