// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import { UnknownValue, isUnknown } from '../../unknown';
import type { Interp } from './interp';
import { SourceInfo, parse } from './source';
import { LayerInstance, ModuleInstance, NativeFunction, SymTensor, Value, isPlainObjectValue, withAnchor } from '../../framework/values';
import { ClassInfo, ClassRef } from './values';
import { initClass } from './classes';
import { containerKind, containerLength, expansionOf, iterateModule, namedChildren } from '../../framework/moduleApi';
import { PRELUDE_PATH } from './values';
import { copyLayer } from '../../framework/layerCopy';

/**
 * PyTorch's composite modules (the encoder and decoder layers and stacks, the Transformer holding both), transcribed from torch/nn/modules/transformer.py (1.13, which the
 * fixtures are generated with) into the TypeScript subset the analyzer evaluates: the submodules
 * each one registers, in PyTorch's order and with PyTorch's names, and the calls its forward makes
 * in training mode (where every submodule's hooks fire). A layer of such a kind runs as this class
 * when called, so its rows are the ones torchsummary and torchinfo show, and their parameters add
 * up to the same totals as the catalog's own rule. The constructors take the layer's bound
 * arguments (`Args.values`: PyTorch's snake_case names, defaults applied).
 */
const SOURCE = `
class TransformerEncoderLayer extends nn.Module {
  constructor(a) {
    super();
    this.self_attn = new nn.MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first });
    this.linear1 = new nn.Linear(a.d_model, a.dim_feedforward);
    this.dropout = new nn.Dropout(a.dropout);
    this.linear2 = new nn.Linear(a.dim_feedforward, a.d_model);
    this.norm_first = a.norm_first;
    this.norm1 = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
    this.norm2 = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
    this.dropout1 = new nn.Dropout(a.dropout);
    this.dropout2 = new nn.Dropout(a.dropout);
    // A string names a function (no submodule); a module passed in is registered and called.
    this.activation = a.activation;
  }
  forward(src) {
    let x = src;
    if (this.norm_first) {
      x = x + this._sa_block(this.norm1.forward(x));
      x = x + this._ff_block(this.norm2.forward(x));
    } else {
      x = this.norm1.forward(x + this._sa_block(x));
      x = this.norm2.forward(x + this._ff_block(x));
    }
    return x;
  }
  _sa_block(x) {
    const [y] = this.self_attn.forward(x, x, x, { need_weights: false });
    return this.dropout1.forward(y);
  }
  _ff_block(x) {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this._activate(this.linear1.forward(x)))));
  }
  _activate(x) {
    if (this.activation === 'relu') return F.relu(x);
    if (this.activation === 'gelu') return F.gelu(x);
    return this.activation(x);
  }
}

class TransformerDecoderLayer extends nn.Module {
  constructor(a) {
    super();
    this.self_attn = new nn.MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first });
    this.multihead_attn = new nn.MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first });
    this.linear1 = new nn.Linear(a.d_model, a.dim_feedforward);
    this.dropout = new nn.Dropout(a.dropout);
    this.linear2 = new nn.Linear(a.dim_feedforward, a.d_model);
    this.norm_first = a.norm_first;
    this.norm1 = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
    this.norm2 = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
    this.norm3 = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
    this.dropout1 = new nn.Dropout(a.dropout);
    this.dropout2 = new nn.Dropout(a.dropout);
    this.dropout3 = new nn.Dropout(a.dropout);
    this.activation = a.activation;
  }
  forward(tgt, memory) {
    let x = tgt;
    if (this.norm_first) {
      x = x + this._sa_block(this.norm1.forward(x));
      x = x + this._mha_block(this.norm2.forward(x), memory);
      x = x + this._ff_block(this.norm3.forward(x));
    } else {
      x = this.norm1.forward(x + this._sa_block(x));
      x = this.norm2.forward(x + this._mha_block(x, memory));
      x = this.norm3.forward(x + this._ff_block(x));
    }
    return x;
  }
  _sa_block(x) {
    const [y] = this.self_attn.forward(x, x, x, { need_weights: false });
    return this.dropout1.forward(y);
  }
  _mha_block(x, mem) {
    const [y] = this.multihead_attn.forward(x, mem, mem, { need_weights: false });
    return this.dropout2.forward(y);
  }
  _ff_block(x) {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this._activate(this.linear1.forward(x)))));
  }
  _activate(x) {
    if (this.activation === 'relu') return F.relu(x);
    if (this.activation === 'gelu') return F.gelu(x);
    return this.activation(x);
  }
}

class TransformerDecoder extends nn.Module {
  constructor(a) {
    super();
    this.layers = new nn.ModuleList(_get_clones(a.decoder_layer, a.num_layers));
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }
  forward(tgt, memory) {
    let output = tgt;
    for (const mod of this.layers) output = mod.forward(output, memory);
    if (this.norm) output = this.norm.forward(output);
    return output;
  }
}

class Transformer extends nn.Module {
  constructor(a) {
    super();
    if (a.custom_encoder !== null && a.custom_encoder !== undefined) this.encoder = a.custom_encoder;
    else {
      const encoder_layer = new nn.TransformerEncoderLayer(a.d_model, a.nhead, { dim_feedforward: a.dim_feedforward, dropout: a.dropout, activation: a.activation, layer_norm_eps: a.layer_norm_eps, batch_first: a.batch_first, norm_first: a.norm_first });
      const encoder_norm = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
      this.encoder = new nn.TransformerEncoder(encoder_layer, a.num_encoder_layers, encoder_norm);
    }
    if (a.custom_decoder !== null && a.custom_decoder !== undefined) this.decoder = a.custom_decoder;
    else {
      const decoder_layer = new nn.TransformerDecoderLayer(a.d_model, a.nhead, { dim_feedforward: a.dim_feedforward, dropout: a.dropout, activation: a.activation, layer_norm_eps: a.layer_norm_eps, batch_first: a.batch_first, norm_first: a.norm_first });
      const decoder_norm = new nn.LayerNorm(a.d_model, { eps: a.layer_norm_eps });
      this.decoder = new nn.TransformerDecoder(decoder_layer, a.num_decoder_layers, decoder_norm);
    }
    this.d_model = a.d_model;
    this.nhead = a.nhead;
    this.batch_first = a.batch_first;
  }
  forward(src, tgt) {
    const memory = this.encoder.forward(src);
    return this.decoder.forward(tgt, memory);
  }
}

class TransformerEncoder extends nn.Module {
  constructor(a) {
    super();
    this.layers = new nn.ModuleList(_get_clones(a.encoder_layer, a.num_layers));
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }
  forward(src) {
    let output = src;
    for (const mod of this.layers) output = mod.forward(output);
    if (this.norm) output = this.norm.forward(output);
    return output;
  }
}
`;

