import type { DiagramBadge, VisibleGraph } from '../../src/core/graph';
import type { Positioned } from './layout';
import type { TextMeter } from './measure';
import { esc } from './svg';

const r1 = (n: number) => Math.round(n * 10) / 10;
const HEIGHT = 16;
const GAP = 6;
const FONT = 10;

export interface BadgeLayer {
  markup: string;
  /** Visible ids whose box turns red: a node that disagrees, or a collapsed module hiding one. */
  mismatched: string[];
  count: number;
  mismatches: number;
  /** Right edge of the rightmost pill (the drawing grows to include it, for fit and export). */
  right: number;
}

/** The text a node's badge shows: actual shape and mean (`[64, 516] · μ 0.12`). */
export function badgeText(b: DiagramBadge): string {
  if (!b.shape) return '✗ real pass disagrees';
  return b.mean ? `${b.shape} · μ ${b.mean}` : b.shape;
}

/**
 * Forward-pass badges as one SVG layer drawn over the nodes: a pill to the right of each node
 * that ran (edge labels sit below nodes, so the right side is free). A collapsed module gets
 * one pill counting the disagreements it hides. `repOf` maps a node to what stands for it on
 * screen (itself, or its outermost collapsed module).
 */
export function badgeLayer(v: VisibleGraph, pos: Positioned, badges: ReadonlyMap<string, DiagramBadge>, repOf: (id: string) => string | undefined, meter: TextMeter): BadgeLayer {
  const visible = new Set(v.nodes.map((n) => n.id));
  const hiddenMismatches = new Map<string, number>();
  const own: DiagramBadge[] = [];
  for (const b of badges.values()) {
    if (visible.has(b.node)) {
      own.push(b);
      continue;
    }
    const rep = repOf(b.node);
    if (rep && rep !== b.node && visible.has(rep) && b.mismatch) hiddenMismatches.set(rep, (hiddenMismatches.get(rep) ?? 0) + 1);
  }
  const parts: string[] = ['<g class="badges">'];
  const mismatched: string[] = [];
  const pill = (id: string, text: string, bad: boolean) => {
    const box = pos.boxes.get(id);
    if (!box) return false;
    const w = Math.ceil(meter.width(text, FONT)) + 10;
    const x = box.x + box.width + GAP;
    const y = box.y + box.height / 2 - HEIGHT / 2;
    right = Math.max(right, x + w);
    parts.push(
      `<g class="badge${bad ? ' mismatch' : ''}" data-badge="${esc(id)}" transform="translate(${r1(x)},${r1(y)})">` +
        `<rect width="${w}" height="${HEIGHT}" rx="${HEIGHT / 2}"/><text x="5" y="11.5">${esc(text)}</text></g>`,
    );
    if (bad) mismatched.push(id);
    return true;
  };
  let count = 0;
  let mismatches = 0;
  let right = 0;
  for (const b of own) {
    if (!pill(b.node, badgeText(b), b.mismatch)) continue;
    count++;
    if (b.mismatch) mismatches++;
  }
  for (const [id, n] of hiddenMismatches) {
    if (!pill(id, `✗ ${n} disagree${n === 1 ? 's' : ''}`, true)) continue;
    count++;
    mismatches++;
  }
  parts.push('</g>');
  return { markup: parts.join(''), mismatched, count, mismatches, right };
}
