import type { Family, Framework } from './catalog/types';
import type { Shape } from './shape';

/**
 * What the analyzer measured, independent of how it is printed (torchinfo's split between
 * `ModelStatistics` and `formatting`). Formatters, the CLI, CodeLens, hover, the panel and the
 * diagram are all views over these records.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** 1-based line. */
  line: number;
  severity: Severity;
  message: string;
  /** 0-based character offsets into the file's text, for editors. */
  start?: number;
  end?: number;
  /** Machine-readable kind, for quick fixes: 'shape-mismatch', 'unknown-layer', 'unknown-value', 'bad-input-shape', 'syntax', 'no-forward', 'config'. */
  code?: string;
  /** For a quick fix: replace [start, end) with this text. */
  fix?: { start: number; end: number; text: string; title: string };
}

/** One row: a layer call, a container, or (in the graph only) a functional op. */
export interface LayerRow {
  /** Index in `ModelSummary.layers`, also the graph node id. */
  id: number;
  /** The user's name: attribute path (`block1.conv1`), variable, or tfjs layer name. */
  name: string;
  /** PyTorch class name or tfjs className; user module class names for nested modules. */
  type: string;
  family: Family | 'module' | 'op';
  /** 1-based line where the layer is constructed (for ops: where they are called). */
  line: number;
  /** Set when the layer is constructed in another file than the model (an imported module). */
  file?: string;
  start?: number;
  end?: number;
  /** Nesting depth: 1 for direct children of the model. */
  depth: number;
  /** Containers: nn.Sequential, nn.ModuleList, nested user modules. */
  container: boolean;
  /** Functional ops from forward (torch.cat, x.view, +): graph nodes, not summary rows. */
  op?: boolean;
  /** id of the enclosing container row, if any. */
  parent?: number;
  /** ids of the rows (or -1 for a model input, -(k+1) for input k) whose outputs feed this one. */
  inputs: number[];
  /**
   * For inputs taken from a producer with several outputs (an LSTM's `[output, [h, c]]`): which
   * one, as an index into the producer's `outputShapes`. Absent when every input is output 0.
   */
  inputOutputs?: number[];
  /** One per input; `null` where that input's shape is unknown (never `[]`, which is a scalar's shape). */
  inputShapes: (Shape | null)[];
  /** The primary output (`null` when it could not be inferred; see `unknownReason`). */
  outputShape: Shape | null;
  /** All outputs when the layer returns several (RNN output and state). */
  outputShapes?: Shape[];
  /** Own parameters (for containers: those directly on the container, usually 0). null = unknown. */
  params: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  /** Own + descendants'. */
  totalParams: number | null;
  multAdds: number | null;
  /** This instance's formula filled in, with the result: `128 × 516 + 516 = 66,564`. */
  formula?: string;
  /** Why something is `?`: "hiddenSize has no value", "unknown layer". */
  unknownReason?: string;
  /** Key hyper-parameters for diagrams: `516 units`. */
  hyper?: string;
  /** A layer object called more than once: its parameters are counted at the first call only. */
  reused?: boolean;
  /**
   * Registered but never run by forward(): it holds parameters (counted in the totals, as
   * `model.parameters()` counts them) but has no shapes, makes no activations and costs no mult-adds.
   */
  notCalled?: boolean;
  /**
   * The layer's bound constructor arguments / config (defaults applied), JSON-safe: a nested
   * layer is `{ layer: { type, framework, args } }`, an unknown value `{ unknown: reason }`.
   * For op rows: the call's non-tensor arguments in order. Used to rebuild the model for a
   * real forward pass.
   */
  args?: Record<string, unknown>;
  opArgs?: unknown[];
  /** The catalog entry's docs key: `${framework}:${type}`; absent for user modules and unknown kinds. */
  catalogKey?: string;
  /**
   * A copy the library made of a template layer (`nn.TransformerEncoder(layer, 2)` deep-copies
   * `layer` twice): the row is counted, but its `line`/`start` are the template's, and the
   * template itself is not registered, so it counts nothing.
   */
  cloned?: boolean;
}

/**
 * What a layer row shows but nothing measured depends on: its formula, hyper-parameters and
 * mult-adds. The recorder keeps what its rules saw instead of computing them (recorder.ts): they
 * cost about a sixth of an analysis, and most analyses (every keystroke's lenses) never read
 * them. The first read computes and keeps each.
 */
export interface RowDecorations {
  formula(): string | undefined;
  hyper(): string | undefined;
  multAdds(): number | null;
}

