import type { Framework, LayerEntry } from '../catalog/types';
import { Args, ArgValue, LayerSpec } from '../args';
import { toSnake } from '../catalog/bind';
import { formulas, paramsWithoutInput } from '../catalog/util';
import { Out, Shape, ShapeError, broadcast, flattenOut, formatShape, isTuple, primary } from '../shape';
import { type LayerRow, Row, type RowDecorations } from '../summary';
import { ConfigError, Unknowable, UnknownValue, isUnknown } from '../unknown';
import type { EvalHost } from './host';
import { Built, LayerInstance, type Loc, ModuleInstance, ParameterValue, SequentialModelValue, Site, type SourceText, SymTensor, UnknownLayer, Value, isPlainObjectValue, runsOnlyIf, withAnchor } from './values';
import { checkShape, checkedMultAdds, checkedOutput, checkedParams } from './sanity';
import { rethrowBudget } from './budget';
import { containerKind, layerSlots } from './moduleApi';
import { catalog } from '../catalog';
import { resultDtype, withDtype } from './tensorOps';

/** A model input (a class, not a literal: it points into the syntax tree, see `Site`). */
export class RecordedInput {
  constructor(
    public shape: Shape | null,
    readonly name: string,
    readonly dtype: 'float32' | 'int32',
    readonly node?: Loc,
  ) {}
}

/**
 * Records what a traced forward pass (or a tfjs builder) does: one row per layer call, one row
 * per container, op rows for functional tensor ops, and the tensors' provenance (the graph).
 * Shape problems become diagnostics on the layer's line; unknowns become `?` with a reason.
 */
export class Recorder {
  readonly rows: Row[] = [];
  readonly inputs: RecordedInput[] = [];
  /** The layer object behind each row (to count shared weights once per model). */
  readonly layerOf: (LayerInstance | UnknownLayer | ModuleInstance | SequentialModelValue | undefined)[] = [];
  /** When the input shape was inferred from the first layer (`[?, 128]` from fc1). */
  inferred?: { index: number; from: string };
  /** May the first layer fix the input shape? (PyTorch models without @inputShape.) */
  allowInference = false;
  /**
   * Why the model's set of layers is unknown (its construction took a path ModelLens could not
   * follow), set before forward is traced: a shape that does not fit may then be a layer ModelLens
   * did not see, so it is the row's `?` reason, not an error.
   */
  builtUnknown?: string;
  private depth = 1;
  private parent: number | undefined;
  /** Rows made for ModuleLists and Sequentials whose children were called (made on first use). */
  private ownerRows?: Map<LayerInstance | ModuleInstance, number>;
  private prefix = '';

  constructor(
    readonly interp: EvalHost,
    readonly framework: Framework,
    /** The model's own file (rows from imported modules carry theirs). */
    readonly modelFile: SourceText,
  ) {}

  addInput(shape: Shape | null, name: string, dtype: 'float32' | 'int32', node?: Loc, reason?: string): SymTensor {
    this.inputs.push(new RecordedInput(shape, name, dtype, node));
    return new SymTensor(shape, -this.inputs.length, shape ? undefined : reason ?? 'the input shape is unknown', dtype);
  }

  /** Invokes a layer, container or user module on tensors. */
  call(fn: LayerInstance | UnknownLayer | ModuleInstance, args: Value[], node: Loc): Value {
    // A ModuleList's child (or a Sequential's, called on its own) sits under its container's row,
    // as in torchinfo's tree, though the container itself is never called.
    const owner = fn.owner;
    if (owner && owner.userName !== undefined && (this.parent === undefined || this.layerOf[this.parent] !== owner)) {
      const list = this.ownerRow(owner);
      const saved = { depth: this.depth, parent: this.parent, prefix: this.prefix };
      this.depth = list.depth + 1;
      this.parent = list.id;
      this.prefix = list.name + '.';
      try {
        return this.dispatch(fn, args, node);
      } finally {
        this.leave(saved);
      }
    }
    return this.dispatch(fn, args, node);
  }

