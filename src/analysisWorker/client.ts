import { Worker } from 'worker_threads';
import type { FileSummary } from '../core/summary';
import type { AnalysisReply, AnalysisRequest, AnalysisStarted, FilesChanged, WorkerConfig } from './protocol';

/**
 * The extension host's side of the analysis worker: sends requests, matches replies, cancels.
 * No `vscode` import (unit tests drive it with the compiled worker).
 *
 * Cancelling sets the request's shared flag: the worker's interpreter sees it at its next
 * budget check and replies at once. A worker that does not reply within a grace period (stuck
 * in work the budget cannot interrupt, like parsing a large text) is terminated and a fresh one
 * takes the requests still wanted. A worker that dies (out of memory: it runs under heap
 * limits) answers its current request with a diagnostic and is replaced the same way.
 */

export type Job = Omit<AnalysisRequest, 'id' | 'cancel'>;

export interface Outcome {
  summary: FileSummary;
  reads: string[];
  missing: string[];
  /** See AnalysisReply.loadMs. */
  loadMs?: number;
  /** See AnalysisReply.codeCache. */
  codeCache?: string;
  /** See AnalysisReply.analyzerCache. */
  analyzerCache?: string;
  /** See AnalysisReply.listed. */
  listed?: boolean;
  /** See AnalysisReply.diskCache. */
  diskCache?: AnalysisReply['diskCache'];
  /** See AnalysisReply.startedAt and loadedAt. */
  startedAt?: number;
  loadedAt?: number;
}

interface Pending {
  request: AnalysisRequest;
  flag: Int32Array;
  resolve: (o: Outcome | undefined) => void;
  graceTimer?: ReturnType<typeof setTimeout>;
  /** The worker has begun on it. */
  started?: boolean;
}

export interface ClientOptions {
  /** After a cancel, how long the worker may take to notice before it is replaced. */
  graceMs?: number;
  /** The worker's JS heap limit. */
  heapMb?: number;
  /** Where the worker keeps TypeScript's V8 code cache (codeCache.ts); none: no cache. */
  codeCacheDir?: string;
  /**
   * The directory is not known yet: `warm()` starts a worker that reads what it will compile and
   * waits for `configure()` (main.ts). The extension starts it as its module loads, before
   * VS Code calls activate().
   */
  cacheDirLater?: boolean;
  /** Called on every worker start (tests count restarts). */
  onSpawn?: () => void;
}

export class AnalysisClient {
  private worker?: Worker;
  /** Sent and not yet answered, in the order the worker handles them. */
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private codeCacheDir: string | undefined;
  /** configure() was called, or there was nothing to wait for. */
  private configured: boolean;
  /** The current worker was started before configure() and waits for its WorkerConfig. */
  private awaitingConfig = false;

  constructor(
    private readonly script: string,
    private readonly options: ClientOptions = {},
  ) {
    this.codeCacheDir = options.codeCacheDir;
    this.configured = !options.cacheDirLater;
  }

  /** Where the code cache is, once known: a worker started before goes on loading with it. */
  configure(codeCacheDir: string | undefined): void {
    this.codeCacheDir = codeCacheDir;
    this.configured = true;
    if (this.worker && this.awaitingConfig) {
      this.awaitingConfig = false;
      this.worker.postMessage({ codeCacheDir } satisfies WorkerConfig);
    }
  }

  /**
   * Analyses `job` in the worker. `cancel()` drops the result (the promise resolves undefined
   * at once) and stops the worker's work on it.
   */
  analyze(job: Job): { result: Promise<Outcome | undefined>; cancel: () => void } {
    const id = this.nextId++;
    const shared = new SharedArrayBuffer(4);
    const request: AnalysisRequest = { ...job, id, cancel: shared };
    let entry!: Pending;
    const result = new Promise<Outcome | undefined>((resolve) => {
      entry = { request, flag: new Int32Array(shared), resolve };
    });
    if (this.disposed) {
      entry.resolve(undefined);
      return { result, cancel: () => undefined };
    }
    this.pending.set(id, entry);
    this.workerForRequests().postMessage(request);
    return { result, cancel: () => this.cancel(id) };
  }

