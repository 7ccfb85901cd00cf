import { catalog } from '../catalog';
import { bindTorch, toSnake } from '../catalog/bind';
import { Unknowable, UnknownValue, isUnknown } from '../unknown';
import type { EvalHost } from './host';
import { rethrowBudget } from './budget';
import { LayerInstance, type Loc, ModuleInstance, Namespace, ParameterValue, SymTensor, UnknownLayer, Value, isPlainObjectValue } from './values';

/**
 * `torch.nn.Module`'s own API as PyTorch defines it (torch/nn/modules/module.py, 1.13), on the
 * interpreter's values: registration (`__setattr__`, `add_module`, `register_parameter`,
 * `register_buffer`), the iterators (`modules()`, `named_modules()`, `children()`, `parameters()`,
 * `named_parameters()`), `apply(fn)`, `requires_grad_()`, and the containers' `len`, indexing and
 * iteration. Language-neutral: the TypeScript front end calls these, and so can any other.
 */

/** A submodule value: a catalog layer, a layer of unknown kind, or a module made from a class. */
export type ModuleValue = LayerInstance | UnknownLayer | ModuleInstance;

export function isModuleValue(v: unknown): v is ModuleValue {
  return v instanceof LayerInstance || v instanceof UnknownLayer || v instanceof ModuleInstance;
}

/** The container classes transcribed in prelude.ts (torch/nn/modules/container.py). */
export const CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'ParameterList', 'ParameterDict']);

/** Which prelude container `inst` is (or derives from): `class Stage extends nn.Sequential` is a Sequential. */
export function containerKind(inst: ModuleInstance): string | undefined {
  return inst.cls.libraryLineage?.().find((n) => CONTAINERS.has(n));
}

/** Gives a registered child its PyTorch attribute name (a field name or a container index). */
export function registerName(v: Value, name: string): void {
  if (v instanceof LayerInstance || v instanceof UnknownLayer || v instanceof ModuleInstance) {
    if (!v.registered) {
      v.userName = name;
      v.registered = true;
    }
  }
}

/** `self._modules.items()`: the registered submodules in registration order (a `None` slot is skipped). */
export function namedChildren(inst: ModuleInstance): [string, ModuleValue][] {
  const out: [string, ModuleValue][] = [];
  for (const k of inst.fieldNames) {
    const v = inst.fields.get(k);
    if (isModuleValue(v)) out.push([k, v]);
  }
  return out;
}

/** `len(container)`: its submodules, or for a ParameterList/Dict its parameters. */
export function containerLength(inst: ModuleInstance): number {
  const kind = containerKind(inst);
  if (kind === 'ParameterList' || kind === 'ParameterDict') return inst.parameters?.size ?? 0;
  return namedChildren(inst).length;
}

/** What `for (const x of container)` yields: submodules (Sequential, ModuleList), keys (the dicts), parameters (ParameterList). */
export function iterateModule(inst: ModuleInstance): Value[] | undefined {
  // A child it holds is unknown: running the others as if it were not there would feed each the wrong input.
  if (inst.holdsUnknown) return undefined;
  const kind = containerKind(inst);
  if (kind === 'Sequential' || kind === 'ModuleList') return namedChildren(inst).map(([, v]) => v);
  if (kind === 'ModuleDict') return namedChildren(inst).map(([k]) => k);
  if (kind === 'ParameterList') return [...(inst.parameters?.values() ?? [])];
  if (kind === 'ParameterDict') return [...(inst.parameters?.keys() ?? [])];
  return undefined; // a plain module is not iterable in PyTorch
}

/**
 * `seq[i]`, `seq[-1]`, `list.length`, `params[0]` on a container: PyTorch's `__getitem__`/`__len__`
 * (an index counts submodules in order, whatever their keys). Undefined: not such an access.
 */
export function containerProperty(inst: ModuleInstance, key: string): Value | undefined {
  const kind = containerKind(inst);
  if (!kind) return undefined;
  if (inst.holdsUnknown) return new UnknownValue(inst.holdsUnknown);
  if (key === 'length') return containerLength(inst);
  const i = Number(key);
  if (key === '' || !Number.isInteger(i) || kind === 'ModuleDict' || kind === 'ParameterDict') return undefined;
  const items: Value[] = kind === 'ParameterList' ? [...(inst.parameters?.values() ?? [])] : namedChildren(inst).map(([, v]) => v);
  const at = i < 0 ? items.length + i : i;
  if (at < 0 || at >= items.length) return new UnknownValue(`index ${i} is out of range of ${inst.userName ?? kind} (${items.length} items)`);
  return items[at];
}

