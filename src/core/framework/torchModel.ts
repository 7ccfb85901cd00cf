import { Shape, primary } from '../shape';
import { Unknowable } from '../unknown';
import { type Diagnostic, type ModelSummary, Row, type RowDecorations } from '../summary';
import { Recorder, buildParams, layerCounts, ownParameterCount, ownTrainableCount } from './recorder';
import { containerKind, layerSlots, layerSubmodules, namedChildren } from './moduleApi';
import { buildSummary } from './summarize';
import { rethrowBudget } from './budget';
import { UnknownValue, isUnknown } from '../unknown';
import { type Built, LayerInstance, type Loc, ModuleInstance, ParameterValue, type SourceText, SymTensor, UnknownLayer, Value } from './values';
import type { EvalHost } from './host';

/** `@inputShape [64, 128]` or several inputs `[8, 50] [8, 50]`; `?`/`null`/`None` for an unknown dim. */
const shapeListCache = new Map<string, Shape[] | undefined>();

/** Parsed once per distinct tag text (copies handed out: callers may keep them). */
export function parseShapeList(text: string): Shape[] | undefined {
  if (!shapeListCache.has(text)) {
    if (shapeListCache.size > 500) shapeListCache.clear();
    shapeListCache.set(text, parseShapeListUncached(text));
  }
  return shapeListCache.get(text)?.map((s) => [...s]);
}

function parseShapeListUncached(text: string): Shape[] | undefined {
  const shapes: Shape[] = [];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  let consumed = '';
  while ((m = re.exec(text))) {
    consumed += m[0];
    const dims = m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
    const shape: Shape = [];
    for (const d of dims) {
      if (/^(\?|null|None|-1)$/.test(d)) shape.push(null);
      else if (/^\d+$/.test(d)) shape.push(Number(d));
      else return undefined;
    }
    if (shape.length === 0) return undefined;
    shapes.push(shape);
  }
  if (!shapes.length || text.replace(/[\s,]/g, '').length !== consumed.replace(/[\s,]/g, '').length) return undefined;
  return shapes;
}

/** Registered but never called; `parent` names the module or idle container holding it (its row is their parent). */
class Uncalled {
  constructor(
    readonly v: LayerInstance | UnknownLayer | ModuleInstance,
    readonly name: string,
    readonly depth: number,
    readonly parent: string | undefined,
  ) {}
}

/** The totals of a module tree as they are counted (a class: it points into the syntax tree, see `Site`). */
class TreeCount {
  trainable: number | null = 0;
  nonTrainable: number | null = 0;
  readonly reasons: string[] = [];
  readonly uncalled: Uncalled[] = [];
  /** Marks the objects this count has reached (their `counted`), instead of a set of them. */
  readonly stamp = ++countStamps;
  constructor(
    readonly interp: EvalHost,
    /** The model's class: where problems of layers from imported files are shown. */
    readonly anchor?: Loc,
  ) {}
}

let countStamps = 0;

/** A registered layer forward() never called: counted like any other, its problems reported at it. */
function torchParams(interp: EvalHost, layer: LayerInstance, name: string, anchor?: Loc): NonNullable<LayerInstance['built']> {
  return (
    layer.built ??
    buildParams(layer, [], (e) => {
      rethrowBudget(e);
      if (e instanceof Unknowable) return e.reason;
      const message = `${name}: ${(e as Error).message}`;
      // A layer of an imported file is reported at the model (report() needs the file and a place in the analyzed one).
      if (layer.site.file !== interp.file && anchor && interp.withFile) interp.withFile(layer.site.file, () => interp.report(layer.node, 'error', message, 'config'), anchor);
      else interp.report(layer.node, 'error', message, 'config');
      return message;
    })
  );
}

function add(acc: TreeCount, t: number | null, n: number | null): void {
  acc.trainable = acc.trainable === null || t === null ? null : acc.trainable + t;
  acc.nonTrainable = acc.nonTrainable === null || n === null ? null : acc.nonTrainable + n;
}

/**
 * Parameter totals the way `model.parameters()` sees them: every registered submodule once,
 * whether or not `forward` calls it (PyTorch's truth, unlike hook-based summaries).
 */
