import type { NeuronView } from '../../src/core/graph';
import { ARROW_DEFS, esc } from './svg';

const COLUMN_GAP = 160;
const ROW_GAP = 30;
const RADIUS = 10;
const TOP = 24;
const CAPTION = 56;

/**
 * The classic feed-forward figure: one column of circles per layer, every drawn neuron wired to
 * every drawn neuron of the next column; wide columns show a few neurons, an ellipsis and how
 * many are hidden. Returns the SVG markup and its size.
 */
export function neuronMarkup(view: NeuronView): { markup: string; width: number; height: number } {
  const slots = (c: NeuronView['columns'][number]) => c.shown.length + (c.ellipsis ? 1 : 0);
  const tallest = Math.max(...view.columns.map(slots));
  const bodyHeight = tallest * ROW_GAP;
  const centres = view.columns.map((c, i) => {
    const x = 70 + i * COLUMN_GAP;
    const top = TOP + (bodyHeight - slots(c) * ROW_GAP) / 2 + ROW_GAP / 2;
    const ys: number[] = [];
    let ellipsisY = -1;
    let slot = 0;
    c.shown.forEach((_, k) => {
      ys.push(top + slot++ * ROW_GAP);
      if (c.ellipsis && k === c.ellipsisAfter) ellipsisY = top + slot++ * ROW_GAP;
    });
    return { x, ys, ellipsisY };
  });
  const wires: string[] = [];
  for (let i = 0; i + 1 < centres.length; i++) {
    const a = centres[i];
    const b = centres[i + 1];
    for (const ya of a.ys) for (const yb of b.ys) wires.push(`M${a.x + RADIUS},${ya}L${b.x - RADIUS},${yb}`);
  }
  const parts: string[] = [ARROW_DEFS, `<g class="synapses"><path class="synapse" d="${wires.join('')}"/></g><g class="neuron-columns">`];
  view.columns.forEach((c, i) => {
    const { x, ys, ellipsisY } = centres[i];
    const fam = i === 0 ? 'fam-input' : 'fam-linear';
    parts.push(`<g class="neuron-column ${fam}" data-id="${esc(c.node)}" data-line="${c.line}" data-units="${c.units}">`);
    for (const y of ys) parts.push(`<circle class="neuron" cx="${x}" cy="${y}" r="${RADIUS}"/>`);
    if (c.ellipsis) {
      parts.push(`<g class="ellipsis"><text class="dots" x="${x}" y="${ellipsisY + 6}" text-anchor="middle">⋮</text><text class="count" x="${x + RADIUS + 6}" y="${ellipsisY + 4}">+${c.hidden}</text></g>`);
    }
    const captionY = TOP + bodyHeight + 20;
    const what = i === 0 ? `${c.units} features` : `${c.units} unit${c.units === 1 ? '' : 's'}`;
    parts.push(`<text class="t0" x="${x}" y="${captionY}" text-anchor="middle">${esc(c.type)}</text>`);
    parts.push(`<text class="t1" x="${x}" y="${captionY + 15}" text-anchor="middle">${esc(i === 0 ? what : `${c.name} · ${what}`)}</text>`);
    if (c.activation) parts.push(`<text class="t2" x="${x}" y="${captionY + 30}" text-anchor="middle">${esc(c.activation)}</text>`);
    parts.push('</g>');
  });
  parts.push('</g>');
  const width = 70 * 2 + (view.columns.length - 1) * COLUMN_GAP;
  return { markup: parts.join(''), width: Math.max(width, 200), height: TOP + bodyHeight + CAPTION };
}