/** Sets a parameter slot on a module (`register_parameter`, or `this.w = new nn.Parameter(…)`); `null` empties it. */
function registerParameter(self: ModuleInstance, name: string, p: ParameterValue | null): void {
  const params = (self.parameters ??= new Map());
  if (p === null) params.delete(name);
  else params.set(name, p);
}

/** Registers a submodule the way `add_module` does: replacing keeps its place, and a container's child is named by its key. */
export function addModule(self: ModuleInstance, name: string, v: Value): void {
  if (isModuleValue(v)) {
    if (!v.registered || v.owner === self) {
      v.userName = name;
      v.registered = true;
    }
    if (!v.owner && containerKind(self)) v.owner = self;
  }
  if (!self.fields.has(name)) self.fieldNames.push(name);
  self.fields.set(name, v);
}

/**
 * `self.name = value` on a module, as `Module.__setattr__`: a Parameter registers a parameter, a
 * module registers a submodule, `None` over either empties the slot (it stays in its place, as in
 * PyTorch's dict), anything else is a plain attribute.
 */
export function setModuleAttribute(self: ModuleInstance, key: string, v: Value): void {
  if (v instanceof ParameterValue) {
    if (self.fields.has(key) && isModuleValue(self.fields.get(key))) self.fields.set(key, undefined);
    registerParameter(self, key, v);
    return;
  }
  if ((v === null || v === undefined) && self.parameters?.has(key)) {
    registerParameter(self, key, null);
    return;
  }
  if (isModuleValue(v) && self.parameters?.has(key)) registerParameter(self, key, null);
  addModule(self, key, v);
}

/** Sets `self.key = v` on an instance: registers submodules and `nn.Parameter`s the way PyTorch's `__setattr__` does. */
export function setField(self: Value, key: string, v: Value): void {
  if (self instanceof ModuleInstance) {
    setModuleAttribute(self, key, v);
  } else if (isPlainObjectValue(self)) {
    self[key] = v;
  }
}

/**
 * A layer's parameters by name (`fc.weight`, `fc.bias`), made the first time code reads one,
 * from the kind's `weights` rule. Undefined when the kind does not list them (or a size is unknown).
 */
export function layerSlots(layer: LayerInstance): Map<string, ParameterValue> | UnknownValue {
  if (layer.slots) return layer.slots;
  const rule = layer.entry.weights;
  if (!rule) {
    // A kind without parameters (Dropout, GELU, pools) has none to name: named_parameters() skips it.
    if (hasNoParameters(layer)) return (layer.slots = new Map());
    return new UnknownValue(`the parameters of ${layer.entry.type} are not modelled one by one`);
  }
  let shapes: Record<string, number[]>;
  try {
    shapes = rule(layer.args);
  } catch (e) {
    rethrowBudget(e);
    return new UnknownValue(e instanceof Unknowable ? e.reason : `${layer.entry.type}: ${(e as Error).message}`);
  }
  const slots = new Map<string, ParameterValue>();
  for (const k of Object.keys(shapes)) {
    const p = new ParameterValue(shapes[k]);
    p.frozen = !!layer.frozenAll;
    slots.set(k, p);
  }
  layer.slots = slots;
  return slots;
}

/**
 * The modules a catalog layer registers inside itself (LayerEntry.submodules: MultiheadAttention's
 * `out_proj`), made once, named and placed where the layer is written. Empty for other kinds, and
 * when the layer's configuration has no static value (its counts are unknown then anyway).
 */
export function layerSubmodules(layer: LayerInstance): [string, LayerInstance][] {
  if (layer.submodules) return layer.submodules;
  const rule = layer.entry.submodules;
  const out: [string, LayerInstance][] = [];
  if (rule) {
    let made: ReturnType<typeof rule> = {};
    try {
      made = rule(layer.args);
    } catch (e) {
      rethrowBudget(e);
    }
    for (const [name, { type, args }] of Object.entries(made)) {
      const entry = catalog.torch.get(type);
      if (!entry) continue;
      const child = new LayerInstance(entry, bindTorch(entry, [], args), layer.node, layer.site, undefined, undefined);
      child.conditional = layer.conditional;
      child.copied = layer.copied;
      child.heldBy = layer;
      registerName(child, name);
      out.push([name, child]);
    }
  }
  return (layer.submodules = out);
}