function countTree(v: Value, name: string, depth: number, acc: TreeCount, parent?: string): void {
  if (v instanceof LayerInstance) {
    if (v.counted === acc.stamp) return;
    v.counted = acc.stamp;
    if (v.expanded) {
      // A composite made as PyTorch's own module (TransformerEncoder): its submodules are counted
      // one by one, so a freeze or a tie that reached one of them (an init loop over modules()) counts.
      if (v.calls === 0) acc.uncalled.push(new Uncalled(v, name, depth, parent));
      countModule(v.expanded, name, depth, acc);
      return;
    }
    if (v.entry.container) {
      const children = v.args.raw('modules');
      if (!Array.isArray(children)) return;
      // A container always has a row its children sit under (torchinfo's tree): the recorder made
      // it when forward reached the container or a child; one nothing in ran is listed here.
      if (v.calls === 0 && !children.some(ran)) acc.uncalled.push(new Uncalled(v, name, depth, parent));
      for (let i = 0; i < children.length; i++) countTree(children[i] as Value, `${name}.${v.childNames?.[i] ?? i}`, depth + 1, acc, name);
      return;
    }
    const p = torchParams(acc.interp, v, name, acc.anchor);
    // A kind with submodules (MultiheadAttention's out_proj) counts its own parameters, then theirs.
    const subs = p.trainable !== null ? layerSubmodules(v) : [];
    if (subs.length) layerSlots(v);
    if (v.slots && p.trainable !== null) countSlots(acc, v.slots, subs.length ? 0 : p.nonTrainable);
    else {
      const c = layerCounts(v, p);
      add(acc, c.trainable, c.nonTrainable);
    }
    if (p.reason) acc.reasons.push(`${name}: ${p.reason}`);
    if (v.calls === 0) acc.uncalled.push(new Uncalled(v, name, depth, parent));
    for (const [k, child] of subs) countTree(child, `${name}.${k}`, depth + 1, acc, name);
  } else if (v instanceof UnknownLayer) {
    if (v.counted === acc.stamp) return;
    v.counted = acc.stamp;
    add(acc, null, null);
    acc.reasons.push(`${name}: ${v.reason}`);
    if (v.calls === 0) acc.uncalled.push(new Uncalled(v, name, depth, parent));
  } else if (v instanceof UnknownValue && depth > 0) {
    // An attribute whose value is unknown could be a module: its parameters are unknown too.
    add(acc, null, null);
    acc.reasons.push(`${name}: ${v.reason}`);
  } else if (v instanceof ModuleInstance) {
    if (v.counted === acc.stamp) return;
    const idle = depth > 0 && !ran(v);
    if (idle) acc.uncalled.push(new Uncalled(v, name, depth, parent));
    countModule(v, name, depth, acc);
  }
}

/** A module's own parameters, then its fields (submodules, and values that could be ones). */
function countModule(v: ModuleInstance, name: string, depth: number, acc: TreeCount): void {
  if (v.counted === acc.stamp) return;
  v.counted = acc.stamp;
  if (v.parameters) countSlots(acc, v.parameters, 0);
  if (ownParameterCount(v) === null) acc.reasons.push(`${name}: a parameter has no static size`);
  const names = v.fieldNames;
  for (let i = 0; i < names.length; i++) {
    const k = names[i];
    countTree(v.fields.get(k), depth === 0 ? k : `${name}.${k}`, depth + 1, acc, depth === 0 ? undefined : name);
  }
}

/** Whether forward reached this module or anything inside it. */
function ran(v: unknown): boolean {
  if (v instanceof LayerInstance) {
    if (v.calls > 0) return true;
    if (v.expanded) return ran(v.expanded);
    const children = v.entry.container ? v.args.raw('modules') : undefined;
    return Array.isArray(children) && children.some(ran);
  }
  if (v instanceof ModuleInstance) {
    if (v.calls > 0) return true;
    // A ModuleList is never called, but its row stands when its children ran (Recorder.ownerRow).
    return containerKind(v) !== undefined && namedChildren(v).some(([, c]) => ran(c));
  }
  return v instanceof UnknownLayer && v.calls > 0;
}

