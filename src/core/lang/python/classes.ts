import { UnknownValue, isUnknown } from '../../unknown';
import { LayerInstance, ModuleInstance, Namespace, ParameterValue, SymTensor, UnknownLayer, type Value, existsOnlyIf } from '../../framework/values';
import { NOT_BUILTIN, containerKind, containerLength, containerProperty, iterateModule, layerSlots, namedChildren, parameterAttribute, setField, setTorchAttribute } from '../../framework/moduleApi';
import { tensorMethod } from '../../framework/tensorOps';
import type * as N from './nodes';
import { PyRaise, type PyInterp } from './interp';
import { Scope } from './scope';
import { BoundMethod, BoundTensorMethod, PyClass, PyDict, PyFunction, PyModuleValue, PyNative, PyObject, type PyValue, SuperProxy } from './values';
export { BoundTensorMethod };
import { Slice, evalExpr, isKey, sliceRange, textOf } from './expressions';
import { compositeClass, containerName, preludeClass } from './prelude';
import { execBlock } from './statements';
import { invokeFunction } from './calls';
import { OrderedDictValue, isLibraryModuleClass, isModuleBase, layerAttr, makeLayer, namespaceAttr, moduleMethod } from './torch';
import { catalog } from '../../catalog';

const MAX_SELF_NESTING = 8;

/** Why a module's construction is uncertain (an undecidable branch in its `__init__`). */
export const builtUnknownOf = new WeakMap<ModuleInstance, string>();

/** A base along the class's order that ModelLens has no value for (`class Size(Enum)` with `enum` unread). */
function unreadableBase(cls: PyClass): UnknownValue | undefined {
  for (const c of cls.mro()) {
    for (const b of c.bases) {
      if (isUnknown(b)) return b;
      // A library class other than torch's (`torchvision._utils.StrEnum`, an Enum): not modelled.
      if (b instanceof Namespace && b.parts[0] !== 'torch') return new UnknownValue(`${b.path} is a library class ModelLens does not model`);
    }
  }
  return undefined;
}

/** `class Name(bases): body` — the body runs once, its names become class attributes. */
export function defineClass(I: PyInterp, s: N.ClassDef, scope: Scope): PyClass {
  // `class Block(nn.Sequential)`, `class PreNorm(nn.TransformerEncoderLayer)`: PyTorch's own class
  // (prelude.ts, transformerPrelude.ts) is its base, so its `super().__init__(…)`, `append`,
  // `_sa_block`, `forward` are PyTorch's own.
  const bases = s.bases.filter((b) => b.kind === 'pos').map((b) => {
    const v = evalExpr(I, b.value, scope);
    const container = containerName(v);
    const composite = v instanceof Namespace && v.parts[0] === 'torch' && v.parts[1] === 'nn' ? compositeClass(I, v.last) : undefined;
    return (container && preludeClass(I, container)) || composite || v;
  });
  const isModule = bases.some((b) => (b instanceof PyClass ? b.isModule : isLibraryModuleClass(b)));
  const cls = new PyClass(s.name, s, I.file, bases, isModule);
  cls.inputShapeTag = inputShapeTag(I, s);
  const moduleName = scope.module.vars.get('__name__');
  cls.moduleName = typeof moduleName === 'string' ? moduleName : new UnknownValue(`the name of the module that defines ${s.name} is not known`);
  const body = new Scope(scope, scope.module);
  const dataclass = s.decorators.some((d) => decoratorName(d) === 'dataclass');
  const fields: { name: string; default?: PyValue }[] = [];
  for (const st of s.body) {
    if (st.kind === 'def') {
      const kind = decoratorKind(st.decorators);
      const f = new PyFunction(st, scope, I.file, cls, kind);
      // A property's setter (`@x.setter`) keeps the getter.
      if (st.decorators.some((d) => d.kind === 'attr' && d.name === 'setter')) continue;
      cls.attrs.set(st.name, f);
      body.set(st.name, f);
      continue;
    }
    if (st.kind === 'assign' && dataclass && st.targets.length === 1 && st.targets[0].kind === 'name' && st.annotated) {
      const name = st.targets[0].id;
      let dflt: PyValue | undefined = st.value ? evalExpr(I, st.value, body) : undefined;
      if (dflt instanceof FieldSpec) dflt = dflt.value;
      fields.push({ name, default: dflt });
      if (dflt !== undefined) cls.attrs.set(name, dflt);
      continue;
    }
    execBlock(I, [st], body);
    if (st.kind === 'assign' || st.kind === 'class') for (const [k, v] of body.vars) if (!cls.attrs.has(k)) cls.attrs.set(k, v);
  }
  if (dataclass) cls.dataclassFields = [...(bases.find((b): b is PyClass => b instanceof PyClass)?.dataclassFields ?? []), ...fields];
  return cls;
}