  /** The row standing for a container in the current module's rows, made at its first child's call. */
  private ownerRow(owner: LayerInstance | ModuleInstance): LayerRow {
    // A list inside a list (`this.stages[i][j]`): the outer one's row first, as its parent.
    const outer = owner.owner;
    if (outer && outer.userName !== undefined && (this.parent === undefined || this.layerOf[this.parent] !== outer)) {
      const parentRow = this.ownerRow(outer);
      const saved = { depth: this.depth, parent: this.parent, prefix: this.prefix };
      this.depth = parentRow.depth + 1;
      this.parent = parentRow.id;
      this.prefix = parentRow.name + '.';
      try {
        return this.ownerRowHere(owner);
      } finally {
        this.leave(saved);
      }
    }
    return this.ownerRowHere(owner);
  }

  private ownerRowHere(owner: LayerInstance | ModuleInstance): LayerRow {
    const known = this.ownerRows?.get(owner);
    if (known !== undefined && this.rows[known].parent === this.parent) return this.rows[known];
    const type = owner instanceof LayerInstance ? owner.entry.type : owner.cls.name;
    const row = this.baseRow(this.rowName(owner, type, true), type, 'container', owner.node, [], owner.site);
    row.container = true;
    row.notCalled = true; // PyTorch never calls a ModuleList: no shapes, no activations of its own
    row.catalogKey = owner instanceof LayerInstance ? catalogKey(owner.entry) : containerCatalogKey(owner);
    if (owner instanceof ModuleInstance) row.params = row.trainableParams = ownParameterCount(owner);
    this.layerOf[row.id] = owner;
    (this.ownerRows ??= new Map()).set(owner, row.id);
    return row;
  }

  private dispatch(fn: LayerInstance | UnknownLayer | ModuleInstance, args: Value[], node: Loc): Value {
    if (fn instanceof ModuleInstance) return this.callModule(fn, args, node);
    if (fn instanceof UnknownLayer) return this.callUnknown(fn, args);
    if (fn.entry.container === 'sequential') return this.callSequential(fn, args, node);
    if (fn.entry.container === 'modulelist') {
      this.interp.report(node, 'error', `${fn.displayName} is a ModuleList: it is not callable; iterate over it in forward().`, 'config');
      return new SymTensor(null, -1, 'ModuleList called');
    }
    if (fn.entry.expand) {
      const inst = fn.expanded === undefined ? (fn.expanded = this.interp.expandLayer(fn)) : fn.expanded;
      if (inst) return this.callExpanded(fn, inst, args, node);
    }
    return this.callLeaf(fn, args);
  }

  /**
   * A tfjs model applied as a layer of the model being built: one row with its weights, counted
   * once however often it is applied (countBuilt goes by the object in `layerOf`).
   */
  modelLayer(model: SequentialModelValue, name: string, type: string, x: SymTensor, info: NonNullable<SequentialModelValue['asLayer']>, node: Loc): Value {
    const row = this.baseRow(name, type, 'container', model.node, [x]);
    row.reused = this.layerOf.includes(model) || undefined;
    this.layerOf[row.id] = model;
    row.trainableParams = info.trainable;
    row.nonTrainableParams = info.nonTrainable;
    row.params = info.trainable === null || info.nonTrainable === null ? null : info.trainable + info.nonTrainable;
    let reason = info.reason;
    let out: Shape | null = null;
    if (x.shape === null) reason = x.reason ?? 'the input shape is unknown';
    else if (info.output && info.input) {
      // tfjs checks the input against the model's own (its batch may differ); the batch passes through.
      const fits = x.shape.length === info.input.length && info.input.every((d, i) => i === 0 || d === null || d === x.shape![i]);
      if (fits) out = [x.shape[0], ...info.output.slice(1)];
      else {
        reason = `${name} expects input ${formatShape(info.input, 'null')} but receives ${formatShape(x.shape, 'null')}`;
        this.interp.report(node, 'error', reason, 'shape-mismatch');
      }
    }
    row.outputShape = out;
    row.multAdds = null;
    if (reason) row.unknownReason = reason;
    return new SymTensor(out, row.id, out ? undefined : reason ?? 'unknown');
  }

  /**
   * Without a declared input shape, the first layer may fix it (Linear → [?, in_features]): the
   * inputs with that shape, and the model input updated.
   */
  private inferInput(layer: LayerInstance, inputs: SymTensor[], name: string): SymTensor[] {
    const e = layer.entry;
    if (!this.allowInference || inputs.length !== 1 || inputs[0].shape !== null || inputs[0].src >= 0 || !e.inferInput) return inputs;
    try {
      const shape = e.inferInput(layer.args);
      const k = -inputs[0].src - 1;
      if (this.inputs[k] && this.inputs[k].shape === null) {
        this.inputs[k].shape = shape;
        this.inferred = { index: k, from: name };
      }
      return [new SymTensor(shape, inputs[0].src, undefined, inputs[0].dtype)];
    } catch {
      return inputs; // the first layer's own size is unknown too: stay unknown
    }
  }