/**
 * Parameter tensors counted as `model.parameters()` yields them: each tensor once however many
 * modules hold it (tied weights), a frozen one (`requires_grad = false`) as non-trainable.
 */
function countSlots(acc: TreeCount, slots: ReadonlyMap<string, ParameterValue>, nonTrainable: number | null): void {
  let t: number | null = 0;
  let n = nonTrainable;
  for (const p of slots.values()) {
    if (p.counted === acc.stamp) continue;
    p.counted = acc.stamp;
    if (p.numel === null) t = n = null;
    else if (p.frozen || p.whole?.frozenAll) n = n === null ? null : n + p.numel;
    else t = t === null ? null : t + p.numel;
  }
  add(acc, t, n);
}

function uncalledRow(id: number, u: Uncalled, file: SourceText, forwardUnknown: string | undefined): Row {
  const v = u.v;
  // A composite made as its module (TransformerEncoder): a module row over its submodules' rows.
  const tree = v instanceof LayerInstance ? v.expanded ?? undefined : undefined;
  const built = v instanceof LayerInstance && !tree ? v.built : undefined;
  const container = v instanceof LayerInstance && (!!v.entry.container || !!tree);
  // A container holds no parameters of its own: its children's rows carry them.
  const params = tree ? ownParameterCount(tree) : container ? 0 : v instanceof LayerInstance ? (built && built.trainable !== null && built.nonTrainable !== null ? built.trainable + built.nonTrainable : null) : v instanceof ModuleInstance ? ownParameterCount(v) : null;
  const type = v instanceof LayerInstance ? v.entry.type : v instanceof UnknownLayer ? v.typeName : v.cls.name;
  const family = v instanceof LayerInstance ? (v.entry.container ? 'container' : v.entry.family) : v instanceof ModuleInstance ? (containerKind(v) === v.cls.name ? 'container' : 'module') : 'linear';
  const row = new Row(id, u.name, type, family, v.line, v.site.start, v.site.end ?? v.node.end, v.site.file === file ? undefined : v.site.file.path, u.depth, undefined, [], undefined, [], v instanceof LayerInstance && v.heldBy ? undefined : forwardUnknown ? `not reached in the part of forward() ModelLens could follow (${forwardUnknown})` : 'not called in forward(): it holds parameters but takes no part in the computation');
  row.container = v instanceof ModuleInstance || container;
  if (v instanceof ModuleInstance && containerKind(v) === v.cls.name) row.catalogKey = `torch:${v.cls.name}`;
  row.params = params;
  const counts = v instanceof LayerInstance && built ? layerCounts(v, built) : undefined;
  if (counts) row.params = counts.trainable === null || counts.nonTrainable === null ? null : counts.trainable + counts.nonTrainable;
  const module = tree ?? (v instanceof ModuleInstance ? v : undefined);
  row.trainableParams = counts ? counts.trainable : module ? ownTrainableCount(module) : params;
  row.nonTrainableParams = counts ? counts.nonTrainable : module && params !== null ? params - (ownTrainableCount(module) ?? 0) : 0;
  row.totalParams = params;
  row.notCalled = true;
  row.decorate(new IdleDecor(built));
  row.catalogKey = v instanceof LayerInstance ? `torch:${v.entry.type}` : undefined;
  return row;
}

/** An idle layer's row shows its formula only (written when first read): it runs nothing. */
class IdleDecor implements RowDecorations {
  constructor(private readonly built: Built | undefined) {}
  formula(): string | undefined {
    return this.built?.formula;
  }
  hyper(): string | undefined {
    return undefined;
  }
  multAdds(): number | null {
    return 0;
  }
}

/** A PyTorch module after its construction and traced forward, in any language (see summarizeTracedModule). */
export interface TracedModule {
  /** The model's name (its class, or the variable or factory that makes it). */
  name: string;
  /** Where the model is written: its rows, lenses and diagnostics point here. */
  node: Loc;
  start: number;
  /** The constructed module (anything else: nothing to count). */
  inst: Value;
  /** What forward returned. */
  out: Value;
  rec: Recorder;
  /** Where the input shape came from (`cli`, `@inputShape`, `none`, …). */
  source: string;
  /** Why the set of layers is unknown (construction took an undecidable path). */
  builtUnknown?: string;
  /** Why the output shapes are unknown (forward took one). */
  forwardUnknown?: string;
  diagnostics: Diagnostic[];
}

