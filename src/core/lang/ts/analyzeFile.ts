// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import type { Diagnostic, FileSummary, ModelSummary } from '../../summary';
import type { AnalyzerHost } from '../../analyzerHost';
import { BudgetExceeded, DEFAULT_FILE_LIMITS, FileBudget } from '../../framework/budget';
import type { FileRun } from '../../analyze';
import { Interp } from './interp';
import { Project } from './project';
import { SourceInfo } from './source';
import { hasMlEvidence } from './evidence';
import { parseCached } from './parseCache';
import { analyzeTorchClass } from './torchClass';
import { analyzeTfjsModels } from './tfjsBuilders';

/**
 * The TypeScript front end's whole-file entry (TypeScript and JavaScript): analyze.ts loads this
 * module, and with it the TypeScript compiler, only for the first such file, so that a worker or
 * a CLI run that sees only Python never loads the compiler (9 MB of JavaScript).
 */

const MAX_SYNTAX_DIAGNOSTICS = 5;

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

/** Every PyTorch-shaped `nn.Module` class and every tfjs model in a TypeScript or JavaScript file. */
export function analyzeTypeScript(file: string, text: string, run: FileRun, host: AnalyzerHost): FileSummary {
  const { options } = run;
  // No neural-network library in sight: not a model file, whatever it extends or calls, and
  // nothing to say about it (not even its syntax errors). Decided before parsing: see lang/ts/evidence.ts.
  // (The Python front end decides for itself.)
  if (!hasMlEvidence(host, file, text)) return { file, models: [], diagnostics: [] };
  const src = new SourceInfo(file, text, parseCached(file, text));
  const project = new Project(host);
  project.addSource(src);
  const fileBudget = new FileBudget({ ...DEFAULT_FILE_LIMITS, ...options.fileLimits }, options.cancel);
  const interp = new Interp(project, src, [], run.budget, fileBudget);
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
