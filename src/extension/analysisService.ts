import * as path from 'path';
import * as vscode from 'vscode';
import type { FileSummary } from '../core/summary';
import { core } from './core';
import { docPath, isModelDocument } from './documents';
import { logError, logInfo } from './log';
import { settings } from './settings';
import { WorkspaceHost, prefetch } from './workspaceHost';

export interface Analysis {
  document: vscode.TextDocument;
  version: number;
  summary: FileSummary;
}

interface Entry {
  version: number;
  summary: FileSummary;
  /** Paths the analysis read (imports): an edit to one of them makes this entry stale. */
  deps: Set<string>;
}

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  waiters: ((a: Analysis | undefined) => void)[];
}

/** Rounds of fetching imports through vscode.workspace.fs for non-file workspaces. */
const MAX_FETCH_ROUNDS = 3;

/**
 * Analyses of open documents, by URI and document version: the document TEXT (unsaved edits
 * included), never the file on disk. Edits are debounced; an edit arriving before the timer
 * fires supersedes the scheduled run (the run always reads the latest text), so stale versions
 * are never analysed. Every finished analysis is announced on `onDidAnalyze`.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();
  private readonly fetched = new Map<string, string | undefined>();
  private readonly emitter = new vscode.EventEmitter<Analysis>();
  readonly onDidAnalyze = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private loggedLoad = false;
  private loggedFirst = false;

  constructor(private readonly debounceMs = 200) {
    this.subscriptions.push(
      this.emitter,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.invalidateDependents(e.document);
        if (isModelDocument(e.document)) this.schedule(e.document);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isModelDocument(d)) this.schedule(d, 0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument(() => this.fetched.clear()),
    );
  }

  /** The analysis of this exact version, if already done. */
  current(doc: vscode.TextDocument): FileSummary | undefined {
    const e = this.entries.get(doc.uri.toString());
    return e && e.version === doc.version ? e.summary : undefined;
  }

  /**
   * The analysis of the document's current text: cached, or the scheduled (debounced) run, or
   * a run now. Resolves undefined when the caller's token is cancelled first.
   */
  request(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FileSummary | undefined> {
    const cur = this.current(doc);
    if (cur) return Promise.resolve(cur);
    const key = doc.uri.toString();
    let p = this.pending.get(key);
    if (!p) {
      p = { waiters: [] };
      this.pending.set(key, p);
      // No edit is waiting on a timer: analyse on the next turn (lets a burst of requests share it).
      p.timer = setTimeout(() => void this.run(doc), 0);
    }
    const waiting = p;
    return new Promise((resolve) => {
      const waiter = (a: Analysis | undefined) => resolve(a && a.version === doc.version ? a.summary : this.current(doc));
      waiting.waiters.push(waiter);
      token?.onCancellationRequested(() => {
        const i = waiting.waiters.indexOf(waiter);
        if (i >= 0) waiting.waiters.splice(i, 1);
        resolve(undefined);
      });
    });
  }

  /** Analyses the document after `delay` ms of quiet, superseding any run already scheduled. */
  schedule(doc: vscode.TextDocument, delay = this.debounceMs): void {
    const key = doc.uri.toString();
    const p = this.pending.get(key) ?? { waiters: [] };
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => void this.run(doc), delay);
    this.pending.set(key, p);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const p = this.pending.get(key);
    this.pending.delete(key);
    let result: Analysis | undefined;
    try {
      if (!doc.isClosed) result = await this.analyze(doc);
    } catch (e) {
      logError(`analyzing ${doc.uri.toString(true)}`, e);
    }
    for (const w of p?.waiters ?? []) w(result);
    if (result) this.emitter.fire(result);
  }

  private async analyze(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const t0 = Date.now();
    const { analyzeSource } = core();
    if (!this.loggedLoad) {
      this.loggedLoad = true;
      logInfo(`analyzer loaded in ${Date.now() - t0} ms`);
    }
    const started = doc.version;
    for (let round = 0; ; round++) {
      const { maxFileBytes } = settings(doc.uri);
      const host = new WorkspaceHost(doc.uri, this.fetched, maxFileBytes);
      const summary = analyzeSource(docPath(doc.uri), doc.getText(), { host, maxFileBytes });
      if (host.missing.length > 0 && round < MAX_FETCH_ROUNDS) {
        await prefetch(host.missing, this.fetched, maxFileBytes);
        // An edit during the fetch: the scheduled run will analyse the newer text.
        if (doc.version !== started || doc.isClosed) return undefined;
        continue;
      }
      const entry: Entry = { version: doc.version, summary, deps: host.reads };
      this.entries.set(doc.uri.toString(), entry);
      // The first analysis of a session says where a first lens's time went (the benchmark reads it).
      if (!this.loggedFirst) {
        this.loggedFirst = true;
        logInfo(`first analysis (${path.basename(doc.uri.path)}) in ${Date.now() - t0} ms, ${round} import fetch round(s)`);
      }
      return { document: doc, version: doc.version, summary };
    }
  }

  /** An edited file may be imported by other open documents: their analyses are stale too. */
  private invalidateDependents(changed: vscode.TextDocument): void {
    const p = docPath(changed.uri);
    for (const [key, e] of this.entries) {
      if (key === changed.uri.toString() || !e.deps.has(p)) continue;
      this.entries.delete(key);
      const dependent = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (dependent) this.schedule(dependent);
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.entries.delete(key);
    const p = this.pending.get(key);
    if (p?.timer) clearTimeout(p.timer);
    for (const w of p?.waiters ?? []) w(undefined);
    this.pending.delete(key);
  }

  dispose(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
