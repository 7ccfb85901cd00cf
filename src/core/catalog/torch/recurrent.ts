import type { Args } from '../../args';
import type { LayerEntry, ParamSpec } from '../types';
import { Out, Shape, ShapeError, knownProduct } from '../../shape';
import { ConfigError, Unknowable } from '../../unknown';
import { expectDim, expectRank, single } from '../util';
import { DEVICE_DTYPE, DOCS, probability } from './shared';

type Kind = 'RNN' | 'LSTM' | 'GRU';

/** Weight matrices per cell: one for a plain RNN, 3 (r, z, n) for GRU, 4 (i, f, g, o) for LSTM. */
const GATES: Record<Kind, number> = { RNN: 1, GRU: 3, LSTM: 4 };

interface RnnConfig {
  input: number;
  hidden: number;
  proj: number;
  layers: number;
  dirs: number;
  bias: boolean;
  batchFirst: boolean;
}

function config(kind: Kind, a: Args): RnnConfig {
  const hidden = a.int('hidden_size');
  const layers = a.int('num_layers');
  const proj = kind === 'LSTM' ? a.int('proj_size') : 0;
  if (hidden <= 0) throw new ConfigError(`${kind}: hidden_size must be greater than zero`);
  if (layers <= 0) throw new ConfigError(`${kind}: num_layers must be greater than zero`);
  if (proj < 0) throw new ConfigError(`${kind}: proj_size should be a positive integer or zero to disable projections`);
  if (proj >= hidden) throw new ConfigError(`${kind}: proj_size has to be smaller than hidden_size`);
  if (kind === 'RNN') {
    const nl = a.str('nonlinearity');
    if (nl !== 'tanh' && nl !== 'relu') throw new ConfigError(`RNN: unknown nonlinearity '${nl}'`);
  }
  probability(a, 'dropout');
  return {
    input: a.int('input_size'),
    hidden,
    proj,
    layers,
    dirs: a.bool('bidirectional') ? 2 : 1,
    bias: a.bool('bias'),
    batchFirst: a.bool('batch_first'),
  };
}

/** The size of h: the projection size when an LSTM projects, else hidden_size. */
const hOut = (c: RnnConfig) => c.proj || c.hidden;

/**
 * Per layer and direction: weight_ih (G·H × in), weight_hh (G·H × h_out), two bias vectors b_ih and
 * b_hh (G·H each, PyTorch keeps both), and for a projecting LSTM weight_hr (proj × H).
 */
function params(kind: Kind, c: RnnConfig) {
  const g = GATES[kind];
  const gh = g * c.hidden;
  // Layer 0 reads the input; every further layer reads the previous layer's (directions × h_out)
  // output and is identical: counted by multiplication, so num_layers may be any size.
  const layer = (inL: number) => {
    const per = gh * (inL + hOut(c)) + (c.bias ? 2 * gh : 0) + c.proj * c.hidden;
    const parts = [`${gh} × (${inL} + ${hOut(c)})`];
    if (c.bias) parts.push(`2 × ${gh}`);
    if (c.proj) parts.push(`${c.proj} × ${c.hidden}`);
    const text = (c.dirs === 2 ? '2 × ' : '') + (parts.length > 1 ? `(${parts.join(' + ')})` : parts[0]);
    return { count: c.dirs * per, text };
  };
  if (c.layers < 1) return { trainable: 0, nonTrainable: 0, formula: '0' };
  const first = layer(c.input);
  const rest = layer(c.dirs * hOut(c));
  const more = c.layers - 1;
  const total = first.count + more * rest.count;
  const formula = more === 0 ? first.text : more === 1 ? `${first.text} + ${rest.text}` : `${first.text} + ${more} × ${rest.text}`;
  return { trainable: total, nonTrainable: 0, formula };
}

function output(kind: Kind, c: RnnConfig, x: Shape): Out {
  expectRank(x, [2, 3], '(L, H_in) unbatched, or (L, N, H_in) / (N, L, H_in) with batch_first');
  expectDim(x[x.length - 1], c.input, 'input features');
  const h = hOut(c);
  const stack = c.dirs * c.layers;
  if (x.length === 2) {
    const out: Shape = [x[0], c.dirs * h];
    const hn: Shape = [stack, h];
    return kind === 'LSTM' ? { tuple: [out, { tuple: [hn, [stack, c.hidden]] }] } : { tuple: [out, hn] };
  }
  const [seq, batch] = c.batchFirst ? [x[1], x[0]] : [x[0], x[1]];
  const out: Shape = c.batchFirst ? [batch, seq, c.dirs * h] : [seq, batch, c.dirs * h];
  // h_n and c_n are (num_layers × num_directions, N, H) whatever batch_first says.
  const hn: Shape = [stack, batch, h];
  return kind === 'LSTM' ? { tuple: [out, { tuple: [hn, [stack, batch, c.hidden]] }] } : { tuple: [out, hn] };
}