/**
 * The prelude class a composite layer (LayerEntry.expand: a TransformerEncoder) is made as, by
 * name; undefined when it stays one row: its `when` says no (a stack too deep to list), or its
 * configuration is invalid or unknown (the one-row path reports that, as for any layer).
 */
export function expansionOf(layer: LayerInstance): string | undefined {
  const how = layer.entry.expand;
  if (!how) return undefined;
  try {
    if (how.when && !how.when(layer.args)) return undefined;
    layer.entry.params(layer.args, []); // validates the configuration (heads divide d_model, …)
  } catch (e) {
    rethrowBudget(e);
    return undefined;
  }
  return how.prelude;
}

function hasNoParameters(layer: LayerInstance): boolean {
  if (layer.entry.container) return false;
  try {
    const p = layer.entry.params(layer.args, []);
    return p.trainable === 0 && p.nonTrainable === 0;
  } catch (e) {
    rethrowBudget(e);
    return false;
  }
}

/** Names a layer's own parameters could have, so that an absent one (`bias=False`) reads as None. */
const WEIGHT_NAMES = new Set(['weight', 'bias']);

/** `layer.weight`, `layer.bias`, or a constructor argument (`this.fc1.out_features`). */
export function layerAttribute(layer: LayerInstance, key: string): Value {
  if (layer.expanded) {
    // A composite made as its module: `encoder.layers`, `layer.self_attn`, `layer.norm_first`.
    const v = layer.expanded.fields.get(key) ?? layer.expanded.parameters?.get(key);
    if (v !== undefined) return v;
    if (key === 'training') return true;
  }
  if (layer.entry.framework === 'torch') {
    if (key === 'training') return true;
    const slots = layerSlots(layer);
    if (!isUnknown(slots)) {
      const p = slots.get(key);
      if (p) return p;
      if (WEIGHT_NAMES.has(key)) return null; // Linear(…, bias=False).bias is None
    } else if (WEIGHT_NAMES.has(key) || /^(weight|bias)_/.test(key)) return slots;
    const sub = layerSubmodules(layer).find(([k]) => k === key);
    if (sub) return sub[1]; // `attn.out_proj`
  }
  const raw = layer.args.raw(key) ?? layer.args.raw(toSnake(key));
  return raw === undefined ? new UnknownValue(`\`${key}\` of ${layer.entry.type} is not known`) : (raw as Value);
}

/** What a write needs from the front end running it (the TypeScript and the Python interpreters both are one). */
export type TorchWriteHost = Pick<EvalHost, 'report'> & { controlUnknown?: string };

/**
 * `layer.weight = other.weight` (tying: the tensor is now shared, and counted once), `p.requires_grad
 * = false` (frozen). Says whether it handled the write.
 */
export function setTorchAttribute(interp: TorchWriteHost, obj: Value, key: string, v: Value, node: Loc): boolean {
  if (obj instanceof ParameterValue) {
    if (key === 'requires_grad') {
      if (typeof v !== 'boolean') return freezeUnknown(interp, node, 'requires_grad is set to a value with no static truth');
      setRequiresGrad(obj, v);
    }
    return true;
  }
  if (obj instanceof LayerInstance && obj.expanded && key !== 'name') {
    // `encoder_layer.linear1 = …` on a composite made as its module: the module's own __setattr__.
    setModuleAttribute(obj.expanded, key, v);
    return true;
  }
  if (obj instanceof LayerInstance && obj.entry.framework === 'torch') {
    if (key === 'name') return true;
    if (layerSubmodules(obj).some(([k]) => k === key)) {
      // `attn.out_proj = nn.Linear(…)`: replacing a submodule the catalog made is not modelled.
      interp.controlUnknown ??= `${obj.displayName}.${key} is replaced`;
      interp.report(node, 'warning', `ModelLens cannot model replacing ${obj.displayName}.${key}: the totals are unknown.`, 'unknown-value');
      return true;
    }
    if (v instanceof ParameterValue || v === null) {
      const slots = layerSlots(obj);
      if (isUnknown(slots) || (!slots.has(key) && v !== null)) {
        interp.controlUnknown ??= `${obj.displayName}.${key} is replaced, and ${isUnknown(slots) ? slots.reason : `${obj.entry.type} has no parameter ${key}`}`;
        interp.report(node, 'warning', `ModelLens cannot model replacing ${obj.displayName}.${key}: the totals are unknown.`, 'unknown-value');
        return true;
      }
      if (v === null) slots.delete(key);
      else slots.set(key, v);
      return true;
    }
    return true; // a plain attribute on a layer (`layer.name`, flags): changes no count
  }
  return false;
}

