import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { COMMANDS } from './codeLens';
import { core } from './core';
import { showDiagram, visibleDiagramColumn } from './diagramPanel';
import { forwardPassModule } from './forwardLoader';
import type { ForwardResults } from './forwardResults';
import type { ForwardOutcome } from './forwardView';
import { inputShapeEdit, parseShapeInput, pythonInputShapeEdit } from './inputShapeTag';
import { guarded } from './log';
import { resolveTarget } from './modelTarget';
import { SummaryPanel } from './panel';
import { settings } from './settings';
import { notificationText } from '../core/escape/plain';

/**
 * `modellens.summarizeModel` opens the summary panel and returns the CLI's JSON contract for the
 * model (`{ file, models: [model], diagnostics }`), so tests and other extensions can use it.
 */
async function summarize(context: vscode.ExtensionContext, analyses: AnalysisService, results: ForwardResults, uri?: unknown, name?: unknown): Promise<unknown> {
  const target = await resolveTarget(analyses, uri, name, 'summarize');
  if (!target) return undefined;
  const { summary, model, document } = target;
  SummaryPanel.show(context.extensionUri, analyses, { uri: document.uri, modelName: model.name }, results);
  return JSON.parse(core().formatFileJson({ file: summary.file, models: [model], diagnostics: summary.diagnostics }));
}

/**
 * Asks for the input shape (validated) and writes it as an `@inputShape` tag: a JSDoc tag above a
 * TypeScript class, a `# @inputShape` comment (or the docstring's tag) on a Python model's class.
 * Returns whether it was written.
 */
async function setInputShape(analyses: AnalysisService, uri?: unknown, name?: unknown): Promise<boolean> {
  const target = await resolveTarget(analyses, uri, name, 'set the input shape of');
  if (!target) return false;
  const { model, document } = target;
  if (model.kind !== 'torch-module' || model.start === undefined) {
    void vscode.window.showInformationMessage(notificationText(`ModelLens: ${model.name} is a TensorFlow.js model; give its first layer an inputShape instead.`));
    return false;
  }
  const python = document.languageId === 'python';
  // In Python a summary() call or an example input in the file comes before the tag (lang/python/models.ts).
  if (python && (model.inputShapeSource.endsWith('() call') || model.inputShapeSource === 'example input')) {
    void vscode.window.showInformationMessage(notificationText(`ModelLens: ${model.name}'s input shape comes from the ${model.inputShapeSource} in this file; change it there.`));
    return false;
  }
  if (python && !model.declaration) {
    void vscode.window.showInformationMessage(notificationText(`ModelLens: the class of ${model.name} is not in this file; put a \`# @inputShape [..]\` comment above that class.`));
    return false;
  }
  const batch = settings(document.uri).defaultBatchSize;
  const proposal = model.inputShape ? model.inputShape.map((d, i) => (d === null && i === 0 ? batch : d ?? '?')).join(', ') : '';
  const typed = await vscode.window.showInputBox({
    title: `Input shape of ${model.name}`,
    prompt: 'Batch first (PyTorch: NCHW for images), e.g. 64, 128 — or one [..] per input',
    value: proposal,
    placeHolder: `${batch}, 128`,
    validateInput: (s) => {
      const r = parseShapeInput(s);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (typed === undefined) return false;
  const parsed = parseShapeInput(typed);
  if ('error' in parsed) return false;
  const edit = python ? pythonInputShapeEdit(document.getText(), model.declaration?.start ?? model.start, parsed.tag) : inputShapeEdit(document.getText(), model.start, parsed.tag);
  const we = new vscode.WorkspaceEdit();
  we.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  return vscode.workspace.applyEdit(we);
}

/**
 * `modellens.runForwardPass`: one seeded sample forward pass of the model (same target
 * resolution as Summarize Model; with a URI and a model name, no prompt), under a progress
 * notification with Cancel. The summary panel opens on the model and fills its forward-pass
 * columns; findings go to the "modellens-forward" diagnostics. Returns the runtime's JSON result,
 * or `{ error: { code, message, layer? } }` when the pass did not run.
 */
async function runForwardPass(context: vscode.ExtensionContext, analyses: AnalysisService, results: ForwardResults, uri?: unknown, name?: unknown): Promise<ForwardOutcome | undefined> {
  const target = await resolveTarget(analyses, uri, name, 'run a forward pass of');
  if (!target) return undefined;
  const { model, document } = target;
  const version = document.version;
  results.started(document, model.name);
  // With the model's diagram on screen, the panel opens beside it, never over it (the diagram shows the badges).
  const diagramColumn = visibleDiagramColumn(document.uri, model.name);
  SummaryPanel.show(context.extensionUri, analyses, { uri: document.uri, modelName: model.name }, results, diagramColumn);
  let outcome: ForwardOutcome;
  try {
    outcome = await forwardPassModule().runForwardPassCommand(context, model, document);
  } catch (e) {
    // runForwardPassCommand reports its own failures; this is the module failing to load.
    outcome = { error: { code: 'failed', message: `the forward pass could not start: ${(e as Error)?.message ?? e}` } };
    void vscode.window.showErrorMessage(notificationText(`ModelLens: ${outcome.error.message}`));
  }
  results.finished(document, version, model, outcome);
  return outcome;
}

/** What `modellens.showDiagram` returns: the model and the size of the graph it drew. */
export interface DiagramShown {
  model: string;
  nodes: number;
  edges: number;
  groups: number;
}

/**
 * `modellens.showDiagram`: opens (or reveals) the model's diagram beside the editor. Same target
 * resolution as Summarize Model (with a URI and a model name, no prompt).
 */
async function diagram(context: vscode.ExtensionContext, analyses: AnalysisService, uri?: unknown, name?: unknown): Promise<DiagramShown | undefined> {
  const target = await resolveTarget(analyses, uri, name, 'show the diagram of');
  if (!target) return undefined;
  const { graph } = showDiagram(context, target.model, target.document);
  return { model: target.model.name, nodes: graph.nodes.length, edges: graph.edges.length, groups: graph.groups.length };
}

export function registerCommands(context: vscode.ExtensionContext, analyses: AnalysisService, results: ForwardResults): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.summarize, (uri?: unknown, name?: unknown) => guarded('Summarize Model', () => summarize(context, analyses, results, uri, name))),
    vscode.commands.registerCommand(COMMANDS.setInputShape, (uri?: unknown, name?: unknown) => guarded('Set input shape', () => setInputShape(analyses, uri, name))),
    vscode.commands.registerCommand(COMMANDS.diagram, (uri?: unknown, name?: unknown) => guarded('Show Model Diagram', () => diagram(context, analyses, uri, name))),
    vscode.commands.registerCommand(COMMANDS.forward, (uri?: unknown, name?: unknown) => guarded('Run forward pass', () => runForwardPass(context, analyses, results, uri, name))),
  ];
}
