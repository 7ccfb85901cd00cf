import { type ModelSummary, modelTitle } from '../summary';
import { formatShape } from '../shape';
import { markdownCode, markdownText } from '../escape/markdown';
import { MAX_SHOWN } from '../escape/plain';
import { countText, isInputRow, outputText, tableRows, unknownDim, unknownNotes, builtWithLines } from './rows';

/**
 * A GitHub-flavoured Markdown table of the summary (the panel's "copy as markdown"): one row per
 * layer with name, type, output shape and own parameters, then the totals.
 */

/**
 * Cells quote the user's code: text is escaped Markdown, code a span it can't close, both one
 * inert line with any `|` escaped (escape/markdown.ts). A cell must not start a link, an image,
 * HTML or a new column.
 */
function cell(text: string): string {
  return markdownText(text, 1000);
}

function code(text: string): string {
  return markdownCode(text, MAX_SHOWN, true);
}

export function formatMarkdown(model: ModelSummary): string {
  const unk = unknownDim(model);
  const rows = tableRows(model);
  const lines: string[] = [];
  const input = model.inputShape ? ` — input ${code(formatShape(model.inputShape, unk))}` : '';
  lines.push(`**${cell(modelTitle(model))}** (${model.framework})${input}`, '');
  lines.push('| Layer | Type | Output Shape | Param # |', '| --- | --- | --- | ---: |');
  for (const r of rows) {
    // Depth shows as indentation (em spaces survive Markdown rendering); containers' own count is
    // usually 0, so like torchinfo they show `--` rather than a number that looks like a total.
    const indent = '\u2003'.repeat(Math.max(0, r.depth - 1));
    const params = r.container && r.params === 0 ? '--' : countText(r.params);
    const type = isInputRow(r) || !r.reused ? cell(r.type) : `${cell(r.type)} (reused)`;
    lines.push(`| ${indent}${code(r.name)} | ${type} | ${code(outputText(r, unk))} | ${params} |`);
  }
  lines.push(
    '',
    `**Total params:** ${countText(model.totalParams)} · ` +
      `**Trainable:** ${countText(model.trainableParams)} · ` +
      `**Non-trainable:** ${countText(model.nonTrainableParams)}`,
  );
  for (const l of builtWithLines(model)) lines.push('', cell(l));
  const notes = unknownNotes(model, rows);
  if (notes.length > 0) {
    lines.push('', '`?` = unknown:', '');
    for (const n of notes.slice(1)) lines.push(`- ${cell(n.trim())}`);
  }
  return lines.join('\n') + '\n';
}