/** `dataclasses.field(default=…)` / `field(default_factory=…)`. */
export class FieldSpec {
  constructor(readonly value: PyValue) {}
}

function decoratorName(d: N.Expr): string | undefined {
  const e = d.kind === 'call' ? d.fn : d;
  return e.kind === 'name' ? e.id : e.kind === 'attr' ? e.name : undefined;
}

function decoratorKind(ds: N.Expr[]): PyFunction['kind'] {
  for (const d of ds) {
    const n = decoratorName(d);
    if (n === 'staticmethod') return 'static';
    if (n === 'classmethod') return 'class';
    if (n === 'property' || n === 'cached_property') return 'property';
  }
  return 'function';
}

/** `# @inputShape [64, 128]` on the lines just above the class, or `@inputShape` in its docstring. */
function inputShapeTag(I: PyInterp, s: N.ClassDef): PyClass['inputShapeTag'] {
  const text = I.file.text;
  const doc = s.body[0]?.kind === 'expr' && s.body[0].value.kind === 'str' ? s.body[0].value : undefined;
  const m = doc ? /@inputShape\b([^\n]*)/.exec(doc.value) : undefined;
  if (doc && m) return { text: m[1].trim(), line: I.file.lineOf(doc.pos), start: doc.pos, end: doc.end };
  // Comment lines directly above (decorators in between are fine).
  let p = text.lastIndexOf('\n', s.pos - 1);
  while (p > 0) {
    const prev = text.lastIndexOf('\n', p - 1);
    const line = text.slice(prev + 1, p).trim();
    if (!line.startsWith('#') && !line.startsWith('@')) break;
    const t = /@inputShape\b(.*)$/.exec(line);
    if (t) return { text: t[1].trim(), line: I.file.lineOf(prev + 1), start: prev + 1, end: p };
    p = prev;
  }
  return undefined;
}

/** A library base class other than nn.Module and the prelude's containers (`nn.LayerNorm`, …) along the class's order. */
function libraryBase(cls: PyClass): Namespace | undefined {
  for (const c of cls.mro()) for (const b of c.bases) if (b instanceof Namespace && !isModuleBase(b)) return b;
  return undefined;
}

/** The catalog layer a class derives from (`class LayerNorm2d(nn.LayerNorm)`), when it is one ModelLens knows. */
function libraryLayerBase(cls: PyClass): Namespace | undefined {
  const b = libraryBase(cls);
  const entry = b && b.parts[0] === 'torch' && b.parts[1] === 'nn' ? catalog.torch.get(b.last) : undefined;
  return entry && !entry.container ? b : undefined;
}

/**
 * nn.LayerNorm's (or another catalog layer's) `__init__` on a subclass's instance: the layer's own
 * parameters (`weight`, `bias`, from the kind's weights rule, the same shapes the catalog counts)
 * registered on the module, and its arguments as plain attributes. The subclass's `forward` is its
 * own; one without a forward has an unknown output, never the layer's guessed.
 */
function initLibraryLayer(I: PyInterp, self: ModuleInstance, base: Namespace, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): void {
  I.effects++;
  // A required argument of the layer's that this construction leaves out (the class summarised on
  // its own, with no call to read it from) has no value, as a user class's own would.
  const signature = catalog.torch.get(base.last)?.signature ?? [];
  const missing = signature.filter((p, i) => p.default === undefined && !p.rest && !p.restKeywords && i >= args.length && !kwargs.has(p.name));
  if (missing.length) {
    kwargs = new Map(kwargs);
    for (const p of missing) kwargs.set(p.name, new UnknownValue(`the argument \`${p.name}\` of ${self.cls.name}() has no value`));
  }
  const layer = makeLayer(I, base, args, kwargs, node);
  if (!(layer instanceof LayerInstance)) {
    I.controlUnknown ??= `the ${base.last} that ${self.cls.name} derives from could not be built${layer instanceof UnknownLayer && layer.reason ? ` (${layer.reason})` : ''}`;
    return;
  }
  const slots = layerSlots(layer);
  if (isUnknown(slots)) {
    I.controlUnknown ??= `${self.cls.name} derives from ${base.last}: ${slots.reason}`;
    return;
  }
  for (const [k, p] of slots) setField(self, k, p);
  for (const [k, v] of Object.entries(layer.args.values)) {
    if (v === undefined || isUnknown(v) || v instanceof LayerInstance || self.fields.has(k) || self.parameters?.has(k)) continue;
    self.fieldNames.push(k);
    self.fields.set(k, v as Value);
  }
}

