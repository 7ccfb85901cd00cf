import * as vscode from 'vscode';
import type { ModelSummary } from '../core/summary';
import type { AnalysisService } from './analysisService';
import { layerLensTitle, layerLensTooltip, layerLenses, modelLensTitle, modelLensTooltip } from './lensTitles';
import { guarded } from './log';
import { settings } from './settings';

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

/** Models given no input shape (PyTorch classes take it from an `@inputShape` JSDoc tag). */
export function needsInputShape(m: ModelSummary): boolean {
  return m.kind === 'torch-module' && (m.inputShapeSource === 'none' || m.inputShapeSource.startsWith('inferred'));
}

/**
 * Above every model: counts, size and output shape (opens the summary), then Diagram and Run
 * forward pass, and `Set input shape…` when the model has none. Above every layer line: its
 * parameters and output shape (setting `modellens.layerLenses`).
 */
export class ModelLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: AnalysisService) {
    this.subscriptions = [
      this.changed,
      analyses.onDidAnalyze(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modellens')) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[] | undefined> {
    return guarded('CodeLens', async () => {
      const summary = await this.analyses.request(doc, token);
      if (!summary || token.isCancellationRequested) return undefined;
      const opts = settings(doc.uri);
      const lenses: vscode.CodeLens[] = [];
      for (const m of summary.models) {
        const range = lineRange(doc, m.line);
        const args = [doc.uri, m.name];
        lenses.push(
          new vscode.CodeLens(range, { title: modelLensTitle(m, opts.numberFormat), command: COMMANDS.summarize, arguments: args, tooltip: modelLensTooltip(m) }),
          new vscode.CodeLens(range, { title: 'Diagram', command: COMMANDS.diagram, arguments: args }),
          new vscode.CodeLens(range, { title: 'Run forward pass', command: COMMANDS.forward, arguments: args }),
        );
        if (needsInputShape(m)) {
          lenses.push(new vscode.CodeLens(range, { title: 'Set input shape…', command: COMMANDS.setInputShape, arguments: args, tooltip: 'Write an @inputShape JSDoc tag for this model' }));
        }
      }
      if (opts.layerLenses) {
        for (const { row, model } of layerLenses(summary)) {
          lenses.push(
            new vscode.CodeLens(lineRange(doc, row.line), {
              title: layerLensTitle(row, model, opts.numberFormat),
              command: COMMANDS.summarize,
              arguments: [doc.uri, model.name],
              tooltip: layerLensTooltip(row),
            }),
          );
        }
      }
      return lenses;
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
