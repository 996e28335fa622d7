/**
 * Kim's (2014) max-norm constraint on the output layer: after each update, every output unit's
 * incoming weight vector (a column of `output/kernel`, [inputs, outputs]) longer than `maxNorm`
 * in L2 norm is rescaled to that length; shorter ones are left alone.
 */
import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';

export const OUTPUT_KERNEL = 'output/kernel';

/** Why a model with tied embeddings cannot take the constraint (train.ts checks it up front). */
export const NO_OUTPUT_KERNEL_MESSAGE =
  'outputMaxNorm constrains the output kernel, and tied embeddings have none (the output layer reads the word table): leave it out.';

/** Rescales the output kernel's columns in place; refuses a model without an output kernel. */
export function constrainOutputNorm(
  params: ReadonlyMap<string, tf.Variable>,
  maxNorm: number,
): void {
  const kernel = params.get(OUTPUT_KERNEL);
  if (!kernel) throw new UnfoldError('BAD_TRAIN_CONFIG', NO_OUTPUT_KERNEL_MESSAGE);
  tf.tidy(() => {
    const norms = tf.sqrt(tf.sum(tf.square(kernel), 0, true));
    // 1 where a column is within the bound; maxNorm / norm where it is longer.
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norms, 1e-12)));
    kernel.assign(tf.mul(kernel, scale));
  });
}
