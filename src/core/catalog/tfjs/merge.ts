import type { Args } from '../../args';
import { Dim, Shape, ShapeError, axis as normAxis, knownProduct } from '../../shape';
import { ConfigError } from '../../unknown';
import type { LayerEntry } from '../types';
import { DOCS, NO_PARAMS } from './common';

function atLeastTwo(inputs: Shape[], type: string): void {
  if (inputs.length < 2) throw new ShapeError(`expects at least 2 inputs (${type} merges a list of tensors) but receives ${inputs.length}`);
}

/**
 * tfjs Merge.computeElementwiseOpOutputShape over the per-sample shapes: aligned from the
 * right, a 1 broadcasts, an unknown stays unknown, anything else must match.
 */
function elementwise(shapes: Shape[]): Shape {
  let out = shapes[0].slice(1);
  for (let n = 1; n < shapes.length; n++) {
    const next = shapes[n].slice(1);
    const [long, short] = out.length >= next.length ? [out, next] : [next, out];
    const lead = long.length - short.length;
    const merged: Dim[] = long.slice(0, lead);
    short.forEach((j, k) => {
      const i = long[lead + k];
      if (i === null || j === null) merged.push(null);
      else if (i === 1) merged.push(j);
      else if (j === 1) merged.push(i);
      else if (i !== j) throw new ShapeError(`expects ${out[out.length - short.length + k] ?? i} in dim ${lead + k + 1} (as input 1) but receives ${next[next.length - short.length + k] ?? j} (input ${n + 1})`);
      else merged.push(i);
    });
    out = merged;
  }
  return [null, ...out];
}

function elementwiseLayer(type: string, factory: string, summary: string, use: string): LayerEntry {
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'merge',
    arity: 'many',
    defaults: {},
    docs: { summary, use, formula: 'no parameters', url: DOCS + factory },
    params: () => NO_PARAMS,
    output(_a, inputs) {
      atLeastTwo(inputs, type);
      return elementwise(inputs);
    },
  };
}

/** tfjs Dot's axes: one number for both inputs, or a pair; negatives count from the end. */
function dotAxes(a: Args, r1: number, r2: number): [number, number] {
  const wrap = (ax: number, rank: number): number => {
    let x = ax;
    while (x < 0) x += rank;
    if (x >= rank) throw new ShapeError(`dimension ${ax} is out of range for a ${rank}-d tensor`);
    return x;
  };
  const v = a.raw('axes');
  if (typeof v === 'number') return [wrap(v, r1), wrap(v, r2)];
  const pair = a.ints('axes', 2);
  return [wrap(pair[0], r1), wrap(pair[1], r2)];
}

export const merge: LayerEntry[] = [
  elementwiseLayer('Add', 'add', 'Element-wise sum of a list of tensors with the same (broadcastable) shape.', 'Residual/skip connections (ResNet).'),
  elementwiseLayer('Multiply', 'multiply', 'Element-wise product of a list of tensors with the same (broadcastable) shape.', 'Gating and attention-style feature weighting.'),
  elementwiseLayer('Average', 'average', 'Element-wise mean of a list of tensors with the same (broadcastable) shape.', 'Ensembling the outputs of parallel branches.'),
  elementwiseLayer('Maximum', 'maximum', 'Element-wise maximum of a list of tensors with the same (broadcastable) shape.', 'Maxout-style merging of parallel branches.'),
  elementwiseLayer('Minimum', 'minimum', 'Element-wise minimum of a list of tensors with the same (broadcastable) shape.', 'Merging parallel branches by their smallest response.'),
  {
    type: 'Concatenate',
    factory: 'concatenate',
    framework: 'tfjs',
    family: 'merge',
    arity: 'many',
    defaults: { axis: -1 },
    docs: {
      summary: 'Joins a list of tensors along axis (default the last); every other dimension must match.',
      use: 'Merging parallel branches (Inception, U-Net skip connections, multi-input models).',
      formula: 'no parameters',
      url: DOCS + 'concatenate',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      atLeastTwo(inputs, 'Concatenate');
      const rank = inputs[0].length;
      const ax = normAxis(rank, a.int('axis'));
      const out: Shape = [...inputs[0]];
      inputs.slice(1).forEach((s, n) => {
        if (s.length !== rank) throw new ShapeError(`expects a ${rank}-d input (as input 1) but receives a ${s.length}-d tensor (input ${n + 2})`);
        s.forEach((d, i) => {
          if (i === 0) return;
          if (i === ax) out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
          else if (out[i] === null) out[i] = d;
          else if (d !== null && d !== out[i]) throw new ShapeError(`expects ${out[i]} in dim ${i} (as input 1) but receives ${d} (input ${n + 2}); only the concat axis ${ax} may differ`);
        });
      });
      out[0] = null;
      return out;
    },
    hyper: (a) => `axis ${a.int('axis')}`,
  },
  {
    type: 'Dot',
    factory: 'dot',
    framework: 'tfjs',
    family: 'merge',
    arity: 'many',
    defaults: { normalize: false },
    docs: {
      summary: 'Dot product of two tensors along axes (per sample); normalize: true makes it the cosine similarity.',
      use: 'Similarity scores between two embeddings, or simple attention.',
      formula: 'no parameters',
      url: DOCS + 'dot',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      if (inputs.length !== 2) throw new ShapeError(`expects 2 inputs (Dot) but receives ${inputs.length}`);
      const [s1, s2] = inputs;
      if (s1.length > 3 || s2.length > 3) throw new ConfigError('tfjs Dot does not support inputs of rank 4 or more');
      const [a1, a2] = dotAxes(a, s1.length, s2.length);
      if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) {
        throw new ShapeError(`expects ${s1[a1]} in dim ${a2} of input 2 (dim ${a1} of input 1) but receives ${s2[a2]}`);
      }
      const out = [...s1.filter((_, i) => i !== a1), ...s2.filter((_, i) => i !== a2).slice(1)];
      if (out.length === 1) out.push(1);
      out[0] = null;
      return out;
    },
    multAdds(a, inputs, out) {
      const [s1, s2] = inputs;
      const [a1] = dotAxes(a, s1.length, s2.length);
      return knownProduct(out as Shape) * (s1[a1] ?? 1);
    },
    hyper: (a) => `axes ${JSON.stringify(a.raw('axes'))}`,
  },
];
