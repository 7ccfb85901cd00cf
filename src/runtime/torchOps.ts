import * as tf from '@tensorflow/tfjs';
import { catalog } from '../core/catalog';
import { bindTorch } from '../core/catalog/bind';
import type { ArgValue } from '../core/args';
import type { Rng } from './rng';
import { ArgReader, activation, elu, flattenDims, logSoftmax, softmax, softplus, torchLayerParts } from './torchLayers';
import { gelu } from './torchSequence';
import { Forward, TorchLayer } from './torchLayer';

/**
 * The ops recorded from `forward` (`x.view(…)`, `torch.cat`, `+`, `F.relu`) as weightless tfjs
 * layers with PyTorch's semantics. `opArgs` are the call's arguments in order, tensors as
 * `{tensor: id}`: tensors are taken from the node's inputs in the same order.
 */

const isTensorRef = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && 'tensor' in (v as object);

function ax(rank: number, d: unknown): number {
  const n = typeof d === 'number' ? d : 0;
  return n < 0 ? rank + n : n;
}

function dimsOf(args: unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return list.map((d) => Number(d));
}

function reduce(type: string, x: tf.Tensor, dimArg: unknown, keep: unknown): tf.Tensor {
  const keepDims = keep === true;
  const axes = dimArg === undefined || dimArg === null ? undefined : Array.isArray(dimArg) ? dimArg.map((d) => ax(x.rank, d)) : [ax(x.rank, dimArg)];
  switch (type) {
    case 'mean':
      return x.mean(axes, keepDims);
    case 'sum':
      return x.sum(axes, keepDims);
    case 'max':
    case 'amax':
      return x.max(axes, keepDims);
    case 'min':
    case 'amin':
      return x.min(axes, keepDims);
    case 'prod':
      return x.prod(axes, keepDims);
    case 'logsumexp':
      return tf.logSumExp(x, axes, keepDims);
    case 'std':
    case 'var': {
      // PyTorch's default is the unbiased estimate.
      const n = (axes ?? x.shape.map((_, i) => i)).reduce((a, i) => a * x.shape[i], 1);
      const v = tf.moments(x, axes, keepDims).variance.mul(tf.scalar(n / Math.max(n - 1, 1)));
      return type === 'std' ? tf.sqrt(v) : v;
    }
  }
  throw new Error(`no reduction ${type}`);
}

function select(x: tf.Tensor, dim: unknown, index: unknown): tf.Tensor {
  const a = ax(x.rank, dim);
  const i = Number(index) < 0 ? x.shape[a] + Number(index) : Number(index);
  return tf.gather(x, tf.tensor1d([i], 'int32'), a).squeeze([a]);
}

