import * as tf from '@tensorflow/tfjs';

/**
 * Peters et al. (2018)'s task-specific mix of a frozen model's layers:
 * gamma * sum_k softmax(w)_k * layer_k. `layers` is batch-major [batch, time, L * size] (each
 * token's L vectors side by side, as batches carry them); the result is time-major
 * [time, batch, size], like every token part the engine concatenates. The layers are constants
 * (the model that made them is frozen); `weights` [L] and `gamma` [1] get the gradient.
 */
export function scalarMix(
  layers: tf.Tensor3D,
  weights: tf.Tensor1D,
  gamma: tf.Tensor1D,
): tf.Tensor3D {
  const [batch, time, width] = layers.shape;
  const count = weights.shape[0];
  if (width % count !== 0)
    throw new Error(`contextual inputs of width ${width} do not hold ${count} equal layers`);
  const size = width / count;
  const perLayer = tf.reshape(tf.transpose(layers, [1, 0, 2]), [time, batch, count, size]);
  const shares = tf.reshape(tf.softmax(weights), [1, 1, count, 1]);
  return tf.mul(tf.sum(tf.mul(perLayer, shares), 2), gamma) as tf.Tensor3D;
}

/** The mix's normalised weights (they sum to 1) and its scale, read back. */
export function scalarMixValues(
  weights: tf.Tensor1D,
  gamma: tf.Tensor1D,
): { weights: number[]; gamma: number } {
  return tf.tidy(() => ({
    weights: Array.from(tf.softmax(weights).dataSync()),
    gamma: gamma.dataSync()[0] as number,
  }));
}