export function findMethod(cls: PyClass, name: string): PyFunction | undefined {
  const f = cls.lookup(name)?.value;
  return f instanceof PyFunction ? f : undefined;
}

/** `Cls(args)`: a module (PyTorch's `__init__` path), a dataclass, or a plain object. */
export function instantiate(I: PyInterp, cls: PyClass, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): PyValue {
  if (cls.instantiating > MAX_SELF_NESTING) {
    I.report(node, 'error', `${cls.name} contains itself (a circular module reference).`, 'cycle');
    const u = new UnknownLayer(cls.name, 'torch', node, I.file.site(node));
    u.reason = 'circular module reference';
    return u;
  }
  cls.instantiating++;
  try {
    if (cls.isModule) {
      const inst = new ModuleInstance(cls, node, I.file.site(node));
      const base = libraryLayerBase(cls) ? undefined : libraryBase(cls)?.path.replace(/^torch\./, '');
      if (base) {
        // Subclassing nn.Sequential / nn.ModuleDict: their registration is not modelled for Python yet.
        I.effects++;
        I.controlUnknown ??= `${cls.name} derives from ${base}, whose subclasses ModelLens does not model in Python yet`;
      }
      if (I.branchCondition) inst.conditional = existsOnlyIf(I.branchCondition);
      const init = findMethod(cls, '__init__');
      const before = I.controlUnknown;
      I.controlUnknown = undefined;
      if (I.topLevel && I.building === 0 && !I.recorder) {
        let sites = I.callSites.get(cls);
        if (!sites) I.callSites.set(cls, (sites = []));
        sites.push({ inst, args, kwargs });
      }
      I.building++;
      try {
        if (init) invokeFunction(I, init, [inst, ...args], kwargs, node);
        else {
          const layerBase = libraryLayerBase(cls);
          if (layerBase) initLibraryLayer(I, inst, layerBase, args, kwargs, node);
        }
      } finally {
        I.building--;
        // Construction that took an undecidable path: this module's set of layers is unknown.
        if (I.controlUnknown) builtUnknownOf.set(inst, I.controlUnknown);
        I.controlUnknown = before ?? I.controlUnknown;
      }
      return inst;
    }
    const obj = new PyObject(cls);
    if (cls.dataclassFields && !findMethod(cls, '__init__')) {
      dataclassInit(I, cls, obj, args, kwargs, node);
      return obj;
    }
    const init = findMethod(cls, '__init__');
    if (init) invokeFunction(I, init, [obj, ...args], kwargs, node);
    return obj;
  } finally {
    cls.instantiating--;
  }
}

/** The `__init__` `@dataclass` writes: each field from its argument or its default, then `__post_init__`. */
function dataclassInit(I: PyInterp, cls: PyClass, obj: PyObject, args: PyValue[], kwargs: Map<string, PyValue>, node: N.Span): void {
  const fields = cls.dataclassFields ?? [];
  fields.forEach((f, i) => {
    const v = i < args.length ? args[i] : kwargs.has(f.name) ? kwargs.get(f.name) : f.default !== undefined ? f.default : new UnknownValue(`the field \`${f.name}\` of ${cls.name} has no value`);
    obj.attrs.set(f.name, v);
  });
  if (args.length > fields.length) throw new PyRaise(`TypeError: ${cls.name}.__init__() takes ${fields.length + 1} positional arguments but ${args.length + 1} were given`, node);
  const post = findMethod(obj.cls, '__post_init__');
  if (post) invokeFunction(I, post, [obj], new Map(), node);
}

