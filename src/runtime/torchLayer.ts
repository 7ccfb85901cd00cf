import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng';

/**
 * One PyTorch module as a tfjs layer: its parameters are tfjs weights created with `addWeight`
 * in PyTorch's own layout and names (`weight_ih_l0`, `in_proj_weight`), so tfjs's
 * `countParams()` counts exactly what PyTorch's `parameters()` does. Buffers (BatchNorm's
 * running statistics) are not weights, as in PyTorch. The forward is PyTorch's eval-mode math.
 */

export type Init =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'const'; value: number };

export interface WeightSpec {
  name: string;
  shape: number[];
  init: Init;
  /** Rows set to zero after init (Embedding's padding_idx). */
  zeroRow?: number;
}

export type Weights = (name: string) => tf.Tensor;
export type Forward = (inputs: tf.Tensor[], w: Weights) => tf.Tensor | tf.Tensor[];

/** PyTorch's default for Linear/Conv/RNN: U(-1/√fan_in, 1/√fan_in). */
export const uniformFanIn = (fanIn: number): Init => ({ kind: 'uniform', bound: fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0 });
export const ones: Init = { kind: 'const', value: 1 };
export const zeros: Init = { kind: 'const', value: 0 };

function initialValues(spec: WeightSpec, rng: Rng): tf.Tensor {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const i = spec.init;
  const values = i.kind === 'uniform' ? rng.uniform(n, -i.bound, i.bound) : i.kind === 'normal' ? rng.normal(n, i.std) : new Float32Array(n).fill(i.value);
  if (spec.zeroRow !== undefined && spec.shape.length === 2) values.fill(0, spec.zeroRow * spec.shape[1], (spec.zeroRow + 1) * spec.shape[1]);
  return tf.tensor(values, spec.shape, 'float32');
}

export class TorchLayer extends tf.layers.Layer {
  static className = 'ModelLensTorchLayer';
  private readonly vars = new Map<string, tf.LayerVariable>();

  constructor(
    name: string,
    /** The PyTorch class (or op) this layer implements. */
    readonly torchType: string,
    specs: WeightSpec[],
    private readonly forward: Forward,
    rng: Rng,
  ) {
    super({ name: safeName(name), trainable: true });
    for (const s of specs) {
      const init = initialValues(s, rng);
      const v = this.addWeight(s.name, s.shape, 'float32', tf.initializers.zeros(), undefined, true);
      v.write(init);
      init.dispose();
      this.vars.set(s.name, v);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() =>
      this.forward(list, (n) => {
        const v = this.vars.get(n);
        if (!v) throw new Error(`${this.torchType}: no weight ${n}`);
        return v.read();
      }),
    );
  }

  override getClassName(): string {
    return TorchLayer.className;
  }
}

/** tfjs layer names allow letters, digits, `_`, `-`, `.`, `/`. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9]/, 'l$&');
}