  /** A composite PyTorch layer run as its transcribed module: a module row over its submodules' rows. */
  private callExpanded(layer: LayerInstance, inst: ModuleInstance, args: Value[], node: Loc): Value {
    layer.calls++;
    // The module was made with the layer, before the layer was registered under its name.
    inst.userName = layer.userName;
    inst.registered = layer.registered;
    inst.conditional = layer.conditional;
    // The composite's own rule may fix the model's input (a TransformerEncoder first: [?, ?, d_model]).
    const given = args.filter((a): a is SymTensor => a instanceof SymTensor);
    const inputs = this.inferInput(layer, given, this.rowName(layer, layer.entry.type, true));
    if (inputs !== given) args = args.map((a) => (a === given[0] ? inputs[0] : a));
    const id = this.rows.length;
    // The prelude is TypeScript: its sites stand for the layer's construction while it runs.
    const file = inst.cls.source;
    const out = file ? withAnchor(file, layer, () => this.callModule(inst, args, node)) : this.callModule(inst, args, node);
    const row = this.rows[id];
    row.catalogKey = catalogKey(layer.entry);
    if (layer.copied) row.cloned = true;
    row.decorate(new LayerCall(layer.entry, layer.args, layer.args, NO_SHAPES, undefined, undefined)); // its hyper-parameters
    return out;
  }

  /** The row's path name (`block1.conv1`); `lower` falls back to the type in lower case (`linear`). */
  private rowName(v: { userName?: string; name?: string }, fallback: string, lower = false): string {
    const own = v.userName ?? v.name ?? (lower ? lowerCase(fallback) : fallback);
    return this.prefix === '' ? own : this.prefix + own;
  }

  private baseRow(name: string, type: string, family: LayerRow["family"], node: Loc, inputs: SymTensor[], site: Site = this.interp.file.site(node)): Row {
    const srcs: number[] = new Array(inputs.length);
    const shapes: (Shape | null)[] = new Array(inputs.length);
    let outs: number[] | undefined;
    for (let i = 0; i < inputs.length; i++) {
      srcs[i] = inputs[i].src;
      shapes[i] = inputs[i].shape;
      if (inputs[i].out !== 0) (outs ??= new Array<number>(inputs.length).fill(0))[i] = inputs[i].out;
    }
    const branch = this.interp.branchCondition;
    const file = site.file === this.modelFile ? undefined : site.file.path;
    const row = new Row(this.rows.length, name, type, family, site.line, site.start, site.end ?? node.end, file, this.depth, this.parent, srcs, outs, shapes, branch === undefined ? undefined : runsOnlyIf(branch));
    this.rows.push(row);
    return row;
  }

  /** Tensors among call arguments: the first for one-input layers, all (flattened) for merges and attention. */
  private tensors(args: Value[], many: boolean): SymTensor[] {
    if (!many && args[0] instanceof SymTensor) return [args[0]]; // the common `layer(x)`
    const flat: Value[] = [];
    for (const a of args) {
      if (Array.isArray(a) && many) flat.push(...a);
      else flat.push(a);
    }
    const ts = flat.filter((a): a is SymTensor => a instanceof SymTensor);
    if (ts.length === 0) {
      const why = flat.find(isUnknown) as UnknownValue | undefined;
      return [new SymTensor(null, -1, why ? why.reason : 'its input is not a tensor ModelLens can follow')];
    }
    return many ? ts : [ts[0]];
  }

