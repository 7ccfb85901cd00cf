import type { DiagramBadge, DiagramGraph, ToDiagram } from '../../src/core/graph';
import { inertGraph } from '../../src/core/graph/inert';

/**
 * Messages from the extension arrive as window `message` events, which any frame could send;
 * only well-formed ones are acted on.
 */
function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isGraph(x: unknown): x is DiagramGraph {
  if (!isRecord(x) || x.version !== 1 || !isRecord(x.model)) return false;
  if (!Array.isArray(x.nodes) || !Array.isArray(x.edges) || !Array.isArray(x.groups)) return false;
  const ids = new Set<string>();
  for (const n of x.nodes) {
    if (!isRecord(n) || typeof n.id !== 'string' || typeof n.type !== 'string' || typeof n.name !== 'string' || typeof n.line !== 'number') return false;
    if (n.file !== undefined && typeof n.file !== 'string') return false;
    ids.add(n.id);
  }
  for (const g of x.groups) {
    if (!isRecord(g) || typeof g.id !== 'string' || !Array.isArray(g.children)) return false;
    ids.add(g.id);
  }
  return x.edges.every((e) => isRecord(e) && typeof e.source === 'string' && typeof e.target === 'string' && typeof e.label === 'string' && ids.has(e.source) && ids.has(e.target));
}

const MAX_BADGES = 100_000;
const short = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;

/** Forward-pass badges: plain strings and a boolean per node, nothing else (they end up in markup, escaped). */
function isBadges(x: unknown): x is DiagramBadge[] {
  if (!Array.isArray(x) || x.length > MAX_BADGES) return false;
  return x.every((b) => isRecord(b) && short(b.node, 32) && /^[a-z]+[0-9]+$/.test(b.node) && short(b.shape, 200) && short(b.mean, 40) && typeof b.mismatch === 'boolean' && short(b.detail, 4000));
}

export function parseToDiagram(x: unknown): ToDiagram | undefined {
  if (!isRecord(x)) return undefined;
  // Every shown string bounded and inert again here: the page trusts no message to be.
  if (x.type === 'update' && isGraph(x.graph)) return { type: 'update', graph: inertGraph(x.graph) };
  if (x.type === 'forward' && (x.badges === null || isBadges(x.badges))) {
    const badges = x.badges === null ? null : x.badges.map((b) => ({ node: b.node, shape: b.shape, mean: b.mean, mismatch: b.mismatch, detail: b.detail }));
    return { type: 'forward', badges };
  }
  if (x.type === 'visible') return { type: 'visible' };
  if (x.type === 'highlight' && (x.line === null || (typeof x.line === 'number' && Number.isInteger(x.line)))) return { type: 'highlight', line: x.line as number | null };
  return undefined;
}
