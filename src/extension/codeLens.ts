import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { plannedLenses } from './lensCache';
import { MAX_LENS_TEXT } from './lensTitles';
import { plainLine } from '../core/escape/plain';
import { guarded } from './log';
import { settings } from './settings';
import { frontEnd } from './documents';

export const COMMANDS = {
  summarize: 'modellens.summarizeModel',
  diagram: 'modellens.showDiagram',
  forward: 'modellens.runForwardPass',
  setInputShape: 'modellens.setInputShape',
} as const;

/** A zero-width range at the start of a 1-based line (lenses sit above it). */
function lineRange(doc: vscode.TextDocument, line: number): vscode.Range {
  const l = Math.min(Math.max(line - 1, 0), doc.lineCount - 1);
  return new vscode.Range(l, 0, l, 0);
}

/**
 * The lenses planned by lensPlan.ts (which ones, and their titles) on the document's lines.
 */
export class ModelLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: AnalysisService) {
    this.subscriptions = [
      this.changed,
      // Only a new result for a version the editor already has lenses for. After an edit the
      // editor asks by itself (its call waits for the analysis), and telling it again would
      // restart its debounce: the lenses would show one debounce later, and be computed twice.
      analyses.onDidAnalyze((a) => {
        if (a.revised) this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modellens')) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[] | undefined> {
    this.analyses.startup.firstAsked ??= performance.now();
    return guarded('CodeLens', async () => {
      const summary = await this.analyses.request(doc, token);
      if (!summary || token.isCancellationRequested) return undefined;
      const opts = { ...settings(doc.uri), language: frontEnd(doc) };
      const lenses: vscode.CodeLens[] = [];
      for (const p of plannedLenses(summary, opts)) {
        // A lens with no command is a statement (VS Code draws it as plain text).
        const command = p.command ? COMMANDS[p.command] : '';
        lenses.push(new vscode.CodeLens(lineRange(doc, p.line), { title: p.title, command, arguments: command ? [doc.uri, p.model] : undefined, tooltip: p.tooltip === undefined ? undefined : plainLine(p.tooltip, MAX_LENS_TEXT) }));
      }
      if (lenses.length > 0) this.analyses.startup.firstAnswered ??= performance.now();
      return lenses;
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
