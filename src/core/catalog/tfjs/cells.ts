import type { Args, LayerSpec } from '../../args';
import { Out, Shape, ShapeError } from '../../shape';
import { ConfigError } from '../../unknown';
import type { LayerEntry } from '../types';
import { expectRank, f, need, single, unitsText } from '../util';
import { DOCS, convLength } from './common';

/**
 * tfjs's recurrent cells and the layers that run them: simpleRNNCell, lstmCell, gruCell,
 * stackedRNNCells, the generic rnn({cell}) and convLstm2d (with its cell). A cell holds one time
 * step's weights (kernel, recurrentKernel, one bias, as tf.layers.lstm has them); tf.layers.rnn
 * runs it over the time axis. Rules transcribed from tfjs-layers 4.22 (recurrent.ts,
 * convolutional_recurrent.ts).
 */

const CELL_GATES: Record<string, number> = { SimpleRNNCell: 1, GRUCell: 3, LSTMCell: 4 };

interface CellInfo {
  params: number;
  formula: string;
  /** cell.stateSize as tfjs lists it: [units] (LSTM: [units, units]); stacked: the cells' in reverse order. */
  states: number[];
}

/** A cell's weights when built on `inputDim` features, and its state sizes. */
export function cellInfo(spec: LayerSpec, inputDim: number): CellInfo {
  return cellInfoOf(spec.entry.type, spec.args, inputDim);
}

function cellInfoOf(t: string, a: Args, inputDim: number): CellInfo {
  if (t === 'StackedRNNCells') return stackedInfo(a.layers('cells'), inputDim);
  const g = CELL_GATES[t];
  if (g === undefined) throw new ConfigError(`tf.layers.rnn runs a cell (simpleRNNCell, lstmCell, gruCell, stackedRNNCells), not ${t}`);
  if (t === 'GRUCell' && a.has('resetAfter') && a.bool('resetAfter')) throw new ConfigError('GRUCell does not support reset_after parameter set to true.');
  const u = a.int('units');
  const b = a.bool('useBias');
  const per = inputDim * u + u * u + (b ? u : 0);
  const inner = f(inputDim, '×', u, '+', u, '×', u) + (b ? ' + ' + f(u) : '');
  return { params: g * per, formula: g === 1 ? inner : `${g} × (${inner})`, states: t === 'LSTMCell' ? [u, u] : [u] };
}

/** StackedRNNCells.build: each cell reads the previous cell's output (its first state size). */
function stackedInfo(cells: LayerSpec[], inputDim: number): CellInfo {
  let dim = inputDim;
  let params = 0;
  const formulas: string[] = [];
  const states: number[] = [];
  for (const c of cells) {
    const i = cellInfo(c, dim);
    params += i.params;
    formulas.push(i.formula);
    states.unshift(...i.states);
    dim = i.states[0];
  }
  return { params, formula: formulas.map((x) => `(${x})`).join(' + ') || '0', states };
}

const CELL_PROBLEM =
  'a cell applied on its own does not run in tfjs (it takes [inputs, ...states] per time step): tfjs reports its input shape as its output; wrap it in tf.layers.rnn({cell})';

const CELL_DEFAULTS = { useBias: true, activation: 'tanh', dropout: 0, recurrentDropout: 0 };

function cell(type: 'SimpleRNNCell' | 'LSTMCell' | 'GRUCell', factory: string, summary: string): LayerEntry {
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'recurrent',
    defaults: type === 'SimpleRNNCell' ? CELL_DEFAULTS : { ...CELL_DEFAULTS, recurrentActivation: 'hardSigmoid' },
    docs: {
      summary,
      use: 'Building a custom recurrent layer with tf.layers.rnn({cell}), or stacking cells with stackedRNNCells.',
      formula: `${CELL_GATES[type] === 1 ? '' : `${CELL_GATES[type]} × `}(features × units + units × units + units (bias))`,
      url: DOCS + factory,
    },
    params(a, inputs) {
      const x = single(inputs, type);
      const info = cellInfoOf(type, a, need(x[x.length - 1], 'the input feature size'));
      return { trainable: info.params, nonTrainable: 0, formula: info.formula };
    },
    // tfjs's symbolic apply keeps the input shape (a cell defines no computeOutputShape).
    output: (_a, inputs) => [...single(inputs, type)],
    hyper: (a) => unitsText(a.int('units')),
    runProblem: () => CELL_PROBLEM,
  };
}

