import type { Args } from '../../args';
import type { LayerEntry } from '../types';
import { Out, Shape, ShapeError, formatShape, knownProduct } from '../../shape';
import { ConfigError } from '../../unknown';
import { expectDim, expectRank, f } from '../util';
import { DEVICE_DTYPE, DOCS } from './shared';

/**
 * RNNCell, LSTMCell, GRUCell: one time step of the recurrent layers in recurrent.ts, with the same
 * weights as one layer and direction of RNN/LSTM/GRU (weight_ih, weight_hh, bias_ih, bias_hh).
 * forward(input, hx=None): input (N, input_size) or unbatched (input_size); the result is h'
 * (LSTMCell: the tuple (h', c')) of (N, hidden_size) or (hidden_size).
 */
type Kind = 'RNNCell' | 'LSTMCell' | 'GRUCell';

/** Weight matrices stacked in weight_ih/weight_hh: 1 for RNN, 3 (r, z, n) for GRU, 4 (i, f, g, o) for LSTM. */
const GATES: Record<Kind, number> = { RNNCell: 1, GRUCell: 3, LSTMCell: 4 };

function sizes(kind: Kind, a: Args): { input: number; hidden: number; gh: number; bias: boolean } {
  const input = a.int('input_size');
  const hidden = a.int('hidden_size');
  if (kind === 'RNNCell') {
    const nl = a.str('nonlinearity');
    if (nl !== 'tanh' && nl !== 'relu') throw new ConfigError(`RNNCell: Unknown nonlinearity: ${nl}`);
  }
  if (input < 0 || hidden < 0) throw new ConfigError(`${kind}: input_size and hidden_size must not be negative`);
  return { input, hidden, gh: GATES[kind] * hidden, bias: a.bool('bias') };
}

const DESCRIPTION: Record<Kind, { summary: string; use: string; formula: string }> = {
  RNNCell: {
    summary: "One step of an Elman RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh). (N, input_size) → (N, hidden_size).",
    use: 'Writing the time loop yourself (custom decoders, attention per step).',
    formula: 'H × (in + H) + 2 × H (b_ih and b_hh)',
  },
  LSTMCell: {
    summary: "One step of an LSTM. forward(x, (h, c)) returns (h', c'), each (N, hidden_size).",
    use: 'Step-by-step decoders (seq2seq with attention, image captioning) where each step needs its own input.',
    formula: '4H × (in + H) + 2 × 4H (b_ih and b_hh)',
  },
  GRUCell: {
    summary: "One step of a GRU with reset and update gates. (N, input_size) → h' (N, hidden_size).",
    use: 'Step-by-step decoders and recurrent updates inside larger models (message passing).',
    formula: '3H × (in + H) + 2 × 3H (b_ih and b_hh)',
  },
};

function cell(kind: Kind): LayerEntry {
  return {
    type: kind,
    framework: 'torch',
    family: 'recurrent',
    // forward(input, hx): hx (or LSTMCell's h and c) may follow the input.
    arity: 'many',
    signature: [
      { name: 'input_size' },
      { name: 'hidden_size' },
      { name: 'bias', default: true },
      ...(kind === 'RNNCell' ? [{ name: 'nonlinearity', default: 'tanh' }] : []),
      ...DEVICE_DTYPE,
    ],
    docs: { ...DESCRIPTION[kind], url: DOCS + `${kind}.html` },
    params(a) {
      const s = sizes(kind, a);
      const n = s.gh * (s.input + s.hidden) + (s.bias ? 2 * s.gh : 0);
      return { trainable: n, nonTrainable: 0, formula: s.bias ? f(s.gh, '× (', s.input, '+', s.hidden, ') + 2 ×', s.gh) : f(s.gh, '× (', s.input, '+', s.hidden, ')') };
    },
    weights(a) {
      const s = sizes(kind, a);
      const w: Record<string, number[]> = { weight_ih: [s.gh, s.input], weight_hh: [s.gh, s.hidden] };
      if (s.bias) Object.assign(w, { bias_ih: [s.gh], bias_hh: [s.gh] });
      return w;
    },
    output(a, inputs) {
      const s = sizes(kind, a);
      const x = inputs[0];
      if (!x) throw new ShapeError(`${kind} takes an input`);
      if (x.length !== 1 && x.length !== 2) throw new ShapeError(`${kind}: Expected input to be 1-D or 2-D but received ${x.length}-D tensor`);
      expectDim(x[x.length - 1], s.input, 'input features', 'input_size');
      const h: Shape = x.length === 2 ? [x[0], s.hidden] : [s.hidden];
      // The states, when given (RNNCell/GRUCell: hx; LSTMCell: h and c), have h's shape.
      const states = inputs.slice(1);
      if (states.length > (kind === 'LSTMCell' ? 2 : 1)) throw new ShapeError(`${kind} takes the input and ${kind === 'LSTMCell' ? '(h, c)' : 'hx'}, got ${inputs.length} tensors`);
      for (const st of states) {
        const bad = st.length !== h.length || st.some((d, i) => d !== null && h[i] !== null && d !== h[i]);
        if (bad) throw new ShapeError(`expects a hidden state of shape ${formatShape(h)} but receives ${formatShape(st)}`);
      }
      const out: Out = kind === 'LSTMCell' ? { tuple: [h, [...h]] } : h;
      return out;
    },
    multAdds(a, inputs) {
      const s = sizes(kind, a);
      const x = inputs[0];
      expectRank(x, [1, 2], '(input_size) or (N, input_size)');
      return s.gh * (s.input + s.hidden) * knownProduct(x, 0, x.length - 1);
    },
    inferInput: (a) => [null, a.int('input_size')],
    hyper: (a) => `${a.int('hidden_size')} hidden`,
  };
}

export const cells: LayerEntry[] = [cell('RNNCell'), cell('LSTMCell'), cell('GRUCell')];
