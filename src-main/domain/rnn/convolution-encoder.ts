import * as tf from '@tensorflow/tfjs';
import { convMaxOverTime } from './conv-max-over-time';
import type { ConvFilterBank } from './conv-max-over-time';

/**
 * The convolutional sentence encoder (Kim 2014): each bank's filters slide over the steps' input
 * vectors, ReLU, max over time; the banks' features side by side, [batch, sum of filters].
 *
 * It is the character CNN of a word with words for characters: convMaxOverTime over the rows of
 * a table made of a zero row 0 and the batch's time-major vectors [time, batch, size] (step t of
 * sequence b is row 1 + t * batch + b; padded steps get id 0). So windows start at every real step
 * only (padding never enters the max), and a window reaches past the sequence's end into zero
 * vectors, as if every sentence were padded with zeros to the widest filter (Kim pads with zero
 * vectors too): a sentence shorter than a filter still gets its features, and they depend on the
 * sentence alone, not on the batch's padding. The gradient reaches the input vectors through the
 * table (the zero row's share is dropped by the concat).
 */
export function convolutionEncoder(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  banks: readonly ConvFilterBank[],
): tf.Tensor2D {
  const [time, batch, size] = x.shape;
  const real = mask ? mask.dataSync() : null; // [batch, time]
  const ids = new Int32Array(batch * time);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      if (!real || real[b * time + t] !== 0) ids[b * time + t] = 1 + t * batch + b;
    }
  }
  const table = tf.concat([tf.zeros([1, size]), tf.reshape(x, [time * batch, size])], 0);
  return convMaxOverTime(table as tf.Tensor2D, { ids, sequences: batch, positions: time }, banks);
}