const common = (kind: Kind): ParamSpec[] => [
  { name: 'input_size' },
  { name: 'hidden_size' },
  { name: 'num_layers', default: 1 },
  // PyTorch ≥ 2.1 takes RNN's nonlinearity as the 4th positional argument (1.13 only as a keyword).
  ...(kind === 'RNN' ? [{ name: 'nonlinearity', default: 'tanh' }] : []),
  { name: 'bias', default: true },
  { name: 'batch_first', default: false },
  { name: 'dropout', default: 0.0 },
  { name: 'bidirectional', default: false },
  ...(kind === 'LSTM' ? [{ name: 'proj_size', default: 0 }] : []),
  ...DEVICE_DTYPE,
];

const DESCRIPTION: Record<Kind, { summary: string; use: string; formula: string }> = {
  RNN: {
    summary: 'A multi-layer Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh). Returns (output, h_n).',
    use: 'Short sequences; mostly a baseline next to LSTM and GRU.',
    formula: 'per layer and direction: H × (in + H) + 2 × H (b_ih and b_hh)',
  },
  LSTM: {
    summary: 'A multi-layer long short-term memory RNN with input, forget, cell and output gates. Returns (output, (h_n, c_n)).',
    use: 'Sequences with long-range dependencies: text, speech, time series.',
    formula: 'per layer and direction: 4H × (in + H_out) + 2 × 4H (b_ih and b_hh) + proj_size × H',
  },
  GRU: {
    summary: 'A multi-layer gated recurrent unit RNN with reset and update gates. Returns (output, h_n).',
    use: 'A lighter alternative to LSTM with similar accuracy on many sequence tasks.',
    formula: 'per layer and direction: 3H × (in + H) + 2 × 3H (b_ih and b_hh)',
  },
};

/** Layers × directions beyond which the parameters are not listed by name (their count is still exact). */
const MAX_NAMED_CELLS = 1000;

/**
 * The parameters by name in PyTorch's order (`_flat_weights_names`): per layer, per direction
 * (`_reverse` for the second), weight_ih, weight_hh, then bias_ih and bias_hh, then weight_hr
 * for a projecting LSTM. Init loops test these names (`if 'weight_hh' in name: orthogonal_(p)`).
 */
function weights(kind: Kind, c: RnnConfig): Record<string, number[]> {
  if (c.layers * c.dirs > MAX_NAMED_CELLS) throw new Unknowable(`the ${c.layers * c.dirs} layers × directions of this ${kind} are not listed by name`);
  const gh = GATES[kind] * c.hidden;
  const out: Record<string, number[]> = {};
  for (let layer = 0; layer < c.layers; layer++) {
    const inL = layer === 0 ? c.input : c.dirs * hOut(c);
    for (let d = 0; d < c.dirs; d++) {
      const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      out['weight_ih' + sfx] = [gh, inL];
      out['weight_hh' + sfx] = [gh, hOut(c)];
      if (c.bias) {
        out['bias_ih' + sfx] = [gh];
        out['bias_hh' + sfx] = [gh];
      }
      if (c.proj) out['weight_hr' + sfx] = [c.proj, c.hidden];
    }
  }
  return out;
}

function recurrent(kind: Kind): LayerEntry {
  return {
    type: kind,
    framework: 'torch',
    family: 'recurrent',
    signature: common(kind),
    docs: { ...DESCRIPTION[kind], url: DOCS + `${kind}.html` },
    params: (a) => params(kind, config(kind, a)),
    weights: (a) => weights(kind, config(kind, a)),
    output: (a, inputs) => output(kind, config(kind, a), single(inputs, kind)),
    multAdds(a, inputs, _out) {
      // torchinfo: every weight is applied once per (time step × batch element).
      const x = inputs[0];
      if (x.length < 2 || x.length > 3) throw new ShapeError(`expects a 2-d or 3-d input but receives a ${x.length}-d tensor`);
      return params(kind, config(kind, a)).trainable * knownProduct(x, 0, x.length - 1);
    },
    // Batched either way round: sequence length and batch are both free.
    inferInput: (a) => [null, null, a.int('input_size')],
    hyper: (a) => {
      const c = config(kind, a);
      return `${c.hidden} hidden${c.layers > 1 ? ` × ${c.layers}` : ''}${c.dirs === 2 ? ', bi' : ''}`;
    },
  };
}

export const recurrents: LayerEntry[] = [recurrent('RNN'), recurrent('LSTM'), recurrent('GRU')];
