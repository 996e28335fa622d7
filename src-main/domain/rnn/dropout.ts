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

/** x with a fraction `rate` (in [0, 1)) of its elements zeroed and the rest scaled by 1 / (1 - rate). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate ${rate} is not in [0, 1)`);
  if (rate === 0) return x;
  const { addon } = chooseRnnKernel();
  if (!addon) return tf.dropout(x, rate, undefined, seed) as T;
  const scratch = scratchArraysForBackend();
  const mask = scratch.take(x.size);
  addon.dropoutMask(mask, 1 - rate, seed);
  const maskTensor = tf.tensor(mask, x.shape, 'float32');
  // The tensor holds a copy where scratch hands arrays out again (scratch-arrays.ts).
  scratch.giveBack(mask);
  return tf.mul(x, maskTensor) as T;
}
