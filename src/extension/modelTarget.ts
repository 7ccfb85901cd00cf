import * as vscode from 'vscode';
import type { FileSummary, ModelSummary } from '../core/summary';
import type { AnalysisService } from './analysisService';
import { notificationText } from '../core/escape/plain';

export interface Target {
  document: vscode.TextDocument;
  summary: FileSummary;
  model: ModelSummary;
}

/** A URI from a command argument: a Uri, or a string (URI or absolute path). */
export function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return /^[a-z][\w+.-]+:/i.test(arg) && !/^[a-z]:\\/i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return undefined;
}

function containing(models: ModelSummary[], doc: vscode.TextDocument, pos: vscode.Position): ModelSummary | undefined {
  const offset = doc.offsetAt(pos);
  // A model's own span, or the class a Python model is an instance of.
  const spans = models.flatMap((m) => [{ m, s: m as { start?: number; end?: number } }, ...(m.declaration ? [{ m, s: m.declaration }] : [])]);
  const inside = spans.filter(({ s }) => s.start !== undefined && s.end !== undefined && offset >= s.start && offset <= s.end);
  // The innermost (shortest) span: a model declared inside another's text.
  return inside.sort((a, b) => a.s.end! - a.s.start! - (b.s.end! - b.s.start!))[0]?.m;
}

/**
 * Which model a command is about: the one named, else the one under the cursor, else the only
 * one, else a quick pick; a clear message (and undefined) when there is none.
 */
export async function resolveTarget(analyses: AnalysisService, uriArg: unknown, nameArg: unknown, verb: string): Promise<Target | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = toUri(uriArg) ?? editor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage(`ModelLens: open a TypeScript, JavaScript or Python file with a model to ${verb}.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const summary = await analyses.request(document);
  if (!summary) return undefined;
  const label = vscode.workspace.asRelativePath(uri);
  if (summary.models.length === 0) {
    void vscode.window.showInformationMessage(notificationText(`ModelLens found no model in ${label} (a PyTorch-style nn.Module class or a TensorFlow.js model).`));
    return undefined;
  }
  if (typeof nameArg === 'string') {
    const model = summary.models.find((m) => m.name === nameArg);
    if (!model) void vscode.window.showWarningMessage(notificationText(`ModelLens: no model named "${nameArg}" in ${label}.`));
    return model && { document, summary, model };
  }
  const underCursor = editor && editor.document.uri.toString() === uri.toString() ? containing(summary.models, document, editor.selection.active) : undefined;
  if (underCursor) return { document, summary, model: underCursor };
  if (summary.models.length === 1) return { document, summary, model: summary.models[0] };
  const picked = await vscode.window.showQuickPick(
    summary.models.map((m) => ({ label: m.name, description: `line ${m.line}`, detail: m.framework === 'tfjs' ? 'TensorFlow.js' : 'PyTorch', model: m })),
    { placeHolder: `Which model to ${verb}?` },
  );
  return picked && { document, summary, model: picked.model };
}