function opForward(type: string, opArgs: unknown[], functional?: string): Forward {
  if (functional) {
    // F.max_pool2d(x, 2): the layer's own semantics, its arguments bound by its signature.
    const entry = catalog.torch.get(functional);
    if (!entry) throw new Error(`no catalog entry for ${functional}`);
    const last = opArgs[opArgs.length - 1];
    const kw = last && typeof last === 'object' && !Array.isArray(last) ? (last as Record<string, ArgValue>) : undefined;
    const positional = (kw ? opArgs.slice(0, -1) : opArgs) as ArgValue[];
    const bound = bindTorch(entry, positional, kw);
    const a = Object.fromEntries(Object.entries(bound.values).map(([k, v]) => [k, v as unknown]));
    const f = torchLayerParts(functional, a).forward;
    return (xs, w) => {
      const y = f(xs, w);
      return Array.isArray(y) ? y[0] : y;
    };
  }
  const [a0, a1] = opArgs;
  switch (type) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'maximum':
    case 'minimum':
    case 'pow':
      return (xs) => {
        let k = 0;
        const operands = (opArgs.length ? opArgs : xs).map((v) => (opArgs.length && !isTensorRef(v) ? tf.scalar(Number(v)) : xs[k++]));
        const f = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, maximum: tf.maximum, minimum: tf.minimum, pow: tf.pow }[type];
        return operands.slice(1).reduce((acc, b) => f(acc, b), operands[0]);
      };
    case 'cat':
    case 'concat':
      return (xs) => tf.concat(xs, ax(xs[0].rank, a0 ?? 0));
    case 'stack':
      return (xs) => tf.stack(xs, ax(xs[0].rank + 1, a0 ?? 0));
    case 'view':
    case 'reshape':
      return (xs) => xs[0].reshape(dimsOf(opArgs));
    case 'flatten':
      return (xs) => flattenDims(xs[0], typeof a0 === 'number' ? a0 : 0, typeof a1 === 'number' ? a1 : -1);
    case 'permute':
      return (xs) => xs[0].transpose(dimsOf(opArgs).map((d) => ax(xs[0].rank, d)));
    case 'transpose':
      return (xs) => {
        const x = xs[0];
        const p = x.shape.map((_, i) => i);
        const [i, j] = [ax(x.rank, a0), ax(x.rank, a1)];
        [p[i], p[j]] = [p[j], p[i]];
        return x.transpose(p);
      };
    case 't':
      return (xs) => (xs[0].rank < 2 ? xs[0] : xs[0].transpose([1, 0]));
    case 'squeeze':
      return (xs) => {
        const x = xs[0];
        if (a0 === undefined) return x.squeeze();
        const a = ax(x.rank, a0);
        return x.shape[a] === 1 ? x.squeeze([a]) : x;
      };
    case 'unsqueeze':
      return (xs) => xs[0].expandDims(ax(xs[0].rank + 1, a0));
    case 'mean':
    case 'sum':
    case 'max':
    case 'min':
    case 'amax':
    case 'amin':
    case 'prod':
    case 'std':
    case 'var':
    case 'logsumexp':
      return (xs) => reduce(type, xs[0], a0, a1);
    case 'select':
      return (xs) => select(xs[0], a0, a1);
    case 'index':
      return (xs) => select(xs[0], 0, a0);
    case 'narrow':
      return (xs) => {
        const x = xs[0];
        const a = ax(x.rank, a0);
        const begin = x.shape.map((_, i) => (i === a ? Number(a1) : 0));
        const size = x.shape.map((d, i) => (i === a ? Number(opArgs[2]) : d));
        return tf.slice(x, begin, size);
      };
    case 'matmul':
      return (xs) => tf.matMul(xs[0], xs[1]);
    case 'softmax':
      return (xs) => softmax(xs[0], ax(xs[0].rank, a0 ?? -1));
    case 'log_softmax':
    case 'logSoftmax':
      return (xs) => logSoftmax(xs[0], ax(xs[0].rank, a0 ?? -1));
    case 'leaky_relu':
    case 'leakyRelu':
      return (xs) => tf.leakyRelu(xs[0], typeof a0 === 'number' ? a0 : 0.01);
    case 'elu':
      return (xs) => elu(xs[0], typeof a0 === 'number' ? a0 : 1);
    case 'hardtanh':
      return (xs) => tf.clipByValue(xs[0], typeof a0 === 'number' ? a0 : -1, typeof a1 === 'number' ? a1 : 1);
    case 'softplus':
      return (xs) => softplus(xs[0], typeof a0 === 'number' ? a0 : 1, typeof a1 === 'number' ? a1 : 20);
    case 'gelu':
      return (xs) => gelu(xs[0], typeof a0 === 'string' ? a0 : 'none');
  }
  const simple: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    relu: tf.relu,
    relu_: tf.relu,
    relu6: tf.relu6,
    sigmoid: tf.sigmoid,
    tanh: tf.tanh,
    selu: tf.selu,
    exp: tf.exp,
    log: tf.log,
    abs: tf.abs,
    neg: tf.neg,
    sqrt: tf.sqrt,
    rsqrt: tf.rsqrt,
    square: tf.square,
    sign: tf.sign,
    dropout: (x) => x,
    dropout2d: (x) => x,
    long: (x) => x.toInt(),
    int: (x) => x.toInt(),
    silu: (x) => x.mul(tf.sigmoid(x)),
    mish: (x) => x.mul(tf.tanh(softplus(x))),
  };
  const f = simple[type] ?? activation(type, new ArgReader(type, {}));
  if (f) return (xs) => f(xs[0]);
  throw new Error(`no runtime equivalent for the op ${type}`);
}

export function buildTorchOp(name: string, type: string, opArgs: unknown[], functional: string | undefined, rng: Rng): TorchLayer {
  return new TorchLayer(name, type, [], opForward(type, opArgs, functional), rng);
}
