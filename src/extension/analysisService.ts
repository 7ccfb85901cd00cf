import * as path from 'path';
import * as vscode from 'vscode';
import type { AnalysisClient } from '../analysisWorker/client';
import { sizeLimitMessage } from '../core/fileAccess';
import type { FileSummary } from '../core/summary';
import { docPath, frontEnd, isModelDocument, uriForPath } from './documents';
import { logError, logInfo } from './log';
import { settings } from './settings';
import { StartupTimes, fromEpoch } from './startupTimes';
import { importRoots, prefetch } from './workspaceHost';

export interface Analysis {
  document: vscode.TextDocument;
  version: number;
  summary: FileSummary;
  /**
   * This version of the document had been analysed and published before: the result replaces
   * that one (an import, the workspace's files or a setting changed). The editor asks for a
   * document's lenses again after each of its edits, not after this.
   */
  revised: boolean;
}

interface Entry {
  version: number;
  summary: FileSummary;
  /** Paths the analysis read (imports): an edit to one of them makes this entry stale. */
  deps: Set<string>;
  /** It listed the workspace's files (call sites in other files): a file created or deleted makes it stale. */
  listed?: boolean;
}

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  waiters: ((a: Analysis | undefined) => void)[];
}

/** What the worker's workspace listing holds (PolicyHost.workspaceFiles): script files. */
const LISTED_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/** Rounds of fetching imports through vscode.workspace.fs for non-file workspaces. */
const MAX_FETCH_ROUNDS = 3;

