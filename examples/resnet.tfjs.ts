import * as tf from '@tensorflow/tfjs';

/** conv-bn-relu-conv-bn + shortcut, then relu; a 1×1 strided conv projects the shortcut when needed. */
function residualBlock(x: tf.SymbolicTensor, filters: number, stride = 1): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;

  let shortcut = x;
  if (stride !== 1 || x.shape[3] !== filters) {
    shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides: stride, useBias: false }).apply(x) as tf.SymbolicTensor;
    shortcut = tf.layers.batchNormalization().apply(shortcut) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
}

/** A tiny ResNet for 32×32×3 images, the functional-API twin of resnet.ts. */
export function buildResNet(numClasses = 10): tf.LayersModel {
  const inputs = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(inputs) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = residualBlock(x, 16);
  x = residualBlock(x, 32, 2);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const outputs = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs, name: 'resnet_tiny' });
}