  private callLeaf(layer: LayerInstance, args: Value[]): Value {
    const e = layer.entry;
    // The call's own keyword arguments that the rules read (`mha(q, k, v, { need_weights: false })`).
    const a = e.callOptions ? withCallOptions(layer.args, e.callOptions, args) : layer.args;
    layer.calls++;
    const name = this.framework === 'tfjs' ? layer.name ?? e.type : this.rowName(layer, e.type, true);
    const inputs = this.inferInput(layer, this.tensors(args, e.arity === 'many'), name);
    // `lstm.apply(x, { initialState: [h, c] })`: the states are inputs of the call too, while the rules see `x` alone.
    let extra = e.callInputs ? callInputs(args, e.callInputs) : undefined;
    // tfjs: `lstm.apply([x, h, c])` passes the initial states in the list; they are inputs of the
    // call (the encoder that made them is part of the model), while the rules see `x` alone.
    if (this.framework === 'tfjs' && e.arity !== 'many' && args.length > 1 && args[0] instanceof SymTensor) {
      const rest = args.slice(1).filter((a): a is SymTensor => a instanceof SymTensor);
      if (rest.length) extra = [...(extra ?? []), ...rest];
    }
    const row = this.baseRow(name, e.type, e.family, layer.node, extra ? [...inputs, ...extra] : inputs, layer.site);
    this.layerOf[row.id] = layer;
    row.args = a === layer.args ? (layer.serialized ??= serializeArgs(a.values)) : serializeArgs(a.values);
    row.catalogKey = catalogKey(e);
    if (layer.copied) row.cloned = true;
    if (layer.calls > 1) row.reused = true;
    // The rules' input shapes: the row's own list, unless the call had inputs the rules do not see.
    const shapes = extra ? inputs.map((t) => t.shape) : row.inputShapes;
    let known = true;
    for (let i = 0; i < shapes.length; i++) if (shapes[i] === null) known = false;
    // Reasons for a `?` in this row, made only when there is one (most rows have none).
    let reasons: string[] | undefined;
    if (layer.conditional) (reasons ??= []).push(layer.conditional);
    if (row.unknownReason) (reasons ??= []).push(row.unknownReason); // runs only under an unknown condition

    // Parameters: PyTorch's never depend on the input; tfjs builds weights on the first call.
    if (!layer.built) {
      if (e.framework === 'torch' || known) {
        const err = countParams(layer, known ? (shapes as Shape[]) : NO_SHAPES);
        if (err !== undefined) layer.built = new Built(null, null, this.explain(err, layer, inputs));
      } else if (!buildWithoutInput(layer)) {
        // Not built: a later call with a known shape may still build it.
        row.params = row.trainableParams = row.nonTrainableParams = null;
        (reasons ??= []).push(unknownInput(inputs));
      }
    }
    const b = layer.built;
    if (b) {
      const c = e.framework === 'torch' ? layerCounts(layer, b) : tfjsCounts(layer, b);
      row.trainableParams = c.trainable;
      row.nonTrainableParams = c.nonTrainable;
      row.params = c.trainable === null || c.nonTrainable === null ? null : c.trainable + c.nonTrainable;
      if (b.reason) (reasons ??= []).push(b.reason);
      const why = (c as { reason?: string }).reason;
      if (why) (reasons ??= []).push(why);
    }

    let out: Out | null = null;
    // The tensor carries only the root cause of an unknown shape, not every upstream param reason.
    let outReason: string | undefined;
    if (known) {
      try {
        out = checkedOutput(e.output(a, shapes as Shape[]));
      } catch (err) {
        out = null;
        outReason = this.explain(err, layer, inputs);
      }
    } else {
      outReason = unknownInput(inputs);
    }
    if (outReason) (reasons ??= []).push(outReason);
    if (out && e.runProblem && layer.calls === 1) {
      try {
        const problem = e.runProblem(a, shapes as Shape[]);
        if (problem) this.reportAt(layer, `${name}: ${problem}`, 'cannot-run', undefined, 'warning');
      } catch (err) {
        rethrowBudget(err);
      }
    }
    if (out) {
      row.outputShape = primary(out);
      if (isTuple(out)) row.outputShapes = flattenOut(out);
    } else row.multAdds = null;
    // Formula, hyper-parameters and mult-adds: written when first read.
    row.decorate(new LayerCall(e, layer.args, a, shapes as Shape[], out ?? undefined, layer.built));
    if (reasons) row.unknownReason = reasons.length === 1 ? reasons[0] : [...new Set(reasons)].join('; ');
    if (out === null) return new SymTensor(null, row.id, outReason ?? 'unknown');
    return isTuple(out) ? this.toValue(out, row.id, { k: 0 }) : new SymTensor(out, row.id);
  }