/**
 * torch/nn/modules/container.py (1.13), transcribed the same way: the containers are modules like
 * any other, so `class ConvBNAct extends nn.Sequential { constructor(…) { super(conv, bn, act) } }`
 * is simply a subclass. The natives (`_len`, `_items`, …) are Python's built-ins on modules
 * (moduleApi.ts); `add_module` and `register_parameter` are nn.Module's own.
 */
const CONTAINER_SOURCE = `
class Sequential extends nn.Module {
  constructor(...args) {
    super();
    if (args.length === 1 && _is_ordered_dict(args[0])) {
      for (const [key, module] of _items(args[0])) this.add_module(key, module);
    } else {
      for (let idx = 0; idx < args.length; idx++) this.add_module('' + idx, args[idx]);
    }
  }
  append(module) {
    this.add_module('' + _len(this), module);
    return this;
  }
  extend(sequential) {
    for (const layer of _list(sequential)) this.append(layer);
    return this;
  }
  insert(index, module) {
    const n = _len(this);
    if (index < 0) index = index + n;
    for (let i = n; i > index; i--) this.add_module('' + i, _get(this, '' + (i - 1)));
    this.add_module('' + index, module);
    return this;
  }
  forward(input) {
    for (const module of this) input = module(input);
    return input;
  }
}

class ModuleList extends nn.Module {
  constructor(modules = null) {
    super();
    if (modules !== undefined && modules !== null) this.extend(modules);
  }
  append(module) {
    this.add_module('' + _len(this), module);
    return this;
  }
  extend(modules) {
    const offset = _len(this);
    let i = 0;
    for (const module of _list(modules)) {
      this.add_module('' + (offset + i), module);
      i++;
    }
    return this;
  }
  insert(index, module) {
    for (let i = _len(this); i > index; i--) this.add_module('' + i, _get(this, '' + (i - 1)));
    this.add_module('' + index, module);
  }
  forward() {
    return _not_callable(this);
  }
}

class ModuleDict extends nn.Module {
  constructor(modules = null) {
    super();
    if (modules !== undefined && modules !== null) this.update(modules);
  }
  update(modules) {
    for (const [key, module] of _items(modules)) this.add_module(key, module);
  }
  keys() {
    return _keys(this);
  }
  values() {
    return _list(_items(this).map(([k, v]) => v));
  }
  items() {
    return _items(this);
  }
  forward() {
    return _not_callable(this);
  }
}

class ParameterList extends nn.Module {
  constructor(values = null) {
    super();
    if (values !== undefined && values !== null) this.extend(values);
  }
  append(value) {
    this.register_parameter('' + _len(this), value);
    return this;
  }
  extend(values) {
    for (const value of _list(values)) this.append(value);
    return this;
  }
  forward() {
    return _not_callable(this);
  }
}

class ParameterDict extends nn.Module {
  constructor(parameters = null) {
    super();
    if (parameters !== undefined && parameters !== null) this.update(parameters);
  }
  update(parameters) {
    for (const [key, value] of _items(parameters)) this.register_parameter(key, value);
  }
  keys() {
    return _keys(this);
  }
  forward() {
    return _not_callable(this);
  }
}
`;

