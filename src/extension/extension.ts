// ModelLens in VS Code: a thin shell over the pure core (src/core). Activation registers
// providers and commands only; analyses run in a worker started as this module loads (below), the
// analyzer for the commands (dist/coreApi.js) loads on first use and the panel's front-end
// (dist/webview/main.js) only inside the webview.
import * as path from 'path';
import * as vscode from 'vscode';
import { AnalysisClient } from '../analysisWorker/client';
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

/**
 * The analysis worker, started as this module loads: VS Code requires the module as soon as
 * ModelLens is to be activated, but calls activate() only once the window has handed over the
 * extension's storage (100–950 ms later in a starting window, whose thread is busy then). The
 * worker reads TypeScript and the analyzer meanwhile; activate() tells it where their V8 code
 * cache lives (the extension's global storage, analysisWorker/codeCache.ts), and the first
 * document follows.
 */
const worker = new AnalysisClient(path.join(__dirname, 'analysis-worker.js'), { cacheDirLater: true });
const workerCreated = performance.now();
worker.warm();

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
  worker.configure(context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined);
  const analyses = new AnalysisService(worker);
  analyses.startup.activated = activated;
  analyses.startup.workerCreated = workerCreated;
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