function freezeUnknown(interp: TorchWriteHost, node: Loc, why: string): boolean {
  interp.controlUnknown ??= why;
  interp.report(node, 'warning', `${why}: which parameters are trainable is unknown.`, 'unknown-value');
  return true;
}

function setRequiresGrad(p: ParameterValue, on: boolean): void {
  if (p.whole) p.whole.frozenAll = !on;
  else p.frozen = !on;
}

/** Every module under `root` (itself first), once each, with PyTorch's dotted names: `named_modules()`. */
export function namedModules(root: ModuleValue, prefix = '', seen = new Set<ModuleValue>(), out: [string, ModuleValue][] = []): [string, ModuleValue][] {
  if (seen.has(root)) return out;
  seen.add(root);
  out.push([prefix, root]);
  for (const [k, child] of moduleChildren(root)) namedModules(child, prefix === '' ? k : `${prefix}.${k}`, seen, out);
  return out;
}

/** A module's registered submodules: a module's fields, or the ones a catalog layer makes inside itself. */
function moduleChildren(m: ModuleValue): [string, ModuleValue][] {
  if (m instanceof ModuleInstance) return namedChildren(m);
  if (m instanceof LayerInstance && m.expanded) return namedChildren(m.expanded);
  if (m instanceof LayerInstance && m.entry.framework === 'torch') return layerSubmodules(m);
  return [];
}

/**
 * `named_modules()`, or unknown when a composite layer in the tree is not made as its module (a
 * TransformerEncoder of more layers than a summary shows): the submodules PyTorch would list
 * inside it are not known, so neither is what a loop over them would see.
 */
function listedModules(root: ModuleValue): [string, ModuleValue][] | UnknownValue {
  const all = namedModules(root);
  for (const [, m] of all) {
    if (m instanceof LayerInstance && m.entry.expand && !m.expanded) return new UnknownValue(`the submodules inside ${m.displayName} (${m.entry.type}) are not listed one by one`);
  }
  return all;
}

/** `named_parameters()`: each tensor once, own parameters before the submodules', as PyTorch orders them. */
export function namedParameters(root: ModuleValue, recurse = true): [string | UnknownValue, ParameterValue][] {
  const out: [string | UnknownValue, ParameterValue][] = [];
  const seen = new Set<ParameterValue>();
  const mods = recurse ? namedModules(root) : [['', root] as [string, ModuleValue]];
  for (const [prefix, m] of mods) {
    const join = (k: string): string => (prefix === '' ? k : `${prefix}.${k}`);
    const own = m instanceof ModuleInstance ? m : m instanceof LayerInstance ? m.expanded : undefined;
    if (own) {
      for (const [k, p] of own.parameters ?? []) if (!seen.has(p)) (seen.add(p), out.push([join(k), p]));
    } else if (m instanceof LayerInstance && m.entry.framework === 'torch') {
      const slots = layerSlots(m);
      if (!isUnknown(slots)) {
        for (const [k, p] of slots) if (!seen.has(p)) (seen.add(p), out.push([join(k), p]));
      } else if (!m.entry.container) {
        // One stand-in for all of them: freezing it freezes the layer; its names are not known.
        out.push([new UnknownValue(`the parameter names of ${m.entry.type} are not modelled`), wholeLayer(m)]);
      }
    } else if (m instanceof UnknownLayer) {
      out.push([new UnknownValue(`${m.typeName} is an ${m.reason}`), new ParameterValue(null, m.reason)]);
    }
  }
  return out;
}

function wholeLayer(layer: LayerInstance): ParameterValue {
  let n: number | null = null;
  try {
    const p = layer.entry.params(layer.args, []);
    n = p.trainable + p.nonTrainable;
  } catch (e) {
    rethrowBudget(e);
  }
  return new ParameterValue(n === null ? null : [n], n === null ? 'its size is unknown' : undefined, layer, n);
}

