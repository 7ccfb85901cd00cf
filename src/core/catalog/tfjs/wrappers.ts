import type { LayerSpec } from '../../args';
import { Out, Shape, dimOp, isTuple, primary } from '../../shape';
import { ConfigError, Unknowable } from '../../unknown';
import type { LayerEntry } from '../types';
import { expectRank, single } from '../util';
import { DOCS } from './common';

function innerRnn(spec: LayerSpec): LayerSpec {
  if (spec.entry.family !== 'recurrent') throw new ConfigError(`Bidirectional wraps a recurrent layer, not ${spec.entry.type}`);
  // tfjs 4.22 cannot clone a generic tf.layers.rnn for the backward direction ("Improper config format").
  if (spec.entry.type === 'RNN') throw new ConfigError('Bidirectional cannot wrap tf.layers.rnn in tfjs 4.22 (its config does not deserialize)');
  if (!['SimpleRNN', 'LSTM', 'GRU'].includes(spec.entry.type)) throw new Unknowable(`Bidirectional around ${spec.entry.type} is not modelled`);
  return spec;
}

/** tfjs Bidirectional.computeOutputShape: merge the two directions' outputs, then both directions' states. */
function bidirectionalOutput(inner: Out, mergeMode: string | null, returnState: boolean): Out {
  const out = isTuple(inner) ? primary(inner) : inner;
  const states = isTuple(inner) ? inner.tuple.slice(1) : [];
  let outputs: Shape[];
  if (mergeMode === 'concat') outputs = [[...out.slice(0, -1), dimOp((d) => 2 * d, out[out.length - 1])]];
  else if (mergeMode === null) outputs = [out, [...out]];
  else outputs = [out];
  if (returnState) return { tuple: [...outputs, ...states, ...states] };
  return outputs.length === 1 ? outputs[0] : { tuple: outputs };
}

function mergeModeOf(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string' || !['concat', 'sum', 'mul', 'ave'].includes(raw)) {
    throw new ConfigError(`Bidirectional: mergeMode should be 'concat', 'sum', 'mul', 'ave' or null`);
  }
  return raw;
}

/** The per-time-step input a TimeDistributed inner layer sees: the time axis removed. */
function stepInput(inputs: Shape[]): Shape {
  const x = single(inputs, 'TimeDistributed');
  if (x.length < 3) expectRank(x, [3], 'TimeDistributed takes [batch, timeSteps, ...]');
  return [x[0], ...x.slice(2)];
}

export const wrappers: LayerEntry[] = [
  {
    type: 'Bidirectional',
    factory: 'bidirectional',
    framework: 'tfjs',
    family: 'wrapper',
    defaults: { mergeMode: 'concat' },
    docs: {
      summary:
        'Runs a recurrent layer forwards and a copy backwards over the sequence and merges their outputs (concat, sum, mul, ave, or both separately with mergeMode null).',
      use: 'Sequence labelling and encoders where every step may use both past and future context.',
      formula: "2 × the wrapped layer's parameters",
      url: DOCS + 'bidirectional',
    },
    params(a, inputs) {
      const inner = innerRnn(a.layer('layer'));
      const p = inner.entry.params(inner.args, inputs);
      return { trainable: 2 * p.trainable, nonTrainable: 2 * p.nonTrainable, formula: `2 × (${p.formula})` };
    },
    output(a, inputs) {
      const inner = innerRnn(a.layer('layer'));
      const out = inner.entry.output(inner.args, inputs);
      const returnState = inner.args.has('returnState') && inner.args.bool('returnState');
      return bidirectionalOutput(out, mergeModeOf(a.raw('mergeMode')), returnState);
    },
    multAdds(a, inputs) {
      const inner = a.layer('layer');
      const m = inner.entry.multAdds;
      return m ? 2 * m(inner.args, inputs, inner.entry.output(inner.args, inputs)) : 0;
    },
    hyper(a) {
      const inner = a.layer('layer');
      const mode = mergeModeOf(a.raw('mergeMode'));
      return `${inner.entry.type}${inner.entry.hyper ? ' ' + inner.entry.hyper(inner.args) : ''}, ${mode ?? 'no merge'}`;
    },
  },
  {
    type: 'TimeDistributed',
    factory: 'timeDistributed',
    framework: 'tfjs',
    family: 'wrapper',
    defaults: {},
    docs: {
      summary: 'Applies the same inner layer (shared weights) to every time step of a [batch, timeSteps, ...] input.',
      use: 'Per-step Dense heads on RNN outputs, or per-frame CNNs on video.',
      formula: "the wrapped layer's parameters (shared across steps)",
      url: DOCS + 'timeDistributed',
    },
    params(a, inputs) {
      const inner = a.layer('layer');
      return inner.entry.params(inner.args, [stepInput(inputs)]);
    },
    output(a, inputs) {
      const inner = a.layer('layer');
      const x = single(inputs, 'TimeDistributed');
      const step = primary(inner.entry.output(inner.args, [stepInput(inputs)]));
      return [null, x[1], ...step.slice(1)];
    },
    multAdds(a, inputs, out) {
      const inner = a.layer('layer');
      const m = inner.entry.multAdds;
      if (!m) return 0;
      const step = stepInput(inputs);
      return m(inner.args, [step], inner.entry.output(inner.args, [step])) * (primary(out)[1] ?? 1);
    },
    hyper(a) {
      const inner = a.layer('layer');
      return `${inner.entry.type}${inner.entry.hyper ? ' ' + inner.entry.hyper(inner.args) : ''}`;
    },
  },
];