const RNN_DEFAULTS = { returnSequences: false, returnState: false, goBackwards: false, stateful: false, unroll: false };

/** RNN.computeOutputShape: the output has the cell's first state size; returnState adds every state. */
function rnnOutput(a: Args, x: Shape, states: number[]): Out {
  const outDim = states[0];
  const out: Shape = a.bool('returnSequences') ? [x[0], x[1], outDim] : [x[0], outDim];
  if (!a.bool('returnState')) return out;
  return { tuple: [out, ...states.map((d): Shape => [x[0], d])] };
}

/** The cell of tf.layers.rnn: one cell, or a list (tfjs stacks it in StackedRNNCells). */
function rnnCell(a: Args, inputDim: number): CellInfo {
  const raw = a.raw('cell');
  const cells = a.layers('cell');
  return Array.isArray(raw) ? stackedInfo(cells, inputDim) : cellInfo(cells[0], inputDim);
}

function sequenceInput(inputs: Shape[], type: string): Shape {
  const x = single(inputs, type);
  expectRank(x, [3], `${type} takes [batch, timeSteps, features]`);
  return x;
}

const rnn: LayerEntry = {
  type: 'RNN',
  factory: 'rnn',
  framework: 'tfjs',
  family: 'recurrent',
  callInputs: ['initialState'],
  defaults: RNN_DEFAULTS,
  docs: {
    summary: 'Runs a recurrent cell (or a list of cells, stacked) over the time axis; returns the last output, all of them with returnSequences, and the final states with returnState.',
    use: 'Recurrent layers built from cells: stacked cells in one layer, custom cells.',
    formula: "the cell's (or the stacked cells') parameters",
    url: DOCS + 'rnn',
  },
  params(a, inputs) {
    const x = sequenceInput(inputs, 'RNN');
    const info = rnnCell(a, need(x[2], 'the input feature size'));
    return { trainable: info.params, nonTrainable: 0, formula: info.formula };
  },
  output(a, inputs) {
    const x = sequenceInput(inputs, 'RNN');
    // Only the state sizes are needed, which do not depend on the input features.
    return rnnOutput(a, x, rnnCell(a, x[2] ?? 1).states);
  },
  multAdds(a, inputs) {
    const x = inputs[0];
    return rnnCell(a, x[2] ?? 0).params * (x[1] ?? 1);
  },
  hyper: (a) => `${a.bool('returnSequences') ? 'seq' : 'last'}`,
};

const stacked: LayerEntry = {
  type: 'StackedRNNCells',
  factory: 'stackedRNNCells',
  framework: 'tfjs',
  family: 'recurrent',
  docs: {
    summary: 'Several cells as one: each time step runs them in order, each reading the previous one\'s output.',
    use: 'A deep recurrent layer in one tf.layers.rnn({cell: tf.layers.stackedRNNCells({cells})}).',
    formula: "the sum of the cells' parameters",
    url: DOCS + 'stackedRNNCells',
  },
  params(a, inputs) {
    const x = single(inputs, 'StackedRNNCells');
    const info = stackedInfo(a.layers('cells'), need(x[x.length - 1], 'the input feature size'));
    return { trainable: info.params, nonTrainable: 0, formula: info.formula };
  },
  output: (_a, inputs) => [...single(inputs, 'StackedRNNCells')],
  runProblem: () => CELL_PROBLEM,
};

// ---- ConvLSTM2D ----

const CONV_DEFAULTS = {
  ...RNN_DEFAULTS,
  useBias: true,
  activation: 'tanh',
  recurrentActivation: 'hardSigmoid',
  dropout: 0,
  recurrentDropout: 0,
  padding: 'valid',
  dataFormat: 'channelsLast',
  strides: 1,
  dilationRate: 1,
};

/** kernel (kh × kw × in × 4f), recurrentKernel (kh × kw × f × 4f), bias (4f). */
function convLstmParams(a: Args, inChannels: number): { trainable: number; nonTrainable: number; formula: string } {
  const [kh, kw] = a.ints('kernelSize', 2);
  const fl = a.int('filters');
  const b = a.bool('useBias');
  const n = kh * kw * inChannels * 4 * fl + kh * kw * fl * 4 * fl + (b ? 4 * fl : 0);
  const formula = f(kh, '×', kw, '×', inChannels, '× 4 ×', fl, '+', kh, '×', kw, '×', fl, '× 4 ×', fl) + (b ? ' + ' + f(4 * fl) : '');
  return { trainable: n, nonTrainable: 0, formula };
}

