import * as tf from '@tensorflow/tfjs';

/**
 * Two inputs of different widths. The narrower one is first projected to 32 features so that one
 * shared dense layer can encode both; the encodings are concatenated for one head and summed for
 * the other.
 */
export function buildTwoTower(): tf.LayersModel {
  const user = tf.input({ shape: [32], name: 'user' });
  const item = tf.input({ shape: [16], name: 'item' });

  const itemUp = tf.layers.dense({ units: 32, name: 'item_proj' }).apply(item) as tf.SymbolicTensor;

  // Made once, applied twice: its weights are shared.
  const encoder = tf.layers.dense({ units: 24, activation: 'relu', name: 'shared_encoder' });
  const a = encoder.apply(user) as tf.SymbolicTensor;
  const b = encoder.apply(itemUp) as tf.SymbolicTensor;

  const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
  const summed = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;

  const score = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined) as tf.SymbolicTensor;
  const category = tf.layers.dense({ units: 5, activation: 'softmax', name: 'category' }).apply(summed) as tf.SymbolicTensor;

  return tf.model({ inputs: [user, item], outputs: [score, category] });
}
