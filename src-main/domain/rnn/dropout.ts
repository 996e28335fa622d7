/**
 * Inverted dropout in training: x times a mask of 1 / keep (probability keep) or 0. With the
 * native addon (the same choice as the sequence kernels) the mask is drawn natively from the
 * seed: TF.js's tf.dropout draws each number in JavaScript (seedrandom's alea) and then floors,
 * adds and divides, a twentieth of a tagger's training step. Without it, tf.dropout. The two
 * draw different masks from the same seed; each is reproducible from it.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseRnnKernel } from './kernels/native-sequence';
import { scratchArraysForBackend } from './kernels/scratch-arrays';

/**
 * x with a fraction `rate` (in [0, 1)) of its elements zeroed and the rest scaled by 1 / (1 - rate).
 * `acrossFirstAxis`: one mask for all of x's first axis (time, in a time-major [time, batch,
 * features] tensor), so a sequence loses the same features at every step: the variational
 * dropout of Gal & Ghahramani (2016).
 */
export function dropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  seed: number,
  acrossFirstAxis = false,
): T {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate ${rate} is not in [0, 1)`);
  if (rate === 0) return x;
  const maskShape = acrossFirstAxis ? [1, ...x.shape.slice(1)] : x.shape;
  const { addon } = chooseRnnKernel();
  if (!addon) return tf.dropout(x, rate, acrossFirstAxis ? maskShape : undefined, seed) as T;
  const scratch = scratchArraysForBackend();
  const mask = scratch.take(maskShape.reduce((a, b) => a * b, 1));
  addon.dropoutMask(mask, 1 - rate, seed);
  const maskTensor = tf.tensor(mask, maskShape, 'float32');
  // The tensor holds a copy where scratch hands arrays out again (scratch-arrays.ts).
  scratch.giveBack(mask);
  return tf.mul(x, maskTensor) as T;
}
