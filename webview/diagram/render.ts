import type { DiagramGroup, VisibleGraph, VisibleNode } from '../../src/core/graph';
import type { Positioned } from './layout';
import { BADGE_FONT, LINE_HEIGHT, PAD_X, PAD_Y, type NodeBadge, type TextMeter, badgeBox, edgeText, nodeText } from './measure';
import { ARROW_DEFS, esc, famClass, pathData } from './svg';

const r1 = (n: number) => Math.round(n * 10) / 10;

function nodeMarkup(n: VisibleNode, x: number, y: number, w: number, h: number, meter: TextMeter, badge: NodeBadge | undefined): string {
  const t = nodeText(n, badge);
  const cls = `node kind-${n.kind} ${famClass(n.family)}${n.kind !== 'group' && n.reused ? ' reused' : ''}`;
  const rx = t.pill ? Math.min(h / 2, 14) : 5;
  let s = `<g class="${cls}" data-id="${esc(n.id)}" data-line="${n.line}" transform="translate(${r1(x)},${r1(y)})"><rect class="node-box" width="${r1(w)}" height="${r1(h)}" rx="${rx}"/>`;
  t.lines.forEach((line, i) => {
    const baseline = PAD_Y + 11 + i * LINE_HEIGHT - (t.pill && t.lines.length === 1 ? 2 : 0);
    const tx = t.pill ? w / 2 : PAD_X;
    const anchor = t.pill ? ' text-anchor="middle"' : '';
    const toggle = n.kind === 'group' && i === 0 ? ` data-toggle="${esc(n.id)}"` : '';
    s += `<text class="t${Math.min(i, 2)}"${toggle} x="${r1(tx)}" y="${baseline}"${anchor}>${esc(line)}</text>`;
  });
  if (t.badge) {
    const b = badgeBox(t, w, h, meter.width(t.badge.text, BADGE_FONT, t.badge.bad, true));
    s +=
      `<g class="badge${t.badge.bad ? ' mismatch' : ''}" data-badge="${esc(n.id)}" transform="translate(${r1(b.x)},${r1(b.y)})">` +
      `<rect width="${b.width}" height="${b.height}" rx="${b.height / 2}"/><text x="5" y="11.5">${esc(t.badge.text)}</text></g>`;
  }
  return s + '</g>';
}

function groupMarkup(g: DiagramGroup, x: number, y: number, w: number, h: number, meter: TextMeter): string {
  // The header shares the box's width: the parameter count goes first when space runs out, then the title is shortened.
  const room = w - 20;
  let meta = g.paramsText ? `${g.paramsText} params` : '';
  const full = `▾ ${g.type}${g.repeat ? ` ×${g.repeat}` : ''} · ${g.name}`;
  const metaWidth = meta ? meter.width(meta, 11) + 12 : 0;
  if (meter.width(full, 12, true) + metaWidth > room) meta = '';
  const title = meter.fit(full, 12, true, room - (meta ? metaWidth : 0));
  return (
    `<g class="group ${famClass(g.family)}" data-id="${esc(g.id)}" data-line="${g.line}">` +
    `<rect class="group-box" x="${r1(x)}" y="${r1(y)}" width="${r1(w)}" height="${r1(h)}" rx="7"/>` +
    `<text class="group-title" data-toggle="${esc(g.id)}" x="${r1(x + 10)}" y="${r1(y + 17)}">${esc(title)}</text>` +
    (meta ? `<text class="group-meta" x="${r1(x + w - 10)}" y="${r1(y + 17)}" text-anchor="end">${esc(meta)}</text>` : '') +
    `</g>`
  );
}

/**
 * The laid-out graph as one SVG string (a single innerHTML assignment is the fastest way to
 * put a few thousand elements on screen). Groups first (behind), then edges, labels, nodes
 * (with their forward-pass badges inside).
 */
export function graphMarkup(v: VisibleGraph, pos: Positioned, meter: TextMeter, badges: ReadonlyMap<string, NodeBadge> = new Map()): string {
  const parts: string[] = [ARROW_DEFS, '<g class="groups">'];
  // Outer groups before inner ones so inner boxes paint on top.
  const depth = new Map<string, number>();
  const byId = new Map(v.groups.map((g) => [g.id, g]));
  const depthOf = (g: DiagramGroup): number => {
    if (!depth.has(g.id)) depth.set(g.id, g.parent && byId.get(g.parent) ? depthOf(byId.get(g.parent)!) + 1 : 0);
    return depth.get(g.id)!;
  };
  for (const g of [...v.groups].sort((a, b) => depthOf(a) - depthOf(b))) {
    const b = pos.boxes.get(g.id);
    if (b) parts.push(groupMarkup(g, b.x, b.y, b.width, b.height, meter));
  }
  parts.push('</g><g class="edges">');
  const labels: string[] = [];
  for (const e of v.edges) {
    const p = pos.edges.get(e.id);
    if (!p || p.points.length < 2) continue;
    parts.push(`<path class="edge" data-id="${esc(e.id)}" data-source="${esc(e.source)}" data-target="${esc(e.target)}" d="${pathData(p.points)}" marker-end="url(#ml-arrow)"/>`);
    const l = p.label;
    if (l) {
      labels.push(`<text class="edge-label" data-edge="${esc(e.id)}" x="${r1(l.x + l.width / 2)}" y="${r1(l.y + l.height - 3.5)}" text-anchor="middle">${esc(edgeText(e))}</text>`);
    }
  }
  parts.push('</g><g class="labels">', ...labels, '</g><g class="nodes">');
  for (const n of v.nodes) {
    const b = pos.boxes.get(n.id);
    if (b) parts.push(nodeMarkup(n, b.x, b.y, b.width, b.height, meter, badges.get(n.id)));
  }
  parts.push('</g>');
  return parts.join('');
}