/** `obj.name`. */
export function getAttr(I: PyInterp, obj: PyValue, name: string, node: N.Span): PyValue {
  if (obj instanceof PyFunction && (name === '__module__' || name === '__name__')) {
    // A function's own names (`_log_api_usage_once(fn)` reads them): where it is defined, what it is called.
    if (name === '__name__') return obj.name;
    const m = obj.closure.module.vars.get('__name__');
    return typeof m === 'string' ? m : new UnknownValue(`the name of the module that defines ${obj.name} is not known`);
  }
  if (isUnknown(obj)) return obj;
  if (obj instanceof ModuleInstance) {
    if (obj.fields.has(name)) return obj.fields.get(name);
    // The Parameter itself (a tensor): freezing, tying or using it in forward() is followed as PyTorch does.
    if (obj.parameters?.has(name)) return obj.parameters.get(name) ?? new UnknownValue(`the parameter ${name} as a value`);
    const cls = obj.cls instanceof PyClass ? obj.cls : undefined;
    const found = cls?.lookup(name);
    if (found) return bind(I, found.value, obj, cls!, node);
    if (name === 'training') return true; // a freshly constructed module is in training mode
    if (name === '__class__' && cls) return cls;
    if (name === '__module__' && cls) return cls.moduleName;
    return moduleMethod(I, obj, name, node);
  }
  if (obj instanceof PyObject) {
    if (obj.attrs.has(name)) return obj.attrs.get(name);
    if (name === '__class__') return obj.cls;
    if (name === '__module__') return obj.cls.moduleName;
    const found = obj.cls.lookup(name);
    if (found) return bind(I, found.value, obj, obj.cls, node);
    return new UnknownValue(`${obj.cls.name} has no attribute \`${name}\` ModelLens knows`);
  }
  if (obj instanceof PyClass) {
    const found = obj.lookup(name);
    if (found) {
      const v = found.value;
      if (v instanceof PyFunction && v.kind === 'class') return new BoundMethod(v, obj);
      // A base ModelLens cannot read may make class attributes something else (an Enum's are its
      // members, not the values written): a plain value read off such a class is unknown.
      const unread = v instanceof PyFunction || v instanceof PyClass ? undefined : unreadableBase(obj);
      if (unread) return new UnknownValue(`${obj.name}.${name}: ${obj.name} derives from a class ModelLens cannot read (${unread.reason}), which may change what its attributes are`);
      return v;
    }
    if (name === '__name__') return obj.name;
    if (name === '__module__') return obj.moduleName;
    return new UnknownValue(`${obj.name}.${name} is not known`);
  }
  if (obj instanceof SuperProxy) {
    const self = obj.self;
    const cls = self instanceof ModuleInstance ? (self.cls as PyClass) : self instanceof PyObject ? self.cls : undefined;
    if (!cls) return new UnknownValue('super() outside a method');
    const mro = cls.mro();
    for (const c of mro.slice(mro.indexOf(obj.home) + 1)) {
      if (c.attrs.has(name)) return bind(I, c.attrs.get(name), self, c, node);
      // A `@dataclass` base's generated `__init__` (a config class that adjusts its arguments first).
      if (name === '__init__' && c.dataclassFields && self instanceof PyObject) {
        const base = c;
        return new PyNative('__init__', (args, kwargs, at) => (dataclassInit(I, base, self, args, kwargs, at), null));
      }
    }
    // A catalog layer as the library base: its parameters and attributes.
    const layerBase = libraryLayerBase(cls);
    if (name === '__init__' && layerBase && self instanceof ModuleInstance) return new PyNative('__init__', (args, kwargs, at) => (initLibraryLayer(I, self, layerBase, args, kwargs, at), null));
    // The library base (nn.Module, object): its __init__ does nothing ModelLens needs.
    if (name === '__init__') return new PyNative('__init__', () => null);
    return new UnknownValue(`super().${name} is not known`);
  }
  if (obj instanceof PyModuleValue) {
    const v = obj.scope.vars.get(name);
    return v !== undefined || obj.scope.vars.has(name) ? v : new UnknownValue(`${obj.name}.${name} is not defined`);
  }
  if (obj instanceof ParameterValue) {
    const a = parameterAttribute(obj, name);
    if (a !== NOT_BUILTIN) return a as PyValue;
  }
  if (obj instanceof SymTensor) {
    if (name === 'shape' || name === 'ndim') return tensorMethod(I, obj, `attr:${name}`, [], node) as PyValue;
    return new BoundTensorMethod(obj, name);
  }
  if (obj instanceof LayerInstance) return layerAttr(I, obj, name, node);
  if (obj instanceof Namespace) return namespaceAttr(obj, name);
  if (obj instanceof PyDict) return dictMethod(obj, name);
  if (Array.isArray(obj)) return listMethod(I, obj, name);
  if (typeof obj === 'string') return stringMethod(obj, name);
  return new UnknownValue(`\`.${name}\` of this value is not evaluated statically`);
}