  /** Turns a rule failure into a reason, reporting real problems (shape mismatches, bad configs) as diagnostics. */
  private explain(err: unknown, layer: LayerInstance, inputs: SymTensor[]): string {
    rethrowBudget(err);
    if (err instanceof Unknowable) return err.reason;
    const who = layer.entry.framework === 'tfjs' ? layer.name ?? layer.entry.type : this.rowName(layer, layer.entry.type);
    if (err instanceof ShapeError) {
      const from = inputs.length === 1 && inputs[0].src >= 0 ? ` from ${this.rows[inputs[0].src].name}` : '';
      const message = `${who} ${err.message}${from}`;
      // After a path that could not be followed, the values fed here may not be the real ones.
      const unsure = this.interp.controlUnknown ?? this.builtUnknown;
      if (unsure) return `${message}, unless ${unsure} changed the values`;
      this.reportAt(layer, message, 'shape-mismatch', err.fix);
      return message;
    }
    if (err instanceof ConfigError) {
      this.reportAt(layer, err.message, 'config');
      return err.message;
    }
    const message = `${who}: ${(err as Error)?.message ?? String(err)}`;
    this.reportAt(layer, message, 'internal');
    return message;
  }

  private reportAt(layer: LayerInstance, message: string, code: string, fix?: { param: string; value: number }, severity: 'error' | 'warning' = 'error'): void {
    const inRoot = this.interp.file === this.interp.rootFile;
    const d = this.interp.report(layer.node, severity, message, code);
    const argNode = fix && (layer.argNodeMap ?? this.interp.argNodes?.(layer))?.get(fix.param);
    if (d && fix && argNode && inRoot) {
      d.fix = { start: this.interp.file.start(argNode), end: argNode.end, text: String(fix.value), title: `Change ${fix.param} to ${fix.value}` };
    }
  }

  /** Symbolic tensors for a layer's output; the parts of a tuple carry their index among its flattened outputs. */
  private toValue(out: Out, src: number, next: { k: number }): Value {
    if (isTuple(out)) return out.tuple.map((o) => this.toValue(o, src, next));
    return new SymTensor(out, src, undefined, 'float32', next.k++);
  }

  private callUnknown(layer: UnknownLayer, args: Value[]): Value {
    layer.calls++;
    const inputs = this.tensors(args, true);
    const row = this.baseRow(this.framework === 'tfjs' ? layer.userName ?? layer.typeName : this.rowName(layer, layer.typeName, true), layer.typeName, 'linear', layer.node, inputs, layer.site);
    this.layerOf[row.id] = layer;
    row.params = row.trainableParams = row.nonTrainableParams = row.totalParams = row.multAdds = null;
    row.unknownReason = layer.reason;
    return new SymTensor(null, row.id, `${row.name} is an ${layer.reason}`);
  }

  private enter(row: LayerRow): { depth: number; parent: number | undefined; prefix: string } {
    const saved = { depth: this.depth, parent: this.parent, prefix: this.prefix };
    row.container = true;
    this.depth++;
    this.parent = row.id;
    this.prefix = row.name + '.';
    return saved;
  }

  private leave(saved: { depth: number; parent: number | undefined; prefix: string }): void {
    this.depth = saved.depth;
    this.parent = saved.parent;
    this.prefix = saved.prefix;
  }

  private callSequential(seq: LayerInstance, args: Value[], node: Loc): Value {
    seq.calls++;
    const inputs = this.tensors(args, false);
    const row = this.baseRow(this.rowName(seq, 'sequential'), seq.entry.type, 'container', seq.node, inputs, seq.site);
    this.layerOf[row.id] = seq;
    row.catalogKey = `torch:${seq.entry.type}`;
    if (seq.calls > 1) row.reused = true;
    const saved = this.enter(row);
    let x: Value = inputs[0];
    const children = seq.args.raw('modules');
    for (const child of Array.isArray(children) ? (children as Value[]) : []) {
      if (child instanceof LayerInstance || child instanceof UnknownLayer || child instanceof ModuleInstance) x = this.call(child, [x], node);
    }
    this.leave(saved);
    this.finishContainer(row, x);
    return x;
  }

