import type { Diagnostic, FileSummary, ModelSummary } from '../../summary';
import type { Shape } from '../../shape';
import { BudgetExceeded, FileBudget, outOfSteps, stoppedAfter } from '../../framework/budget';
import { Recorder } from '../../framework/recorder';
import { parseShapeList, summarizeTracedModule } from '../../framework/torchModel';
import { ModuleInstance, type Value } from '../../framework/values';
import type { AnalyzerHost } from '../../analyzerHost';
import { parsePython } from './parse';
import { PySource } from './source';
import { PyInterp, PyRaise } from './interp';
import { Scope } from './scope';
import { PyClass, PyFunction, PyObject, type PyValue } from './values';
import type * as N from './nodes';
import { execStmt } from './statements';
import { inputHints, invokeFunction } from './calls';
import { mayChangeModels } from './topLevel';
import { builtUnknownOf, findMethod, instantiate } from './classes';
import { equal } from './expressions';
import { UnknownValue } from '../../unknown';

const MAX_SYNTAX_DIAGNOSTICS = 5;

/** A model found in the file: how to make it, and where it is written. */
interface Candidate {
  name: string;
  node: N.Span;
  /** Made already (a module-level `model = Net(…)`), or made when traced. */
  make: () => PyValue;
  cls?: PyClass;
  /** Why the file's top level, after making it, may have changed it in a way not followed. */
  changedAfter?: string;
  /** A class summarised on its own (no one call of it to read): made with what its call sites agree on, the rest unknown. */
  standalone?: boolean;
  /** The call-site values it is made with, and where (ModelSummary.builtWith). */
  builtWith?: string;
}

/**
 * Analyzes a Python file: runs its top level (imports, classes, functions, `model = …`, the
 * `summary(model, input_size=…)` call), then traces each model. A model is an `nn.Module` subclass
 * (built with its defaults when the file makes none), a module-level instance, or a factory
 * function (every parameter has a default: `resnet18(*, weights=None, **kwargs)`).
 */
export function analyzePython(file: string, text: string, options: { inputShapes?: Shape[]; budget: number; host: AnalyzerHost; fileBudget?: FileBudget }): FileSummary {
  const src = new PySource(file, text, parsePython(text, file));
  const load = (path: string): PySource | undefined => {
    const t = options.host.readFile(path);
    if (t === undefined) return undefined;
    fileBudget.charge(t.length); // parsing an import is work the file's budget pays for
    return new PySource(path, t, parsePython(t, path));
  };
  const fileBudget = options.fileBudget ?? new FileBudget();
  const I = new PyInterp(src, options.budget, options.host, load, fileBudget);
  const fileDiagnostics: Diagnostic[] = src.tree.errors.slice(0, MAX_SYNTAX_DIAGNOSTICS).map((e) => ({
    line: src.lineOf(e.pos),
    severity: 'error' as const,
    message: 'Syntax error (ModelLens shows what it could read)',
    // An error at the end of the file is reported on its last character (a span never leaves the text).
    start: Math.min(e.pos, text.length),
    end: Math.min(e.end, text.length),
    code: 'syntax',
  }));
  I.summaryFromTorchsummary = /^\s*from\s+torchsummary\s+import\b/m.test(text);
  const scope = new Scope(undefined);
  // The file as a script: its `if __name__ == "__main__":` block is where models are usually run.
  scope.set('__name__', '__main__');
  I.diagnostics = fileDiagnostics;
  I.topLevel = true;
  // A top-level statement ModelLens could not follow after a model instance was made (`if flag:`
  // around a `model.fc = …`, an unknown method of the model) may have changed that instance: its
  // totals become `?` with the reason, unless the statement could not reach a model (topLevel.ts).
  const changedAfter = new Map<ModuleInstance, string>();
  try {
    for (const s of src.tree.body) {
      I.controlUnknown = undefined;
      execStmt(I, s, scope);
      const why = I.controlUnknown;
      if (why && mayChangeModels(s, scope)) for (const v of scope.vars.values()) if (v instanceof ModuleInstance && !changedAfter.has(v)) changedAfter.set(v, why);
    }
  } catch (e) {
    if (e instanceof PyRaise) I.report(e.at, 'error', `This file raises ${e.what} when run; what follows is not read.`, 'raises');
    else if (e instanceof BudgetExceeded) fileDiagnostics.push(outOfSteps(src, { pos: 0, end: 0 }, 'The file', options.budget, e));
    else throw e;
  }
  I.topLevel = false;
  I.controlUnknown = undefined;

  const candidates = findModels(I, src, scope, changedAfter);
  const models: ModelSummary[] = [];
  for (const c of candidates) {
    fileBudget.poll();
    models.push(traceModel(I, c, options.inputShapes));
  }
  models.sort((a, b) => a.line - b.line);
  return { file, models, diagnostics: fileDiagnostics };
}