/**
 * Analyses of open documents, by URI and document version: the document TEXT (unsaved edits
 * included), never the file on disk. Analyses run in a worker thread (dist/analysis-worker.js),
 * never on the extension host's. Edits are debounced; an edit arriving before the timer
 * fires supersedes the scheduled run (the run always reads the latest text), and an edit or a
 * close while a run is in the worker cancels it (its result is dropped, its work stopped), so
 * stale versions are never published. Every finished analysis is announced on `onDidAnalyze`.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The version of each open document last published (kept when its entry is dropped as stale: see Analysis.revised). */
  private readonly published = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly fetched = new Map<string, string | undefined>();
  private readonly emitter = new vscode.EventEmitter<Analysis>();
  readonly onDidAnalyze = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private loggedLoad = false;
  private loggedFirst = false;
  /** Runs under way, by document URI, with their waiters: requests for the same version join them. */
  private readonly inflight = new Map<string, { version: number; pending: Pending }>();
  /** Runs in the worker now, by document URI: an edit or a close cancels them. */
  private readonly running = new Map<string, () => void>();
  private readonly startEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly cancelEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** A run was sent to the worker (tests wait for this, then check the host still answers). */
  readonly onDidStartAnalysis = this.startEmitter.event;
  /** A run in the worker was cancelled: its result will never be published. */
  readonly onDidCancelAnalysis = this.cancelEmitter.event;
  private readonly client: AnalysisClient;
  /** The first analysis's steps (the benchmark prints them; see startupTimes.ts). */
  readonly startup: StartupTimes = {};

  /** `client`: the analysis worker's (extension.ts starts it before activation); this service disposes of it. */
  constructor(client: AnalysisClient, private readonly debounceMs = 200) {
    this.client = client;
    this.subscriptions.push(
      this.emitter,
      this.startEmitter,
      this.cancelEmitter,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.cancelRunning(e.document);
        this.invalidateDependents(e.document);
        if (isModelDocument(e.document)) this.schedule(e.document);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isModelDocument(d)) this.schedule(d, 0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancelRunning(d);
        this.forget(d.uri);
      }),
      vscode.workspace.onDidSaveTextDocument(() => this.fetched.clear()),
    );
    this.watchDisk();
  }

  /** Disk changes seen by the file watcher, not yet sent to the worker (sent in one message, before its next request). */
  private readonly diskChanges = { paths: [] as string[], structural: false, timer: undefined as ReturnType<typeof setTimeout> | undefined };

  /**
   * Files changed, created, deleted or renamed on the disk (by the editor's saves or anything
   * else): the worker drops what it kept of them (its cache of texts and of the workspace's
   * listing, fileCache.ts), and the analyses that read them, or that listed the workspace when
   * files come and go (call sites in other files), are redone.
   */
  private watchDisk(): void {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.subscriptions.push(
      watcher,
      watcher.onDidChange((u) => this.diskChanged(u, false)),
      watcher.onDidCreate((u) => this.diskChanged(u, true)),
      watcher.onDidDelete((u) => this.diskChanged(u, true)),
    );
  }

  private diskChanged(uri: vscode.Uri, structural: boolean): void {
    if (uri.scheme !== 'file') return;
    const p = docPath(uri);
    // A listing holds script files only: a file of another kind coming or going changes none (a folder may hold scripts).
    structural &&= LISTED_FILE.test(p) || path.extname(p) === '';
    const d = this.diskChanges;
    d.paths.push(p);
    d.structural ||= structural;
    d.timer ??= setTimeout(() => this.flushDiskChanges(), 0);
    for (const [key, e] of this.entries) {
      if (!e.deps.has(p) && !(structural && e.listed)) continue;
      this.entries.delete(key);
      const dependent = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === key);
      if (dependent && isModelDocument(dependent)) this.schedule(dependent);
    }
  }

  private flushDiskChanges(): void {
    const d = this.diskChanges;
    if (d.timer) clearTimeout(d.timer);
    d.timer = undefined;
    if (d.paths.length > 0) this.client.filesChanged(d.paths.splice(0), d.structural);
    d.structural = false;
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
    // A run of this very version is in the worker: wait for it rather than start another.
    const flying = this.inflight.get(key);
    if (!p && flying && flying.version === doc.version) p = flying.pending;
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

  /**
   * Analyses the document after `delay` ms of quiet, superseding any run already scheduled. With
   * no delay the text is in the worker's queue before this returns, not on a timer: a document
   * opened in a starting window activates the built-in TypeScript features on the same event, and
   * their activation holds the extension host's thread for 100–300 ms, which a timer would wait out.
   */
  schedule(doc: vscode.TextDocument, delay = this.debounceMs): void {
    const key = doc.uri.toString();
    const p = this.pending.get(key) ?? { waiters: [] };
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    this.pending.set(key, p);
    if (delay === 0) void this.run(doc);
    else p.timer = setTimeout(() => void this.run(doc), delay);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const p = this.pending.get(key) ?? { waiters: [] };
    this.pending.delete(key);
    const flying = { version: doc.version, pending: p };
    this.inflight.set(key, flying);
    let result: Analysis | undefined;
    try {
      if (!doc.isClosed) result = await this.analyze(doc);
    } catch (e) {
      logError(`analyzing ${doc.uri.toString(true)}`, e);
    } finally {
      if (this.inflight.get(key) === flying) this.inflight.delete(key);
    }
    for (const w of p.waiters) w(result);
    if (!result) return;
    result.revised = this.published.get(key) === result.version;
    this.published.set(key, result.version);
    this.emitter.fire(result);
  }

  private cancelRunning(doc: vscode.TextDocument): void {
    const cancel = this.running.get(doc.uri.toString());
    if (!cancel) return;
    cancel();
    this.cancelEmitter.fire(doc);
  }

  private async analyze(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const t0 = Date.now();
    const started = doc.version;
    const key = doc.uri.toString();
    const file = docPath(doc.uri);
    const { maxFileBytes } = settings(doc.uri);
    const text = doc.getText();
    // Above the size limit: one notice, nothing sent to the worker (UTF-8 takes ≥ 1 byte per UTF-16 unit).
    if (text.length > maxFileBytes / 3 && Buffer.byteLength(text) > maxFileBytes) {
      const summary: FileSummary = { file, models: [], diagnostics: [{ line: 1, severity: 'warning', message: sizeLimitMessage(Buffer.byteLength(text), maxFileBytes), code: 'size-limit' }] };
      this.entries.set(key, { version: doc.version, summary, deps: new Set() });
      return { document: doc, version: doc.version, summary, revised: false };
    }
    const open = this.openTexts(doc.uri);
    // The worker hears of every disk change seen so far before this request.
    this.flushDiskChanges();
    for (let round = 0; ; round++) {
      const job = this.client.analyze({ file, text, language: frontEnd(doc), disk: doc.uri.scheme === 'file', roots: importRoots(doc.uri), maxFileBytes, open, fetched: this.fetchedPaths(doc.uri) });
      this.running.set(key, job.cancel);
      this.startup.firstSent ??= performance.now();
      this.startEmitter.fire(doc);
      let outcome;
      try {
        outcome = await job.result;
      } finally {
        if (this.running.get(key) === job.cancel) this.running.delete(key);
      }
      // Cancelled (an edit or a close): the scheduled run, if any, analyses the newer text.
      if (!outcome || doc.version !== started || doc.isClosed) return undefined;
      if (outcome.missing.length > 0 && doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && round < MAX_FETCH_ROUNDS) {
        await prefetch(outcome.missing.map((p) => uriForPath(doc.uri, p)), this.fetched, maxFileBytes);
        if (doc.version !== started || doc.isClosed) return undefined;
        continue;
      }
      const entry: Entry = { version: doc.version, summary: outcome.summary, deps: new Set(outcome.reads), listed: outcome.listed };
      this.entries.set(key, entry);
      // The first analysis of a session says where a first lens's time went (the benchmark reads it):
      // loading the analyzer happens in the worker, which reports it.
      this.startup.firstResult ??= performance.now();
      if (!this.loggedLoad && outcome.loadMs !== undefined) {
        this.loggedLoad = true;
        this.startup.workerStarted = fromEpoch(outcome.startedAt);
        this.startup.workerLoaded = fromEpoch(outcome.loadedAt);
        logInfo(`analyzer loaded in ${outcome.loadMs} ms (in the analysis worker; TypeScript code cache: ${outcome.codeCache ?? 'off'}, analyzer's: ${outcome.analyzerCache ?? 'off'})`);
      }
      if (!this.loggedFirst) {
        this.loggedFirst = true;
        logInfo(`first analysis (${path.basename(doc.uri.path)}) in ${Date.now() - t0} ms, ${round} import fetch round(s)`);
      }
      return { document: doc, version: doc.version, summary: outcome.summary, revised: false };
    }
  }

  /**
   * Texts of open documents the worker can't read from the disk as VS Code shows them: unsaved
   * ones, and every one in a workspace that is not on the local disk.
   */
  private openTexts(origin: vscode.Uri): [string, string][] {
    const out: [string, string][] = [];
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme !== origin.scheme || d.uri.authority !== origin.authority) continue;
      if (d.isDirty || d.uri.scheme !== 'file') out.push([docPath(d.uri), d.getText()]);
    }
    return out;
  }

  /** What was fetched through vscode.workspace.fs for this document's workspace, by path. */
  private fetchedPaths(origin: vscode.Uri): [string, string | null][] {
    const out: [string, string | null][] = [];
    for (const [u, text] of this.fetched) {
      const uri = vscode.Uri.parse(u);
      if (uri.scheme === origin.scheme && uri.authority === origin.authority) out.push([docPath(uri), text ?? null]);
    }
    return out;
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
    this.published.delete(key);
    const p = this.pending.get(key);
    if (p?.timer) clearTimeout(p.timer);
    for (const w of p?.waiters ?? []) w(undefined);
    this.pending.delete(key);
  }

  dispose(): void {
    if (this.diskChanges.timer) clearTimeout(this.diskChanges.timer);
    this.client.dispose();
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