  /**
   * Files changed on the disk (a file watcher's events): the worker drops what it kept of them
   * before it handles any request sent after this. A worker not started yet, or still waiting
   * for its WorkerConfig (its first message must be that), has kept nothing.
   */
  filesChanged(paths: string[], structural: boolean): void {
    if (this.disposed || !this.worker || this.awaitingConfig || paths.length === 0) return;
    this.worker.postMessage({ filesChanged: paths, structural } satisfies FilesChanged);
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p || Atomics.load(p.flag, 0) !== 0) return;
    Atomics.store(p.flag, 0, 1);
    p.resolve(undefined);
    if (p.started) this.startGrace(p);
  }

  /**
   * Starts the worker now, so that it loads the analyzer while the editor is still busy with
   * other things, rather than when the first analysis is asked for.
   */
  warm(): void {
    if (!this.disposed) this.ensureWorker();
  }

  /**
   * The worker answers a cancelled request within one budget check; if it is busy with work it
   * cannot interrupt, it is replaced. (A request cancelled before it started is answered as
   * soon as the worker reaches it, without analysing.)
   */
  private startGrace(p: Pending): void {
    const id = p.request.id;
    p.graceTimer = setTimeout(() => this.pending.has(id) && this.restart(), this.options.graceMs ?? 1500);
  }

  /** The worker, told where its code cache is first if it still waits for that (no cache, then: a request can't wait). */
  private workerForRequests(): Worker {
    const w = this.ensureWorker();
    if (this.awaitingConfig) this.configure(this.codeCacheDir);
    return w;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A replacement worker after configure() gets the directory at once, like any worker then.
    this.awaitingConfig = !this.configured;
    const w = new Worker(this.script, { workerData: this.awaitingConfig ? { early: true } : { codeCacheDir: this.codeCacheDir }, resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb ?? 1024 } });
    this.worker = w;
    this.options.onSpawn?.();
    w.on('message', (reply: AnalysisReply) => this.answer(reply));
    w.on('error', (e) => this.died(w, e));
    w.on('exit', (code) => this.died(w, new Error(`the analysis worker exited (code ${code})`)));
    // An idle worker must not keep the process alive (tests, the CLI).
    w.unref();
    return w;
  }

  private answer(reply: AnalysisReply | AnalysisStarted): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if ('started' in reply) {
      p.started = true;
      if (Atomics.load(p.flag, 0) !== 0) this.startGrace(p);
      return;
    }
    this.pending.delete(reply.id);
    if (p.graceTimer) clearTimeout(p.graceTimer);
    if (reply.cancelled || !reply.summary || Atomics.load(p.flag, 0) !== 0) p.resolve(undefined);
    else p.resolve({ summary: reply.summary, reads: reply.reads, missing: reply.missing, loadMs: reply.loadMs, codeCache: reply.codeCache, analyzerCache: reply.analyzerCache, listed: reply.listed, diskCache: reply.diskCache, startedAt: reply.startedAt, loadedAt: reply.loadedAt });
  }

  /** The worker crashed (out of memory, say): its current request gets a diagnostic, the rest a new worker. */
  private died(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const first = this.pending.values().next().value as Pending | undefined;
    if (first) {
      this.pending.delete(first.request.id);
      if (first.graceTimer) clearTimeout(first.graceTimer);
      const oom = /ERR_WORKER_OUT_OF_MEMORY|out of memory/i.test(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`);
      first.resolve({
        summary: {
          file: first.request.file,
          models: [],
          diagnostics: [{ line: 1, severity: 'error', message: oom ? 'ModelLens ran out of memory analyzing this file: it is not analyzed.' : `ModelLens could not analyze this file: ${e.message}`, code: 'budget' }],
        },
        reads: [],
        missing: [],
      });
    }
    this.resend();
  }

  /** Replaces a worker stuck on a cancelled request; the requests still wanted go to the new one. */
  private restart(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
    const running = this.pending.keys().next().value as number | undefined;
    if (running !== undefined) this.pending.delete(running);
    this.resend();
  }

  private resend(): void {
    if (this.disposed) return;
    for (const [id, p] of this.pending) {
      if (Atomics.load(p.flag, 0) !== 0) this.pending.delete(id);
    }
    for (const p of this.pending.values()) this.workerForRequests().postMessage(p.request);
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) {
      if (p.graceTimer) clearTimeout(p.graceTimer);
      p.resolve(undefined);
    }
    this.pending.clear();
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