function findModels(I: PyInterp, src: PySource, scope: Scope, changedAfter: Map<ModuleInstance, string>): Candidate[] {
  const out: Candidate[] = [];
  const instancesOf = new Set<PyClass>();
  const seen = new Set<PyValue>();
  const counts = new Map<PyClass, number>();
  for (const v of scope.vars.values()) if (v instanceof ModuleInstance && v.cls instanceof PyClass) counts.set(v.cls, (counts.get(v.cls) ?? 0) + 1);
  for (const [name, v] of scope.vars) {
    if (!(v instanceof ModuleInstance) || !(v.cls instanceof PyClass) || seen.has(v)) continue;
    seen.add(v);
    instancesOf.add(v.cls);
    out.push({ name: counts.get(v.cls)! > 1 ? name : v.cls.name, node: v.node, make: () => v, cls: v.cls, changedAfter: changedAfter.get(v) });
  }
  for (const v of scope.vars.values()) {
    if (v instanceof PyClass && v.isModule && v.file === src && !instancesOf.has(v)) {
      const cls = v;
      const sites = I.callSites.get(cls) ?? [];
      // The one instance the file's code makes (inside `main()`, say) is the model, as a module-level one is.
      if (sites.length === 1) out.push({ name: cls.name, node: sites[0].inst.node, make: () => sites[0].inst, cls });
      else {
        const args = callSiteArguments(I, cls, sites);
        out.push({ name: cls.name, node: cls.node, cls, standalone: true, builtWith: siteNotes.get(args), make: () => instantiate(I, cls, [], args, cls.node.nameSpan) });
      }
    }
    if (v instanceof PyFunction && v.file === src && v.node.kind === 'def' && isFactory(v.node)) {
      const fn = v;
      const node = v.node;
      out.push({ name: node.name, node, make: () => invokeFunction(I, fn, [], new Map(), node.nameSpan) });
    }
  }
  return out;
}

/**
 * The arguments a class's required parameters (no default) get from the file's call sites when
 * every call site passes the same plain value (numbers, strings, lists of them, a config object
 * made once); where they disagree or one has no such value, the parameter is unknown with the
 * reason. Parameters with defaults keep them: the class alone is the model PyTorch builds bare.
 */
function callSiteArguments(I: PyInterp, cls: PyClass, sites: { inst: ModuleInstance; args: PyValue[]; kwargs: Map<string, PyValue> }[]): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  const init = findMethod(cls, '__init__');
  if (!init || init.node.kind !== 'def' || !sites.length) return out;
  const params = init.node.params.slice(1);
  if (params.some((p) => p.kind !== 'param')) return out; // *args / **kwargs: positions are not names
  const given: string[] = [];
  params.forEach((p, i) => {
    if (p.default) return;
    const given = sites.map((s) => (!p.kwOnly && i < s.args.length ? s.args[i] : s.kwargs.has(p.name) ? s.kwargs.get(p.name) : undefined));
    const first = given[0];
    if (given.some((v) => v === undefined || !plainValue(v))) {
      out.set(p.name, new UnknownValue(`the argument \`${p.name}\` of ${cls.name}() has no static value at its call sites`));
      return;
    }
    if (!given.every((v) => v === first || equal(v, first) === true)) {
      out.set(p.name, new UnknownValue(`the call sites of ${cls.name}() disagree on \`${p.name}\``));
      return;
    }
    out.set(p.name, first);
    given.push(`${p.name} = ${repr(first)}`);
  });
  if (given.length) siteNotes.set(out, `${given.join(', ')}, from its ${sites.length} call sites (${sites.slice(0, 3).map((s) => `line ${I.rootFile.lineOf(s.inst.node.pos)}`).join(', ')}${sites.length > 3 ? ', …' : ''})`);
  return out;
}

/** `width = 64, from its 2 call sites (line 30, line 31)`, by the arguments callSiteArguments gave. */
const siteNotes = new WeakMap<Map<string, PyValue>, string>();

/** A call-site value as Python writes it (short). */
function repr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true || v === false) return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? v.slice(0, 21) + '…' : v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.length <= 6 ? `[${v.map(repr).join(', ')}]` : 'a list';
  return 'an object';
}

/** A value a call site may pass on: numbers, strings, booleans, None, and lists/tuples of them, or one config object. */
function plainValue(v: PyValue): boolean {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every(plainValue);
  return v instanceof PyObject;
}

/** A public function whose every parameter has a default, and that returns something. */
function isFactory(d: N.FunctionDef): boolean {
  if (d.name.startsWith('_')) return false;
  if (!d.params.every((p) => p.kind !== 'param' || p.default)) return false;
  let returns = false;
  const walk = (body: N.Stmt[]): void => {
    for (const s of body) {
      if (s.kind === 'return' && s.value) returns = true;
      else if (s.kind === 'if') {
        walk(s.body);
        walk(s.orelse);
      }
    }
  };
  walk(d.body);
  return returns;
}