function bind(I: PyInterp, v: PyValue, self: PyValue, owner: PyClass, node: N.Span): PyValue {
  if (!(v instanceof PyFunction)) return v;
  if (v.kind === 'static') return v;
  if (v.kind === 'class') return new BoundMethod(v, owner);
  if (v.kind === 'property') return invokeFunction(I, v, [self], new Map(), node);
  return new BoundMethod(v, self);
}

/** `obj.name = v`: a module registers submodules and parameters as PyTorch's __setattr__ does. */
export function setAttr(I: PyInterp, obj: PyValue, name: string, v: PyValue, node: N.Span): void {
  I.effects++;
  if (obj instanceof ModuleInstance) {
    // A module, a Parameter, or None over either: PyTorch's __setattr__ (moduleApi.ts).
    if (v instanceof ParameterValue || v instanceof LayerInstance || v instanceof UnknownLayer || v instanceof ModuleInstance || (v === null && (obj.parameters?.has(name) || obj.fields.has(name)))) setField(obj, name, v as Value);
    else {
      // An unknown value may be a submodule: which layers this module has is then unknown.
      if (isUnknown(v)) I.controlUnknown ??= `self.${name} has no static value (${v.reason}), and it may be a submodule`;
      // A plain attribute: not a submodule, but forward may read it.
      if (!obj.fields.has(name)) obj.fieldNames.push(name);
      obj.fields.set(name, v as Value);
    }
    return;
  }
  if (obj instanceof PyObject) {
    obj.attrs.set(name, v);
    return;
  }
  if (obj instanceof PyClass) {
    obj.attrs.set(name, v);
    return;
  }
  // A library layer's parameter replaced or tied (`self.head.weight = self.embed.weight`), a parameter
  // frozen (`p.requires_grad = False`): PyTorch's semantics, shared with the TypeScript front end.
  if ((obj instanceof LayerInstance || obj instanceof ParameterValue) && setTorchAttribute(I, obj, name, v as Value, node)) return;
  // Anything else could hold or alias what the model counts (an object with no static value may be
  // a layer: `holder.x = model.fc; holder.x.weight = …`): its totals can no longer be promised.
  I.controlUnknown ??= `\`${textOf(I, node)} = …\` is not followed statically${isUnknown(obj) ? ` (${obj.reason})` : ''}`;
  if (isUnknown(obj)) return;
  I.report(node, 'info', `Setting \`${textOf(I, node)}\` is not followed statically.`, 'unknown-value');
}

export function setItem(I: PyInterp, obj: PyValue, idx: PyValue, v: PyValue, node: N.Span): void {
  I.effects++;
  if (obj instanceof PyDict && isKey(idx)) obj.map.set(idx, v);
  else if (Array.isArray(obj) && typeof idx === 'number' && Number.isInteger(idx) && idx < obj.length && idx >= -obj.length) obj[idx < 0 ? obj.length + idx : idx] = v;
  else if (obj instanceof ModuleInstance && containerKind(obj)) setContainerItem(I, obj, idx, v, node);
  // A write into a tensor (`attn_mask[h0:h1, w0:w1] = count`, `coords[:, :, 0] += 6`) changes its
  // values, never its shape, and registers nothing.
  else if (obj instanceof SymTensor) return;
  // A slice in the index (`coords[:, :, 0] = …`) writes into a tensor: a container's slot takes one index.
  else if (isUnknown(obj) && (idx instanceof Slice || (Array.isArray(idx) && idx.some((i) => i instanceof Slice)))) return;
  // Anything else (a container's slot, an object with no static value) may hold what the model counts.
  else I.controlUnknown ??= `\`${textOf(I, node)} = …\` is not followed statically${isUnknown(obj) ? ` (${obj.reason})` : ''}`;
}