const PATH = PRELUDE_PATH;
const TEXT = SOURCE + CONTAINER_SOURCE;
let parsed: ts.SourceFile | undefined;

/** `_get_clones(module, N)`: N fresh copies of a layer, as PyTorch deep-copies the template. */
function getClones(interp: Interp): NativeFunction {
  return new NativeFunction((args: Value[]): Value => {
    const [template, n] = args;
    if (!(template instanceof LayerInstance)) return new UnknownValue('the layer to copy is not a layer ModelLens knows');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return new UnknownValue('the number of copies is not a non-negative integer');
    return Array.from({ length: n }, () => copyLayer(template));
  });
}

/** The prelude's class of that name, parsed once per process and scoped once per analysis. */
export function preludeClass(interp: Interp, name: string): ClassInfo | undefined {
  const project = interp.project;
  let src = project.prelude;
  if (!src) {
    src = new SourceInfo(PATH, TEXT, (parsed ??= parse(PATH, TEXT)));
    project.prelude = src;
    const scope = project.scopeOf(interp, src);
    scope.declare('_get_clones', getClones(interp));
    for (const [name, fn] of Object.entries(PRELUDE_NATIVES)) scope.declare(name, fn);
    for (const [name, fn] of Object.entries(preludeReporters(interp))) scope.declare(name, fn);
  }
  const v = project.scopeOf(interp, src).lookup(name);
  return v instanceof ClassRef ? v.info : undefined;
}

/**
 * A composite layer (LayerEntry.expand) as an instance of its prelude class, made on its first
 * call and reused after; null when it runs as one row instead: its `when` says no, or its
 * configuration is invalid or unknown (the one-row path reports that, as for any layer).
 */
export function expandLayer(interp: Interp, layer: LayerInstance): ModuleInstance | null {
  const prelude = expansionOf(layer);
  const info = prelude && preludeClass(interp, prelude);
  if (!info) return null;
  const inst = new ModuleInstance(info, layer.node, layer.site);
  inst.userName = layer.userName;
  inst.registered = layer.registered;
  inst.conditional = layer.conditional;
  withAnchor(info.source, layer, () => initClass(interp, info, inst, [layer.args.values as Value], layer.node));
  return inst;
}

/** Natives the prelude's container classes are written with (Python built-ins on modules). */
const PRELUDE_NATIVES: Record<string, NativeFunction> = {
  /** `len(self)`. */
  _len: new NativeFunction(([self]) => (self instanceof ModuleInstance ? containerLength(self) : Array.isArray(self) ? self.length : new UnknownValue('len() of a value that is not a container'))),
  /** `self._modules[key]`. */
  _get: new NativeFunction(([self, key]) => (self instanceof ModuleInstance && typeof key === 'string' ? self.fields.get(key) ?? self.parameters?.get(key) : undefined)),
  /** `isinstance(arg, OrderedDict)`: in TypeScript an object literal of named children. */
  _is_ordered_dict: new NativeFunction(([v]) => isPlainObjectValue(v)),
  /** `modules.items()` of a dict, an object literal, a ModuleDict, or a list of pairs. */
  _items: new NativeFunction(([v]) => {
    if (isPlainObjectValue(v)) return Object.keys(v).map((k) => [k, v[k]]);
    if (v instanceof ModuleInstance) {
      const kind = containerKind(v);
      if (kind === 'ParameterDict') return [...(v.parameters ?? [])].map(([k, p]) => [k, p]);
      return namedChildren(v).map(([k, m]) => [k, m]);
    }
    if (Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string')) return v;
    return new UnknownValue('the items to add are not a dict ModelLens can read');
  }),
  /** The keys of a container in order (`ModuleDict.keys()`). */
  _keys: new NativeFunction(([v]) => (v instanceof ModuleInstance ? (containerKind(v) === 'ParameterDict' ? [...(v.parameters?.keys() ?? [])] : namedChildren(v).map(([k]) => k)) : [])),
  /** An iterable's items as a list (`for m in modules`), or unknown. */
  _list: new NativeFunction(([v]) => (Array.isArray(v) ? v : v instanceof ModuleInstance ? iterateModule(v) ?? new UnknownValue('not iterable') : isUnknown(v) ? v : new UnknownValue('not a list'))),
};

/** Natives that need the interpreter (errors reported at the user's call). */
function preludeReporters(interp: Interp): Record<string, NativeFunction> {
  return {
    _not_callable: new NativeFunction(([self], node) => {
      const name = self instanceof ModuleInstance ? self.userName ?? self.cls.name : 'this container';
      const kind = self instanceof ModuleInstance ? containerKind(self) : undefined;
      interp.report(node, 'error', `${name} is a ${kind ?? 'container'}: it is not callable (it has no forward); iterate over it in forward().`, 'config');
      return new SymTensor(null, -1, `${name} is not callable`);
    }),
  };
}
