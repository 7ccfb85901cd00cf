import * as tf from '@tensorflow/tfjs';

/** Sentiment from averaged word vectors (the classic IMDB starter model). */
export const sentimentModel = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: 10000, outputDim: 16, inputLength: 100 }),
    tf.layers.globalAveragePooling1d(),
    tf.layers.dense({ units: 16, activation: 'relu' }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ],
});
