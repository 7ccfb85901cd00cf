import type { LayerEntry } from '../types';
import { Shape, ShapeError, dimOp } from '../../shape';
import { DOCS, NO_PARAMS, layoutAxes, pairsOf, spatialInput, times } from './common';

/** Applies `fn(dim, k)` to the two spatial axes of a 4-d image in the layer's dataFormat. */
function mapSpatial2d(x: Shape, a: Parameters<typeof layoutAxes>[0], fn: (d: number, k: number) => number): Shape {
  const out = [...x];
  out[0] = null;
  layoutAxes(a, 2).spatial.forEach((ax, k) => {
    out[ax] = dimOp((d) => fn(d, k), x[ax]);
  });
  return out;
}

export const padding: LayerEntry[] = [
  {
    type: 'ZeroPadding2D',
    factory: 'zeroPadding2d',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { padding: 1, dataFormat: 'channelsLast' },
    docs: {
      summary: 'Pads the rows and columns of an image with zeros: padding is a number, [rows, cols], or [[top, bottom], [left, right]].',
      use: 'Explicit padding before a valid convolution or pooling (e.g. ResNet stems).',
      formula: 'no parameters',
      url: DOCS + 'zeroPadding2d',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(inputs, 'ZeroPadding2D', 2);
      const p = pairsOf(a, 'padding', 2);
      return mapSpatial2d(x, a, (d, k) => d + p[k][0] + p[k][1]);
    },
    hyper: (a) => pairsOf(a, 'padding', 2).map((p) => `${p[0]}+${p[1]}`).join(', '),
  },
  {
    type: 'Cropping2D',
    factory: 'cropping2D',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { dataFormat: 'channelsLast' },
    docs: {
      summary: 'Crops rows and columns off the borders of an image: cropping is a number, [rows, cols], or [[top, bottom], [left, right]].',
      use: 'Aligning feature maps of different sizes before a skip connection (U-Net).',
      formula: 'no parameters',
      url: DOCS + 'cropping2D',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(inputs, 'Cropping2D', 2);
      const c = pairsOf(a, 'cropping', 2);
      return mapSpatial2d(x, a, (d, k) => {
        const left = d - c[k][0] - c[k][1];
        if (left < 0) throw new ShapeError(`expects at least ${c[k][0] + c[k][1]} ${k === 0 ? 'rows' : 'columns'} to crop but receives ${d}`);
        return left;
      });
    },
    hyper: (a) => pairsOf(a, 'cropping', 2).map((p) => `${p[0]}+${p[1]}`).join(', '),
  },
  {
    type: 'UpSampling2D',
    factory: 'upSampling2d',
    framework: 'tfjs',
    family: 'reshape',
    defaults: { size: [2, 2], dataFormat: 'channelsLast', interpolation: 'nearest' },
    docs: {
      summary: 'Repeats every row size[0] times and every column size[1] times (nearest or bilinear interpolation).',
      use: 'Growing feature maps in decoders, generators and segmentation nets.',
      formula: 'no parameters',
      url: DOCS + 'upSampling2d',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(inputs, 'UpSampling2D', 2);
      const s = a.ints('size', 2);
      return mapSpatial2d(x, a, (d, k) => d * s[k]);
    },
    hyper: (a) => `× ${times(a.ints('size', 2))}`,
  },
  {
    type: 'CenterCrop',
    factory: 'centerCrop',
    framework: 'tfjs',
    family: 'reshape',
    defaults: {},
    docs: {
      summary: 'Crops the central height × width window of an image (channels last).',
      use: 'Preprocessing images to a fixed size inside the model.',
      formula: 'no parameters',
      url: DOCS + 'centerCrop',
    },
    params: () => NO_PARAMS,
    output(a, inputs) {
      const x = spatialInput(inputs, 'CenterCrop', 2);
      return [null, a.int('height'), a.int('width'), x[3]];
    },
    hyper: (a) => `${a.int('height')}×${a.int('width')}`,
  },
];
