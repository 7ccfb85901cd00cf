import { bindTorch } from '../catalog/bind';
import { catalog } from '../catalog';
import type { ArgValue } from '../args';
import { Shape, ShapeError, axis, broadcast, numel, primary } from '../shape';
import { ConfigError, Unknowable, UnknownValue, isUnknown } from '../unknown';
import type { EvalHost } from './host';
import { type Loc, SymTensor, Value } from './values';
import type { Recorder } from './recorder';
import { rethrowBudget } from './budget';

/**
 * Shape rules for the tensor operations people write inside `forward`: methods (`x.view(…)`)
 * and `torch.`/`F.` functions. Each becomes an op node in the graph so residual adds and
 * concatenations show as the branches they are. Functional pooling and activations reuse the
 * catalog entry of the equivalent layer, so there is one shape rule per operation.
 */

/** Ops that keep the shape: activations, dropout, casts, copies. */
const SAME_SHAPE = new Set([
  'relu', 'relu_', 'relu6', 'sigmoid', 'tanh', 'gelu', 'silu', 'mish', 'elu', 'selu', 'leaky_relu', 'leakyRelu', 'hardtanh', 'softplus',
  'softmax', 'log_softmax', 'logSoftmax', 'dropout', 'dropout2d', 'exp', 'log', 'abs', 'neg', 'sqrt', 'rsqrt', 'square', 'clamp', 'clip',
  'contiguous', 'float', 'double', 'half', 'long', 'int', 'detach', 'clone', 'to', 'cpu', 'cuda', 'type', 'normalize', 'layer_norm', 'sign',
  'bool', 'hardswish', 'hardsigmoid', 'softsign', 'tanhshrink', 'logsigmoid', 'celu', 'erf', 'sin', 'cos', 'reciprocal', 'floor', 'ceil', 'round',
  'logical_not', 'bitwise_not', 'isnan', 'isinf', 'sigmoid_', 'cumsum', 'cumprod', 'log2', 'log10', 'log1p', 'expm1', 'exp2', 'trunc', 'frac',
]);
const NO_ROW = new Set(['contiguous', 'float', 'double', 'half', 'detach', 'clone', 'to', 'cpu', 'cuda', 'type']);
const BINARY = new Set([
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'floor_divide', 'remainder', 'fmod', 'atan2',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'bitwise_and', 'bitwise_or',
]);
/** Ops whose result is a lower or upper triangle of the (at least 2-d) input: same shape. */
const TRIANGLE = new Set(['tril', 'triu']);
/** `torch.zeros_like(x)` and friends: a new tensor of x's shape. */
const LIKE = new Set(['zeros_like', 'ones_like', 'empty_like', 'full_like', 'rand_like', 'randn_like', 'randint_like']);
const REDUCE = new Set(['mean', 'sum', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'std', 'var', 'prod', 'norm', 'logsumexp']);
/** In-place methods that change the tensor's shape (every other `x.op_()` keeps it). */
const RESHAPING_IN_PLACE = new Set(['unsqueeze_', 'squeeze_', 't_', 'transpose_', 'swapdims_', 'swapaxes_', 'resize_', 'resize_as_', 'as_strided_', 'set_']);

/** An elementwise result of a tensor computed while a module is built (no graph is being recorded): its shape. */
function constantLike(t: SymTensor, op: string): SymTensor {
  return new SymTensor(t.shape, -1000, t.reason, resultDtype(op, [t]));
}

/** Where an op's result goes: the recorder (a row of the traced forward) or, while a module is built, nowhere. */
export type TensorOps = Pick<Recorder, 'op' | 'broadcastOp'>;

/**
 * Tensors computed while a module is built (Swin's buffer of relative position indices:
 * `torch.meshgrid`, `stack`, `flatten`, `permute`, `sum`): the same shape rules, no row. A
 * rule's failure leaves the tensor unknown with the reason (PyTorch would raise there).
 */
export const CONSTANT_OPS: TensorOps = {
  op(type: string, inputs: SymTensor[], compute: (shapes: Shape[]) => Shape): SymTensor {
    const missing = inputs.find((t) => t.shape === null);
    if (missing) return new SymTensor(null, -1000, missing.reason ?? 'unknown input shape');
    try {
      return new SymTensor(compute(inputs.map((t) => t.shape as Shape)), -1000, undefined, resultDtype(type, inputs));
    } catch (err) {
      rethrowBudget(err);
      const message = err instanceof ShapeError || err instanceof ConfigError ? `${type}: ${err.message}` : err instanceof Unknowable ? err.reason : String(err);
      return new SymTensor(null, -1000, message);
    }
  },
  broadcastOp(type: string, operands: Value[]): Value {
    const tensors = operands.filter((o): o is SymTensor => o instanceof SymTensor);
    for (const o of operands) if (!(o instanceof SymTensor) && typeof o !== 'number') return new SymTensor(null, -1000, `\`${type}\` with a value that is not a tensor or number`);
    return withDtype(CONSTANT_OPS.op(type, tensors, (shapes) => shapes.reduce(broadcast), { pos: 0, end: 0 }), operands);
  },
};