  private callModule(inst: ModuleInstance, args: Value[], node: Loc): Value {
    inst.calls++;
    // Tensors given directly or in a list (`layer([a, b])`) are the row's inputs.
    const inputs = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter((a): a is SymTensor => a instanceof SymTensor);
    const kind = containerKind(inst);
    // nn.Sequential itself is a container row (its catalog entry's docs); a subclass is the user's module.
    const plain = kind !== undefined && kind === inst.cls.name;
    const row = this.baseRow(this.rowName(inst, plain ? lowerCase(inst.cls.name) : inst.cls.name), inst.cls.name, plain ? 'container' : 'module', inst.node, inputs, inst.site);
    this.layerOf[row.id] = inst;
    if (plain) row.catalogKey = containerCatalogKey(inst);
    if (inst.calls > 1) row.reused = true;
    const own = ownParameterCount(inst);
    row.params = own;
    row.trainableParams = ownTrainableCount(inst);
    if (own === null) row.unknownReason = 'a parameter of this module has no static size';
    else if (inst.conditional && !row.unknownReason) row.unknownReason = inst.conditional;
    const saved = this.enter(row);
    const out = this.interp.runForward(inst, args, node);
    this.leave(saved);
    this.finishContainer(row, out);
    return out;
  }

  private finishContainer(row: LayerRow, out: Value): void {
    const t = firstTensor(out);
    row.outputShape = t?.shape ?? null;
    if (!t?.shape && !row.unknownReason) row.unknownReason = t?.reason ?? 'the output is not a tensor ModelLens can follow';
  }

  /** A functional op (`torch.cat`, `x.view`, `a + b`): a graph node, not a summary row. */
  op(type: string, inputs: SymTensor[], compute: (shapes: Shape[]) => Shape, node: Loc, opArgs?: Value[]): SymTensor {
    const row = this.baseRow(type, type, 'op', node, inputs);
    row.op = true;
    if (opArgs) row.opArgs = opArgs.map((v) => (v instanceof SymTensor ? { tensor: v.src } : serializeArg(v as ArgValue)));
    row.params = row.trainableParams = row.nonTrainableParams = row.totalParams = 0;
    const missing = inputs.find((t) => t.shape === null);
    if (missing) {
      row.unknownReason = missing.reason ?? 'unknown input shape';
      return new SymTensor(null, row.id, row.unknownReason);
    }
    try {
      const out = compute(inputs.map((t) => t.shape as Shape));
      checkShape(out);
      row.outputShape = out;
      return new SymTensor(row.outputShape, row.id, undefined, resultDtype(type, inputs));
    } catch (err) {
      rethrowBudget(err);
      const message = err instanceof ShapeError || err instanceof ConfigError ? `${type}: ${err.message}` : err instanceof Unknowable ? err.reason : String(err);
      // After a path that could not be followed (a loop over unknown values filling a list), the inputs may not be the real ones.
      const unsure = this.interp.controlUnknown ?? this.builtUnknown;
      if (unsure && !(err instanceof Unknowable)) {
        row.unknownReason = `${message}, unless ${unsure} changed the values`;
        return new SymTensor(null, row.id, row.unknownReason);
      }
      if (!(err instanceof Unknowable)) this.interp.report(node, 'error', message, 'shape-mismatch');
      row.unknownReason = message;
      return new SymTensor(null, row.id, message);
    }
  }

  /** Elementwise binary op with NumPy/PyTorch broadcasting (`x + identity`). Scalars broadcast freely. */
  broadcastOp(type: string, operands: Value[], node: Loc): Value {
    const tensors = operands.filter((o): o is SymTensor => o instanceof SymTensor);
    for (const o of operands) if (!(o instanceof SymTensor) && typeof o !== 'number') return new SymTensor(null, tensors[0]?.src ?? -1, `\`${type}\` with a value that is not a tensor or number`);
    return withDtype(this.op(type, tensors, (shapes) => shapes.reduce(broadcast), node, operands), operands);
  }
}

/**
 * Counts a layer's weights once: PyTorch's at construction (they never depend on the input),
 * tfjs's at the first call with a known input (its build). `explain` turns a failure into the
 * `?` reason, reporting real problems as diagnostics.
 */
export function buildParams(layer: LayerInstance, inputs: Shape[], explain: (err: unknown) => string): Built {
  const err = countParams(layer, inputs);
  if (err !== undefined) layer.built = new Built(null, null, explain(err));
  return layer.built!;
}

/**
 * Runs the parameter rule into `layer.built`; returns the rule's error instead when it fails.
 * Formulas are off meanwhile: Built writes one when it is first read.
 */
