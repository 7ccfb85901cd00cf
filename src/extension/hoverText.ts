import type { LayerDocs } from '../core/catalog/types';
import { type LayerRow, type ModelSummary, modelTitle } from '../core/summary';
import { markdownCode, markdownText } from '../core/escape/markdown';
import { NumberFormat, count, shapeText } from './numbers';
import { clonesOf, heldRows, idleText, shownParams } from './lensTitles';

/**
 * The hover over a layer constructor: catalog docs plus this instance's numbers. Markdown
 * source text, pure (the provider wraps it in a MarkdownString, untrusted and without HTML).
 * Every string that can come from the user's code (names, types, formulas, reasons) goes through
 * escape/markdown.ts: as escaped text or as a code span it can't close.
 */

const LIBRARY = { torch: 'PyTorch', tfjs: 'TensorFlow.js' } as const;

/** Escapes user-controlled text (layer names, reasons) for Markdown. */
export const escapeMarkdown = markdownText;

/** tfjs's own names (`dense_Dense1`, `re_lu_ReLU2`): a config `name` reads better, these say nothing. */
const TFJS_AUTO_NAME = /^[a-z0-9]+(?:_[a-z0-9]+)*_[A-Z][A-Za-z0-9]*?\d+$/;

/**
 * Short enough to read without scrolling: the kind and its numbers first (count, shapes, the
 * filled formula, mult-adds), then which layer it is, then one paragraph of docs and the link.
 */
export function layerHoverMarkdown(r: LayerRow, m: ModelSummary, docs: LayerDocs, fmt: NumberFormat = 'commas'): string {
  const lines: string[] = [];
  const params = shownParams(r, m);
  const held = heldRows(r, m).map((x) => `${x.name.slice(x.name.lastIndexOf('.') + 1)}'s ${count(x.params, fmt)}`);
  const copies = r.cloned ? clonesOf(r, m) : [];
  const ins = r.inputShapes.length === 0 ? '?' : r.inputShapes.map((s) => shapeText(s, m.framework)).join(', ');
  const outs = r.outputShapes && r.outputShapes.length > 1 ? r.outputShapes.map((s) => shapeText(s, m.framework)).join(', ') : shapeText(r.outputShape, m.framework);
  const inside = held.length ? ` (${held.join(', ')} included)` : '';
  const counted = copies.length > 0 ? `template · cloned ×${copies.length} · ${count(params, fmt)} params each` : `${count(params, fmt)} params${inside}${r.reused ? ' (shared: counted at the first call)' : ''}`;
  const shapes = r.notCalled ? idleText(r) : `${markdownCode(ins, 1000)} → ${markdownCode(outs, 1000)}`;
  lines.push(`**${escapeMarkdown(r.type)}** · ${counted} · ${shapes}`, '');

  const numbers: string[] = [];
  if (r.formula) numbers.push(markdownCode(r.formula, 1000));
  // A container's own mult-adds are none (as torchinfo prints them); its layers' are what it costs.
  numbers.push(r.container ? `**Mult-adds:** ${count(subtreeMultAdds(r, m), fmt)} (its layers)` : `**Mult-adds:** ${count(r.multAdds, fmt)}`);
  if (r.trainableParams !== null && r.nonTrainableParams !== null && r.nonTrainableParams > 0) {
    numbers.push(`trainable ${count(r.trainableParams, fmt)}, non-trainable ${count(r.nonTrainableParams, fmt)}`);
  }
  lines.push(numbers.join(' · '), '');
  if (copies.length > 0) {
    lines.push(`*Template:* its container registers ${copies.length} copies (${copies.map((c) => escapeMarkdown(c.name)).join(', ')}) and counts those; this object itself is not registered and counts nothing.`, '');
  }
  if (r.unknownReason) lines.push(`*Unknown:* ${escapeMarkdown(r.unknownReason, 1000)}`, '');

  const auto = m.framework === 'tfjs' && TFJS_AUTO_NAME.test(r.name);
  const name = copies.length > 0 ? '' : `${escapeMarkdown(r.name)}${auto ? ' (auto-named)' : ''} in `;
  lines.push(`${name}${escapeMarkdown(modelTitle(m))} · ${LIBRARY[m.framework]}`, '');
  lines.push('---', '');
  lines.push(`${escapeMarkdown(docs.summary, 2000)} *Use:* ${escapeMarkdown(docs.use, 2000)}`, '');
  lines.push(`*Formula:* ${markdownCode(docs.formula, 1000)} · [${LIBRARY[m.framework]} documentation](${docs.url})`);
  return lines.join('\n');
}

/** The mult-adds of every row inside a container (null when one of them is unknown). */
function subtreeMultAdds(container: LayerRow, m: ModelSummary): number | null {
  const inside = new Set([container.id]);
  let sum: number | null = 0;
  // Rows come parents first, so one pass finds every descendant.
  for (const r of m.layers) {
    if (r.parent === undefined || !inside.has(r.parent)) continue;
    inside.add(r.id);
    if (r.container) continue;
    sum = sum === null || r.multAdds === null ? null : sum + r.multAdds;
  }
  return sum;
}
