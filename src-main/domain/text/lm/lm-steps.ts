/**
 * Running a trained language model forward over ids with its state carried: the log-probabilities
 * of a whole stream (evaluation, scoring) in windows, and of the next unit after a prefix
 * (generation). Padding (id 0) is never a prediction: it is left out of every softmax, so the
 * probabilities of the units the model can produce sum to 1.
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import { disposeLayerStates } from '../../rnn/rnn-model';
import type { LayerState, RnnModel } from '../../rnn/rnn-model';
import { PAD_ID } from '../vocabulary';

/** Steps per forward call when scoring a stream (the state goes on from call to call). */
export const SCORING_WINDOW = 256;

/** Log-softmax over the output ids with padding left out: [steps, vocab]. */
function logProbsWithoutPadding(logits: tf.Tensor, vocab: number): tf.Tensor2D {
  const rows = tf.reshape(logits, [-1, vocab]);
  const padding = tf.oneHot(tf.tensor1d([PAD_ID], 'int32'), vocab).mul(-1e30);
  return tf.logSoftmax(tf.add(rows, padding)) as tf.Tensor2D;
}

/** Feeds ids (batch 1) from `states`: the log-probabilities after each id and the final states. */
export function stepModel(
  model: RnnModel,
  ids: ArrayLike<number>,
  states: readonly LayerState[],
): { logProbs: Float32Array; steps: number; states: LayerState[] } {
  const vocab = model.config.output.size;
  let result: { logProbs: Float32Array; steps: number; states: LayerState[] } | undefined;
  tf.tidy(() => {
    const input = tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32');
    const out = model.decodeSteps(input, [...states]);
    result = {
      logProbs: logProbsWithoutPadding(out.logits, vocab).dataSync() as Float32Array,
      steps: ids.length,
      states: out.finalStates.map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null })),
    };
  });
  return result as { logProbs: Float32Array; steps: number; states: LayerState[] };
}

/**
 * ln p(ids[t] | ids[0..t-1]) for t = 1 .. length - 1, from a zero state, in windows of
 * SCORING_WINDOW steps with the state carried across them (so the result is the same as one
 * pass over the whole stream).
 */
export async function scoreIdStream(
  model: RnnModel,
  ids: Int32Array,
  { onProgress, signal }: LongOperationOptions = {},
): Promise<Float64Array> {
  const vocab = model.config.output.size;
  const scores = new Float64Array(Math.max(0, ids.length - 1));
  let states = model.zeroStates(1);
  try {
    for (let start = 0; start < scores.length; start += SCORING_WINDOW) {
      throwIfAborted(signal);
      const end = Math.min(start + SCORING_WINDOW, scores.length);
      const next = stepModel(model, ids.subarray(start, end), states);
      disposeLayerStates(states);
      states = next.states;
      for (let t = start; t < end; t++)
        scores[t] = next.logProbs[(t - start) * vocab + (ids[t + 1] as number)] as number;
      onProgress?.({
        fraction: end / scores.length,
        message: `scored ${end} of ${scores.length} units`,
      });
      // Let a cancel request through between windows.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    disposeLayerStates(states);
  }
  return scores;
}