function countParams(layer: LayerInstance, inputs: Shape[]): unknown {
  const writing = formulas.write;
  formulas.write = false;
  try {
    const p = checkedParams(layer.entry.params(layer.args, inputs));
    layer.built = new Built(p.trainable, p.nonTrainable, undefined, layer.entry, layer.args, inputs);
    return undefined;
  } catch (err) {
    return err;
  } finally {
    formulas.write = writing;
  }
}

/**
 * What a layer's rules saw at one call, kept to give its row's formula, hyper-parameters and
 * mult-adds when first read (RowDecorations): none of them is needed to measure the model.
 */
class LayerCall implements RowDecorations {
  constructor(
    private readonly entry: LayerEntry,
    private readonly layerArgs: Args,
    /** With the call's own options (MultiheadAttention's need_weights). */
    private readonly args: Args,
    private readonly inputs: Shape[],
    /** The output; absent: no mult-adds of its own (0). */
    private readonly out: Out | undefined,
    private readonly built: Built | undefined,
  ) {}

  formula(): string | undefined {
    return this.built?.formula;
  }

  hyper(): string | undefined {
    try {
      return this.entry.hyper?.(this.layerArgs);
    } catch {
      return undefined; // hyper-parameters are decoration
    }
  }

  multAdds(): number | null {
    if (!this.out || !this.entry.multAdds) return 0;
    try {
      return checkedMultAdds(this.entry.multAdds(this.args, this.inputs, this.out));
    } catch {
      return null;
    }
  }
}

const NO_SHAPES: Shape[] = [];

/** The root cause carried by the first input whose shape is unknown. */
function unknownInput(inputs: SymTensor[]): string {
  for (const t of inputs) if (t.shape === null) return t.reason ?? 'the input shape is unknown';
  return 'the input shape is unknown';
}

/** The tensors under `names` in a trailing options object of a layer call (`{ initialState: [h, c] }`). */
function callInputs(args: Value[], names: readonly string[]): SymTensor[] | undefined {
  const last = args[args.length - 1];
  if (args.length < 2 || !isPlainObjectValue(last)) return undefined;
  const tensors: SymTensor[] = [];
  for (const name of names) {
    const v = last[name];
    for (const t of Array.isArray(v) ? v : [v]) if (t instanceof SymTensor) tensors.push(t);
  }
  return tensors.length ? tensors : undefined;
}

/** The layer's arguments plus the call's options among `names`, from a trailing object literal. */
function withCallOptions(args: Args, names: readonly string[], callArgs: Value[]): Args {
  const last = callArgs[callArgs.length - 1];
  if (!isPlainObjectValue(last)) return args;
  let values: Record<string, ArgValue> | undefined;
  for (const k in last) {
    const name = toSnake(k);
    if (names.includes(name)) (values ??= { ...args.values })[name] = last[k] as ArgValue;
  }
  return values ? new Args(args.layerType, values) : args;
}

/**
 * tfjs layers build their weights on the first call, from the input shape. When that shape is
 * unknown, weights that do not depend on it are still known exactly: builds those, and says
 * whether it could.
 */
function buildWithoutInput(layer: LayerInstance): boolean {
  const writing = formulas.write;
  formulas.write = false;
  try {
    const p = checkedParams(paramsWithoutInput(layer.entry, layer.args));
    layer.built = new Built(p.trainable, p.nonTrainable, undefined, layer.entry, layer.args, undefined);
    return true;
  } catch (err) {
    rethrowBudget(err);
    return false; // the reason the caller reports is the unknown input, not this attempt's error
  } finally {
    formulas.write = writing;
  }
}

const lowerCases = new Map<string, string>();

/** `Linear` → `linear`, once per type name (the fallback row name of every unnamed layer). */
function lowerCase(type: string): string {
  let l = lowerCases.get(type);
  if (l === undefined) {
    l = type.toLowerCase();
    if (lowerCases.size < 1000) lowerCases.set(type, l);
  }
  return l;
}

const catalogKeys = new WeakMap<LayerEntry, string>();

/** `torch:Linear`: made once per entry rather than once per row. */
function catalogKey(e: LayerEntry): string {
  let k = catalogKeys.get(e);
  if (k === undefined) catalogKeys.set(e, (k = `${e.framework}:${e.type}`));
  return k;
}

/** Bound arguments as JSON (for the forward pass and the panel); containers' children are rows of their own. */
export function serializeArgs(values: Readonly<Record<string, ArgValue>>): Record<string, unknown> {
  // Most configs are plain numbers, strings and booleans: share them instead of copying.
  if (isPlain(values)) return values as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === '__self__' || k === 'modules') continue;
    out[k] = serializeArg(v);
  }
  return out;
}

