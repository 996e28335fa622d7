/**
 * The softmax outputs of a per-token model (tagger) for a list of encoded sentences, batched by
 * length so little padding is computed; row-major [tokens, classes] per sentence, input order.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeBatch, makeBatch, modelBatchOf } from '../rnn/batching';
import type { SequenceExample } from '../rnn/batching';
import type { RnnModel } from '../rnn/rnn-model';

export const INFERENCE_BATCH_SENTENCES = 64;

export function predictTokenProbabilities(
  model: RnnModel,
  examples: readonly SequenceExample[],
  batchSize = INFERENCE_BATCH_SENTENCES,
): Float32Array[] {
  const classes = model.config.output.size;
  const results = new Array<Float32Array>(examples.length);
  const order = examples
    .map((_, i) => i)
    .filter((i) => (examples[i] as SequenceExample).length > 0)
    .sort(
      (a, b) => (examples[a] as SequenceExample).length - (examples[b] as SequenceExample).length,
    );
  examples.forEach((e, i) => {
    if (e.length === 0) results[i] = new Float32Array(0);
  });
  for (let start = 0; start < order.length; start += batchSize) {
    const group = order.slice(start, start + batchSize);
    const batch = makeBatch(
      model.config,
      group.map((i) => examples[i] as SequenceExample),
    );
    const time = batch.mask.shape[1];
    const probabilities = tf.tidy(() => {
      const forward = model.forward(modelBatchOf(batch), { training: false });
      // Transducer logits are time-major [time, batch, classes]: make them batch-major.
      return tf.transpose(tf.softmax(forward.logits), [1, 0, 2]);
    });
    const flat = probabilities.dataSync() as Float32Array;
    probabilities.dispose();
    disposeBatch(batch);
    group.forEach((i, b) => {
      const length = (examples[i] as SequenceExample).length;
      results[i] = flat.slice(b * time * classes, (b * time + length) * classes);
    });
  }
  return results;
}

export interface RankedClass {
  index: number;
  probability: number;
}

/** The k most probable classes of row `row`, best first. */
export function topClasses(
  probabilities: Float32Array,
  row: number,
  classes: number,
  k: number,
): RankedClass[] {
  const ranked: RankedClass[] = [];
  for (let c = 0; c < classes; c++)
    ranked.push({ index: c, probability: probabilities[row * classes + c] as number });
  ranked.sort((a, b) => b.probability - a.probability);
  return ranked.slice(0, k);
}
