import type { Shape } from './shape';
import type { FileSummary } from './summary';
import { DEFAULT_FILE_LIMITS, FileBudget, type FileLimits } from './framework/budget';
import type { AnalyzerHost } from './analyzerHost';
import { emptyMap } from './release';
import { frontEndFor, type Language } from './frontEnds';
import { DEFAULT_MAX_FILE_KB, PolicyHost, findProjectRoot, sizeLimitMessage } from './fileAccess';
import { analyzePython } from './lang/python/models';

export interface AnalyzeOptions {
  /** Input shape(s) to use instead of `@inputShape`/`inputShape` (the CLI's `--input-shape`). */
  inputShapes?: Shape[];
  /**
   * Reads imported workspace files; defaults to the disk under `roots` and `maxFileBytes`
   * (see fileAccess.ts: regular files inside the roots only).
   */
  host?: AnalyzerHost;
  /** Folders imports may be read from when no host is given; default: the file's project root. */
  roots?: string[];
  /** Files (this one and each import) larger than this are not analyzed; default 1024 KB. */
  maxFileBytes?: number;
  /** Interpreter steps per model before giving up (bounded time on any input). */
  budget?: number;
  /** The whole file's budget (all models and imports): steps, wall time, native work. */
  fileLimits?: Partial<FileLimits>;
  /** A flag another thread sets (non-zero) to stop the analysis early: see FileBudget. */
  cancel?: Int32Array;
  /** Which front end reads the text; default: Python for a `.py` path, else TypeScript (an editor passes the document's language). */
  language?: Language;
}

const DEFAULT_BUDGET = 200_000;

/** One analysis of a file, as a front end gets it: the options, the steps per model, and (set by the front end) why it stopped early. */
export interface FileRun {
  readonly options: AnalyzeOptions;
  readonly budget: number;
  stopped?: string;
}

export const DEFAULT_MAX_FILE_BYTES = DEFAULT_MAX_FILE_KB * 1024;

/** The disk, under the file-access rules, for a file analysed without a host. */
function defaultHost(file: string, options: AnalyzeOptions): AnalyzerHost {
  return new PolicyHost({ roots: options.roots ?? [findProjectRoot(file)], maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
}

/** The one diagnostic a file above the size limit gets instead of an analysis. */
export function tooLarge(file: string, bytes: number, maxBytes: number): FileSummary {
  return { file, models: [], diagnostics: [{ line: 1, severity: 'warning', message: sizeLimitMessage(bytes, maxBytes), code: 'size-limit' }] };
}

/**
 * Results by file and content: re-analysing unchanged text is a lookup, and an edit re-parses
 * incrementally (see parseCache). Imported files are part of the key through their text.
 */
const resultCache = new Map<string, { text: string; key: string; result: FileSummary; deps: Map<string, string | undefined>; listing?: readonly string[] }>();
const MAX_RESULTS = 32;

function optionsKey(o: AnalyzeOptions): string {
  return JSON.stringify([o.language ?? null, o.inputShapes ?? null, o.budget ?? DEFAULT_BUDGET, o.fileLimits ?? null, o.roots ?? null, o.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES]);
}

/**
 * Analyzes one file's text: every PyTorch-shaped `nn.Module` class and every tfjs model in it,
 * when the file uses a neural-network library (lang/ts/evidence.ts; else it has nothing to show).
 * Never throws: anything unexpected becomes a diagnostic, so editors always get an answer.
 */
export function analyzeSource(file: string, text: string, options: AnalyzeOptions = {}): FileSummary {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: count the bytes only when the text could be over.
  if (text.length > maxBytes / 3) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return tooLarge(file, bytes, maxBytes);
  }
  const host = options.host ?? defaultHost(file, options);
  const key = optionsKey(options);
  const cached = resultCache.get(file);
  // A result that used the workspace's listing (call sites in other files) holds while it lists the same files.
  if (cached && cached.text === text && cached.key === key && [...cached.deps].every(([p, t]) => host.readFile(p) === t) && (!cached.listing || sameList(cached.listing, host.workspaceFiles?.() ?? []))) return cached.result;
  const reads = new Map<string, string | undefined>();
  let listing: readonly string[] | undefined;
  const recordingHost: AnalyzerHost = {
    readFile(p) {
      const t = host.readFile(p);
      reads.set(p, t);
      return t;
    },
    whyUnreadable: host.whyUnreadable ? (p) => host.whyUnreadable?.(p) : undefined,
    workspaceFiles: host.workspaceFiles ? () => (listing = host.workspaceFiles?.() ?? []) : undefined,
  };
  let result: FileSummary;
  const run: FileRun = { options, budget: options.budget ?? DEFAULT_BUDGET };
  try {
    result = analyzeUncached(file, text, options, recordingHost, run);
  } catch (e) {
    result = { file, models: [], diagnostics: [{ line: 1, severity: 'error', message: `ModelLens could not analyze this file: ${(e as Error)?.message ?? e}`, code: 'internal' }] };
  }
  resultCache.delete(file);
  // A run cut short (by the clock or a cancel) is not the file's answer: the next run tries again.
  if (run.stopped) return result;
  resultCache.set(file, { text, key, result, deps: reads, listing });
  if (resultCache.size > MAX_RESULTS) resultCache.delete(resultCache.keys().next().value as string);
  return result;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function analyzeUncached(file: string, text: string, options: AnalyzeOptions, host: AnalyzerHost, run: FileRun): FileSummary {
  // A language is a front end: Python files go to src/core/lang/python, the rest to the TypeScript interpreter.
  if (frontEndFor(file, options.language) === 'python') {
    const fileBudget = new FileBudget({ ...DEFAULT_FILE_LIMITS, ...options.fileLimits }, options.cancel);
    const summary = analyzePython(file, text, { inputShapes: options.inputShapes, budget: run.budget, host, fileBudget });
    run.stopped = fileBudget.exhaustedWhy; // cut short (a cancel, the clock): not cached
    return summary;
  }
  // Required here, not imported: the TypeScript compiler loads with the first file that needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { analyzeTypeScript } = require('./lang/ts/analyzeFile') as typeof import('./lang/ts/analyzeFile');
  return analyzeTypeScript(file, text, run, host);
}

/** Clears result caches (tests and benchmarks). */
export function clearAnalysisCache(): void {
  emptyMap(resultCache); // not `clear()`: see release.ts
}