function isPlain(values: Readonly<Record<string, ArgValue>>): boolean {
  for (const k in values) {
    const v = values[k];
    if (k === '__self__' || k === 'modules' || v === undefined) return false;
    if (v !== null && typeof v === 'object') {
      if (!Array.isArray(v)) return false;
      for (const x of v) if (x !== null && typeof x === 'object') return false;
      if (v.some((x) => typeof x === 'number' && !Number.isFinite(x))) return false;
    } else if (typeof v === 'number' && !Number.isFinite(v)) return false;
  }
  return true;
}

export function serializeArg(v: ArgValue | undefined): unknown {
  if (v === undefined) return null;
  if (v instanceof UnknownValue) return { unknown: v.reason };
  if (v instanceof LayerSpec) return { layer: { type: v.entry.type, framework: v.entry.framework, args: serializeArgs(v.args.values) } };
  if (Array.isArray(v)) return v.map(serializeArg);
  if (v && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return { unknown: 'not a plain value' };
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = serializeArg(x);
    return o;
  }
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

function firstTensor(v: Value): SymTensor | undefined {
  if (v instanceof SymTensor) return v;
  if (Array.isArray(v)) for (const x of v) {
    const t = firstTensor(x);
    if (t) return t;
  }
  return undefined;
}

export function ownParameterCount(inst: ModuleInstance): number | null {
  if (!inst.parameters) return 0; // most modules: their weights live in their layers
  let n: number | null = 0;
  for (const p of inst.parameters.values()) n = n === null || p.numel === null ? null : n + p.numel;
  return n;
}

/** The trainable part of a module's own parameters (`requires_grad`). */
export function ownTrainableCount(inst: ModuleInstance): number | null {
  if (!inst.parameters) return 0;
  let n: number | null = 0;
  for (const p of inst.parameters.values()) if (!p.frozen) n = n === null || p.numel === null ? null : n + p.numel;
  return n;
}

/**
 * A torch layer's own counts as its row shows them (`parameters(recurse=False)`): the catalog's
 * rule, or its named tensors once code has read, tied or frozen one of them.
 */
export function layerCounts(layer: LayerInstance, built: Built): { trainable: number | null; nonTrainable: number | null } {
  if (built.trainable === null || built.nonTrainable === null) return built;
  // A kind with submodules (MultiheadAttention) shows its own parameters: its submodules' rows hold theirs.
  if (layer.entry.submodules && !isUnknown(layerSlots(layer))) return slotCounts(layer.slots!, 0);
  if (layer.slots) return slotCounts(layer.slots, built.nonTrainable);
  if (layer.frozenAll) return { trainable: 0, nonTrainable: built.trainable + built.nonTrainable };
  return built;
}

/** Named parameters counted by their own flags (`requires_grad = false` makes one non-trainable). */
function slotCounts(slots: ReadonlyMap<string, ParameterValue>, nonTrainable: number | null): { trainable: number | null; nonTrainable: number | null } {
  let t: number | null = 0;
  let n = nonTrainable;
  for (const p of slots.values()) {
    if (p.numel === null) t = n = null;
    else if (p.frozen || p.whole?.frozenAll) n = n === null ? null : n + p.numel;
    else t = t === null ? null : t + p.numel;
  }
  return { trainable: t, nonTrainable: n };
}

/** A tfjs layer's counts: `trainable: false` in its config makes all its weights non-trainable. */
function tfjsCounts(layer: LayerInstance, built: Built): { trainable: number | null; nonTrainable: number | null; reason?: string } {
  const flag = layer.trainableFlag ?? layer.args.raw('trainable');
  if (flag === undefined || flag === true || built.trainable === null || built.nonTrainable === null) return built;
  if (flag === false) return { trainable: 0, nonTrainable: built.trainable + built.nonTrainable };
  return { trainable: null, nonTrainable: null, reason: 'its `trainable` flag has no static value' };
}

/** `torch:Sequential` for the prelude's containers (their docs live in the catalog). */
function containerCatalogKey(inst: ModuleInstance): string | undefined {
  const e = catalog.torch.get(inst.cls.name);
  return e ? catalogKey(e) : undefined;
}
