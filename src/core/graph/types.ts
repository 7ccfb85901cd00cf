/**
 * The model diagram as data: what the webview draws, independent of layout and of the DOM.
 * Everything here is JSON-safe (it crosses the extension ↔ webview boundary as a message).
 */

export type DiagramNodeKind = 'layer' | 'op' | 'input' | 'output';

/** What nodes and groups both show: a layer's (or container's) identity, size and place in the code. */
interface DiagramItem {
  /** Class name (`Conv2d`, `Dense`), op name (`add`), or `Input`/`Output`. */
  type: string;
  name: string;
  /** Key hyper-parameters (`3×3, 16`, `516 units`). */
  hyper?: string;
  /** Own plus descendants' parameters; null when unknown. */
  params: number | null;
  /** `2,304`, `?` when unknown, `` for parameter-free items. */
  paramsText: string;
  /** Colour family (`conv`, `norm`, …, `module`, `op`, `input`, `output`). */
  family: string;
  /** 1-based source line (0 when there is none, e.g. a synthetic output). */
  line: number;
  /** The file `line` is in, when it is not the model's own file (a layer built in an imported module). */
  file?: string;
  /** Enclosing group id (`g<row>`), if any. */
  parent?: string;
  /** The output shape, formatted (`[None, 32]`, `[4, 16, ?, ?]`); `` when unknown. */
  shape: string;
}

export interface DiagramNode extends DiagramItem {
  /** `n<row>` for summary rows, `in<k>`/`out<k>` for the model's own inputs and outputs. */
  id: string;
  kind: DiagramNodeKind;
  /** The summary row (`LayerRow.id`); absent for synthetic input/output nodes. */
  row?: number;
  /** A layer object called again (shares its parameters with the first call). */
  reused?: boolean;
  /** Extra hover text: the parameter formula or why something is unknown. */
  detail?: string;
}

/** A container (nested user module, `nn.Sequential`): drawn as a box around its children, collapsible. */
export interface DiagramGroup extends DiagramItem {
  /** `g<row>`. */
  id: string;
  row: number;
  /** Direct children: node and group ids, in execution order. */
  children: string[];
  /**
   * Set on a run of N identical blocks folded into one group (`r<row>`, see repeats.ts): its
   * children are the blocks, its parameters their total. Drawn `×N`, collapsed by default.
   */
  repeat?: number;
}

export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  /** The tensor shape flowing along the edge (`[4, 16, 32, 32]`); `` when unknown. */
  label: string;
  /** Which input of the target this edge feeds (0-based), for ordering merges. */
  targetIndex: number;
}

/** One column of the neuron view: the model input or a fully-connected layer's units. */
export interface NeuronColumn {
  /** `Input`, `Linear`, `Dense`. */
  type: string;
  name: string;
  units: number;
  /** Neuron indices drawn as circles (0-based), in order. */
  shown: number[];
  /** True when the column is too wide to draw: an ellipsis stands for `hidden` neurons after `shown[ellipsisAfter]`. */
  ellipsis: boolean;
  /** Index into `shown` after which the ellipsis is drawn (when `ellipsis`). */
  ellipsisAfter: number;
  hidden: number;
  /** The activation applied after the layer (`ReLU`, `relu`), if any. */
  activation?: string;
  /** Diagram node the column comes from (for click → reveal). */
  node: string;
  line: number;
}

export interface NeuronView {
  columns: NeuronColumn[];
}

export interface DiagramGraph {
  /** Bumped when the shape of this record changes. */
  version: 1;
  model: {
    name: string;
    framework: 'torch' | 'tfjs';
    kind: string;
    line: number;
    totalParams: number | null;
    paramsText: string;
  };
  nodes: DiagramNode[];
  groups: DiagramGroup[];
  edges: DiagramEdge[];
  /** Present only for small, purely fully-connected chains (the classic feed-forward figure). */
  neurons: NeuronView | null;
}