/**
 * Totals the way `model.parameters()` counts them, rows for registered modules forward never
 * called, and the ModelSummary: shared by every language front end.
 */
export function summarizeTracedModule(interp: EvalHost, t: TracedModule): ModelSummary {
  const { rec, inst, out, diagnostics, node, start } = t;
  let source = t.source;
  const src = rec.modelFile;
  const rows = rec.rows;
  const acc = new TreeCount(interp, node);
  if (inst instanceof ModuleInstance) countTree(inst, t.name, 0, acc);
  // The first row by each name (the parents of idle layers are found by name), built only when needed.
  let byName: Map<string, number> | undefined;
  for (const u of acc.uncalled) {
    const row = uncalledRow(rows.length, u, src, t.forwardUnknown);
    if (u.parent !== undefined) {
      if (!byName) {
        byName = new Map();
        for (const r of rows) if (!r.op && !byName.has(r.name)) byName.set(r.name, r.id);
      }
      row.parent = byName.get(u.parent);
    }
    rows.push(row);
    if (byName && !byName.has(row.name)) byName.set(row.name, row.id);
  }
  if (rec.inferred) source = `inferred from ${rec.inferred.from}`;
  const outputs = outputShapes(out);
  if (rows.length && outputs.length === 0 && !diagnostics.some((d) => d.code === 'budget')) {
    diagnostics.push({ line: src.lineOf(start), severity: 'info', message: `${t.name}.forward() returns nothing ModelLens can follow; the output shape is unknown.`, start, end: node.end, code: 'unknown-value' });
  }
  return buildSummary({
    name: t.name,
    // PyTorch names the root by the module's class, whatever function or variable made it.
    moduleType: inst instanceof ModuleInstance ? inst.cls.name : undefined,
    framework: 'torch',
    kind: 'torch-module',
    file: src.path,
    line: src.lineOf(start),
    start,
    end: node.end,
    inputShapes: rec.inputs.map((i) => i.shape),
    inputShapeSource: source,
    outputs,
    rows,
    trainable: acc.trainable,
    nonTrainable: acc.nonTrainable,
    // A count that is `?` says why at the model too, never just at the layer that lacks it.
    totalsUnknownReason: t.builtUnknown ?? (acc.trainable === null || acc.nonTrainable === null ? acc.reasons[0] ?? 'a parameter count has no static value' : undefined),
    outputUnknownReason: t.forwardUnknown ?? outputReason(out, outputs),
    diagnostics,
  });
}

export function flattenTensors(v: Value, out: SymTensor[] = []): SymTensor[] {
  if (v instanceof SymTensor) out.push(v);
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) flattenTensors(v[i], out);
  return out;
}

/** The shapes of the tensors in a model's output value (one tensor, or lists of them). */
/**
 * Why the model's (first) output shape is unknown when forward() itself ran to the end: the
 * returned tensor's own reason (an operand that is not a tensor, an unmodelled op), never a bare `?`.
 */
function outputReason(out: Value, outputs: (Shape | null)[]): string | undefined {
  // An unknown value returned says its own reason (`getattr(self, name)(x)` with a name that has no static value).
  if (outputs.length === 0) return isUnknown(out) ? `forward() returns a value ModelLens cannot follow: ${out.reason}` : 'forward() returns nothing ModelLens can follow';
  if (outputs[0] !== null) return undefined;
  const first = out instanceof SymTensor ? out : flattenTensors(out)[0];
  return first?.reason ?? 'the output shape has no static value';
}

export function outputShapes(v: Value): (Shape | null)[] {
  if (v instanceof SymTensor) return [v.shape];
  const out: (Shape | null)[] = [];
  for (const t of flattenTensors(v)) out.push(t.shape);
  return out;
}

export { primary };
