// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import * as fs from 'fs';
import type { Shape } from './shape';
import type { Diagnostic, FileSummary, ModelSummary } from './summary';
import { Interp } from './analyzer/interp';
import { AnalyzerHost, Project } from './analyzer/project';
import { SourceInfo } from './analyzer/source';
import { parseCached } from './analyzer/parseCache';
import { emptyMap } from './analyzer/release';
import { analyzeTorchClass } from './analyzer/torchModel';
import { analyzeTfjsModels } from './analyzer/tfjsModels';

export interface AnalyzeOptions {
  /** Input shape(s) to use instead of `@inputShape`/`inputShape` (the CLI's `--input-shape`). */
  inputShapes?: Shape[];
  /** Reads imported workspace files; defaults to the disk. */
  host?: AnalyzerHost;
  /** Interpreter steps per model before giving up (bounded time on any input). */
  budget?: number;
}

const DEFAULT_BUDGET = 200_000;
const MAX_SYNTAX_DIAGNOSTICS = 5;

export const diskHost: AnalyzerHost = {
  readFile(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/**
 * Results by file and content: re-analysing unchanged text is a lookup, and an edit re-parses
 * incrementally (see parseCache). Imported files are part of the key through their text.
 */
const resultCache = new Map<string, { text: string; key: string; result: FileSummary; deps: Map<string, string | undefined> }>();
const MAX_RESULTS = 32;

function optionsKey(o: AnalyzeOptions): string {
  return JSON.stringify([o.inputShapes ?? null, o.budget ?? DEFAULT_BUDGET]);
}

/**
 * Analyzes one file's text: every PyTorch-shaped `nn.Module` class and every tfjs model in it.
 * Never throws: anything unexpected becomes a diagnostic, so editors always get an answer.
 */
export function analyzeSource(file: string, text: string, options: AnalyzeOptions = {}): FileSummary {
  const host = options.host ?? diskHost;
  const key = optionsKey(options);
  const cached = resultCache.get(file);
  if (cached && cached.text === text && cached.key === key && [...cached.deps].every(([p, t]) => host.readFile(p) === t)) return cached.result;
  const reads = new Map<string, string | undefined>();
  const recordingHost: AnalyzerHost = {
    readFile(p) {
      const t = host.readFile(p);
      reads.set(p, t);
      return t;
    },
  };
  let result: FileSummary;
  try {
    result = analyzeUncached(file, text, options, recordingHost);
  } catch (e) {
    result = { file, models: [], diagnostics: [{ line: 1, severity: 'error', message: `ModelLens could not analyze this file: ${(e as Error)?.message ?? e}`, code: 'internal' }] };
  }
  resultCache.delete(file);
  resultCache.set(file, { text, key, result, deps: reads });
  if (resultCache.size > MAX_RESULTS) resultCache.delete(resultCache.keys().next().value as string);
  return result;
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

function analyzeUncached(file: string, text: string, options: AnalyzeOptions, host: AnalyzerHost): FileSummary {
  const src = new SourceInfo(file, text, parseCached(file, text));
  const project = new Project(host);
  project.addSource(src);
  const interp = new Interp(project, src, [], options.budget ?? DEFAULT_BUDGET);
  project.interp = interp;
  const scope = project.scopeOf(interp, src);
  const models: ModelSummary[] = [];
  const fileDiagnostics = syntaxDiagnostics(src);

  // Anything unexpected in one model becomes a diagnostic at it; the others are still analyzed.
  const failed = (what: string, at: ts.Node, e: unknown) => {
    const start = src.start(at);
    fileDiagnostics.push({ line: src.lineOf(start), severity: 'error', message: `ModelLens could not analyze ${what}: ${(e as Error)?.message ?? e}`, start, end: at.end, code: 'internal' });
  };

  const statements = src.sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!ts.isClassDeclaration(s) || !s.name) continue;
    try {
      const info = project.classInfo(src, s, scope);
      if (info.kind === 'torch-module') models.push(analyzeTorchClass(interp, info, options.inputShapes));
    } catch (e) {
      failed(s.name.text, s, e);
    } finally {
      interp.recorder = undefined;
    }
  }
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
  interp.release();
  project.release();
  return { file, models, diagnostics: fileDiagnostics };
}

/** Clears result caches (tests and benchmarks). */
export function clearAnalysisCache(): void {
  emptyMap(resultCache); // not `clear()`: see analyzer/release.ts
}