/**
 * `self.features[0]`, `self.blocks[-1]`, `self.heads["cls"]`, `self.layers[1:]`: a container's
 * `__getitem__` (framework/moduleApi.ts for the index; a key of a ModuleDict/ParameterDict). A
 * slice of a plain Sequential or ModuleList is a new one holding the same modules, as PyTorch makes
 * it; a subclass's slice calls its own constructor, which is not followed.
 */
export function subscriptObject(I: PyInterp, obj: PyValue, idx: PyValue, node: N.Span): PyValue {
  const kind = obj instanceof ModuleInstance ? containerKind(obj) : undefined;
  if (obj instanceof ModuleInstance && kind) {
    if (kind === 'ModuleDict' || kind === 'ParameterDict') {
      if (typeof idx !== 'string') return new UnknownValue(`\`${textOf(I, node)}\`: the key has no static value`);
      const v = kind === 'ModuleDict' ? namedChildren(obj).find(([k]) => k === idx)?.[1] : obj.parameters?.get(idx);
      return v !== undefined ? (v as PyValue) : new UnknownValue(`\`${textOf(I, node)}\`: no such key`);
    }
    if (typeof idx === 'number' && Number.isInteger(idx)) {
      const v = containerProperty(obj, String(idx));
      return v === undefined ? new UnknownValue(`\`${textOf(I, node)}\` is not evaluated statically`) : (v as PyValue);
    }
    if (idx instanceof Slice && (kind === 'Sequential' || kind === 'ModuleList') && obj.cls.name === kind) {
      // A container holding a module ModelLens cannot read has no list of items to slice.
      const items = iterateModule(obj) as PyValue[] | undefined;
      if (!items) return new UnknownValue(`\`${textOf(I, node)}\`: the container holds a module ModelLens cannot read`);
      const r = sliceRange(idx, items.length);
      const cls = preludeClass(I, kind);
      if (r && cls && kind === 'ModuleList') return instantiate(I, cls, [r.map((i) => items[i])], new Map(), node);
      if (r && cls) {
        // Sequential keeps the keys: `OrderedDict(list(self._modules.items())[idx])`.
        const named = new OrderedDictValue();
        const all = namedChildren(obj);
        for (const i of r) named.map.set(all[i][0], all[i][1] as PyValue);
        return instantiate(I, cls, [named], new Map(), node);
      }
    }
  }
  return new UnknownValue(`\`${textOf(I, node)}\` is not evaluated statically`);
}

/** `self.layers[i] = m` (Sequential, ModuleList: the i-th slot), `self.heads["cls"] = m` (ModuleDict): `setattr` under that key. */
function setContainerItem(I: PyInterp, obj: ModuleInstance, idx: PyValue, v: PyValue, node: N.Span): void {
  const kind = containerKind(obj);
  let key: string | undefined;
  if ((kind === 'ModuleDict' || kind === 'ParameterDict') && typeof idx === 'string') key = idx;
  else if ((kind === 'Sequential' || kind === 'ModuleList') && typeof idx === 'number' && Number.isInteger(idx)) {
    const names = namedChildren(obj).map(([k]) => k);
    const at = idx < 0 ? names.length + idx : idx;
    key = names[at];
  }
  if (key === undefined) {
    I.controlUnknown ??= `\`${textOf(I, node)} = …\` is not followed statically`;
    return;
  }
  setAttr(I, obj, key, v, node);
}

/** What iterating a container gives (children, or a dict's keys), as moduleApi.ts defines it for both languages. */
export function moduleItems(v: PyValue): PyValue[] | undefined {
  if (v instanceof ModuleInstance && containerKind(v)) return iterateModule(v) as PyValue[] | undefined;
  return undefined;
}

/** `len(container)`. */
export function moduleLength(v: PyValue): number | undefined {
  return v instanceof ModuleInstance && containerKind(v) && !v.holdsUnknown ? containerLength(v) : undefined;
}

