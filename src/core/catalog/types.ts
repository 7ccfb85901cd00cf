import type { Args, ArgValue } from '../args';
import type { Out, Shape } from '../shape';

export type Framework = 'torch' | 'tfjs';

/** Colour/grouping family, used by the diagram and the summary panel. */
export type Family =
  | 'input'
  | 'linear'
  | 'conv'
  | 'pool'
  | 'norm'
  | 'activation'
  | 'dropout'
  | 'reshape'
  | 'recurrent'
  | 'attention'
  | 'embedding'
  | 'merge'
  | 'wrapper'
  | 'container';

/** One PyTorch constructor parameter, in PyTorch's positional order. */
export interface ParamSpec {
  /** PyTorch's snake_case name. Keyword args written in camelCase are mapped onto it. */
  name: string;
  /** Default when not given. Absent means required. */
  default?: ArgValue;
  /** `*args` (Sequential's modules): collects all remaining positional arguments as a list. */
  rest?: boolean;
  /** `**kwargs` (nn.Identity's): collects keyword arguments no other parameter names, as an object. */
  restKeywords?: boolean;
}

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
  /**
   * This instance's formula with its numbers filled in, without the result:
   * `128 × 516 + 516`. The engine appends ` = 66,564`.
   */
  formula: string;
}

export interface LayerDocs {
  /** What the layer does, one or two sentences. */
  summary: string;
  /** When to reach for it. */
  use: string;
  /** The parameter formula in symbols: `in_features × out_features + out_features (bias)`. */
  formula: string;
  /** The library's own documentation page. */
  url: string;
}

/**
 * One layer kind. Adding a layer to ModelLens is adding one of these.
 *
 * Rules receive bound arguments (`Args`) and the input shapes (batch first; NCHW for PyTorch
 * images, NHWC for tfjs, exactly as each library sees them). They are written as plain
 * arithmetic: reading an argument with no static value throws `Unknowable`, and a shape that
 * cannot be valid throws `ShapeError` with a message that completes "fc2 …", e.g.
 * "expects 516 input features but receives 256".
 */
export interface LayerEntry {
  /** PyTorch class name (`Linear`) or tfjs `className` (`Dense`). */
  type: string;
  framework: Framework;
  /** tfjs: the factory under `tf.layers` (`dense`). */
  factory?: string;
  family: Family;
  /** PyTorch: constructor parameters in positional order. */
  signature?: ParamSpec[];
  /** tfjs: config defaults, as tfjs applies them. */
  defaults?: Record<string, ArgValue>;
  docs: LayerDocs;
  /** How many tensors the layer's forward takes: 1 (default), or 'many' (merge layers, attention). */
  arity?: 1 | 'many';
  /**
   * PyTorch containers are expanded by the engine (their children become rows); the entry then
   * only contributes its own (zero) parameters and docs.
   */
  container?: 'sequential' | 'modulelist';
  /**
   * PyTorch modules made of other modules (TransformerEncoderLayer: self_attn, linear1, norm1…):
   * when called, they run as the class of this name in the analyzer's transcription of PyTorch's
   * source (lang/ts/prelude.ts), so their submodules become rows as PyTorch's hooks see them.
   * `when` says whether this instance is expanded (a 10^8-layer encoder stays one row).
   */
  expand?: { prelude: string; when?(a: Args): boolean };
  /**
   * Keyword arguments of the layer's forward that its rules read (MultiheadAttention's
   * need_weights), taken from a trailing object literal in the call and added to its Args there.
   */
  callOptions?: string[];
  /**
   * Keyword arguments of the call whose tensors are further inputs of the call, not arguments of
   * the rules (tfjs RNNs' `initialState`): the summary lists them, and they order the layers.
   */
  callInputs?: string[];
  params(a: Args, inputs: Shape[]): ParamCount;
  /**
   * PyTorch: the layer's parameters by name with their shapes, in registration order (what
   * `named_parameters(recurse=False)` lists): lets `head.weight = embed.weight` tie one weight, and
   * `layer.bias.requires_grad = false` freeze one. Their sizes add up to `params`. Kinds without it
   * still count exactly; only a single named weight of theirs is then unknown.
   */
  weights?(a: Args): Record<string, number[]>;
  /**
   * PyTorch: modules the layer registers inside itself that its forward never calls as modules
   * (MultiheadAttention's `out_proj`, whose weights `F.multi_head_attention_forward` reads
   * directly), by attribute name, each as a catalog kind and its bound arguments. They are what
   * `modules()`, `children()` and `isinstance` loops see (an init loop freezing every `nn.Linear`
   * reaches `out_proj`), and rows under the layer's own, as torchinfo lists them. `weights` then
   * lists the layer's own parameters only; with the submodules' they add up to `params`.
   */
  submodules?(a: Args): Record<string, { type: string; args: Record<string, ArgValue> }>;
  output(a: Args, inputs: Shape[]): Out;
  /** Multiply-accumulate operations for one forward pass at the given shapes (null batch counts as 1). */
  multAdds?(a: Args, inputs: Shape[], out: Out): number;
  /**
   * When the model gives no input shape, the input this layer implies (Linear: `[null, in_features]`),
   * so the rest of the model is still inferable up to the batch.
   */
  inferInput?(a: Args): Shape;
  /** Key hyper-parameters for diagram nodes: `516 units`, `3×3, 16`. */
  hyper?(a: Args): string;
  /**
   * What the library builds (its summary shows the layer, weights and shape) but cannot run:
   * tfjs's conv1d with padding 'causal'. A warning at the layer; the numbers stay the library's.
   */
  runProblem?(a: Args, inputs: Shape[]): string | undefined;
}
