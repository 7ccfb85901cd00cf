import type { LayerDocs } from '../core/catalog/types';
import type { LayerRow, ModelSummary } from '../core/summary';
import { markdownCode, markdownText } from '../core/escape/markdown';
import { NumberFormat, count, shapeText } from './numbers';

/**
 * The hover over a layer constructor: catalog docs plus this instance's numbers. Markdown
 * source text, pure (the provider wraps it in a MarkdownString, untrusted and without HTML).
 * Every string that can come from the user's code (names, types, formulas, reasons) goes through
 * escape/markdown.ts: as escaped text or as a code span it can't close.
 */

const LIBRARY = { torch: 'PyTorch', tfjs: 'TensorFlow.js' } as const;

/** Escapes user-controlled text (layer names, reasons) for Markdown. */
export const escapeMarkdown = markdownText;

export function layerHoverMarkdown(r: LayerRow, m: ModelSummary, docs: LayerDocs, fmt: NumberFormat = 'commas'): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(r.name)}** · ${markdownCode(r.type)} (${LIBRARY[m.framework]}) in ${markdownCode(m.name)}`, '');
  lines.push(escapeMarkdown(docs.summary, 2000), '');
  lines.push(`*When to use:* ${escapeMarkdown(docs.use, 2000)}`, '');
  lines.push('---', '');
  const params = r.container ? r.totalParams : r.params;
  if (r.formula) lines.push(`**Parameters:** ${markdownCode(r.formula, 1000)}`, '');
  else lines.push(`**Parameters:** ${params === null ? '?' : count(params, fmt)}${r.reused ? ' (shared: counted at the first call)' : ''}`, '');
  lines.push(`*Formula:* ${markdownCode(docs.formula, 1000)}`, '');
  if (r.trainableParams !== null && r.nonTrainableParams !== null && r.nonTrainableParams > 0) {
    lines.push(`Trainable ${count(r.trainableParams, fmt)} · non-trainable ${count(r.nonTrainableParams, fmt)}`, '');
  }
  const ins = r.inputShapes.length === 0 ? '?' : r.inputShapes.map((s) => shapeText(s, m.framework)).join(', ');
  const outs = r.outputShapes && r.outputShapes.length > 1 ? r.outputShapes.map((s) => shapeText(s, m.framework)).join(', ') : shapeText(r.outputShape, m.framework);
  if (r.notCalled) lines.push('**Shape:** -- (forward() never runs it)', '');
  else lines.push(`**Shape:** ${markdownCode(ins, 1000)} → ${markdownCode(outs, 1000)}`, '');
  // A container's own mult-adds are none (as torchinfo prints them); its layers' are what it costs.
  if (r.container) lines.push(`**Mult-adds:** ${count(subtreeMultAdds(r, m), fmt)} (its layers)`, '');
  else lines.push(`**Mult-adds:** ${count(r.multAdds, fmt)}`, '');
  if (r.unknownReason) lines.push(`*Unknown:* ${escapeMarkdown(r.unknownReason, 1000)}`, '');
  lines.push(`[${LIBRARY[m.framework]} documentation](${docs.url})`);
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