function traceModel(I: PyInterp, c: Candidate, cli: Shape[] | undefined): ModelSummary | never {
  const diagnostics: Diagnostic[] = [];
  const saved = I.diagnostics;
  I.diagnostics = diagnostics;
  I.steps = 0;
  I.controlUnknown = undefined;
  const rec = new Recorder(I, 'torch', I.rootFile);
  let builtUnknown: string | undefined;
  let forwardUnknown: string | undefined;
  let inst: PyValue;
  let out: PyValue = undefined;
  let source = 'none';
  let constructing = true;
  try {
    inst = c.make();
    builtUnknown = (inst instanceof ModuleInstance ? builtUnknownOf.get(inst) ?? syntaxErrorIn(I, inst) : undefined) ?? I.controlUnknown ?? c.changedAfter;
    I.controlUnknown = undefined;
    constructing = false;
    rec.builtUnknown = builtUnknown;
    if (!(inst instanceof ModuleInstance)) {
      return skipped(I, c, diagnostics, inst);
    }
    let shapes: (Shape | null)[] = [null];
    const hint = inputHints.get(I)?.get(inst);
    const cls = inst.cls instanceof PyClass ? inst.cls : undefined;
    if (hint) {
      shapes = hint.shapes;
      source = hint.source;
    } else if (cls?.inputShapeTag && parseShapeList(cls.inputShapeTag.text)) {
      shapes = parseShapeList(cls.inputShapeTag.text)!;
      source = '@inputShape';
    } else if (cli) {
      shapes = cli;
      source = 'cli';
    } else if (cls?.inputShapeTag) {
      const t = cls.inputShapeTag;
      diagnostics.push({ line: t.line, severity: 'error', message: `@inputShape should list sizes, batch first, like [64, 128] (got "${t.text}")`, start: t.start, end: t.end, code: 'bad-input-shape' });
    }
    I.recorder = rec;
    rec.allowInference = source === 'none';
    // Nothing gives the input shapes: as many unknown inputs as forward needs (`forward(self, q, k, v)`: three).
    const fwd = cls && findMethod(cls, 'forward');
    if (source === 'none' && fwd?.node.kind === 'def') shapes = new Array<null>(Math.max(1, fwd.node.params.filter((p) => p.kind === 'param' && !p.default && !p.kwOnly).length - 1)).fill(null);
    inst.calls++;
    const inputs = shapes.map((s, i) => rec.addInput(s, `input${i}`, 'float32'));
    out = I.runForward(inst, inputs, c.node);
    forwardUnknown = I.controlUnknown;
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      diagnostics.push(outOfSteps(I.rootFile, c.node, c.name, I.budget, e));
      const why = I.controlUnknown ?? stoppedAfter(I.budget, e);
      if (constructing) builtUnknown ??= why;
      forwardUnknown ??= why;
    } else if (e instanceof PyRaise) {
      const why = `${constructing ? 'building' : 'running'} it raises ${e.what}`;
      // An error in the user's code only where the code itself does it: a class summarised on its
      // own, or traced on an input nobody gave, raising is a warning (PyTorch would, given that call).
      const given = source !== 'none' && !source.startsWith('inferred');
      const own = constructing ? !c.standalone : given;
      I.report(c.node, own ? 'error' : 'warning', `${c.name}: ${why}${own ? '' : constructing ? ' (made with no arguments of its own)' : ' (on an input ModelLens chose)'}`, 'raises');
      if (constructing) builtUnknown = why;
      forwardUnknown = why;
    } else throw e;
    inst = constructing ? undefined : (inst! as PyValue);
  } finally {
    I.recorder = undefined;
    I.controlUnknown = undefined;
    I.diagnostics = saved;
  }
  const summary = summarizeTracedModule(I, { name: c.name, node: c.node, start: c.node.pos, inst: inst as Value, out: out as Value, rec, source, builtUnknown, forwardUnknown, diagnostics });
  if (c.builtWith) summary.builtWith = c.builtWith;
  const cls = inst instanceof ModuleInstance && inst.cls instanceof PyClass ? inst.cls : undefined;
  if (cls && cls.file === I.rootFile) summary.declaration = { start: cls.node.pos, end: cls.node.end };
  return summary;
}

/** A syntax error inside the module's class (or a base class in the same file): what was lost there may have held layers. */
function syntaxErrorIn(I: PyInterp, inst: ModuleInstance): string | undefined {
  if (!(inst.cls instanceof PyClass)) return undefined;
  for (const c of inst.cls.mro()) {
    if (c.file !== I.rootFile) continue;
    const e = I.rootFile.tree.errors.find((x) => x.pos >= c.node.pos && x.pos < c.node.end);
    if (e) return `a syntax error at line ${I.rootFile.lineOf(e.pos)} inside ${c.name}`;
  }
  return undefined;
}

/** A factory that returned no module, or a class that could not be built: a model row with nothing known. */
function skipped(I: PyInterp, c: Candidate, diagnostics: Diagnostic[], v: PyValue): ModelSummary {
  const why = v instanceof Object && 'reason' in (v as object) ? String((v as { reason: unknown }).reason) : 'it does not make an nn.Module ModelLens can follow';
  const rec = new Recorder(I, 'torch', I.rootFile);
  return summarizeTracedModule(I, { name: c.name, node: c.node, start: c.node.pos, inst: undefined, out: undefined, rec, source: 'none', builtUnknown: why, forwardUnknown: why, diagnostics });
}
