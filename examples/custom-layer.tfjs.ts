import * as tf from '@tensorflow/tfjs';

/**
 * A custom layer: a bias-free learned map from 16 features to 8. Its weight shape is written out
 * so that the parameter count (16 × 8 = 128) can be read without running the code.
 */
export class Scale extends tf.layers.Layer {
  static className = 'Scale';
  private w!: tf.LayerVariable;

  constructor() {
    super({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.w = this.addWeight('w', [16, 8], 'float32', tf.initializers.glorotNormal({}));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape;
    return [shape[0], 8];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.matMul(x, this.w.read());
    });
  }
}
tf.serialization.registerClass(Scale);

export function buildWithCustomLayer(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [32], units: 16, activation: 'relu' }));
  model.add(new Scale());
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
