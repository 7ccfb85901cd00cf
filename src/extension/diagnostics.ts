import * as vscode from 'vscode';
import type { Diagnostic, FileSummary } from '../core/summary';
import type { AnalysisService } from './analysisService';
import { guarded } from './log';
import { plainLine } from '../core/escape/plain';
import { diagnosticText } from './problemText';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Every diagnostic of the file once (a nested module analysed inside several models reports its problem each time). */
export function allDiagnostics(summary: FileSummary): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...summary.diagnostics, ...summary.models.flatMap((m) => m.diagnostics)]) {
    const key = `${d.start}:${d.end}:${d.line}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function rangeOf(doc: vscode.TextDocument, d: { start?: number; end?: number; line: number }): vscode.Range {
  if (d.start !== undefined && d.end !== undefined) return new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end));
  const line = doc.lineAt(Math.min(Math.max(d.line - 1, 0), doc.lineCount - 1));
  return line.range.with(line.range.start.translate(0, line.firstNonWhitespaceCharacterIndex));
}

function toVscode(doc: vscode.TextDocument, d: Diagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(rangeOf(doc, d), diagnosticText(d.message), SEVERITY[d.severity]);
  out.source = 'ModelLens';
  if (d.code) out.code = d.code;
  return out;
}

/** The Problems panel entries: shape mismatches, unknown kinds, unevaluable values, bad tags. */
export class DiagnosticsPublisher implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('modellens');
  private readonly subscriptions: vscode.Disposable[];

  constructor(analyses: AnalysisService) {
    this.subscriptions = [
      this.collection,
      analyses.onDidAnalyze(({ document, summary }) => {
        void guarded('diagnostics', () => this.collection.set(document.uri, allDiagnostics(summary).map((d) => toVscode(document, d))));
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Quick fixes for diagnostics that carry an obvious fix (a wrong `in_features`). */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analyses: AnalysisService) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, ctx: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[] | undefined> {
    return guarded('quick fix', async () => {
      const summary = await this.analyses.request(doc, token);
      if (!summary || token.isCancellationRequested) return undefined;
      const actions: vscode.CodeAction[] = [];
      for (const d of allDiagnostics(summary)) {
        if (!d.fix) continue;
        const diagRange = rangeOf(doc, d);
        const shown = diagnosticText(d.message);
        if (!diagRange.intersection(range) && !ctx.diagnostics.some((c) => c.source === 'ModelLens' && c.message === shown)) continue;
        const action = new vscode.CodeAction(plainLine(d.fix.title), vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(d.fix.start), doc.positionAt(d.fix.end)), d.fix.text);
        action.diagnostics = ctx.diagnostics.filter((c) => c.source === 'ModelLens' && c.message === shown);
        action.isPreferred = true;
        actions.push(action);
      }
      return actions;
    });
  }
}