/** An elementwise op's result holds integers only when every operand does (`idx - 0.5` is floats). */
export function withDtype(out: SymTensor, operands: Value[]): SymTensor {
  if (out.dtype !== 'int32' || operands.every((o) => (o instanceof SymTensor ? o.dtype === 'int32' : Number.isInteger(o)))) return out;
  return new SymTensor(out.shape, out.src, out.reason, 'float32', out.out);
}

/**
 * Ops whose result never holds integers PyTorch would index with: comparisons and logical ops
 * (booleans: a mask, whose selection depends on the data) and true division (floats).
 */
const NOT_INTEGER = new Set(['new_zeros', 'new_ones', 'new_empty', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'logical_not', 'isnan', 'isinf', 'div', 'pow', 'float', 'double', 'half', 'mean', 'std', 'var', 'norm', 'softmax', 'log_softmax', 'sigmoid', 'tanh', 'exp', 'log', 'sqrt', 'rsqrt', 'log2', 'log10', 'log1p', 'expm1', 'exp2']);

/** The dtype an op's result has: 'int32' only where PyTorch's result holds integers (an index), else 'float32'. */
export function resultDtype(type: string, inputs: SymTensor[]): 'float32' | 'int32' {
  if (NOT_INTEGER.has(type)) return 'float32';
  if (type === 'long' || type === 'int') return 'int32';
  return inputs[0]?.dtype ?? 'float32';
}

/** `x.normal_()`, `x.add_(y)`: an in-place method whose result is the tensor itself, with its shape. */
export function isShapeKeepingInPlace(method: string): boolean {
  return method.endsWith('_') && !method.startsWith('_') && !RESHAPING_IN_PLACE.has(method);
}

/**
 * `x.add_(y)`, `noise.bernoulli_(p)`, `x.masked_fill_(m, v)`: the result is `x` itself, so its
 * shape; a tensor operand must broadcast to it, as PyTorch requires of in-place ops.
 */
function inPlace(rec: TensorOps, t: SymTensor, method: string, args: Value[], node: Loc): Value {
  const others = args.filter((a): a is SymTensor => a instanceof SymTensor);
  return rec.op(method, [t, ...others], (s) => {
    for (const o of s.slice(1)) {
      const b = broadcast(s[0], o);
      if (b.length !== s[0].length || b.some((d, i) => d !== null && s[0][i] !== null && d !== s[0][i])) {
        throw new ShapeError(`the result of broadcasting [${o.join(', ')}] onto [${s[0].join(', ')}] is not the in-place tensor's shape`);
      }
    }
    return s[0];
  }, node, args);
}

/** Functional forms that are the same computation as a catalog layer (args after the input follow the layer's signature). */
export const FUNCTIONAL_LAYERS: Readonly<Record<string, string>> = {
  max_pool1d: 'MaxPool1d',
  max_pool2d: 'MaxPool2d',
  avg_pool1d: 'AvgPool1d',
  avg_pool2d: 'AvgPool2d',
  adaptive_avg_pool1d: 'AdaptiveAvgPool1d',
  adaptive_avg_pool2d: 'AdaptiveAvgPool2d',
  adaptive_max_pool2d: 'AdaptiveMaxPool2d',
  maxPool2d: 'MaxPool2d',
  avgPool2d: 'AvgPool2d',
  adaptiveAvgPool2d: 'AdaptiveAvgPool2d',
  // F.interpolate(input, size, scale_factor, mode, align_corners): nn.Upsample's signature after the input.
  interpolate: 'Upsample',
  upsample: 'Upsample',
};
const CREATE = new Set(['zeros', 'ones', 'randn', 'rand', 'empty', 'full']);

export function isTorchFunctionPath(parts: readonly string[]): boolean {
  if (parts.length < 2) return false;
  const root = parts[0];
  return root === 'torch' || root === 'F' || root === 'functional' || (root === 'nn' && parts[1] === 'functional');
}

function num(v: Value, what: string): number {
  if (isUnknown(v)) throw new Unknowable(`${what}: ${v.reason}`);
  if (typeof v !== 'number') throw new ShapeError(`${what} should be a number`);
  return v;
}