const channelsFirst = (a: Args): boolean => a.str('dataFormat') === 'channelsFirst';

/** The state of one step: the image after the input convolution (padding, strides, dilation). */
function stepOutput(a: Args, img: Shape): Shape {
  const [kh, kw] = a.ints('kernelSize', 2);
  const [sh, sw] = a.ints('strides', 2);
  const [dh, dw] = a.ints('dilationRate', 2);
  const pad = a.str('padding');
  const cf = channelsFirst(a);
  const [r, c] = cf ? [img[2], img[3]] : [img[1], img[2]];
  const rows = convLength(r, kh, pad, sh, dh);
  const cols = convLength(c, kw, pad, sw, dw);
  if ((rows !== null && rows <= 0) || (cols !== null && cols <= 0)) throw new ShapeError(`expects an image of at least ${kh}×${kw} but receives ${r}×${c}`);
  const fl = a.int('filters');
  return cf ? [img[0], fl, rows, cols] : [img[0], rows, cols, fl];
}

const convLstm2d: LayerEntry = {
  type: 'ConvLSTM2D',
  factory: 'convLstm2d',
  framework: 'tfjs',
  family: 'recurrent',
  callInputs: ['initialState'],
  defaults: CONV_DEFAULTS,
  docs: {
    summary: 'An LSTM whose gates are convolutions: [batch, time, rows, cols, channels] → the last (or every) step\'s [rows\', cols\', filters] map.',
    use: 'Spatio-temporal sequences: video frames, precipitation nowcasting.',
    formula: 'kh × kw × in × 4·filters + kh × kw × filters × 4·filters + 4·filters (bias)',
    url: DOCS + 'convLstm2d',
  },
  params(a, inputs) {
    const x = single(inputs, 'ConvLSTM2D');
    expectRank(x, [5], 'ConvLSTM2D takes [batch, timeSteps, rows, cols, channels]');
    return convLstmParams(a, need(x[channelsFirst(a) ? 2 : 4], 'the input channel count'));
  },
  output(a, inputs) {
    const x = single(inputs, 'ConvLSTM2D');
    expectRank(x, [5], 'ConvLSTM2D takes [batch, timeSteps, rows, cols, channels]');
    const step = stepOutput(a, [x[0], ...x.slice(2)]);
    const out: Shape = a.bool('returnSequences') ? [step[0], x[1], ...step.slice(1)] : step;
    return a.bool('returnState') ? { tuple: [out, [...step], [...step]] } : out;
  },
  hyper: (a) => `${a.int('filters')} filters, ${a.ints('kernelSize', 2).join('×')}`,
};

const convLstm2dCell: LayerEntry = {
  type: 'ConvLSTM2DCell',
  factory: 'convLstm2dCell',
  framework: 'tfjs',
  family: 'recurrent',
  defaults: { useBias: true, activation: 'tanh', recurrentActivation: 'hardSigmoid', padding: 'valid', dataFormat: 'channelsLast', strides: 1, dilationRate: 1 },
  docs: {
    summary: 'One time step of ConvLSTM2D: convolutional input, forget, cell and output gates.',
    use: 'The cell of tf.layers.convLstm2d; tfjs\'s generic rnn layer takes only 3-d inputs, so it is not run on its own.',
    formula: 'kh × kw × in × 4·filters + kh × kw × filters × 4·filters + 4·filters (bias)',
    url: DOCS + 'convLstm2dCell',
  },
  params(a, inputs) {
    const x = single(inputs, 'ConvLSTM2DCell');
    return convLstmParams(a, need(x[channelsFirst(a) ? 1 : x.length - 1], 'the input channel count'));
  },
  output: (_a, inputs) => [...single(inputs, 'ConvLSTM2DCell')],
  hyper: (a) => `${a.int('filters')} filters`,
  runProblem: () => CELL_PROBLEM,
};

export const cells: LayerEntry[] = [
  cell('SimpleRNNCell', 'simpleRNNCell', 'One step of a fully-connected RNN: h = activation(x·W + h_prev·U + b).'),
  cell('LSTMCell', 'lstmCell', 'One step of an LSTM: input, forget, cell and output gates; states [h, c].'),
  cell('GRUCell', 'gruCell', 'One step of a GRU: update and reset gates (resetAfter: false, one bias of 3 × units).'),
  stacked,
  rnn,
  convLstm2d,
  convLstm2dCell,
];
