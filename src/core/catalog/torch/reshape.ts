import type { LayerEntry } from '../types';
import { Dim, Shape, ShapeError, axis, dimOp } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectRank, single } from '../util';
import { DOCS, NO_PARAMS, passThrough } from './shared';

function product(dims: Dim[]): Dim {
  return dimOp((...xs) => xs.reduce((p, x) => p * x, 1), ...dims);
}

const UPSAMPLE_RANK: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

export const reshapes: LayerEntry[] = [
  // nn.Identity(*args, **kwargs) accepts and ignores any arguments (`activation_layer(inplace=True)`
  // with activation_layer=nn.Identity, as torchvision's blocks are written).
  passThrough('Identity', 'reshape', [{ name: 'args', rest: true }, { name: 'kwargs', restKeywords: true }], {
    summary: 'Returns its input unchanged; constructor arguments are ignored.',
    use: 'A placeholder where a layer is optional (e.g. replacing a classifier head with nothing).',
    formula: 'none (no parameters)',
    url: DOCS + 'Identity.html',
  }),
  {
    type: 'Flatten',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'start_dim', default: 1 }, { name: 'end_dim', default: -1 }],
    docs: {
      summary: 'Flattens dims start_dim..end_dim into one (by default everything but the batch).',
      use: 'Between a convolutional trunk and a Linear head.',
      formula: 'none (no parameters)',
      url: DOCS + 'Flatten.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'Flatten');
      if (x.length === 0) return [1];
      const s = axis(x.length, a.int('start_dim'));
      const e = axis(x.length, a.int('end_dim'));
      if (s > e) throw new ShapeError(`expects start_dim (${s}) not after end_dim (${e})`);
      return [...x.slice(0, s), product(x.slice(s, e + 1)), ...x.slice(e + 1)];
    },
    hyper: (a) => `dims ${a.int('start_dim')}…${a.int('end_dim')}`,
  },
  {
    type: 'Unflatten',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'dim' }, { name: 'unflattened_size' }],
    docs: {
      summary: 'Expands one dimension into several: (N, 50) with unflattened_size (2, 5, 5) becomes (N, 2, 5, 5).',
      use: 'Turning a flat Linear output back into feature maps (decoders, generators).',
      formula: 'none (no parameters)',
      url: DOCS + 'Unflatten.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'Unflatten');
      const d = axis(x.length, a.int('dim'));
      const sizes = a.numList('unflattened_size');
      const free = sizes.filter((s) => s === -1).length;
      if (free > 1) throw new ConfigError('Unflatten: only one size may be -1');
      const fixed = sizes.filter((s) => s !== -1).reduce((p, s) => p * s, 1);
      const have = x[d];
      let inferred: Dim = null;
      if (have !== null) {
        if (free === 0 && fixed !== have) {
          throw new ShapeError(`expects dimension ${d} of size ${fixed} (${sizes.join(' × ')}) but receives ${have}`);
        }
        if (free === 1) {
          if (fixed === 0 || have % fixed !== 0) {
            throw new ShapeError(`expects dimension ${d} to be a multiple of ${fixed} (${sizes.join(' × ')}) but receives ${have}`);
          }
          inferred = have / fixed;
        }
      }
      const out: Shape = sizes.map((s) => (s === -1 ? inferred : s));
      return [...x.slice(0, d), ...out, ...x.slice(d + 1)];
    },
    hyper: (a) => `→ (${a.numList('unflattened_size').join(', ')})`,
  },
  {
    type: 'ZeroPad2d',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'padding' }],
    docs: {
      summary: 'Pads the last two dims with zeros: padding is an int or (left, right, top, bottom); negative values crop.',
      use: 'Explicit asymmetric padding before a convolution or pooling layer.',
      formula: 'none (no parameters)',
      url: DOCS + 'ZeroPad2d.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'ZeroPad2d');
      if (x.length < 2) throw new ShapeError(`expects at least a 2-d input but receives a ${x.length}-d tensor`);
      const [l, r, t, b] = a.ints('padding', 4);
      const r2 = x.length;
      const h = dimOp((v) => v + t + b, x[r2 - 2]);
      const w = dimOp((v) => v + l + r, x[r2 - 1]);
      if ((h !== null && h <= 0) || (w !== null && w <= 0)) {
        throw new ShapeError(`expects padding to leave a non-empty output but receives ${h} × ${w}`);
      }
      return [...x.slice(0, -2), h, w];
    },
    hyper: (a) => `pad ${a.ints('padding', 4).join(', ')}`,
  },
  {
    type: 'Upsample',
    framework: 'torch',
    family: 'reshape',
    signature: [
      { name: 'size', default: null },
      { name: 'scale_factor', default: null },
      { name: 'mode', default: 'nearest' },
      { name: 'align_corners', default: null },
      { name: 'recompute_scale_factor', default: null },
    ],
    docs: {
      summary: 'Resizes the spatial dims of a (N, C, L), (N, C, H, W) or (N, C, D, H, W) input to `size` or by `scale_factor`.',
      use: 'Decoder paths of U-Nets and FPNs, and generators.',
      formula: 'none (no parameters)',
      url: DOCS + 'Upsample.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'Upsample');
      expectRank(x, [3, 4, 5], '(N, C, *spatial)');
      const n = x.length - 2;
      const mode = a.str('mode');
      const want = UPSAMPLE_RANK[mode];
      if (want !== undefined && want !== x.length) {
        throw new ShapeError(`expects a ${want}-d input for mode '${mode}' but receives a ${x.length}-d tensor`);
      }
      const hasSize = a.has('size');
      const hasScale = a.has('scale_factor');
      if (hasSize === hasScale) throw new ConfigError('Upsample: give exactly one of size or scale_factor');
      if (hasSize) return [x[0], x[1], ...a.ints('size', n)];
      const scale = a.raw('scale_factor');
      const factors = typeof scale === 'number' ? Array<number>(n).fill(scale) : a.numList('scale_factor');
      if (factors.length !== n) throw new ConfigError(`Upsample: scale_factor should have ${n} entries, not ${factors.length}`);
      // PyTorch's output size is floor(input × scale) (recompute_scale_factor only changes the interpolation).
      return [x[0], x[1], ...x.slice(2).map((d, i) => dimOp((v) => Math.floor(v * factors[i]), d))];
    },
    hyper: (a) => (a.has('size') ? `→ ${JSON.stringify(a.raw('size'))}` : `×${JSON.stringify(a.raw('scale_factor'))}`) + ` ${a.str('mode')}`,
  },
];
