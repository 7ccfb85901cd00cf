import { UnknownValue } from '../../unknown';
import { LayerInstance, ModuleInstance, Namespace } from '../../framework/values';
import { copyLayer } from '../../framework/layerCopy';
import { TRANSFORMER_CLASSES, TRANSFORMER_SOURCE } from './transformerPrelude';
import { CONTAINERS, containerKind, namedChildren } from '../../framework/moduleApi';
import { parsePython } from './parse';
import { PySource } from './source';
import type { PyInterp } from './interp';
import { Scope } from './scope';
import { PY_PRELUDE_PATH, PyClass, PyNative, type PyValue } from './values';
import { tuple } from './expressions';
import { execBlock } from './statements';

/**
 * torch/nn/modules/container.py (1.13), transcribed into the Python the front end evaluates: the
 * containers are modules like any other, so `class ConvBNAct(nn.Sequential)` calling
 * `super().__init__(conv, bn, act)`, `class DenseBlock(nn.ModuleDict)` calling `self.add_module`,
 * and a plain `nn.Sequential(OrderedDict(...))` all run PyTorch's own registration code. The
 * TypeScript front end's prelude (lang/ts/prelude.ts) is the same transcription in its language;
 * what both rely on — `add_module`, `register_parameter`, a container's length, indexing and
 * iteration (`__len__`, `__getitem__`, `__iter__`) — is written once in framework/moduleApi.ts.
 * `_items(self)` / `_keys(self)` are `self._modules.items()` / `.keys()` (or `_parameters`).
 */
const SOURCE = `
from collections import OrderedDict
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import Module


class Sequential(Module):
    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def forward(self, input):
        for module in self:
            input = module(input)
        return input

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        n = len(self)
        if not (-n <= index <= n):
            raise IndexError("Index out of range")
        if index < 0:
            index += n
        for i in range(n, index, -1):
            self.add_module(str(i), self[i - 1])
        self.add_module(str(index), module)
        return self

    def extend(self, sequential):
        for layer in sequential:
            self.append(layer)
        return self


class ModuleList(Module):
    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def insert(self, index, module):
        for i in range(len(self), index, -1):
            self.add_module(str(i), self[i - 1])
        self.add_module(str(index), module)

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


class ModuleDict(Module):
    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def keys(self):
        return _keys(self)

    def items(self):
        return _items(self)

    def values(self):
        return [module for key, module in _items(self)]

    def update(self, modules):
        if isinstance(modules, (dict, ModuleDict)):
            for key, module in modules.items():
                self.add_module(key, module)
        else:
            for key, module in modules:
                self.add_module(key, module)


class ParameterList(Module):
    def __init__(self, values=None):
        super().__init__()
        if values is not None:
            self.extend(values)

    def append(self, value):
        self.register_parameter(str(len(self)), value)
        return self

    def extend(self, values):
        for value in values:
            self.append(value)
        return self


class ParameterDict(Module):
    def __init__(self, parameters=None):
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def keys(self):
        return _keys(self)

    def items(self):
        return _items(self)

    def values(self):
        return [p for key, p in _items(self)]

    def update(self, parameters):
        for key, value in parameters.items():
            self.register_parameter(key, value)
`;


/** `_get_clones` as torch/nn/modules/transformer.py writes it, with the copy native. */
const CLONES = `

def _get_clones(module, N):
    return ModuleList([_deepcopy(module) for i in range(N)])
`;

const TEXT = SOURCE + TRANSFORMER_SOURCE + CLONES;
let parsed: PySource | undefined;
const scopes = new WeakMap<PyInterp, Scope>();

/** `self._modules.items()` (a ParameterDict: `self._parameters.items()`) as (key, value) tuples. */
const items = new PyNative('_items', ([self]) => {
  if (!(self instanceof ModuleInstance)) return new UnknownValue('items() of a value that is not a container');
  if (containerKind(self) === 'ParameterDict') return [...(self.parameters ?? [])].map(([k, p]) => tuple([k, p]));
  return namedChildren(self).map(([k, m]) => tuple([k, m as PyValue]));
});
const keys = new PyNative('_keys', ([self]) => {
  if (!(self instanceof ModuleInstance)) return new UnknownValue('keys() of a value that is not a container');
  if (containerKind(self) === 'ParameterDict') return [...(self.parameters?.keys() ?? [])];
  return namedChildren(self).map(([k]) => k);
});

/** The prelude's class for `nn.Sequential` & co., evaluated once per analysis; undefined for any other name. */
export function preludeClass(I: PyInterp, name: string): PyClass | undefined {
  return CONTAINERS.has(name) ? classOf(I, name) : undefined;
}

/** The prelude's class for a composite catalog layer (LayerEntry.expand: `TransformerEncoder`), or undefined. */
export function compositeClass(I: PyInterp, name: string): PyClass | undefined {
  return TRANSFORMER_CLASSES.has(name) ? classOf(I, name) : undefined;
}

/** `_get_clones`' copy.deepcopy of a catalog layer (framework/layerCopy.ts); a composite copy is its module again. */
function deepCopyNative(I: PyInterp): PyNative {
  return new PyNative('_deepcopy', ([m]) => (m instanceof LayerInstance ? copyLayer(m) : new UnknownValue('the module to copy is not a layer ModelLens knows')));
}

function classOf(I: PyInterp, name: string): PyClass | undefined {
  let scope = scopes.get(I);
  if (!scope) {
    const src = (parsed ??= new PySource(PY_PRELUDE_PATH, TEXT, parsePython(TEXT)));
    scope = new Scope(undefined);
    scope.set('_items', items);
    scope.set('_keys', keys);
    scope.set('_deepcopy', deepCopyNative(I));
    scopes.set(I, scope);
    I.enterFile(src, undefined);
    const saved = { control: I.controlUnknown, effects: I.effects };
    try {
      execBlock(I, src.tree.body, scope);
    } finally {
      I.leaveFile();
      // Defining PyTorch's classes decides and changes nothing of the user's model.
      I.controlUnknown = saved.control;
      I.effects = saved.effects;
    }
  }
  const v = scope.vars.get(name);
  return v instanceof PyClass ? v : undefined;
}

/** `nn.Sequential`, `torch.nn.ModuleDict`: the library container a name stands for. */
export function containerName(v: PyValue): string | undefined {
  return v instanceof Namespace && v.parts[0] === 'torch' && v.parts[1] === 'nn' && CONTAINERS.has(v.last) ? v.last : undefined;
}

/** Whether a Python class is one of the prelude's. */
export function isPreludeClass(c: PyClass): boolean {
  return c.file.path === PY_PRELUDE_PATH;
}