function listMethod(I: PyInterp, list: PyValue[], name: string): PyValue {
  switch (name) {
    case 'append':
      return new PyNative('append', (a) => {
        I.effects++;
        list.push(a[0]);
        return null;
      });
    case 'extend':
      return new PyNative('extend', (a) => {
        I.effects++;
        if (!Array.isArray(a[0])) throw new PyRaise('extend() of a value that is not a list ModelLens knows', { pos: 0, end: 0 });
        list.push(...a[0]);
        return null;
      });
    case 'insert':
      return new PyNative('insert', (a) => {
        I.effects++;
        if (typeof a[0] === 'number') list.splice(a[0] < 0 ? list.length + a[0] : a[0], 0, a[1]);
        return null;
      });
    case 'pop':
      return new PyNative('pop', (a) => {
        I.effects++;
        const k = typeof a[0] === 'number' ? (a[0] < 0 ? list.length + a[0] : a[0]) : list.length - 1;
        return list.splice(k, 1)[0];
      });
    case 'index':
      return new PyNative('index', (a) => list.indexOf(a[0]));
    case 'copy':
      return new PyNative('copy', () => [...list]);
  }
  return new UnknownValue(`list.${name} is not evaluated statically`);
}

function dictMethod(d: PyDict, name: string): PyValue {
  switch (name) {
    case 'get':
      return new PyNative('get', (a) => (isKey(a[0]) && d.map.has(a[0]) ? d.map.get(a[0]) : a[1] === undefined ? null : a[1]));
    case 'keys':
      return new PyNative('keys', () => [...d.map.keys()]);
    case 'values':
      return new PyNative('values', () => [...d.map.values()]);
    case 'items':
      return new PyNative('items', () => [...d.map.entries()].map(([k, v]) => [k, v]));
    case 'pop':
      return new PyNative('pop', (a) => {
        if (!isKey(a[0])) return new UnknownValue('dict.pop of an unknown key');
        const v = d.map.has(a[0]) ? d.map.get(a[0]) : a[1] === undefined ? new UnknownValue('dict.pop of a missing key') : a[1];
        d.map.delete(a[0]);
        return v;
      });
    case 'setdefault':
      return new PyNative('setdefault', (a) => {
        if (!isKey(a[0])) return new UnknownValue('dict.setdefault of an unknown key');
        if (!d.map.has(a[0])) d.map.set(a[0], a[1] === undefined ? null : a[1]);
        return d.map.get(a[0]);
      });
    case 'update':
      return new PyNative('update', (a, kw) => {
        if (a[0] instanceof PyDict) for (const [k, v] of a[0].map) d.map.set(k, v);
        for (const [k, v] of kw) d.map.set(k, v);
        return null;
      });
  }
  return new UnknownValue(`dict.${name} is not evaluated statically`);
}

function stringMethod(s: string, name: string): PyValue {
  switch (name) {
    case 'startswith':
      return new PyNative(name, (a) => (typeof a[0] === 'string' ? s.startsWith(a[0]) : new UnknownValue('startswith of an unknown prefix')));
    case 'endswith':
      return new PyNative(name, (a) => (typeof a[0] === 'string' ? s.endsWith(a[0]) : new UnknownValue('endswith of an unknown suffix')));
    case 'find':
    case 'rfind':
      // `classname.find('Conv') != -1` in init functions. JavaScript counts UTF-16 units where
      // Python counts code points: the same for text without surrogate pairs.
      return new PyNative(name, (a) => {
        if (typeof a[0] !== 'string' || a.length !== 1 || /[\uD800-\uDFFF]/.test(s + a[0])) return new UnknownValue(`str.${name} of an unknown substring or with bounds`);
        return name === 'find' ? s.indexOf(a[0]) : s.lastIndexOf(a[0]);
      });
    case 'lower':
      return new PyNative(name, () => s.toLowerCase());
    case 'upper':
      return new PyNative(name, () => s.toUpperCase());
    case 'replace':
      return new PyNative(name, (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? s.split(a[0]).join(a[1]) : new UnknownValue('replace with unknown strings')));
    case 'format':
      return new PyNative(name, () => new UnknownValue('str.format is not evaluated statically'));
    case 'join':
      return new PyNative(name, (a) => (Array.isArray(a[0]) && a[0].every((x) => typeof x === 'string') ? (a[0] as string[]).join(s) : new UnknownValue('join of unknown strings')));
    case 'split':
      return new PyNative(name, (a) => (a[0] === undefined ? s.split(/\s+/).filter(Boolean) : typeof a[0] === 'string' ? s.split(a[0]) : new UnknownValue('split on an unknown separator')));
  }
  return new UnknownValue(`str.${name} is not evaluated statically`);
}

