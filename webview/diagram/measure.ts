import type { VisibleEdge, VisibleNode } from '../../src/core/graph';

/** Text lines of a node box, in drawing order. The first is the title (bold). */
export interface NodeText {
  lines: string[];
  /** Ops and inputs/outputs are pills; layers and collapsed groups are boxes. */
  pill: boolean;
}

export const LINE_HEIGHT = 15;
export const PAD_X = 10;
export const PAD_Y = 7;
export const LABEL_HEIGHT = 14;
export const GROUP_HEADER = 24;

export function nodeText(n: VisibleNode): NodeText {
  if (n.kind === 'op') return { lines: [n.type], pill: true };
  if (n.kind === 'input' || n.kind === 'output') return { lines: [n.name === 'input' || n.name === 'output' ? n.type : `${n.type} · ${n.name}`, n.shape || '?'], pill: true };
  const meta = [n.hyper, n.paramsText ? `${n.paramsText} params` : ''].filter(Boolean).join(' · ');
  if (n.kind === 'group') {
    const inside = `${n.hiddenCount} layer${n.hiddenCount === 1 ? '' : 's'}`;
    return { lines: [`▸ ${n.type}`, n.name, [inside, n.paramsText ? `${n.paramsText} params` : ''].filter(Boolean).join(' · ')], pill: false };
  }
  const title = n.reused ? `${n.type} (reused)` : n.type;
  return { lines: meta ? [title, n.name, meta] : [title, n.name], pill: false };
}

/** Canvas text metrics, cached: a 1,000-node graph measures ~4,000 strings per layout. */
export class TextMeter {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly cache = new Map<string, number>();
  private readonly family: string;

  constructor() {
    this.ctx = document.createElement('canvas').getContext('2d');
    this.family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  }

  width(text: string, size: number, bold = false): number {
    const key = `${size}${bold ? 'b' : ''}\u0000${text}`;
    let w = this.cache.get(key);
    if (w === undefined) {
      if (this.ctx) {
        this.ctx.font = `${bold ? '600 ' : ''}${size}px ${this.family}`;
        w = this.ctx.measureText(text).width;
      } else {
        w = text.length * size * 0.6;
      }
      this.cache.set(key, w);
    }
    return w;
  }

  /** `text`, shortened with an ellipsis until it fits `max` pixels. */
  fit(text: string, size: number, bold: boolean, max: number): string {
    if (this.width(text, size, bold) <= max) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.width(`${text.slice(0, mid)}…`, size, bold) <= max) lo = mid;
      else hi = mid - 1;
    }
    return `${text.slice(0, lo)}…`;
  }

  nodeSize(t: NodeText): { width: number; height: number } {
    const widths = t.lines.map((l, i) => this.width(l, i === 0 ? 12 : 11, i === 0));
    const width = Math.ceil(Math.max(...widths)) + 2 * PAD_X + (t.pill ? 8 : 0);
    return { width: Math.max(width, t.pill ? 48 : 96), height: t.lines.length * LINE_HEIGHT + 2 * PAD_Y - (t.pill && t.lines.length === 1 ? 4 : 0) };
  }

  labelSize(e: VisibleEdge): { width: number; height: number } {
    const text = e.count > 1 ? `${e.label} ×${e.count}` : e.label;
    return { width: Math.ceil(this.width(text, 10)) + 6, height: LABEL_HEIGHT };
  }
}

export function edgeText(e: VisibleEdge): string {
  return e.count > 1 ? `${e.label} ×${e.count}` : e.label;
}
