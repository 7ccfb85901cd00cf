import * as tf from '@tensorflow/tfjs';

/**
 * PyTorch's convolution, pooling, padding and resampling on channels-first tensors
 * ([N, C, ...spatial], exactly the shapes the static summary shows). tfjs convolves
 * channels-last, so convolutions transpose at their boundary; everything else works on the
 * spatial axes directly, which keeps PyTorch's flatten order by construction.
 */

export type PadMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Runs `fn` on a batched tensor, adding and removing the batch for PyTorch's unbatched inputs. */
export function batched(x: tf.Tensor, spatial: number, fn: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (x.rank === spatial + 1) return fn(x.expandDims(0)).squeeze([0]);
  if (x.rank !== spatial + 2) throw new Error(`expects a ${spatial + 1}-d or ${spatial + 2}-d input, not ${x.rank}-d`);
  return fn(x);
}

function sliceAxis(x: tf.Tensor, axis: number, start: number, size: number): tf.Tensor {
  const begin = x.shape.map((_, i) => (i === axis ? start : 0));
  const sizes = x.shape.map((d, i) => (i === axis ? size : d));
  return tf.slice(x, begin, sizes);
}

/** Pads (or, for negative amounts, crops) one axis the way PyTorch's padding modes do. */
export function padAxis(x: tf.Tensor, axis: number, before: number, after: number, mode: PadMode | 'value', value = 0): tf.Tensor {
  if (before < 0) {
    x = sliceAxis(x, axis, -before, x.shape[axis] + before);
    before = 0;
  }
  if (after < 0) {
    x = sliceAxis(x, axis, 0, x.shape[axis] + after);
    after = 0;
  }
  if (before === 0 && after === 0) return x;
  const n = x.shape[axis];
  if (mode === 'zeros' || mode === 'value') {
    const pads = x.shape.map((_, i) => (i === axis ? [before, after] : [0, 0]) as [number, number]);
    return tf.pad(x, pads, mode === 'value' ? value : 0);
  }
  const parts: tf.Tensor[] = [];
  if (mode === 'reflect') {
    if (before) parts.push(tf.reverse(sliceAxis(x, axis, 1, before), axis));
    parts.push(x);
    if (after) parts.push(tf.reverse(sliceAxis(x, axis, n - 1 - after, after), axis));
  } else if (mode === 'replicate') {
    if (before) parts.push(tf.concat(Array(before).fill(sliceAxis(x, axis, 0, 1)), axis));
    parts.push(x);
    if (after) parts.push(tf.concat(Array(after).fill(sliceAxis(x, axis, n - 1, 1)), axis));
  } else {
    if (before) parts.push(sliceAxis(x, axis, n - before, before));
    parts.push(x);
    if (after) parts.push(sliceAxis(x, axis, 0, after));
  }
  return tf.concat(parts, axis);
}

/** Inserts `s - 1` zeros between elements along `axis` (a transposed convolution's input). */
function dilateAxis(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  if (s === 1) return x;
  const n = x.shape[axis];
  const e = x.expandDims(axis + 1);
  const padded = tf.pad(e, e.shape.map((_, i) => (i === axis + 1 ? [0, s - 1] : [0, 0]) as [number, number]));
  const merged = padded.reshape(x.shape.map((d, i) => (i === axis ? n * s : d)));
  return sliceAxis(merged, axis, 0, (n - 1) * s + 1);
}

function toChannelsLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  return x.transpose([0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

function toChannelsFirst(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  return x.transpose([0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

/** A stride-1 'valid' tfjs convolution of a channels-last tensor, any of 1–3 spatial dims. */
function convValid(x: tf.Tensor, filter: tf.Tensor, strides: number[], dilations: number[]): tf.Tensor {
  // tfjs requires either the strides or the dilations to be 1: convolve densely, then subsample.
  const both = strides.some((s) => s > 1) && dilations.some((d) => d > 1);
  const s = both ? strides.map(() => 1) : strides;
  let y: tf.Tensor;
  if (strides.length === 1) y = tf.conv1d(x as tf.Tensor3D, filter as tf.Tensor3D, s[0], 'valid', 'NWC', dilations[0]);
  else if (strides.length === 2) y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s as [number, number], 'valid', 'NHWC', dilations as [number, number]);
  else y = tf.conv3d(x as tf.Tensor5D, filter as tf.Tensor5D, s as [number, number, number], 'valid', 'NDHWC', dilations as [number, number, number]);
  if (!both) return y;
  const end = y.shape.slice();
  return tf.stridedSlice(y, y.shape.map(() => 0), end, [1, ...strides, 1]);
}

export interface ConvSpec {
  stride: number[];
  /** [before, after] per spatial dim. */
  pads: [number, number][];
  dilation: number[];
  groups: number;
  padMode: PadMode;
}

/** PyTorch's ConvNd: weight [out, in/groups, ...k], input channels-first. */
export function convNd(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined, c: ConvSpec): tf.Tensor {
  const nd = c.stride.length;
  return batched(x, nd, (xb) => {
    let xl = toChannelsLast(xb);
    c.pads.forEach(([a, b], i) => (xl = padAxis(xl, i + 1, a, b, c.padMode)));
    const inG = weight.shape[1] as number;
    const outG = weight.shape[0] / c.groups;
    const perm = [...Array.from({ length: nd }, (_, i) => i + 2), 1, 0];
    const outs: tf.Tensor[] = [];
    for (let g = 0; g < c.groups; g++) {
      const xg = c.groups === 1 ? xl : sliceAxis(xl, nd + 1, g * inG, inG);
      const wg = c.groups === 1 ? weight : sliceAxis(weight, 0, g * outG, outG);
      outs.push(convValid(xg, wg.transpose(perm), c.stride, c.dilation));
    }
    let y = outs.length === 1 ? outs[0] : tf.concat(outs, nd + 1);
    if (bias) y = y.add(bias);
    return toChannelsFirst(y);
  });
}

/** PyTorch's ConvTransposeNd: weight [in, out/groups, ...k]; a stride-1 convolution of the zero-dilated input with the flipped kernel. */
export function convTransposeNd(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | undefined, c: { stride: number[]; padding: number[]; outputPadding: number[]; dilation: number[]; groups: number }): tf.Tensor {
  const nd = c.stride.length;
  return batched(x, nd, (xb) => {
    let xl = toChannelsLast(xb);
    const k = weight.shape.slice(2);
    for (let i = 0; i < nd; i++) {
      xl = dilateAxis(xl, i + 1, c.stride[i]);
      const p = c.dilation[i] * (k[i] - 1) - c.padding[i];
      xl = padAxis(xl, i + 1, p, p + c.outputPadding[i], 'zeros');
    }
    const inG = (weight.shape[0] as number) / c.groups;
    const spatialAxes = Array.from({ length: nd }, (_, i) => i + 2);
    const perm = [...spatialAxes, 0, 1];
    const outs: tf.Tensor[] = [];
    for (let g = 0; g < c.groups; g++) {
      const xg = c.groups === 1 ? xl : sliceAxis(xl, nd + 1, g * inG, inG);
      const wg = c.groups === 1 ? weight : sliceAxis(weight, 0, g * inG, inG);
      outs.push(convValid(xg, tf.reverse(wg, spatialAxes).transpose(perm), c.stride.map(() => 1), c.dilation));
    }
    let y = outs.length === 1 ? outs[0] : tf.concat(outs, nd + 1);
    if (bias) y = y.add(bias);
    return toChannelsFirst(y);
  });
}

/** PyTorch's pooling output length, ceil_mode included (the last window must start inside the input or its left padding). */
export function poolLength(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + p) out -= 1;
  return out;
}

export interface PoolSpec {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceil: boolean;
  countIncludePad: boolean;
  divisorOverride: number | null;
  returnIndices: boolean;
}

/** An int tensor broadcastable over [N, C, ...out] holding, per output cell, a per-dim value. */
function grid(perDim: number[][], combine: 'mul' | 'flat', spatialSizes: number[]): tf.Tensor {
  const nd = perDim.length;
  let acc: tf.Tensor | undefined;
  for (let i = 0; i < nd; i++) {
    const shape = [1, 1, ...perDim.map((v, j) => (j === i ? v.length : 1))];
    let t = tf.tensor(perDim[i], shape, combine === 'mul' ? 'float32' : 'int32');
    if (combine === 'flat') t = t.mul(tf.scalar(spatialSizes.slice(i + 1).reduce((a, b) => a * b, 1), 'int32'));
    acc = acc ? (combine === 'mul' ? acc.mul(t) : acc.add(t)) : t;
  }
  return acc as tf.Tensor;
}

/**
 * Max/avg pooling by gathering every kernel offset as a strided slice of the padded input: it
 * covers PyTorch's dilation, ceil_mode, count_include_pad and divisor_override in one rule.
 */
export function poolNd(x: tf.Tensor, kind: 'max' | 'avg', c: PoolSpec): tf.Tensor | tf.Tensor[] {
  const nd = c.kernel.length;
  if (nd === 2 && !c.ceil && !c.returnIndices && c.dilation.every((d) => d === 1) && c.divisorOverride === null && (kind === 'max' || c.padding.every((p) => p === 0))) {
    // The common case in tfjs's own pooling kernels (channels-last); -inf padding keeps max-pool exact.
    return batched(x, 2, (xb) => {
      let xl = toChannelsLast(xb);
      c.padding.forEach((p, i) => (xl = padAxis(xl, i + 1, p, p, 'value', -Infinity)));
      const k = c.kernel as [number, number];
      const s = c.stride as [number, number];
      return toChannelsFirst(kind === 'max' ? tf.maxPool(xl as tf.Tensor4D, k, s, 'valid') : tf.avgPool(xl as tf.Tensor4D, k, s, 'valid'));
    });
  }
  const unbatched = x.rank === nd + 1;
  const xb = unbatched ? x.expandDims(0) : x;
  const sizes = xb.shape.slice(2);
  const outLen = sizes.map((n, i) => poolLength(n, c.kernel[i], c.stride[i], c.padding[i], c.dilation[i], c.ceil));
  let xp = xb;
  for (let i = 0; i < nd; i++) {
    const right = Math.max(0, (outLen[i] - 1) * c.stride[i] + c.dilation[i] * (c.kernel[i] - 1) + 1 - sizes[i] - c.padding[i]);
    xp = padAxis(xp, i + 2, c.padding[i], right, 'value', kind === 'max' ? -Infinity : 0);
  }
  const offsets: number[][] = [[]];
  for (let i = 0; i < nd; i++) offsets.splice(0, offsets.length, ...offsets.flatMap((o) => Array.from({ length: c.kernel[i] }, (_, k) => [...o, k])));
  let acc: tf.Tensor | undefined;
  let idx: tf.Tensor | undefined;
  for (const o of offsets) {
    const begin = [0, 0, ...o.map((k, i) => k * c.dilation[i])];
    const end = [xp.shape[0] as number, xp.shape[1] as number, ...o.map((k, i) => k * c.dilation[i] + (outLen[i] - 1) * c.stride[i] + 1)];
    const win = tf.stridedSlice(xp, begin, end, [1, 1, ...c.stride]);
    if (!acc) {
      acc = win;
      if (c.returnIndices) idx = tf.zerosLike(win).toInt().add(inputIndex(o, c, outLen, sizes));
    } else if (kind === 'max') {
      if (c.returnIndices) {
        const better = win.greater(acc);
        idx = tf.where(better, tf.zerosLike(win).toInt().add(inputIndex(o, c, outLen, sizes)), idx as tf.Tensor);
      }
      acc = tf.maximum(acc, win);
    } else acc = acc.add(win);
  }
  let y = acc as tf.Tensor;
  if (kind === 'avg') {
    const divisor = c.divisorOverride
      ? tf.scalar(c.divisorOverride)
      : grid(
          outLen.map((n, i) =>
            Array.from({ length: n }, (_, j) => {
              const start = j * c.stride[i] - c.padding[i];
              const end = Math.min(start + c.kernel[i], sizes[i] + c.padding[i]);
              return c.countIncludePad ? end - start : Math.min(end, sizes[i]) - Math.max(start, 0);
            }),
          ),
          'mul',
          sizes,
        );
    y = y.div(divisor);
  }
  const fix = (t: tf.Tensor) => (unbatched ? t.squeeze([0]) : t);
  return c.returnIndices && idx ? [fix(y), fix(idx)] : fix(y);
}

/** Flat index into the input plane of kernel offset `o` at every output cell (PyTorch's return_indices). */
function inputIndex(o: number[], c: PoolSpec, outLen: number[], sizes: number[]): tf.Tensor {
  const perDim = outLen.map((n, i) => Array.from({ length: n }, (_, j) => Math.min(Math.max(j * c.stride[i] - c.padding[i] + o[i] * c.dilation[i], 0), sizes[i] - 1)));
  return grid(perDim, 'flat', sizes);
}

/** PyTorch's adaptive pooling bins: [floor(i·n/o), ceil((i+1)·n/o)). */
function bins(n: number, o: number): [number, number][] {
  return Array.from({ length: o }, (_, i) => [Math.floor((i * n) / o), Math.ceil(((i + 1) * n) / o)]);
}

export function adaptivePoolNd(x: tf.Tensor, kind: 'max' | 'avg', outputSize: (number | null)[], returnIndices: boolean): tf.Tensor | tf.Tensor[] {
  const nd = outputSize.length;
  const unbatched = x.rank === nd + 1;
  const xb = unbatched ? x.expandDims(0) : x;
  const sizes = xb.shape.slice(2);
  const outs = outputSize.map((o, i) => o ?? sizes[i]);
  const fix = (t: tf.Tensor) => (unbatched ? t.squeeze([0]) : t);
  if (!returnIndices) {
    let y = xb;
    for (let i = 0; i < nd; i++) {
      const axis = i + 2;
      const parts = bins(sizes[i], outs[i]).map(([a, b]) => {
        const w = sliceAxis(y, axis, a, b - a);
        return kind === 'max' ? w.max(axis, true) : w.mean(axis, true);
      });
      y = parts.length === 1 ? parts[0] : tf.concat(parts, axis);
    }
    return fix(y);
  }
  // With indices: one window at a time, argmax inside it, mapped back to the input plane.
  const [N, C] = xb.shape;
  const cells: number[][] = [[]];
  for (let i = 0; i < nd; i++) cells.splice(0, cells.length, ...cells.flatMap((o) => Array.from({ length: outs[i] }, (_, k) => [...o, k])));
  const vals: tf.Tensor[] = [];
  const idxs: tf.Tensor[] = [];
  for (const cell of cells) {
    const ranges = cell.map((k, i) => bins(sizes[i], outs[i])[k]);
    const win = tf.slice(xb, [0, 0, ...ranges.map((r) => r[0])], [N, C, ...ranges.map((r) => r[1] - r[0])]);
    const widths = ranges.map((r) => r[1] - r[0]);
    const flat = win.reshape([N, C, -1]);
    vals.push(flat.max(2));
    let local = flat.argMax(2);
    let global = tf.zerosLike(local);
    for (let i = nd - 1, inner = 1, innerIn = 1; i >= 0; i--) {
      const coord = tf.floorDiv(local, tf.scalar(inner, 'int32')).mod(tf.scalar(widths[i], 'int32')).add(tf.scalar(ranges[i][0], 'int32'));
      global = global.add(coord.mul(tf.scalar(innerIn, 'int32')));
      inner *= widths[i];
      innerIn *= sizes[i];
    }
    local = global;
    idxs.push(local);
  }
  const shape = [N, C, ...outs];
  return [fix(tf.stack(vals, 2).reshape(shape)), fix(tf.stack(idxs, 2).reshape(shape))];
}

/**
 * PyTorch's interpolate along each spatial axis: 'nearest' picks floor(i·scale), the linear
 * modes blend the two neighbours (align_corners or half-pixel).
 */
export function upsample(x: tf.Tensor, outSizes: number[], mode: string, alignCorners: boolean, scales: (number | null)[]): tf.Tensor {
  let y = x;
  outSizes.forEach((out, i) => {
    const axis = i + 2;
    const n = y.shape[axis];
    const scale = scales[i] ? 1 / (scales[i] as number) : n / out;
    if (mode === 'nearest') {
      const idx = Array.from({ length: out }, (_, j) => Math.min(Math.floor(j * scale), n - 1));
      y = tf.gather(y, tf.tensor1d(idx, 'int32'), axis);
      return;
    }
    const lo: number[] = [];
    const hi: number[] = [];
    const w: number[] = [];
    for (let j = 0; j < out; j++) {
      const src = alignCorners ? (out > 1 ? (j * (n - 1)) / (out - 1) : 0) : Math.max((j + 0.5) * scale - 0.5, 0);
      const l = Math.min(Math.floor(src), n - 1);
      lo.push(l);
      hi.push(Math.min(l + 1, n - 1));
      w.push(src - l);
    }
    const wShape = y.shape.map((d, k) => (k === axis ? out : 1));
    const wt = tf.tensor(w, wShape);
    const a = tf.gather(y, tf.tensor1d(lo, 'int32'), axis);
    const b = tf.gather(y, tf.tensor1d(hi, 'int32'), axis);
    y = a.add(b.sub(a).mul(wt));
  });
  return y;
}
