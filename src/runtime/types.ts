import type { Framework } from '../core/catalog/types';
import type { Shape } from '../core/shape';

/**
 * What a sample forward pass reports. JSON-safe: it crosses the worker boundary, the CLI prints
 * it and the extension command returns it.
 */

export interface LayerRunStats {
  name: string;
  type: string;
  /** Row id in the static summary (graph node id), so views can join the two. */
  id: number;
  /** The primary output's actual shape. */
  outputShape: number[];
  /** Every output's actual shape (RNN output and states). */
  outputShapes?: number[][];
  mean: number;
  std: number;
  min: number;
  max: number;
  zeroFraction: number;
  /** Counts of the primary output's values in equal-width bins between min and max (numpy.histogram's binning). */
  histogram?: number[];
  ms: number;
  /** tfjs's own count for this layer's weights (absent for ops and reused layers). */
  params?: number;
}

export interface Finding {
  layer: string;
  message: string;
  /** Row id in the static summary when the finding is about one row. */
  id?: number;
}

export interface ForwardResult {
  model: string;
  framework: Framework;
  backend: 'wasm' | 'cpu';
  /** Why the backend is not the one asked for (wasm unavailable, a kernel missing on wasm). */
  backendNote?: string;
  inputShape: number[];
  inputShapes: number[][];
  outputShape: number[];
  outputShapes: number[][];
  /** The first values of each output, flattened. */
  outputPreview: number[][];
  /** tfjs's own countParams() over the model it built. */
  totalParams: number;
  /** The forward pass alone (sum of the per-layer times). */
  ms: number;
  /** Backend start-up plus model build plus pass, measured inside the worker. */
  wallMs?: number;
  seed: number;
  memoryEstimateBytes: number;
  /** The wasm heap's size after the pass (it only grows: its peak), when the pass ran on wasm. */
  wasmMemoryBytes?: number;
  layers: LayerRunStats[];
  findings: Finding[];
}

export type ForwardErrorCode = 'unsupported' | 'custom-layer' | 'unknown-size' | 'too-large' | 'declined' | 'cancelled' | 'timeout' | 'failed';

/** Why a pass did not run; `layer` names the row that stopped it when there is one. */
export class ForwardPassError extends Error {
  constructor(
    readonly code: ForwardErrorCode,
    message: string,
    readonly layer?: string,
  ) {
    super(message);
    this.name = 'ForwardPassError';
  }
}

/** One model input as the pass feeds it. */
export interface InputSpec {
  shape: number[];
  /** Integers in [0, vocab) when the input feeds an embedding. */
  dtype: 'float32' | 'int32';
  vocab?: number;
}

/** Where a node's input comes from: a model input or output `index` of another node. */
export type NodeInput = { input: number } | { node: number; index: number };

/**
 * One node of the rebuildable graph: a leaf layer or an op of the static summary, in execution
 * order. Containers are dropped (their children carry the data flow).
 */
export interface PlanNode {
  id: number;
  name: string;
  type: string;
  kind: 'layer' | 'op' | 'input';
  args: Record<string, unknown>;
  opArgs: unknown[];
  inputs: NodeInput[];
  /** For InputLayer nodes: which model input. */
  inputIndex?: number;
  /** Static outputs (primary first); null dims are unknown (tfjs's batch). */
  staticOutputs: Shape[] | null;
  staticParams: number | null;
  staticTrainable: number | null;
  /** A layer applied again: shares the weights of node `sharesWith`. */
  sharesWith?: number;
}

export interface Plan {
  model: string;
  framework: Framework;
  kind: 'torch-module' | 'tfjs-sequential' | 'tfjs-functional';
  inputs: InputSpec[];
  /** Static input shapes (with tfjs's null batch), for the symbolic tfjs model. */
  staticInputs: Shape[];
  nodes: PlanNode[];
  /** Nodes whose first output is a model output, in order. */
  outputs: NodeInput[];
  /** `null` where static analysis could not infer that output. */
  staticOutputShapes: (Shape | null)[];
  staticTotalParams: number | null;
  batch: number;
}

export interface ExecuteOptions {
  backend?: 'wasm' | 'cpu';
  seed?: number;
  /** Directory holding tfjs-backend-wasm's .wasm files. */
  wasmPath?: string;
  /** Skip per-layer statistics (benchmarks). */
  statistics?: boolean;
  /**
   * Stop with 'too-large' when the pass uses more than this many bytes while it runs: the wasm heap
   * (the worker checks after every layer) and the process's RSS growth (runner.ts's watchdog:
   * typed arrays and anything else outside the JS heap). runForwardPass's default: `maxBytes`.
   */
  memoryLimitBytes?: number;
}
