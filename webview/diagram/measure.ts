import type { VisibleEdge, VisibleNode } from '../../src/core/graph';

/** A forward-pass badge drawn inside its node, as the box's last line. */
export interface NodeBadge {
  text: string;
  /** The real pass disagrees with the static analysis (drawn in the error colour). */
  bad: boolean;
}

/** Text lines of a node box, in drawing order. The first is the title (bold). */
export interface NodeText {
  lines: string[];
  /** Ops and inputs/outputs are pills; layers and collapsed groups are boxes. */
  pill: boolean;
  badge?: NodeBadge;
}

export const LINE_HEIGHT = 15;
export const PAD_X = 10;
export const PAD_Y = 7;
export const LABEL_HEIGHT = 14;
export const GROUP_HEADER = 24;
/** A badge line inside a node: the pill's height, and the font size of its text. */
export const BADGE_HEIGHT = 16;
export const BADGE_FONT = 10;
const BADGE_GAP = 4;

export function nodeText(n: VisibleNode, badge?: NodeBadge): NodeText {
  const withBadge = (t: NodeText): NodeText => (badge ? { ...t, badge } : t);
  if (n.kind === 'op') return withBadge({ lines: [n.type], pill: true });
  if (n.kind === 'input' || n.kind === 'output') return withBadge({ lines: [n.name === 'input' || n.name === 'output' ? n.type : `${n.type} · ${n.name}`, n.shape || '?'], pill: true });
  const meta = [n.hyper, n.paramsText ? `${n.paramsText} params` : ''].filter(Boolean).join(' · ');
  if (n.kind === 'group') {
    const inside = `${n.hiddenCount} layer${n.hiddenCount === 1 ? '' : 's'}`;
    // A folded run of identical blocks says how many, and its parameters are their total.
    const title = n.repeat ? `▸ ${n.type} ×${n.repeat}` : `▸ ${n.type}`;
    const total = n.paramsText ? `${n.paramsText} params${n.repeat ? ' in all' : ''}` : '';
    return withBadge({ lines: [title, n.name, [inside, total].filter(Boolean).join(' · ')], pill: false });
  }
  const title = n.reused ? `${n.type} (reused)` : n.type;
  return withBadge({ lines: meta ? [title, n.name, meta] : [title, n.name], pill: false });
}

/** Where a node's badge pill sits inside its box (top-left corner, size), for drawing and tests alike. */
export function badgeBox(t: NodeText, boxWidth: number, boxHeight: number, textWidth: number): { x: number; y: number; width: number; height: number } {
  const width = Math.ceil(textWidth) + 10;
  const y = boxHeight - PAD_Y - BADGE_HEIGHT + (t.pill ? 2 : 0);
  return { x: t.pill ? (boxWidth - width) / 2 : PAD_X - 3, y, width, height: BADGE_HEIGHT };
}

/** Canvas text metrics, cached: a 1,000-node graph measures ~4,000 strings per layout. */
export class TextMeter {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly cache = new Map<string, number>();
  private readonly family: string;
  /** The editor's monospace font, which edge labels and badges are drawn in (diagram.css). */
  private readonly mono: string;

  constructor() {
    this.ctx = document.createElement('canvas').getContext('2d');
    this.family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const probe = document.createElement('span');
    probe.style.fontFamily = 'var(--vscode-editor-font-family, ui-monospace, monospace)';
    document.body.append(probe);
    this.mono = getComputedStyle(probe).fontFamily || 'monospace';
    probe.remove();
  }

  /** Width of `text` in the UI font (`mono`: the editor's monospace font). */
  width(text: string, size: number, bold = false, mono = false): number {
    const key = `${size}${bold ? 'b' : ''}${mono ? 'm' : ''}\u0000${text}`;
    let w = this.cache.get(key);
    if (w === undefined) {
      if (this.ctx) {
        this.ctx.font = `${bold ? '600 ' : ''}${size}px ${mono ? this.mono : this.family}`;
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
    // The badge pill is 10px wider than its text and starts 3px left of the text column.
    if (t.badge) widths.push(this.width(t.badge.text, BADGE_FONT, t.badge.bad, true) + 10 - 6);
    const width = Math.ceil(Math.max(...widths)) + 2 * PAD_X + (t.pill ? 8 : 0);
    const height = t.lines.length * LINE_HEIGHT + 2 * PAD_Y - (t.pill && t.lines.length === 1 && !t.badge ? 4 : 0) + (t.badge ? BADGE_HEIGHT + BADGE_GAP : 0);
    return { width: Math.max(width, t.pill ? 48 : 96), height };
  }

  labelSize(e: VisibleEdge): { width: number; height: number } {
    const text = e.count > 1 ? `${e.label} ×${e.count}` : e.label;
    return { width: Math.ceil(this.width(text, 10, false, true)) + 6, height: LABEL_HEIGHT };
  }
}

export function edgeText(e: VisibleEdge): string {
  return e.count > 1 ? `${e.label} ×${e.count}` : e.label;
}
