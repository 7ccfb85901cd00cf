import type { DiagramGraph } from './types';

/**
 * The diagram webview's protocol. The webview is untrusted input like any other: every message
 * from it is checked field by field (`parseDiagramMessage`) before the extension acts on it.
 */

/** Extension → webview. `line` null clears the highlight. */
export type ToDiagram = { type: 'update'; graph: DiagramGraph } | { type: 'highlight'; line: number | null };

export type ExportFormat = 'svg' | 'png';

/** Webview → extension. `export` carries SVG text, or PNG bytes as base64. */
export type FromDiagram = { type: 'ready' } | { type: 'reveal'; line: number } | { type: 'export'; format: ExportFormat; data: string };

const MAX_LINE = 10_000_000;
/** A 1,000-layer SVG is a few MB; anything near this is not something we produced. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

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
    case 'reveal':
      if (!hasOnly(x, ['type', 'line']) || typeof x.line !== 'number' || !Number.isInteger(x.line) || x.line < 1 || x.line > MAX_LINE) return undefined;
      return { type: 'reveal', line: x.line };
    case 'export': {
      if (!hasOnly(x, ['type', 'format', 'data']) || typeof x.data !== 'string' || x.data.length === 0 || x.data.length > MAX_EXPORT_CHARS) return undefined;
      if (x.format === 'svg') return /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(x.data) ? { type: 'export', format: 'svg', data: x.data } : undefined;
      if (x.format === 'png') return BASE64.test(x.data) && x.data.startsWith('iVBORw0KGgo') ? { type: 'export', format: 'png', data: x.data } : undefined;
      return undefined;
    }
    default:
      return undefined;
  }
}
