import type { FileSummary } from '../core/summary';

/**
 * Messages between the extension host and the analysis worker (worker.ts). The worker is
 * language-agnostic: it gets a file's path and text (plus what it may read besides) and returns
 * a FileSummary.
 */
export interface AnalysisRequest {
  id: number;
  file: string;
  text: string;
  /** The document's language (default: by the path): a Python document goes to the Python front end whatever its path (untitled). */
  language?: 'python' | 'typescript';
  /** `file` when imports are read from the disk (under `roots`); else only `open` and `fetched` exist. */
  disk: boolean;
  roots: string[];
  maxFileBytes: number;
  /** Open documents with unsaved (or non-disk) text, by path: read as the editor shows them. */
  open: [string, string][];
  /** Files fetched by the extension (remote and virtual workspaces), by path; null when absent. */
  fetched: [string, string | null][];
  /** Int32 flag: the extension sets it to 1 when the result is no longer wanted. */
  cancel: SharedArrayBuffer;
}

export interface AnalysisReply {
  id: number;
  summary?: FileSummary;
  /** Every path the analysis asked for: it depends on these files. */
  reads: string[];
  /** Paths it could not read because only the extension can fetch them (non-file workspaces). */
  missing: string[];
  /** It listed the workspace's files (call sites in other files): a file created or deleted anywhere may change it. */
  listed?: boolean;
  /** What this worker's cache of the disk has done so far (FileCache.stats): for the tests and the benchmark. */
  diskCache?: { hits: number; reads: number; listings: number; listingHits: number };
  cancelled?: boolean;
  /** On the worker's first reply: how long loading the analyzer (the TypeScript compiler…) took, in ms. */
  loadMs?: number;
  /** On the worker's first reply: what TypeScript's code cache did (`hit`, `miss`, `off`, …; see codeCache.ts). */
  codeCache?: string;
  /** On the worker's first reply: what the analyzer bundle's code cache did (same values). */
  analyzerCache?: string;
  /**
   * On the worker's first reply: when its script began, and when TypeScript and the analyzer were
   * loaded, in ms since the epoch (`performance.timeOrigin + performance.now()`: comparable across
   * threads, unlike either thread's `performance.now()`).
   */
  startedAt?: number;
  loadedAt?: number;
}

/**
 * The first message to a worker started before its code cache's directory was known
 * (`workerData.early`, main.ts): where the cache is, or none. Requests follow it.
 */
export interface WorkerConfig {
  codeCacheDir?: string;
}

/** Sent when the worker starts on a request (a cancel's grace period counts from then, not from a slow start-up). */
export interface AnalysisStarted {
  id: number;
  started: true;
}

/**
 * The extension's file watcher saw `paths` change on the disk: the worker drops what it kept of
 * them (and, when `structural`, files created, deleted or renamed, its listings). See fileCache.ts.
 */
export interface FilesChanged {
  filesChanged: string[];
  structural: boolean;
}
