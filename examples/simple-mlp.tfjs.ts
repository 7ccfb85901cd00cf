import * as tf from '@tensorflow/tfjs';

/** The TensorFlow.js twin of simple-mlp.ts: 128 features → 516 → 516 → 1. */
export class SimpleMLP {
  readonly model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [128], units: 516 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 516 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: 1 }),
    ],
  });
}
