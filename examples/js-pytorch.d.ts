/**
 * Ambient types for the PyTorch-shaped API the examples are written against. No runtime is
 * needed: ModelLens reads these files without running them. Constructors mirror PyTorch's
 * positional parameters, with keyword arguments passed as a trailing object literal, written in
 * PyTorch's snake_case or in camelCase.
 */
declare module 'js-pytorch' {
  /** Keyword arguments: `{ stride: 2, bias: false }`, `{ batch_first: true }`, `{ paddingIdx: 0 }`. */
  type Kwargs = Record<string, number | boolean | string | null | number[] | undefined>;
  type Size = number | number[];

  export class Tensor {
    readonly shape: number[];
    size(): number[];
    size(dim: number): number;
    view(...shape: number[]): Tensor;
    reshape(...shape: number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    permute(...dims: number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    select(dim: number, index: number): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    mean(dim?: number, keepdim?: boolean): Tensor;
    sum(dim?: number, keepdim?: boolean): Tensor;
    add(other: Tensor | number): Tensor;
    mul(other: Tensor | number): Tensor;
    relu(): Tensor;
  }

  export namespace nn {
    /** Base class of every layer and model. */
    class Module {
      constructor();
      forward(...inputs: any[]): any;
      parameters(): Tensor[];
    }

    class Linear extends Module {
      constructor(inFeatures: number, outFeatures: number, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class Conv1d extends Module {
      constructor(inChannels: number, outChannels: number, kernelSize: Size, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class Conv2d extends Module {
      constructor(inChannels: number, outChannels: number, kernelSize: Size, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class BatchNorm1d extends Module {
      constructor(numFeatures: number, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class BatchNorm2d extends Module {
      constructor(numFeatures: number, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class LayerNorm extends Module {
      constructor(normalizedShape: Size, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class MaxPool2d extends Module {
      constructor(kernelSize: Size, stride?: Size, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class AvgPool2d extends Module {
      constructor(kernelSize: Size, stride?: Size, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class AdaptiveAvgPool2d extends Module {
      constructor(outputSize: Size);
      forward(x: Tensor): Tensor;
    }
    class ReLU extends Module {
      constructor(kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class GELU extends Module {
      constructor(kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class Tanh extends Module {
      constructor();
      forward(x: Tensor): Tensor;
    }
    class Sigmoid extends Module {
      constructor();
      forward(x: Tensor): Tensor;
    }
    class Softmax extends Module {
      constructor(dim?: number);
      forward(x: Tensor): Tensor;
    }
    class Dropout extends Module {
      constructor(p?: number, kwargs?: Kwargs);
      forward(x: Tensor): Tensor;
    }
    class Flatten extends Module {
      constructor(startDim?: number, endDim?: number);
      forward(x: Tensor): Tensor;
    }
    class Embedding extends Module {
      constructor(numEmbeddings: number, embeddingDim: number, kwargs?: Kwargs);
      forward(tokens: Tensor): Tensor;
    }
    /** Returns `[output, [h_n, c_n]]`. */
    class LSTM extends Module {
      constructor(inputSize: number, hiddenSize: number, kwargs?: Kwargs);
      forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]];
    }
    /** Returns `[output, h_n]`. */
    class GRU extends Module {
      constructor(inputSize: number, hiddenSize: number, kwargs?: Kwargs);
      forward(x: Tensor, h0?: Tensor): [Tensor, Tensor];
    }
    class TransformerEncoderLayer extends Module {
      constructor(dModel: number, nhead: number, kwargs?: Kwargs);
      forward(src: Tensor): Tensor;
    }
    class TransformerEncoder extends Module {
      constructor(encoderLayer: TransformerEncoderLayer, numLayers?: number | Kwargs, norm?: LayerNorm | Kwargs, kwargs?: Kwargs);
      forward(src: Tensor): Tensor;
    }
    /** Returns `[attn_output, attn_weights]` (weights omitted with `need_weights: false`). */
    class MultiheadAttention extends Module {
      constructor(embedDim: number, numHeads: number, kwargs?: Kwargs);
      forward(query: Tensor, key: Tensor, value: Tensor, kwargs?: Kwargs): [Tensor, Tensor];
    }
    class Sequential extends Module {
      constructor(...modules: Module[]);
      forward(x: Tensor): Tensor;
    }
    /** Holds submodules in a list; iterate it in forward. */
    class ModuleList<T extends Module = Module> extends Module implements Iterable<T> {
      constructor(modules?: T[]);
      readonly length: number;
      [Symbol.iterator](): Iterator<T>;
    }
  }

  // The layer classes are also exported at the top level, for `import * as nn from 'js-pytorch'`
  // and `import { Linear } from 'js-pytorch'`.
  export import Module = nn.Module;
  export import Linear = nn.Linear;
  export import Conv1d = nn.Conv1d;
  export import Conv2d = nn.Conv2d;
  export import BatchNorm1d = nn.BatchNorm1d;
  export import BatchNorm2d = nn.BatchNorm2d;
  export import LayerNorm = nn.LayerNorm;
  export import MaxPool2d = nn.MaxPool2d;
  export import AvgPool2d = nn.AvgPool2d;
  export import AdaptiveAvgPool2d = nn.AdaptiveAvgPool2d;
  export import ReLU = nn.ReLU;
  export import GELU = nn.GELU;
  export import Tanh = nn.Tanh;
  export import Sigmoid = nn.Sigmoid;
  export import Softmax = nn.Softmax;
  export import Dropout = nn.Dropout;
  export import Flatten = nn.Flatten;
  export import Embedding = nn.Embedding;
  export import LSTM = nn.LSTM;
  export import GRU = nn.GRU;
  export import TransformerEncoderLayer = nn.TransformerEncoderLayer;
  export import TransformerEncoder = nn.TransformerEncoder;
  export import Sequential = nn.Sequential;
  export import ModuleList = nn.ModuleList;

  /** Tensor functions, as in `torch.*`. */
  export namespace torch {
    function cat(tensors: Tensor[], dim?: number): Tensor;
    function stack(tensors: Tensor[], dim?: number): Tensor;
    function flatten(x: Tensor, startDim?: number, endDim?: number): Tensor;
    function relu(x: Tensor): Tensor;
    function add(a: Tensor, b: Tensor | number): Tensor;
    function mean(x: Tensor, dim?: number, keepdim?: boolean): Tensor;
    function zeros(...shape: number[]): Tensor;
    type Tensor = import('js-pytorch').Tensor;
  }

  /** Stateless functional helpers, as in `torch.nn.functional` (imported as `F`). */
  export namespace F {
    function relu(x: Tensor): Tensor;
    function gelu(x: Tensor): Tensor;
    function dropout(x: Tensor, p?: number, training?: boolean): Tensor;
    function softmax(x: Tensor, dim: number): Tensor;
    function log_softmax(x: Tensor, dim: number): Tensor;
    function max_pool2d(x: Tensor, kernelSize: Size, stride?: Size): Tensor;
    function adaptive_avg_pool2d(x: Tensor, outputSize: Size): Tensor;
  }
}
