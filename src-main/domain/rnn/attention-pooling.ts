import * as tf from '@tensorflow/tfjs';
import { framewiseProduct } from './kernels/native-dense';

/** The parameters of additive attention pooling ('pooling/attention/*'). */
export interface AttentionParams {
  /** W [size, size]. */
  kernel: tf.Tensor2D;
  /** b [size]. */
  bias: tf.Tensor1D;
  /** v [size, 1]. */
  vector: tf.Tensor2D;
}

export interface AttentionPooled {
  /** sum_t a_t h_t: [batch, size]. */
  pooled: tf.Tensor2D;
  /** a_t: [batch, time], summing to 1 over each sequence's real steps, exactly 0 on padding. */
  weights: tf.Tensor2D;
}

/**
 * Additive self-attention over the steps (Bahdanau et al. 2015's scoring with a learnt query
 * vector, as Yang et al. 2016 pool words into a sentence): score_t = v . tanh(h_t W + b), a
 * softmax over the real steps, the weighted sum of the h_t. Time-major outputs [time, batch,
 * size]; mask [time, batch, 1] (1 = real step) or null.
 *
 * Padded steps get a score of -1e9 before the softmax (exp underflows to exactly 0) and their
 * weights are multiplied by the mask, so a sequence with no real step pools to zeros instead of
 * averaging its padding. Autodiff gives the gradient (tanh, softmax and products only).
 */
export function attentionPool(
  outputs: tf.Tensor3D,
  mask: tf.Tensor3D | null,
  params: AttentionParams,
): AttentionPooled {
  const [time, batch, size] = outputs.shape;
  const flat = tf.reshape(outputs, [time * batch, size]) as tf.Tensor2D;
  const hidden = tf.tanh(tf.add(framewiseProduct(flat, params.kernel), params.bias)) as tf.Tensor2D;
  // [time, batch] -> [batch, time]: the softmax runs over the last axis.
  const scores = tf.transpose(tf.reshape(framewiseProduct(hidden, params.vector), [time, batch]));
  const real = mask ? tf.transpose(tf.reshape(mask, [time, batch])) : null;
  const weights = real
    ? tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(real, 1), 1e9))), real)
    : tf.softmax(scores);
  const pooled = tf.sum(tf.mul(outputs, tf.expandDims(tf.transpose(weights), 2)), 0);
  return { pooled: pooled as tf.Tensor2D, weights: weights as tf.Tensor2D };
}