function dims(args: Value[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args;
  return list.map((d, i) => num(d, `dimension ${i}`));
}

/** `view(-1, 16)`: one -1 is inferred from the element count, as PyTorch does. */
function reshape(shape: Shape, target: number[]): Shape {
  const total = numel(shape);
  const minus = target.filter((d) => d === -1).length;
  if (minus > 1) throw new ShapeError('only one dimension can be -1');
  if (minus === 0) {
    if (total !== null && total !== target.reduce((a, b) => a * b, 1)) throw new ShapeError(`cannot view a [${shape.join(', ')}] tensor (${total} elements) as [${target.join(', ')}]`);
    return target;
  }
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (total === null) {
    // The batch is often the only unknown: `x.view(x.size(0), -1)` keeps it and the rest is known.
    const rest = numel(shape.slice(1));
    if (rest !== null && shape[0] === null && target[0] !== -1 && known % target[0] === 0 && target.indexOf(-1) > 0) {
      const restKnown = known / target[0];
      return target.map((d) => (d === -1 ? rest / restKnown : d));
    }
    return target.map((d) => (d === -1 ? null : d));
  }
  if (known === 0 || total % known !== 0) throw new ShapeError(`cannot view a [${shape.join(', ')}] tensor (${total} elements) as [${target.join(', ')}]`);
  return target.map((d) => (d === -1 ? total / known : d));
}

function flatten(shape: Shape, start: number, end: number): Shape {
  if (shape.length === 0) return [1];
  const s = axis(shape.length, start);
  const e = axis(shape.length, end);
  const mid = shape.slice(s, e + 1);
  const prod = mid.some((d) => d === null) ? null : (mid as number[]).reduce((a, b) => a * b, 1);
  return [...shape.slice(0, s), prod, ...shape.slice(e + 1)];
}

function reduce(shape: Shape, dim: Value, keepdim: Value): Shape {
  if (dim === undefined || dim === null) return [];
  const list = Array.isArray(dim) ? dim.map((d) => num(d, 'dim')) : [num(dim, 'dim')];
  const axes = new Set(list.map((d) => axis(shape.length, d)));
  return keepdim === true ? shape.map((d, i) => (axes.has(i) ? 1 : d)) : shape.filter((_, i) => !axes.has(i));
}

function permute(shape: Shape, order: number[]): Shape {
  if (order.length !== shape.length) throw new ShapeError(`permute needs ${shape.length} dims, got ${order.length}`);
  return order.map((d) => shape[axis(shape.length, d)]);
}

function transpose(shape: Shape, a: number, b: number): Shape {
  const out = [...shape];
  const i = axis(shape.length, a);
  const j = axis(shape.length, b);
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

function matmul(a: Shape, b: Shape): Shape {
  if (a.length === 0 || b.length === 0) throw new ShapeError('matmul needs at least 1-d tensors');
  const k1 = a[a.length - 1];
  const k2 = b.length === 1 ? b[0] : b[b.length - 2];
  if (k1 !== null && k2 !== null && k1 !== k2) throw new ShapeError(`expects matching inner dimensions but receives ${k1} and ${k2}`);
  if (b.length === 1) return a.slice(0, -1);
  if (a.length === 1) return [...b.slice(0, -2), b[b.length - 1]];
  return [...broadcast(a.slice(0, -2), b.slice(0, -2)), a[a.length - 2], b[b.length - 1]];
}

function concat(shapes: Shape[], dim: number, stack: boolean): Shape {
  if (shapes.length === 0) throw new ShapeError('cat of an empty list');
  const rank = shapes[0].length;
  if (stack) {
    for (const s of shapes) if (s.length !== rank || s.some((d, i) => d !== null && shapes[0][i] !== null && d !== shapes[0][i])) throw new ShapeError('stack expects tensors of equal shape');
    const a = axis(rank + 1, dim);
    return [...shapes[0].slice(0, a), shapes.length, ...shapes[0].slice(a)];
  }
  const a = axis(rank, dim);
  const out = [...shapes[0]];
  for (const s of shapes.slice(1)) {
    if (s.length !== rank) throw new ShapeError(`expects tensors of the same rank but receives ${rank}-d and ${s.length}-d`);
    s.forEach((d, i) => {
      if (i === a) out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
      else if (d !== null && out[i] !== null && d !== out[i]) throw new ShapeError(`expects matching sizes except in dim ${dim} but receives ${out[i]} and ${d} in dim ${i}`);
    });
  }
  return out;
}

function select(shape: Shape, dim: number): Shape {
  const a = axis(shape.length, dim);
  return shape.filter((_, i) => i !== a);
}

/** A method call on a tensor, or an attribute (`attr:shape`), or indexing (`__index__0`). */
export function tensorMethod(interp: EvalHost, t: SymTensor, method: string, args: Value[], node: Loc): Value {
  if (method === 'attr:shape' || method === 'size' || method === 'attr:ndim' || method === 'dim' || method === 'numel') {
    if (!t.shape) return new UnknownValue(t.reason ?? 'the tensor shape is unknown');
    const shape = t.shape;
    if (method === 'attr:ndim' || method === 'dim') return shape.length;
    if (method === 'numel') return numel(shape) ?? new UnknownValue('a dimension is unknown');
    const asValues = shape.map((d, i) => (d === null ? new UnknownValue(`dimension ${i} of the tensor is unknown`) : d));
    if (method === 'size' && args.length > 0 && typeof args[0] === 'number') return asValues[axis(shape.length, args[0])];
    return asValues;
  }
  if (method.startsWith('attr:')) return new UnknownValue(`tensor.${method.slice(5)} is not evaluated statically`);
  const rec = interp.recorder;
  // `torch.empty(1, n, d).normal_(std=0.02)` while a module is built: an in-place initialiser given
  // no tensor keeps the tensor (its values change, never its shape).
  if (!rec && isShapeKeepingInPlace(method) && !args.some((a) => a instanceof SymTensor)) return t;
  const cast = castOf(t, method, args);
  if (cast) return rec ? cast : new SymTensor(cast.shape, -1000, cast.reason, cast.dtype);
  if (!rec && (SAME_SHAPE.has(method) || NO_ROW.has(method))) return constantLike(t, method);
  return shapeOfMethod(rec ?? CONSTANT_OPS, t, method, args, node);
}

/**
 * `x.float()`, `x.to(torch.long)`, `x.to("cuda")`: no row, but the cast decides whether the values
 * are integers (an index) or not; undefined when the method is no such cast.
 */
function castOf(t: SymTensor, method: string, args: Value[]): SymTensor | undefined {
  let integer: boolean;
  if (method === 'float' || method === 'double' || method === 'half') integer = false;
  else if ((method === 'to' || method === 'type') && args.length > 0) {
    integer = args.some(isIntegerDtype) || (t.dtype === 'int32' && args.every((a) => typeof a === 'string' && /^(cpu|cuda|mps|meta)(:\d+)?$/.test(a)));
  } else return undefined;
  return integer === (t.dtype === 'int32') ? t : new SymTensor(t.shape, t.src, t.reason, integer ? 'int32' : 'float32');
}

function shapeOfMethod(rec: TensorOps, t: SymTensor, method: string, args: Value[], node: Loc): Value {
  if (NO_ROW.has(method)) return t;
  if (method.startsWith('__index__')) {
    // x[i] picks along the first dimension, as in PyTorch.
    return rec.op('index', [t], (s) => select(s[0], 0), node, [Number(method.slice(9))]);
  }
  if (SAME_SHAPE.has(method)) return rec.op(method, [t], (s) => s[0], node, args);
  if (TRIANGLE.has(method)) return rec.op(method, [t], (s) => triangle(s[0], method), node, args);
  if (LIKE.has(method)) return rec.op(method, [t], (s) => s[0], node, args);
  if (method === 'masked_fill' || method === 'masked_fill_' || method === 'index_fill' || method === 'masked_scatter') return inPlace(rec, t, method, args, node);
  if (method.endsWith('_') && !RESHAPING_IN_PLACE.has(method)) return inPlace(rec, t, method, args, node);
  if (BINARY.has(method)) return rec.broadcastOp(method, [t, args[0]], node);
  if (REDUCE.has(method)) return rec.op(method, [t], (s) => reduce(s[0], args[0], args[1]), node, args);
  switch (method) {
    case 'view':
    case 'reshape':
      return rec.op(method, [t], (s) => reshape(s[0], dims(args)), node, args);
    case 'flatten':
      return rec.op('flatten', [t], (s) => flatten(s[0], args[0] === undefined ? 0 : num(args[0], 'start_dim'), args[1] === undefined ? -1 : num(args[1], 'end_dim')), node, args);
    case 'permute':
      return rec.op('permute', [t], (s) => permute(s[0], dims(args)), node, args);
    case 'transpose':
    case 'swapaxes':
    case 'swapdims':
      return rec.op('transpose', [t], (s) => transpose(s[0], num(args[0], 'dim0'), num(args[1], 'dim1')), node, args);
    case 't':
      return rec.op('t', [t], (s) => (s[0].length < 2 ? s[0] : transpose(s[0], 0, 1)), node);
    case 'squeeze':
      return rec.op('squeeze', [t], (s) => (args[0] === undefined ? s[0].filter((d) => d !== 1) : s[0].filter((d, i) => !(i === axis(s[0].length, num(args[0], 'dim')) && d === 1))), node, args);
    case 'unsqueeze':
      return rec.op('unsqueeze', [t], (s) => {
        const a = axis(s[0].length + 1, num(args[0], 'dim'));
        return [...s[0].slice(0, a), 1, ...s[0].slice(a)];
      }, node, args);
    case 'matmul':
    case 'mm':
    case 'bmm':
      return args[0] instanceof SymTensor ? rec.op('matmul', [t, args[0]], (s) => matmul(s[0], s[1]), node) : new SymTensor(null, t.src, 'matmul with a non-tensor');
    case 'select':
      return rec.op('select', [t], (s) => select(s[0], num(args[0], 'dim')), node, args);
    case 'index':
      return rec.op('index', [t], (s) => select(s[0], 0), node, args);
    case 'narrow':
      return rec.op('narrow', [t], (s) => s[0].map((d, i) => (i === axis(s[0].length, num(args[0], 'dim')) ? num(args[2], 'length') : d)), node, args);
    case 'split':
      return split(rec, t, args, node);
    case 'roll':
      return rec.op('roll', [t], (s) => roll(s[0], args[0], args[1]), node, args);
    case 'new_zeros':
    case 'new_ones':
    case 'new_empty':
      // `x.new_zeros((h, w))`: a new tensor of that size, x's dtype; no edge from x's values.
      return rec.op(method, [t], () => dims(args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args.filter((a) => !isPlainOptions(a))), node, args);
    case 'unbind': {
      const dim = optNum(args[0], 'dim', 0);
      const size = t.shape ? t.shape[axis(t.shape.length, dim)] : null;
      if (size === null || size === undefined) return [rec.op('unbind', [t], () => { throw new Unknowable('unbind of an unknown size'); }, node, args)];
      return Array.from({ length: size }, (_, k) => rec.op('unbind', [t], (s) => select(s[0], dim), node, [...args, k]));
    }
    case 'expand':
      return rec.op('expand', [t], (s) => expand(s[0], dims(args)), node, args);
    case 'expand_as':
      return args[0] instanceof SymTensor ? rec.op('expand_as', [t, args[0]], (s) => expand(s[0], s[1].map((d) => (d === null ? -1 : d))), node) : new SymTensor(null, t.src, 'expand_as() of a value that is not a tensor');
    case 'repeat':
      return rec.op('repeat', [t], (s) => repeat(s[0], dims(args)), node, args);
    case 'where':
      // x.where(condition, y): the three broadcast together. torch.where(cond) alone lists indices: data-dependent.
      if (args.length < 2) return rec.op('where', [t], () => { throw new Unknowable('torch.where(condition) returns indices whose count depends on the data'); }, node);
      return rec.broadcastOp('where', [t, ...args.slice(0, 2)], node);
    case 'chunk': {
      // PyTorch: chunks of ceil(size / n) along dim, the last one smaller; fewer than n when
      // the size runs out (zeros(4, 8).chunk(3, 1) → 3, 3, 2).
      const n = num(args[0], 'chunks');
      const dim = args[1] === undefined ? 0 : num(args[1], 'dim');
      const size = t.shape ? t.shape[axis(t.shape.length, dim)] : null;
      if (size === null || size === undefined) return [rec.op('chunk', [t], () => { throw new Unknowable('chunk of an unknown size'); }, node, args)];
      const each = Math.ceil(size / Math.max(1, n));
      const count = each === 0 ? 0 : Math.ceil(size / each);
      return Array.from({ length: count }, (_, k) => {
        const len = Math.min(each, size - k * each);
        return rec.op('chunk', [t], (s) => s[0].map((d, i) => (i === axis(s[0].length, dim) ? len : d)), node, [...args, k]);
      });
    }
  }
  return rec.op(method, [t], () => {
    throw new Unknowable(`x.${method}() is not modelled by ModelLens`);
  }, node);
}

/** `torch.cat([a, b], 1)`, `F.relu(x)`, `torch.flatten(x, 1)`, `F.max_pool2d(x, 2)`. */
export function torchFunction(interp: EvalHost, name: string, args: Value[], node: Loc): Value {
  if (CREATE.has(name)) {
    // Constant tensors (usually for nn.Parameter): their size is all that matters.
    try {
      // A trailing options object (`{ dtype: torch.long }`) sets no size.
      const last = args[args.length - 1];
      const opts = args.length > 1 && isPlainOptions(last) ? (last as Record<string, Value>) : undefined;
      const sizes = opts ? args.slice(0, -1) : args;
      const shape = dims(name === 'full' ? [sizes[0]] : sizes);
      return new SymTensor(shape, -1000, undefined, isIntegerDtype(opts?.dtype) ? 'int32' : 'float32');
    } catch (e) {
      return new UnknownValue(e instanceof Unknowable ? e.reason : 'tensor size is unknown');
    }
  }
  if (name === 'arange') return arange(args);
  const rec = interp.recorder;
  // `nn.Parameter(torch.log(10 * torch.ones(h, 1, 1)))`: an elementwise function of a tensor made at construction.
  if (!rec && SAME_SHAPE.has(name) && args[0] instanceof SymTensor && !castOf(args[0], name, args.slice(1))) return constantLike(args[0], name);
  return shapeOfFunction(interp, rec ?? CONSTANT_OPS, name, args, node);
}

function shapeOfFunction(interp: EvalHost, rec: TensorOps, name: string, args: Value[], node: Loc): Value {
  if (name === 'einsum') return einsum(rec, args, node);
  if (name === 'meshgrid') return meshgrid(rec, args, node);
  if (name === 'where' && args.length >= 3) return rec.broadcastOp('where', args.slice(0, 3), node);
  if (name === 'cat' || name === 'concat' || name === 'stack') {
    // A single tensor is a sequence of its slices in PyTorch (how many: its first size): unknown here, never an empty list.
    if (!Array.isArray(args[0])) return new SymTensor(null, -1, isUnknown(args[0]) ? args[0].reason : `${name}() of a value that is not a list of tensors`);
    const list = args[0] as Value[];
    const tensors = list.filter((x): x is SymTensor => x instanceof SymTensor);
    if (tensors.length !== list.length) return new SymTensor(null, -1, `${name}() of values that are not tensors`);
    const dim = args[1] === undefined ? 0 : args[1];
    return rec.op(name, tensors, (s) => concat(s, num(dim, 'dim'), name === 'stack'), node, [dim]);
  }
  const x = args[0];
  if (!(x instanceof SymTensor)) return new SymTensor(null, -1, isUnknown(x) ? x.reason : `torch.${name}() of a value that is not a tensor`);
  const layerType = FUNCTIONAL_LAYERS[name];
  if (layerType) {
    const entry = catalog.torch.get(layerType);
    if (entry) {
      return rec.op(name, [x], (s) => {
        const last = args[args.length - 1];
        const kwargs = args.length > 1 && last && typeof last === 'object' && !Array.isArray(last) && !(last instanceof SymTensor) ? (last as Record<string, ArgValue>) : undefined;
        const positional = (kwargs ? args.slice(1, -1) : args.slice(1)) as ArgValue[];
        return primary(entry.output(bindTorch(entry, positional, kwargs), s));
      }, node, args.slice(1));
    }
  }
  if (name === 'pad') return rec.op('pad', [x], (s) => pad(s[0], args[1]), node, args.slice(1));
  if (name === 'linear') {
    // F.linear(x, weight, bias): a Linear layer's computation with the caller's own weight.
    const [w, b] = [args[1], args[2]];
    if (!(w instanceof SymTensor) || (b !== undefined && b !== null && !(b instanceof SymTensor))) return new SymTensor(null, x.src, 'F.linear() with a weight or bias that is not a tensor');
    return rec.op('linear', b instanceof SymTensor ? [x, w, b] : [x, w], (s) => linear(s[0], s[1], s[2]), node);
  }
  if (name === 'flatten') {
    return rec.op('flatten', [x], (s) => flatten(s[0], args[1] === undefined ? 0 : num(args[1], 'start_dim'), args[2] === undefined ? -1 : num(args[2], 'end_dim')), node, args.slice(1));
  }
  // Everything else has the tensor as its first argument, then the method's arguments.
  return tensorMethod(interp, x, name, args.slice(1), node);
}

/**
 * `torch.meshgrid(a, b, indexing="ij")` (or one list of tensors): one tensor per input, each of
 * shape [len(a), len(b), …] (inputs 0-d or 1-d); `indexing="xy"` swaps the first two sizes.
 * PyTorch 1.13's default is "ij".
 */
function meshgrid(rec: TensorOps, args: Value[], node: Loc): Value {
  const last = args[args.length - 1];
  const opts = args.length > 0 && isPlainOptions(last) ? (last as Record<string, Value>) : undefined;
  const given = opts ? args.slice(0, -1) : args;
  const list = given.length === 1 && Array.isArray(given[0]) ? (given[0] as Value[]) : given;
  const indexing = opts?.indexing ?? 'ij';
  const unknown = (why: string) => new SymTensor(null, -1000, why);
  if (indexing !== 'ij' && indexing !== 'xy') return [unknown(isUnknown(indexing) ? indexing.reason : 'the indexing of torch.meshgrid() has no static value')];
  if (list.length === 0 || !list.every((x): x is SymTensor => x instanceof SymTensor)) return [unknown('torch.meshgrid() of values that are not tensors')];
  const grid = (shapes: Shape[]): Shape => {
    const sizes = shapes.map((sh, i) => {
      if (sh.length > 1) throw new ShapeError(`torch.meshgrid expects 0-d or 1-d tensors but input ${i} is ${sh.length}-d`);
      return sh.length === 0 ? 1 : sh[0];
    });
    if (indexing === 'xy' && sizes.length >= 2) [sizes[0], sizes[1]] = [sizes[1], sizes[0]];
    return sizes;
  };
  return list.map((t, k) => rec.op('meshgrid', list, grid, node, [k]));
}

/** `torch.roll(x, shifts, dims)`: the same shape; one shift per dim given (or one shift of the flattened tensor). */
function roll(shape: Shape, shifts: Value, dimsArg: Value): Shape {
  const list = (v: Value, what: string) => (Array.isArray(v) ? v : [v]).map((d, i) => num(d, `${what} ${i}`));
  const s = list(shifts, 'shift');
  if (dimsArg === undefined || dimsArg === null) {
    if (s.length !== 1) throw new ShapeError('roll without dims takes one shift');
    return shape;
  }
  const d = list(dimsArg, 'dim');
  if (d.length !== s.length) throw new ShapeError(`roll: shifts and dims must align (${s.length} shifts, ${d.length} dims)`);
  for (const k of d) axis(shape.length, k);
  return shape;
}

/** `F.linear(x, weight, bias)`: x [..., in] by weight [out, in] (or [in]: the last dim goes) plus bias [out]. */
function linear(x: Shape, w: Shape, b: Shape | undefined): Shape {
  if (w.length !== 1 && w.length !== 2) throw new ShapeError(`F.linear expects a 1-d or 2-d weight but receives ${w.length}-d`);
  if (x.length === 0) throw new ShapeError('F.linear expects an input of at least 1 dimension');
  const inX = x[x.length - 1];
  const inW = w[w.length - 1];
  if (inX !== null && inW !== null && inX !== inW) throw new ShapeError(`F.linear: the input's last dim ${inX} is not the weight's ${inW}`);
  const out = w.length === 2 ? [...x.slice(0, -1), w[0]] : x.slice(0, -1);
  return b ? broadcast(out, b) : out;
}

function optNum(v: Value, what: string, dflt: number): number {
  return v === undefined || v === null ? dflt : num(v, what);
}

function triangle(shape: Shape, name: string): Shape {
  if (shape.length < 2) throw new ShapeError(`${name} expects a tensor of at least 2 dimensions but receives ${shape.length}-d`);
  return shape;
}

/** `torch.arange(end)`, `(start, end[, step])`: ceil((end - start) / step) values; a trailing options object sets no size. */
function arange(args: Value[]): Value {
  const nums = args.filter((a) => !(a !== null && typeof a === 'object' && !Array.isArray(a) && !isUnknown(a)));
  for (const a of nums) if (typeof a !== 'number') return new UnknownValue(isUnknown(a) ? a.reason : 'the bounds of torch.arange() have no static value');
  const xs = nums as number[];
  if (xs.length === 0 || xs.length > 3) return new UnknownValue('torch.arange() with no bounds ModelLens can read');
  const [start, end, step] = xs.length === 1 ? [0, xs[0], 1] : [xs[0], xs[1], xs[2] ?? 1];
  if (step === 0) return new UnknownValue('torch.arange() with step 0');
  return new SymTensor([Math.max(0, Math.ceil((end - start) / step))], -1000, undefined, Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step) ? 'int32' : 'float32');
}

/** `x.split(size, dim)` (pieces of `size`, the last smaller) or `x.split([a, b], dim)` (sizes that add up). */
function split(rec: TensorOps, t: SymTensor, args: Value[], node: Loc): Value {
  const dim = optNum(args[1], 'dim', 0);
  const size = t.shape ? t.shape[axis(t.shape.length, dim)] : null;
  const spec = args[0];
  let lens: number[];
  if (Array.isArray(spec)) {
    lens = spec.map((d, i) => num(d, `split size ${i}`));
    if (size !== null && size !== undefined && lens.reduce((a, b) => a + b, 0) !== size) {
      return [rec.op('split', [t], () => { throw new ShapeError(`split sizes [${lens.join(', ')}] do not add up to ${size}`); }, node, args)];
    }
  } else {
    if (size === null || size === undefined) return [rec.op('split', [t], () => { throw new Unknowable('split of an unknown size'); }, node, args)];
    const each = num(spec, 'split_size');
    if (each <= 0) return [rec.op('split', [t], () => { throw new ShapeError('split_size must be positive'); }, node, args)];
    lens = Array.from({ length: Math.max(1, Math.ceil(size / each)) }, (_, k) => Math.min(each, size - k * each));
  }
  return lens.map((len, k) => rec.op('split', [t], (s) => s[0].map((d, i) => (i === axis(s[0].length, dim) ? len : d)), node, [...args, k]));
}

/** `x.expand(a, b, -1)`: -1 keeps a size, a size-1 dim stretches, new dims may lead. */
function expand(shape: Shape, target: number[]): Shape {
  if (target.length < shape.length) throw new ShapeError(`expand needs at least ${shape.length} sizes, got ${target.length}`);
  const lead = target.length - shape.length;
  return target.map((d, i) => {
    const j = i - lead;
    if (j < 0) {
      if (d === -1) throw new ShapeError('expand: -1 is not allowed for a new leading dimension');
      return d;
    }
    const cur = shape[j];
    if (d === -1) return cur;
    if (cur !== null && cur !== 1 && cur !== d) throw new ShapeError(`expand: the size ${cur} of dim ${j} must be 1 or ${d}`);
    return d;
  });
}

/** `x.repeat(a, b, …)`: each dim multiplied; extra counts add leading dims. */
function repeat(shape: Shape, counts: number[]): Shape {
  if (counts.length < shape.length) throw new ShapeError(`repeat needs at least ${shape.length} counts, got ${counts.length}`);
  const padded = [...Array<number>(counts.length - shape.length).fill(1), ...shape];
  return padded.map((d, i) => (d === null ? null : d * counts[i]));
}

/** `F.pad(x, [left, right, top, bottom, …])`: pairs from the last dim backwards; negative pads crop. */
function pad(shape: Shape, spec: Value): Shape {
  if (!Array.isArray(spec)) throw new Unknowable('the padding of F.pad() has no static value');
  const p = spec.map((d, i) => num(d, `pad ${i}`));
  if (p.length % 2 !== 0) throw new ShapeError('F.pad needs an even number of padding sizes');
  if (p.length / 2 > shape.length) throw new ShapeError(`F.pad pads ${p.length / 2} dims of a ${shape.length}-d tensor`);
  const out = [...shape];
  for (let k = 0; k < p.length / 2; k++) {
    const i = shape.length - 1 - k;
    const d = out[i];
    if (d !== null) {
      const n = d + p[2 * k] + p[2 * k + 1];
      if (n < 0) throw new ShapeError(`F.pad leaves dim ${i} with ${n} elements`);
      out[i] = n;
    }
  }
  return out;
}

/**
 * `torch.einsum('bhqd,bhkd->bhqk', q, k)`: each letter one size, agreeing (or 1, broadcast) across
 * operands; the output is the letters after `->` (or, implicitly, those appearing once, sorted).
 * An ellipsis is not modelled.
 */
function einsum(rec: TensorOps, args: Value[], node: Loc): Value {
  const eq = args[0];
  const operands = (args.length === 2 && Array.isArray(args[1]) ? (args[1] as Value[]) : args.slice(1));
  const tensors = operands.filter((x): x is SymTensor => x instanceof SymTensor);
  if (typeof eq !== 'string') return new SymTensor(null, tensors[0]?.src ?? -1, 'the einsum equation has no static value');
  if (tensors.length !== operands.length) return new SymTensor(null, tensors[0]?.src ?? -1, 'einsum of values that are not tensors');
  return rec.op('einsum', tensors, (shapes) => {
    const text = eq.replace(/\s+/g, '');
    if (text.includes('.')) throw new Unknowable('an einsum with an ellipsis is not modelled by ModelLens');
    const [lhs, rhs] = text.split('->');
    const ins = lhs.split(',');
    if (ins.length !== shapes.length) throw new ShapeError(`einsum equation has ${ins.length} operands but receives ${shapes.length}`);
    const size = new Map<string, number | null>();
    const count = new Map<string, number>();
    ins.forEach((letters, k) => {
      if (letters.length !== shapes[k].length) throw new ShapeError(`einsum operand ${k} has ${shapes[k].length} dims but '${letters}' names ${letters.length}`);
      [...letters].forEach((c, i) => {
        count.set(c, (count.get(c) ?? 0) + 1);
        const d = shapes[k][i];
        const had = size.get(c);
        if (had === undefined || had === 1) size.set(c, d);
        else if (d !== null && d !== 1 && had !== null && had !== d) throw new ShapeError(`einsum: '${c}' is ${had} in one operand and ${d} in another`);
      });
    });
    const out = rhs !== undefined ? [...rhs] : [...count.keys()].filter((c) => count.get(c) === 1).sort();
    return out.map((c) => {
      if (!size.has(c)) throw new ShapeError(`einsum output '${c}' is not in any operand`);
      return size.get(c) ?? null;
    });
  }, node, [eq]);
}

function isPlainOptions(v: Value): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof SymTensor) && !isUnknown(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** `torch.long`, `torch.int64`, `'int32'`: an integer dtype (token ids for an Embedding). */
function isIntegerDtype(v: Value | undefined): boolean {
  const name = typeof v === 'string' ? v : v && typeof v === 'object' && 'last' in v ? String((v as { last: unknown }).last) : '';
  return /^(long|int|int8|int16|int32|int64|uint8|short)$/.test(name);
}
