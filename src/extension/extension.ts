// ModelLens in VS Code: a thin shell over the pure core (src/core). Activation registers
// providers and commands only; the analyzer (dist/coreApi.js, with the TypeScript compiler) loads on
// the first analysis and the panel's front-end (dist/webview/main.js) only inside the webview.
import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { ModelLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { connectForwardResults, diagramTesting, disposeDiagrams, refreshDiagrams } from './diagramPanel';
import { DiagnosticsPublisher, QuickFixProvider } from './diagnostics';
import { SELECTOR, isModelDocument } from './documents';
import { ForwardResults } from './forwardResults';
import { LayerHoverProvider } from './hover';
import { initLog, logInfo } from './log';
import { SummaryPanel } from './panel';

/** What `activate` returns (`extension.exports`): hooks the integration tests drive the diagram with. */
export interface ModelLensExports {
  diagramTesting: typeof diagramTesting;
  /** The analysis service's run events (tests check that the host answers while a run is in the worker), and its first run's steps (the benchmark's). */
  analyses: Pick<AnalysisService, 'onDidStartAnalysis' | 'onDidCancelAnalysis' | 'onDidAnalyze' | 'startup'>;
}

export function activate(context: vscode.ExtensionContext): ModelLensExports {
  const started = Date.now();
  const activated = performance.now();
  const log = initLog();
  // The worker keeps TypeScript's compiled code in the extension's own storage (analysisWorker/codeCache.ts).
  const analyses = new AnalysisService(context.extensionPath, undefined, context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined);
  analyses.startup.activated = activated;
  const lenses = new ModelLensProvider(analyses);
  // Forward-pass results and their diagnostics; the runtime itself loads on the first run.
  const forward = new ForwardResults();
  context.subscriptions.push(
    log,
    analyses,
    lenses,
    forward,
    new DiagnosticsPublisher(analyses),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SELECTOR, new LayerHoverProvider(analyses)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new QuickFixProvider(analyses), QuickFixProvider.metadata),
    ...registerCommands(context, analyses, forward),
    { dispose: () => SummaryPanel.current?.dispose() },
    // Open diagrams follow every analysis (the webview keeps its viewport) and show forward passes.
    analyses.onDidAnalyze(({ document, summary }) => refreshDiagrams(document, summary.models)),
    connectForwardResults(forward),
    { dispose: disposeDiagrams },
  );
  // Documents already open (the one that triggered activation) get diagnostics without waiting for an edit.
  for (const d of vscode.workspace.textDocuments) if (isModelDocument(d)) analyses.schedule(d, 0);
  logInfo(`activated in ${Date.now() - started} ms`);
  return { diagramTesting, analyses };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
