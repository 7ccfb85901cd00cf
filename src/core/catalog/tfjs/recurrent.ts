import type { Args } from '../../args';
import type { Out, Shape } from '../../shape';
import type { LayerEntry } from '../types';
import { expectRank, f, need, single, unitsText } from '../util';
import { ConfigError } from '../../unknown';
import { DOCS } from './common';

const RNN_DEFAULTS = {
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  stateful: false,
  unroll: false,
  useBias: true,
  activation: 'tanh',
  dropout: 0,
  recurrentDropout: 0,
};

function rnnInput(inputs: Shape[], type: string): Shape {
  const x = single(inputs, type);
  expectRank(x, [3], `${type} takes [batch, timeSteps, features]`);
  return x;
}

/**
 * A tfjs recurrent layer with `gates` weight blocks (1 SimpleRNN, 4 LSTM, 3 GRU) and `states`
 * state tensors. tfjs keeps ONE bias per block (no separate recurrent bias, unlike PyTorch), and
 * its GRU refuses resetAfter: true.
 */
function recurrent(
  type: string,
  factory: string,
  gates: number,
  states: number,
  extraDefaults: Record<string, string | boolean>,
  summary: string,
  use: string,
): LayerEntry {
  const g = gates === 1 ? '' : `${gates} × `;
  return {
    type,
    factory,
    framework: 'tfjs',
    family: 'recurrent',
    callInputs: ['initialState'],
    defaults: { ...RNN_DEFAULTS, ...extraDefaults },
    docs: {
      summary,
      use,
      formula: `${g}(features × units + units × units + units (bias))`,
      url: DOCS + factory,
    },
    params(a, inputs) {
      const x = rnnInput(inputs, type);
      if (type === 'GRU' && a.has('resetAfter') && a.bool('resetAfter')) throw new ConfigError('tfjs GRU does not support resetAfter: true');
      const i = need(x[2], 'the input feature size');
      const u = a.int('units');
      const b = a.bool('useBias');
      const per = i * u + u * u + (b ? u : 0);
      const inner = f(i, '×', u, '+', u, '×', u) + (b ? ' + ' + f(u) : '');
      return { trainable: gates * per, nonTrainable: 0, formula: gates === 1 ? inner : `${gates} × (${inner})` };
    },
    output(a, inputs) {
      const x = rnnInput(inputs, type);
      if (type === 'GRU' && a.has('resetAfter') && a.bool('resetAfter')) throw new ConfigError('tfjs GRU does not support resetAfter: true');
      const u = a.int('units');
      const out: Shape = a.bool('returnSequences') ? [null, x[1], u] : [null, u];
      if (!a.bool('returnState')) return out;
      const stateShapes: Out[] = Array.from({ length: states }, () => [null, u]);
      return { tuple: [out, ...stateShapes] };
    },
    multAdds(a, inputs) {
      const x = inputs[0];
      const i = x[2] ?? 0;
      const u = a.int('units');
      const per = i * u + u * u + (a.bool('useBias') ? u : 0);
      return gates * per * (x[1] ?? 1);
    },
    hyper: (a: Args) => `${unitsText(a.int('units'))}${a.bool('returnSequences') ? ', seq' : ''}`,
  };
}

export const recurrentLayers: LayerEntry[] = [
  recurrent(
    'SimpleRNN',
    'simpleRNN',
    1,
    1,
    {},
    'Fully-connected recurrent layer: h_t = activation(x_t·W + h_{t−1}·U + b); returns the last output, or all of them with returnSequences.',
    'Short sequences and teaching examples; LSTM/GRU handle long-range dependencies better.',
  ),
  recurrent(
    'LSTM',
    'lstm',
    4,
    2,
    { recurrentActivation: 'hardSigmoid', unitForgetBias: true },
    'Long short-term memory: input, forget, cell and output gates over a cell state; returnState adds the final hidden and cell states.',
    'Sequences with long-range dependencies: text, time series, speech.',
  ),
  recurrent(
    'GRU',
    'gru',
    3,
    1,
    { recurrentActivation: 'hardSigmoid', resetAfter: false },
    'Gated recurrent unit: update and reset gates, no separate cell state (tfjs uses resetAfter: false, one bias of 3 × units).',
    'A lighter LSTM alternative with similar accuracy on many sequence tasks.',
  ),
];
