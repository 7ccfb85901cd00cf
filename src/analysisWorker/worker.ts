/**
 * The analysis worker (dist/analysis-worker.js): analyses run here, off the extension host's
 * thread, so no file — however large, deep or looping — can make the editor unresponsive. One
 * request at a time, in order; a request cancelled while it runs stops at the budget's next
 * check (see FileBudget) and replies `cancelled`.
 */
import * as path from 'path';
import { parentPort } from 'worker_threads';
import type * as AnalysisCore from './analysisCore';
import type { AnalyzerHost } from '../core/analyzerHost';
import type { FileSummary } from '../core/summary';
import { PolicyHost } from '../core/fileAccess';
import { FileCache } from '../core/fileCache';
import type { AnalysisReply, AnalysisRequest, AnalysisStarted, FilesChanged } from './protocol';

import { frontEndFor } from '../core/frontEnds';
import { dropPrepared, preloadTypeScript, requireCached, saveCodeCaches, startup } from './codeCache';

/**
 * The analyzer, from its own bundle beside this one (see analysisCore.ts), compiled with the code
 * cache in `startup.dir` when there is one. It requires TypeScript only when it first reads a
 * TypeScript or JavaScript file, and the worker loads it through the cache before that (below).
 */
const core = (() => {
  const loaded = requireCached(path.join(__dirname, 'analysisCore.js'), startup.dir, 'analysisCore');
  startup.analyzerCache = loaded.report;
  return loaded.exports as typeof AnalysisCore;
})();

/** Time the worker spent loading its modules (the analyzer, TypeScript if its first file needed it), for its first reply. */
let loadMs: number | undefined = performance.now() - startup.loadFrom;
/** When the script began and when the modules its first file needed were loaded, on the epoch's clock, for the extension host's timeline (AnalysisReply.startedAt). */
const startedAt = performance.timeOrigin + startup.at;
let loadedAt = performance.timeOrigin + performance.now();

/** The TypeScript compiler through the code cache, before the first file that needs it (the analyzer would load it plainly). */
function loadFrontEnd(req: AnalysisRequest): void {
  if (frontEndFor(req.file, req.language) !== 'typescript' || startup.codeCache !== 'not loaded') return;
  const t0 = performance.now();
  preloadTypeScript(startup.dir);
  if (loadMs === undefined) return;
  loadMs += performance.now() - t0;
  loadedAt = performance.timeOrigin + performance.now();
}

/**
 * The disk as the analyses of this worker read it, across requests: texts and listings kept while
 * the files are unchanged (fileCache.ts checks each use), dropped at once on the extension's file events.
 */
export const diskCache = new FileCache();

/** Open documents first (as the editor shows them), then the disk under the policy, or what the extension fetched. */
class WorkerHost implements AnalyzerHost {
  readonly reads = new Set<string>();
  listed = false;
  readonly missing: string[] = [];
  private readonly disk: PolicyHost;
  private readonly open: Map<string, string>;
  private readonly fetched: Map<string, string | null>;

  constructor(private readonly req: AnalysisRequest) {
    this.disk = new PolicyHost({ roots: req.roots, maxFileBytes: req.maxFileBytes }, diskCache);
    this.open = new Map(req.open);
    this.fetched = new Map(req.fetched);
  }

  readFile(p: string): string | undefined {
    this.reads.add(p);
    const open = this.open.get(p);
    // An open document is held to the same rules as the disk: inside the roots, under the limit.
    if (open !== undefined) return this.disk.allows(p) && Buffer.byteLength(open) <= this.req.maxFileBytes ? open : undefined;
    if (this.req.disk) return this.disk.readFile(p);
    if (!this.disk.allows(p)) return undefined;
    if (this.fetched.has(p)) return this.fetched.get(p) ?? undefined;
    this.missing.push(p);
    return undefined;
  }

  /** The disk's script files under the roots, and the open documents (which may not be saved yet). */
  workspaceFiles(): readonly string[] {
    this.listed = true;
    const open = [...this.open.keys()].filter((p) => this.disk.allows(p));
    if (!this.req.disk) return open;
    const listed = this.disk.workspaceFiles();
    // The listing kept across requests is returned as it is when no open document adds to it (the usual case).
    const extra = open.filter((p) => !listed.includes(p));
    return extra.length === 0 ? listed : [...listed, ...extra];
  }

  whyUnreadable(p: string): string | undefined {
    if (!this.req.disk && !this.disk.allows(p)) return 'it is outside the workspace';
    return this.disk.whyUnreadable(p);
  }
}

/**
 * The summary as plain data for postMessage: rows' and models' computed fields (formula,
 * mult-adds: accessors, which structured cloning drops) made fields, through their `toJSON`.
 */
function plain(summary: FileSummary): FileSummary {
  return {
    ...summary,
    models: summary.models.map((m) => ({ ...asData(m), layers: m.layers.map(asData) })),
  };
}

function asData<T extends object>(x: T): T {
  const withJson = x as T & { toJSON?: () => T };
  return typeof withJson.toJSON === 'function' ? withJson.toJSON() : { ...x };
}

export function handle(req: AnalysisRequest): AnalysisReply {
  const cancel = new Int32Array(req.cancel);
  const host = new WorkerHost(req);
  const summary = core.analyzeSource(req.file, req.text, { host, maxFileBytes: req.maxFileBytes, cancel, language: req.language });
  if (Atomics.load(cancel, 0) !== 0) return { id: req.id, reads: [], missing: [], cancelled: true };
  return { id: req.id, summary: plain(summary), reads: [...host.reads], missing: host.missing, listed: host.listed, diskCache: { ...diskCache.stats } };
}

parentPort?.on('message', (req: AnalysisRequest | FilesChanged) => {
  if ('filesChanged' in req) {
    diskCache.forget(req.filesChanged, req.structural);
    return;
  }
  // A request cancelled while it waited in the queue is answered without analysing.
  if (Atomics.load(new Int32Array(req.cancel), 0) !== 0) parentPort?.postMessage({ id: req.id, reads: [], missing: [], cancelled: true } satisfies AnalysisReply);
  else {
    parentPort?.postMessage({ id: req.id, started: true } satisfies AnalysisStarted);
    loadFrontEnd(req);
    const reply = handle(req);
    if (loadMs !== undefined) {
      reply.loadMs = Math.round(loadMs);
      reply.codeCache = startup.codeCache;
      reply.analyzerCache = startup.analyzerCache;
      reply.startedAt = startedAt;
      reply.loadedAt = loadedAt;
      loadMs = undefined;
      dropPrepared();
    }
    try {
      parentPort?.postMessage(reply);
    } catch {
      // Something in the summary that can't be cloned (a stray function in a layer's args): send it as JSON data.
      parentPort?.postMessage(JSON.parse(JSON.stringify(reply)));
    }
    // After the first analysis with a module the functions it ran are compiled: worth caching for the next worker (nothing to do after the others).
    saveCodeCaches();
  }
});
