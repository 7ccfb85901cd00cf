import { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Shape, ShapeError, dimOp } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectRank, single } from '../util';
import { DOCS, NO_PARAMS } from './shared';
import { reshapes } from './reshape';

/**
 * Layers that move values around without weights: the padding family, pixel (un)shuffle, channel
 * shuffle and the fixed-mode upsampling layers (torch/nn/modules/padding.py, pixelshuffle.py,
 * channelshuffle.py, upsampling.py in 1.13).
 */

const NONE = 'none (no parameters)';

/** `padding` as PyTorch's `_ntuple(2n)`: an int for every side, or (left, right, top, bottom, front, back). */
function pads(a: Args, n: number): number[] {
  return a.ints('padding', 2 * n);
}

function pad(kind: 'Constant' | 'Reflection' | 'Replication', n: 1 | 2 | 3): LayerEntry {
  const type = `${kind}Pad${n}d`;
  const dims = n === 1 ? '(C, W) or (N, C, W)' : n === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, D, H, W) or (N, C, D, H, W)';
  return {
    type,
    framework: 'torch',
    family: 'reshape',
    signature: kind === 'Constant' ? [{ name: 'padding' }, { name: 'value' }] : [{ name: 'padding' }],
    docs: {
      summary:
        kind === 'Constant'
          ? `Pads the last ${n} dim${n > 1 ? 's' : ''} with a constant value; negative padding crops.`
          : kind === 'Reflection'
            ? `Pads the last ${n} dim${n > 1 ? 's' : ''} with the reflection of the input at its border.`
            : `Pads the last ${n} dim${n > 1 ? 's' : ''} by repeating the input's border values.`,
      use: kind === 'Constant' ? 'Explicit asymmetric padding.' : 'Border handling in image-to-image networks (style transfer, super-resolution).',
      formula: NONE,
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, type);
      const p = pads(a, n);
      if (kind === 'Constant') {
        if (x.length < n) throw new ShapeError(`expects at least a ${n}-d input but receives a ${x.length}-d tensor`);
      } else expectRank(x, [n + 1, n + 2], dims);
      const out = [...x];
      for (let i = 0; i < n; i++) {
        // p[0], p[1] pad the last dim; p[2], p[3] the one before; …
        const at = x.length - 1 - i;
        const before = p[2 * i];
        const after = p[2 * i + 1];
        const d = x[at];
        if (kind === 'Reflection' && d !== null && (before >= d || after >= d)) {
          throw new ShapeError(`expects padding smaller than the input size ${d} but receives ${Math.max(before, after)}`);
        }
        const o = dimOp((v) => v + before + after, d);
        if (o !== null && o <= 0) throw new ShapeError(`expects padding to leave a non-empty output but receives ${o}`);
        out[at] = o;
      }
      return out;
    },
    hyper: (a) => `pad ${pads(a, n).join(', ')}`,
  };
}

function factor(a: Args, name: string): number {
  const r = a.int(name);
  if (r <= 0) throw new ConfigError(`${a.layerType}: ${name} must be positive, not ${r}`);
  return r;
}

const upsample = reshapes.find((e) => e.type === 'Upsample')!;

/** UpsamplingNearest2d / UpsamplingBilinear2d: Upsample with a fixed mode (bilinear with align_corners=True). */
function fixedUpsample(type: string, mode: string): LayerEntry {
  return {
    type,
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'size', default: null }, { name: 'scale_factor', default: null }],
    docs: {
      summary: `Upsample with mode='${mode}'${mode === 'bilinear' ? ' and align_corners=True' : ''} on a (N, C, H, W) input.`,
      use: 'Older decoder code; new code uses nn.Upsample or F.interpolate.',
      formula: NONE,
      url: DOCS + `${type}.html`,
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, type);
      expectRank(x, [4], '(N, C, H, W)');
      const args = new Args(type, { ...a.values, mode, align_corners: mode === 'bilinear' ? true : null, recompute_scale_factor: null });
      return upsample.output(args, inputs);
    },
  };
}

export const spatials: LayerEntry[] = [
  pad('Constant', 1),
  pad('Constant', 2),
  pad('Constant', 3),
  pad('Reflection', 1),
  pad('Reflection', 2),
  pad('Reflection', 3),
  pad('Replication', 1),
  pad('Replication', 2),
  pad('Replication', 3),
  {
    type: 'PixelShuffle',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'upscale_factor' }],
    docs: {
      summary: 'Rearranges (*, C × r², H, W) into (*, C, H × r, W × r).',
      use: 'Sub-pixel convolution upsampling (ESPCN super-resolution).',
      formula: NONE,
      url: DOCS + 'PixelShuffle.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'PixelShuffle');
      const r = factor(a, 'upscale_factor');
      if (x.length < 3) throw new ShapeError(`expects at least a 3-d input but receives a ${x.length}-d tensor`);
      const [c, h, w] = x.slice(-3);
      if (c !== null && c % (r * r) !== 0) throw new ShapeError(`expects channels divisible by ${r * r} (upscale_factor²) but receives ${c}`);
      return [...x.slice(0, -3), dimOp((v) => v / (r * r), c), dimOp((v) => v * r, h), dimOp((v) => v * r, w)];
    },
    hyper: (a) => `×${a.int('upscale_factor')}`,
  },
  {
    type: 'PixelUnshuffle',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'downscale_factor' }],
    docs: {
      summary: 'Rearranges (*, C, H × r, W × r) into (*, C × r², H, W): the inverse of PixelShuffle.',
      use: 'Lossless downsampling into channels.',
      formula: NONE,
      url: DOCS + 'PixelUnshuffle.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'PixelUnshuffle');
      const r = factor(a, 'downscale_factor');
      if (x.length < 3) throw new ShapeError(`expects at least a 3-d input but receives a ${x.length}-d tensor`);
      const [c, h, w] = x.slice(-3);
      for (const d of [h, w]) if (d !== null && d % r !== 0) throw new ShapeError(`expects height and width divisible by ${r} but receives ${d}`);
      return [...x.slice(0, -3), dimOp((v) => v * r * r, c), dimOp((v) => v / r, h), dimOp((v) => v / r, w)];
    },
    hyper: (a) => `÷${a.int('downscale_factor')}`,
  },
  {
    type: 'ChannelShuffle',
    framework: 'torch',
    family: 'reshape',
    signature: [{ name: 'groups' }],
    docs: {
      summary: 'Interleaves the channels of (N, C, *) across `groups` groups; the shape is unchanged.',
      use: 'ShuffleNet blocks, after grouped convolutions.',
      formula: NONE,
      url: DOCS + 'ChannelShuffle.html',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = single(inputs, 'ChannelShuffle');
      const g = factor(a, 'groups');
      if (x.length < 3) throw new ShapeError(`expects at least a 3-d input but receives a ${x.length}-d tensor`);
      const c = x[1];
      if (c !== null && c % g !== 0) throw new ShapeError(`expects channels divisible by ${g} groups but receives ${c}`);
      return [...x] as Shape;
    },
    hyper: (a) => `${a.int('groups')} groups`,
  },
  fixedUpsample('UpsamplingNearest2d', 'nearest'),
  fixedUpsample('UpsamplingBilinear2d', 'bilinear'),
];
