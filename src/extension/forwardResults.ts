import * as vscode from 'vscode';
import type { ModelSummary } from '../core/summary';
import { ForwardOutcome, ForwardState, findingLocations, isForwardError } from './forwardView';

/** The Problems panel source of forward-pass findings (static analysis and the real pass disagree). */
export const FORWARD_SOURCE = 'ModelLens forward pass';
export const FORWARD_COLLECTION = 'modellens-forward';

interface Entry {
  version: number;
  state: ForwardState;
}

/**
 * The last forward pass of each model, per document version, and its findings as diagnostics
 * in their own collection ("modellens-forward"). A result describes the text it ran on: any edit
 * of the document drops its results and clears its findings (run again to refresh them).
 */
export class ForwardResults implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(FORWARD_COLLECTION);
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly diagnostics = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the document whose results changed (a run started or ended, or an edit dropped them). */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      this.emitter,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.forget(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    ];
  }

  /** The model's last run on exactly this version of the document. */
  get(doc: vscode.TextDocument, model: string): ForwardState | undefined {
    const e = this.entries.get(doc.uri.toString())?.get(model);
    return e && e.version === doc.version ? e.state : undefined;
  }

  started(doc: vscode.TextDocument, model: string): void {
    this.set(doc.uri, model, { version: doc.version, state: { state: 'running' } });
  }

  /**
   * Records the outcome of a run that started on `version`; dropped when the document changed
   * meanwhile (its rows and lines may no longer be the ones the pass ran).
   */
  finished(doc: vscode.TextDocument, version: number, model: ModelSummary, outcome: ForwardOutcome): void {
    const key = doc.uri.toString();
    if (doc.isClosed || doc.version !== version) {
      const e = this.entries.get(key)?.get(model.name);
      if (e && e.state.state === 'running') this.entries.get(key)?.delete(model.name);
      this.emitter.fire(doc.uri);
      return;
    }
    const findings = isForwardError(outcome) ? [] : findingLocations(model, outcome.findings);
    const diags = findings.map((f) => {
      const range =
        f.start !== undefined && f.end !== undefined
          ? new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end))
          : (() => {
              const line = doc.lineAt(Math.min(Math.max(f.line - 1, 0), doc.lineCount - 1));
              return line.range.with(line.range.start.translate(0, line.firstNonWhitespaceCharacterIndex));
            })();
      const d = new vscode.Diagnostic(range, `${f.layer}: ${f.message} (sample forward pass)`, vscode.DiagnosticSeverity.Warning);
      d.source = FORWARD_SOURCE;
      d.code = 'forward-pass-finding';
      return d;
    });
    let perModel = this.diagnostics.get(key);
    if (!perModel) this.diagnostics.set(key, (perModel = new Map()));
    perModel.set(model.name, diags);
    this.collection.set(doc.uri, [...perModel.values()].flat());
    this.set(doc.uri, model.name, { version, state: { state: 'done', outcome } });
  }

  private set(uri: vscode.Uri, model: string, entry: Entry): void {
    const key = uri.toString();
    let m = this.entries.get(key);
    if (!m) this.entries.set(key, (m = new Map()));
    m.set(model, entry);
    this.emitter.fire(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const had = this.entries.delete(key);
    this.diagnostics.delete(key);
    this.collection.delete(uri);
    if (had) this.emitter.fire(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
