// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import type { Shape } from './shape';
import type { Diagnostic, FileSummary, ModelSummary } from './summary';
import { Interp } from './lang/ts/interp';
import { BudgetExceeded, DEFAULT_FILE_LIMITS, FileBudget, type FileLimits } from './framework/budget';
import type { AnalyzerHost } from './analyzerHost';
import { Project } from './lang/ts/project';
import { SourceInfo } from './lang/ts/source';
import { hasMlEvidence } from './lang/ts/evidence';
import { parseCached } from './lang/ts/parseCache';
import { emptyMap } from './release';
import { analyzeTorchClass } from './lang/ts/torchClass';
import { analyzeTfjsModels } from './lang/ts/tfjsBuilders';
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
  language?: 'python' | 'typescript';
}

const DEFAULT_BUDGET = 200_000;
const MAX_SYNTAX_DIAGNOSTICS = 5;

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
  const run: { stopped?: string } = {};
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

function syntaxDiagnostics(src: SourceInfo): Diagnostic[] {
  const parseDiagnostics = (src.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return parseDiagnostics.slice(0, MAX_SYNTAX_DIAGNOSTICS).map((d) => ({
    line: src.lineOf(d.start),
    severity: 'error' as const,
    message: `Syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (ModelLens shows what it could read)`,
    start: d.start,
    end: d.start + d.length,
    code: 'syntax',
  }));
}

function analyzeUncached(file: string, text: string, options: AnalyzeOptions, host: AnalyzerHost, run: { stopped?: string }): FileSummary {
  // A language is a front end: Python files go to src/core/lang/python, the rest to the TypeScript interpreter.
  if (options.language ? options.language === 'python' : /\.py$/i.test(file)) {
    const fileBudget = new FileBudget({ ...DEFAULT_FILE_LIMITS, ...options.fileLimits }, options.cancel);
    const summary = analyzePython(file, text, { inputShapes: options.inputShapes, budget: options.budget ?? DEFAULT_BUDGET, host, fileBudget });
    run.stopped = fileBudget.exhaustedWhy; // cut short (a cancel, the clock): not cached
    return summary;
  }
  // No neural-network library in sight: not a model file, whatever it extends or calls, and
  // nothing to say about it (not even its syntax errors). Decided before parsing: see lang/ts/evidence.ts.
  // (TypeScript and JavaScript; the Python front end above decides for itself.)
  if (!hasMlEvidence(host, file, text)) return { file, models: [], diagnostics: [] };
  const src = new SourceInfo(file, text, parseCached(file, text));
  const project = new Project(host);
  project.addSource(src);
  const fileBudget = new FileBudget({ ...DEFAULT_FILE_LIMITS, ...options.fileLimits }, options.cancel);
  const interp = new Interp(project, src, [], options.budget ?? DEFAULT_BUDGET, fileBudget);
  project.interp = interp;
  const scope = project.scopeOf(interp, src);
  const models: ModelSummary[] = [];
  const fileDiagnostics = syntaxDiagnostics(src);

  // Anything unexpected in one model becomes a diagnostic at it; the others are still analyzed.
  const failed = (what: string, at: ts.Node, e: unknown) => {
    const start = src.start(at);
    const budget = e instanceof BudgetExceeded;
    fileDiagnostics.push({ line: src.lineOf(start), severity: 'error', message: `ModelLens could not analyze ${what}: ${(e as Error)?.message ?? e}`, start, end: at.end, code: budget ? 'budget' : 'internal' });
  };

  const statements = src.sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!ts.isClassDeclaration(s) || !s.name) continue;
    fileBudget.poll();
    try {
      const info = project.classInfo(src, s, scope);
      if (info.kind === 'torch-module') models.push(analyzeTorchClass(interp, info, options.inputShapes));
    } catch (e) {
      failed(s.name.text, s, e);
    } finally {
      interp.recorder = undefined;
    }
  }
  fileBudget.poll();
  try {
    const tfjs = analyzeTfjsModels(interp, src, scope, options.inputShapes);
    for (const m of tfjs.models) models.push(m);
    for (const d of tfjs.diagnostics) fileDiagnostics.push(d);
  } catch (e) {
    failed('the TensorFlow.js models', src.sf, e);
  } finally {
    interp.recorder = undefined;
  }
  models.sort((a, b) => a.line - b.line);
  const stopped = (run.stopped = fileBudget.exhaustedWhy);
  if (stopped) fileDiagnostics.unshift({ line: 1, severity: 'warning', message: `ModelLens stopped analyzing this file early: ${stopped}. Models finished before then are exact; the rest show ? with this reason.`, code: 'budget' });
  interp.release();
  project.release();
  return { file, models, diagnostics: fileDiagnostics };
}

/** Clears result caches (tests and benchmarks). */
export function clearAnalysisCache(): void {
  emptyMap(resultCache); // not `clear()`: see release.ts
}
