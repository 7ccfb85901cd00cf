import type { DiagramGraph } from './types';

/**
 * The diagram webview's protocol. The webview is untrusted input like any other: every message
 * from it is checked field by field (`parseDiagramMessage`) before the extension acts on it.
 */

/**
 * A sample forward pass's result on one node (joined on the summary row: node `n<row>`):
 * the actual output shape and mean, and whether the real pass disagrees with the static analysis.
 */
export interface DiagramBadge {
  node: string;
  /** Actual output shape (`[64, 516]`); `` when the layer did not run but has a finding. */
  shape: string;
  /** Mean activation, formatted; `` when unknown. */
  mean: string;
  mismatch: boolean;
  /** Hover text: mean ± std, min, max, zeros, and the finding when there is one. */
  detail: string;
}

/** Extension → webview. `line` null clears the highlight; `badges` null clears the forward-pass badges. */
/** `visible`: the panel's tab is on screen again; the webview answers `painted` once a frame with the graph is on screen. */
export type ToDiagram = { type: 'update'; graph: DiagramGraph } | { type: 'highlight'; line: number | null } | { type: 'forward'; badges: DiagramBadge[] | null } | { type: 'visible' };

/**
 * What the webview has on screen after a render, a badge update or a highlight: counts of the
 * drawn elements and the highlighted ids. The extension only records it (tests read it there).
 */
export interface DiagramRendered {
  type: 'rendered';
  view: 'graph' | 'neurons';
  nodes: number;
  edges: number;
  badges: number;
  mismatches: number;
  highlighted: string[];
}

export type ExportFormat = 'svg' | 'png';

/**
 * Webview → extension. `export` carries SVG text, or PNG bytes as base64. `reveal` names the
 * clicked node's id when it has one: the extension looks the node up in its own graph (a layer
 * built in an imported file is revealed there); the webview never names a file.
 */
export type FromDiagram = { type: 'ready' } | { type: 'reveal'; line: number; id?: string } | { type: 'export'; format: ExportFormat; data: string } | { type: 'runForward' } | { type: 'painted'; nodes: number } | DiagramRendered;

const MAX_LINE = 10_000_000;
/** A 1,000-layer SVG is a few MB; anything near this is not something we produced. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_COUNT = 1_000_000;
const MAX_HIGHLIGHTED = 1_000;
const ID = /^[a-z]+[0-9]+$/;

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_COUNT;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function hasOnly(x: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(x);
  return own.length === keys.length && own.every((k) => keys.includes(k));
}

/** The message if it is one of the known shapes with valid fields, else undefined. */
export function parseDiagramMessage(x: unknown): FromDiagram | undefined {
  if (!isRecord(x)) return undefined;
  switch (x.type) {
    case 'ready':
      return hasOnly(x, ['type']) ? { type: 'ready' } : undefined;
    case 'painted':
      return hasOnly(x, ['type', 'nodes']) && isCount(x.nodes) ? { type: 'painted', nodes: x.nodes } : undefined;
    case 'runForward':
      // The diagram's own model, nothing else: the extension knows which one.
      return hasOnly(x, ['type']) ? { type: 'runForward' } : undefined;
    case 'reveal': {
      const withId = 'id' in x;
      if (!hasOnly(x, withId ? ['type', 'line', 'id'] : ['type', 'line']) || typeof x.line !== 'number' || !Number.isInteger(x.line) || x.line < 1 || x.line > MAX_LINE) return undefined;
      if (!withId) return { type: 'reveal', line: x.line };
      if (typeof x.id !== 'string' || x.id.length > 32 || !ID.test(x.id)) return undefined;
      return { type: 'reveal', line: x.line, id: x.id };
    }
    case 'export': {
      if (!hasOnly(x, ['type', 'format', 'data']) || typeof x.data !== 'string' || x.data.length === 0 || x.data.length > MAX_EXPORT_CHARS) return undefined;
      if (x.format === 'svg') return /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(x.data) ? { type: 'export', format: 'svg', data: x.data } : undefined;
      if (x.format === 'png') return BASE64.test(x.data) && x.data.startsWith('iVBORw0KGgo') ? { type: 'export', format: 'png', data: x.data } : undefined;
      return undefined;
    }
    case 'rendered': {
      if (!hasOnly(x, ['type', 'view', 'nodes', 'edges', 'badges', 'mismatches', 'highlighted'])) return undefined;
      if (x.view !== 'graph' && x.view !== 'neurons') return undefined;
      if (!isCount(x.nodes) || !isCount(x.edges) || !isCount(x.badges) || !isCount(x.mismatches)) return undefined;
      const h = x.highlighted;
      if (!Array.isArray(h) || h.length > MAX_HIGHLIGHTED || !h.every((id) => typeof id === 'string' && id.length <= 32 && ID.test(id))) return undefined;
      return { type: 'rendered', view: x.view, nodes: x.nodes, edges: x.edges, badges: x.badges, mismatches: x.mismatches, highlighted: [...(h as string[])] };
    }
    default:
      return undefined;
  }
}
