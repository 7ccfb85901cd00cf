import * as vscode from 'vscode';
import type { FileSummary, LayerRow, ModelSummary } from '../core/summary';
import type { AnalysisService } from './analysisService';
import { core } from './core';
import { layerHoverMarkdown } from './hoverText';
import { guarded } from './log';
import { settings } from './settings';

interface Hit {
  row: LayerRow;
  model: ModelSummary;
  range: vscode.Range;
}

/** Rows constructed in this file, first calls before reuses. */
function rowsHere(summary: FileSummary): { row: LayerRow; model: ModelSummary }[] {
  const out: { row: LayerRow; model: ModelSummary }[] = [];
  for (const model of summary.models) for (const row of model.layers) if (!row.op && row.file === undefined) out.push({ row, model });
  return out.sort((a, b) => Number(a.row.reused ?? false) - Number(b.row.reused ?? false));
}

/**
 * The constructor or factory part of a layer expression: `new nn.Linear` / `tf.layers.dense`
 * in `new nn.Linear(128, 516)`, i.e. the text before the argument list. Hovering an argument
 * is about that argument, not the layer.
 */
function calleeHit(doc: vscode.TextDocument, summary: FileSummary, offset: number): Hit | undefined {
  for (const { row, model } of rowsHere(summary)) {
    if (row.start === undefined || row.end === undefined || offset < row.start || offset >= row.end) continue;
    const text = doc.getText().slice(row.start, row.end);
    const paren = text.indexOf('(');
    const calleeEnd = row.start + (paren < 0 ? text.length : paren);
    if (offset >= calleeEnd) continue;
    return { row, model, range: new vscode.Range(doc.positionAt(row.start), doc.positionAt(calleeEnd)) };
  }
  return undefined;
}

/** Whether an offset is inside the model's own span or, for a Python instance, its class. */
function insideModel(model: ModelSummary, offset: number): boolean {
  const inSpan = (s: { start?: number; end?: number }) => s.start !== undefined && s.end !== undefined && offset >= s.start && offset < s.end;
  if (model.declaration) return inSpan(model) || inSpan(model.declaration);
  return model.start === undefined || model.end === undefined || inSpan(model);
}

/** `this.fc1` (TypeScript) or `self.fc1` (Python) in forward, or anywhere in the model's class: the field that holds a layer. */
function fieldHit(doc: vscode.TextDocument, summary: FileSummary, pos: vscode.Position): Hit | undefined {
  const range = doc.getWordRangeAtPosition(pos, /[A-Za-z_$][\w$]*/);
  if (!range) return undefined;
  const name = doc.getText(range);
  const lineText = doc.lineAt(pos.line).text;
  if (!/\b(this|self)\s*\??\.\s*$/.test(lineText.slice(0, range.start.character))) return undefined;
  const offset = doc.offsetAt(pos);
  for (const { row, model } of rowsHere(summary)) {
    if (row.name !== name || row.depth !== 1) continue;
    if (!insideModel(model, offset)) continue;
    return { row, model, range };
  }
  return undefined;
}

/** Catalog docs and this instance's numbers over layer constructors, factories and fields. */
export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyses: AnalysisService) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    return guarded('hover', async () => {
      const summary = await this.analyses.request(doc, token);
      if (!summary || token.isCancellationRequested) return undefined;
      const hit = calleeHit(doc, summary, doc.offsetAt(pos)) ?? fieldHit(doc, summary, pos);
      // Unknown kinds (no catalog entry) get no hover rather than a wrong one.
      const docs = hit?.row.catalogKey ? core().docsFor(hit.row.catalogKey) : undefined;
      if (!hit || !docs) return undefined;
      const md = new vscode.MarkdownString(layerHoverMarkdown(hit.row, hit.model, docs, settings(doc.uri).numberFormat));
      // Untrusted (no command links), no HTML, no `$(icon)`: the text quotes the user's code.
      md.isTrusted = false;
      md.supportHtml = false;
      md.supportThemeIcons = false;
      return new vscode.Hover(md, hit.range);
    });
  }
}
