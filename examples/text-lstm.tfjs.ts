import * as tf from '@tensorflow/tfjs';

const VOCAB_SIZE = 5000;
const MAX_LEN = 50;

/** Embeddings → bidirectional LSTM (full sequence) → LSTM (last step) → softmax over 4 classes. */
export function buildTextLstm(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: 64, inputLength: MAX_LEN }),
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 64, returnSequences: true }) }),
      tf.layers.lstm({ units: 32 }),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
}

/** The same task with a GRU, and a bidirectional GRU whose two directions are summed. */
export function buildTextGru(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: 32, inputLength: MAX_LEN }));
  model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 48, returnSequences: true }), mergeMode: 'sum' }));
  model.add(tf.layers.gru({ units: 24 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  return model;
}