/**
 * A row as the analyzer makes it: every field set in one fixed order (one hidden class, so the
 * code reading rows stays fast), and made with `new`: V8 allocates long-lived object literals
 * straight into its old generation ("pretenuring"), where each field store then pays a write
 * barrier and leaves an old-to-young pointer for the next collection; rows live exactly long
 * enough to trigger that. `formula`, `hyper` and `multAdds` are accessors (RowDecorations):
 * `toJSON` gives them as plain fields; structuredClone gives the other fields only.
 */
export class Row implements LayerRow {
  id: number;
  name: string;
  type: string;
  family: LayerRow['family'];
  line: number;
  file: string | undefined;
  start: number | undefined;
  end: number | undefined;
  depth: number;
  container = false;
  op: boolean | undefined = undefined;
  parent: number | undefined;
  inputs: number[];
  inputOutputs: number[] | undefined;
  inputShapes: (Shape | null)[];
  outputShape: Shape | null = null;
  outputShapes: Shape[] | undefined = undefined;
  params: number | null = 0;
  trainableParams: number | null = 0;
  nonTrainableParams: number | null = 0;
  totalParams: number | null = 0;
  unknownReason: string | undefined;
  reused: boolean | undefined = undefined;
  notCalled: boolean | undefined = undefined;
  args: Record<string, unknown> | undefined = undefined;
  opArgs: unknown[] | undefined = undefined;
  catalogKey: string | undefined = undefined;
  cloned: boolean | undefined = undefined;
  // Private fields, not properties: structuredClone copies a row's measured fields without them.
  /** Where `formula`, `hyper` and `multAdds` come from when first read (unset: as assigned). */
  #decor: RowDecorations | undefined = undefined;
  #formula: string | undefined = undefined;
  #hyper: string | undefined = undefined;
  #multAdds: number | null = 0;
  /** Bits of what was computed or assigned: 1 formula, 2 hyper, 4 multAdds. */
  #decorated = 0;
  constructor(
    id: number,
    name: string,
    type: string,
    family: LayerRow['family'],
    line: number,
    start: number | undefined,
    end: number | undefined,
    file: string | undefined,
    depth: number,
    parent: number | undefined,
    inputs: number[],
    inputOutputs: number[] | undefined,
    inputShapes: (Shape | null)[],
    unknownReason: string | undefined,
  ) {
    this.id = id;
    this.name = name;
    this.type = type;
    this.family = family;
    this.line = line;
    this.file = file;
    this.start = start;
    this.end = end;
    this.depth = depth;
    this.parent = parent;
    this.inputs = inputs;
    this.inputOutputs = inputOutputs;
    this.inputShapes = inputShapes;
    this.unknownReason = unknownReason;
  }

  /** Formula, hyper-parameters and mult-adds come from `d` when first read. */
  decorate(d: RowDecorations): void {
    this.#decor = d;
  }