/** Freezes or unfreezes every parameter under a module: `requires_grad_(flag)`. */
function requiresGradAll(root: ModuleValue, on: boolean): void {
  for (const [, p] of namedParameters(root)) setRequiresGrad(p, on);
}

/** Methods every nn.Module has; `NOT_BUILTIN` when `method` is none of them. */
export const NOT_BUILTIN = Symbol('not a Module method');

const RETURNS_SELF = new Set(['train', 'eval', 'to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'type', 'zero_grad', 'share_memory', 'requires_grad_', 'apply', 'register_forward_hook', 'register_forward_pre_hook', 'register_full_backward_hook']);

/** The nn.Module methods moduleMethod() answers (front ends bind them as methods of modules and layers). */
export const MODULE_METHODS: ReadonlySet<string> = new Set([
  ...['add_module', 'register_module', 'register_parameter', 'register_buffer', 'modules', 'named_modules', 'children', 'named_children'],
  ...['parameters', 'named_parameters', 'buffers', 'named_buffers', 'requires_grad_', 'apply', 'extra_repr', 'state_dict', 'load_state_dict'],
  ...RETURNS_SELF,
]);

/**
 * `module.method(args)` for nn.Module's own methods, on a user module or a torch layer. `call`
 * invokes a function value (for `apply(fn)`).
 */
export function moduleMethod(interp: TorchWriteHost, self: ModuleValue, method: string, args: Value[], node: Loc, call: (fn: Value, args: Value[]) => Value): Value | typeof NOT_BUILTIN {
  switch (method) {
    case 'add_module':
    case 'register_module': {
      if (!(self instanceof ModuleInstance)) break;
      const [name, m] = args;
      if (typeof name !== 'string') return unknownRegistration(interp, node, `${method}() with a name that has no static value`);
      if (!(isModuleValue(m) || m === null)) {
        self.holdsUnknown ??= `${method}('${name}', …) of a value that is not a module ModelLens knows`;
        return unknownRegistration(interp, node, self.holdsUnknown);
      }
      addModule(self, name, m);
      return undefined;
    }
    case 'register_parameter': {
      if (!(self instanceof ModuleInstance)) break;
      const [name, p] = args;
      if (typeof name !== 'string') return unknownRegistration(interp, node, 'register_parameter() with a name that has no static value');
      if (!(p instanceof ParameterValue || p === null)) return unknownRegistration(interp, node, `register_parameter('${name}', …) of a value that is not an nn.Parameter`);
      registerParameter(self, name, p);
      return undefined;
    }
    case 'register_buffer': {
      if (!(self instanceof ModuleInstance)) break;
      // Buffers (running statistics, positional tables) are state, never parameters.
      const [name, t] = args;
      // PyTorch takes only a tensor or None (anything else raises): one whose value ModelLens does
      // not know is a tensor of unknown shape, never a submodule that could hold parameters.
      if (typeof name === 'string') addModule(self, name, isUnknown(t) ? new SymTensor(null, -1000, `the buffer ${name}: ${t.reason}`) : t);
      return undefined;
    }
    case 'modules':
    case 'named_modules': {
      const all = listedModules(self);
      return isUnknown(all) ? all : all.map(([k, m]) => (method === 'modules' ? m : [k, m]));
    }
    case 'children':
    case 'named_children': {
      // A composite not made as its module has children nobody listed.
      const hidden = self instanceof LayerInstance ? listedModules(self) : undefined;
      if (isUnknown(hidden)) return hidden;
      return uniqueChildren(self).map(([k, m]) => (method === 'children' ? m : [k, m]));
    }
    case 'parameters':
      return namedParameters(self, recurseArg(args)).map(([, p]) => p);
    case 'named_parameters':
      return namedParameters(self, recurseArg(args, 1)).map(([k, p]) => [k, p]);
    case 'buffers':
    case 'named_buffers':
      return new UnknownValue(`${method}() is not modelled`);
    case 'requires_grad_': {
      const on = args.length === 0 ? true : isPlainObjectValue(args[0]) ? args[0].requires_grad ?? args[0].requiresGrad : args[0];
      if (typeof on !== 'boolean') return unknownRegistration(interp, node, 'requires_grad_() with a flag that has no static value');
      requiresGradAll(self, on);
      return self;
    }
    case 'apply': {
      // `self.apply(fn)`: fn on every submodule, children first, then the module itself.
      const fn = args[0];
      const listed = listedModules(self);
      if (isUnknown(listed)) return unknownRegistration(interp, node, `apply() cannot reach every submodule: ${listed.reason}`);
      for (const m of postOrder(self, new Set())) call(fn, [m]);
      return self;
    }
    case 'extra_repr':
    case 'state_dict':
    case 'load_state_dict':
      return undefined;
  }
  if (RETURNS_SELF.has(method)) return self;
  return NOT_BUILTIN;
}

function postOrder(m: ModuleValue, seen: Set<ModuleValue>, out: ModuleValue[] = []): ModuleValue[] {
  if (seen.has(m)) return out;
  seen.add(m);
  for (const [, c] of moduleChildren(m)) postOrder(c, seen, out);
  out.push(m);
  return out;
}

function uniqueChildren(self: ModuleValue): [string, ModuleValue][] {
  const seen = new Set<ModuleValue>();
  return moduleChildren(self).filter(([, m]) => !seen.has(m) && !!seen.add(m));
}

/** `parameters(recurse=False)` / `parameters({ recurse: false })`. */
function recurseArg(args: Value[], at = 0): boolean {
  const a = args[at];
  if (typeof a === 'boolean') return a;
  if (isPlainObjectValue(args[args.length - 1])) {
    const o = args[args.length - 1] as Record<string, Value>;
    if (typeof o.recurse === 'boolean') return o.recurse;
  }
  return true;
}

function unknownRegistration(interp: TorchWriteHost, node: Loc, why: string): UnknownValue {
  interp.controlUnknown ??= why;
  interp.report(node, 'warning', `${why}: what the model holds is unknown.`, 'unknown-value');
  return new UnknownValue(why);
}

/** Methods of a parameter tensor that are not shape operations. */
export function parameterMethod(p: ParameterValue, method: string, args: Value[]): Value | typeof NOT_BUILTIN {
  if (method === 'requires_grad_') {
    const on = args.length === 0 ? true : args[0];
    if (typeof on !== 'boolean') return new UnknownValue('requires_grad_() with a flag that has no static value');
    setRequiresGrad(p, on);
    return p;
  }
  // In-place initialisers (`p.data.normal_(0, 0.02)`, `p.zero_()`) change values, not sizes.
  if (method.endsWith('_') && method !== 'requires_grad_') return p;
  return NOT_BUILTIN;
}

/** Attributes of a parameter tensor that are not its shape. */
export function parameterAttribute(p: ParameterValue, key: string): Value | typeof NOT_BUILTIN {
  if (key === 'requires_grad') return !p.frozen && !p.whole?.frozenAll;
  if (key === 'data') return p;
  return NOT_BUILTIN;
}

/**
 * `v instanceof C` for modules and layers, as Python's `isinstance` sees PyTorch's classes: a layer
 * is an instance of its kind and of nn.Module; a module of its class, its bases and nn.Module.
 * Undefined: not a question about torch values.
 */
export function torchInstanceOf(v: Value, ctor: Value): boolean | UnknownValue | undefined {
  if (!(ctor instanceof Namespace)) return undefined;
  const name = ctor.last;
  if (name === 'Module') return isModuleValue(v);
  if (name === 'Parameter') return v instanceof ParameterValue;
  if (name === 'Tensor') return v instanceof SymTensor;
  if (v instanceof LayerInstance) return v.entry.type === name || baseKinds(v.entry.type).includes(name);
  if (v instanceof ModuleInstance) {
    return v.cls.libraryLineage?.().includes(name) ?? false;
  }
  if (v instanceof UnknownLayer) return v.typeName === name ? true : new UnknownValue(`whether ${v.typeName} is a ${name} is not known`);
  if (!catalog.torch.has(name) && !CONTAINERS.has(name)) return undefined;
  return false;
}

/** PyTorch's private base classes that init loops test against (`isinstance(m, _BatchNorm)`). */
function baseKinds(type: string): string[] {
  if (/^Conv(Transpose)?\dd$/.test(type)) return ['_ConvNd'];
  if (/^BatchNorm\dd$/.test(type)) return ['_BatchNorm', '_NormBase'];
  if (/^InstanceNorm\dd$/.test(type)) return ['_InstanceNorm', '_NormBase'];
  if (type === 'RNN' || type === 'LSTM' || type === 'GRU') return ['RNNBase'];
  if (type === 'NonDynamicallyQuantizableLinear') return ['Linear'];
  return [];
}