  get formula(): string | undefined {
    if (!(this.#decorated & 1)) {
      this.#formula = this.#decor?.formula();
      this.#decorated |= 1;
    }
    return this.#formula;
  }
  set formula(v: string | undefined) {
    this.#formula = v;
    this.#decorated |= 1;
  }

  get hyper(): string | undefined {
    if (!(this.#decorated & 2)) {
      this.#hyper = this.#decor?.hyper();
      this.#decorated |= 2;
    }
    return this.#hyper;
  }
  set hyper(v: string | undefined) {
    this.#hyper = v;
    this.#decorated |= 2;
  }

  get multAdds(): number | null {
    if (!(this.#decorated & 4)) {
      if (this.#decor) this.#multAdds = this.#decor.multAdds();
      this.#decorated |= 4;
    }
    return this.#multAdds;
  }
  set multAdds(v: number | null) {
    this.#multAdds = v;
    this.#decorated |= 4;
  }

  /** The row as plain data, decorations included (JSON.stringify calls this). */
  toJSON(): LayerRow {
    return { ...this, formula: this.formula, hyper: this.hyper, multAdds: this.multAdds };
  }
}

export interface ModelSummary {
  name: string;
  /**
   * A PyTorch model's class (`type(model).__name__`) when it differs from `name`: a factory
   * function `net_small()` or a variable `small = Net(2)` names a model whose module is a `Net`.
   * PyTorch's summaries (torchsummary, torchinfo) name the root row by the class; ModelLens keeps
   * the function's or variable's name to find the model and shows both (`modelTitle`).
   */
  moduleType?: string;
  framework: Framework;
  /** torch-module | tfjs-sequential | tfjs-functional */
  kind: 'torch-module' | 'tfjs-sequential' | 'tfjs-functional';
  file: string;
  line: number;
  start?: number;
  end?: number;
  /**
   * The class declaration (decorators included) the model is an instance of, when the model is
   * written elsewhere (a Python `model = Net(…)` or factory): where its `@inputShape` tag is read
   * and written, and where `self.fc1` names this model's layers. Only when that class is in this file.
   */
  declaration?: { start: number; end: number };
  /** First input (batch first). null when no input shape could be found or inferred. */
  inputShape: Shape | null;
  /** One per model input; `null` where it is unknown. */
  inputShapes: (Shape | null)[];
  /** Where the input shape came from: '@inputShape', 'cli', 'inputShape', 'tf.input', 'inferred from fc1', 'none'. */
  inputShapeSource: string;
  outputShape: Shape | null;
  /** One per model output; `null` where it is unknown. */
  outputShapes: (Shape | null)[];
  /** Execution order; containers before their children (torchinfo order). */
  layers: LayerRow[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  /**
   * Why the totals are `?` when no single row says so: the model is built under control flow
   * ModelLens could not decide statically (`if (useNorm)` with no value for `useNorm`, a loop
   * with an unknown bound), so which layers exist is unknown.
   */
  totalsUnknownReason?: string;
  /** Why the output shape is `?` when no single row says so: forward() or the builder takes a path ModelLens could not decide. */
  outputUnknownReason?: string;
  /**
   * The arguments it is summarised with that no default gives, taken from its call sites, and
   * where: `inputDim = 784, from its call site at line 13`. Its numbers hold for those values.
   */
  builtWith?: string;
  multAdds: number | null;
  /** Parameters × 4 bytes (float32). */
  paramBytes: number | null;
  /** Every layer output × 4 bytes, forward only (torchinfo counts ×2 for backward; we say which). */
  activationBytes: number | null;
  /** Input tensor(s) × 4 bytes. */
  inputBytes: number | null;
  diagnostics: Diagnostic[];
}

/**
 * A model summary as the analyzer makes it (see `Row` on why a class). Its mult-adds total is
 * summed from its rows when first read, so that rows' own mult-adds stay unwritten until a view
 * wants them (RowDecorations).
 */
export class Summary implements ModelSummary {
  name!: string;
  moduleType: string | undefined = undefined;
  framework!: Framework;
  kind!: ModelSummary['kind'];
  file!: string;
  line!: number;
  start: number | undefined;
  end: number | undefined;
  inputShape: Shape | null = null;
  inputShapes!: (Shape | null)[];
  inputShapeSource!: string;
  outputShape: Shape | null = null;
  outputShapes!: (Shape | null)[];
  layers!: LayerRow[];
  totalParams: number | null = null;
  trainableParams: number | null = null;
  nonTrainableParams: number | null = null;
  totalsUnknownReason: string | undefined = undefined;
  outputUnknownReason: string | undefined = undefined;
  paramBytes: number | null = null;
  activationBytes: number | null = null;
  inputBytes: number | null = null;
  diagnostics!: Diagnostic[];
  #multAdds: number | null = 0;
  #known = false;

  get multAdds(): number | null {
    if (!this.#known) {
      let n: number | null = 0;
      for (const r of this.layers) {
        if (r.container || r.op || r.family === 'input' || r.notCalled) continue; // idle layers run nothing
        n = n === null || r.multAdds === null ? null : n + r.multAdds;
      }
      this.#multAdds = n;
      this.#known = true;
    }
    return this.#multAdds;
  }
  set multAdds(v: number | null) {
    this.#multAdds = v;
    this.#known = true;
  }

  /** The summary as plain data, its mult-adds included (JSON.stringify calls this). */
  toJSON(): ModelSummary {
    return { ...this, multAdds: this.multAdds };
  }
}

export interface FileSummary {
  file: string;
  models: ModelSummary[];
  /** Problems not tied to one model (syntax errors, unresolved imports). */
  diagnostics: Diagnostic[];
}

/** The class PyTorch names the model's root row by (torchsummary's `Net-6`, torchinfo's first line). */
export function rootType(m: Pick<ModelSummary, 'name' | 'moduleType'>): string {
  return m.moduleType ?? m.name;
}

/** A model's title for people: its name, and its class where that differs (`net_small → Net`). */
export function modelTitle(m: Pick<ModelSummary, 'name' | 'moduleType'>): string {
  return m.moduleType === undefined ? m.name : `${m.name} → ${m.moduleType}`;
}
