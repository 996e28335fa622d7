/**
 * The softmax outputs of a model for a list of encoded sentences: sorted by length and cut into
 * batches of at most a padded-token budget, so little padding is computed and each model call
 * is large enough to amortise its per-op cost.
 */
import * as tf from '@tensorflow/tfjs';
import { disposeBatch, makeBatch, modelBatchOf } from '../rnn/batching';
import type { SequenceExample } from '../rnn/batching';
import type { RnnModel } from '../rnn/rnn-model';

/**
 * Padded tokens (sentences x longest sentence) per model call. Measured on EWT dev with the
 * pos-bilstm-charcnn preset (2 cores): flat from 384 to 1536, clearly slower from 2048 (4096:
 * half the speed), where wider batches pad more characters and leave the caches.
 */
export const INFERENCE_BATCH_TOKENS = 1024;
/** Sentences per model call at most, however short they are. */
export const INFERENCE_MAX_BATCH_SENTENCES = 512;

/**
 * Indices of the non-empty sequences (by their `lengths`), sorted by length and cut into groups
 * of at most `tokenBudget` padded tokens (and INFERENCE_MAX_BATCH_SENTENCES sentences).
 */
export function lengthSortedGroups(lengths: ArrayLike<number>, tokenBudget: number): number[][] {
  const lengthOf = (i: number): number => lengths[i] as number;
  const order = Array.from({ length: lengths.length }, (_, i) => i).filter((i) => lengthOf(i) > 0);
  order.sort((a, b) => lengthOf(a) - lengthOf(b));
  const groups: number[][] = [];
  let start = 0;
  while (start < order.length) {
    // Sorted ascending, so the last sentence taken sets the batch's padded length.
    let end = start + 1;
    while (
      end < order.length &&
      end - start < INFERENCE_MAX_BATCH_SENTENCES &&
      (end + 1 - start) * lengthOf(order[end] as number) <= tokenBudget
    )
      end += 1;
    groups.push(order.slice(start, end));
    start = end;
  }
  return groups;
}

const lengthsOf = (examples: readonly SequenceExample[]): number[] =>
  examples.map((example) => example.length);

/** The softmax of the model's logits for one group of examples, read back in one call. */
function groupProbabilities(model: RnnModel, group: SequenceExample[]): Float32Array {
  const batch = makeBatch(model.config, group);
  const probabilities = tf.tidy(() =>
    tf.softmax(model.forward(modelBatchOf(batch), { training: false }).logits),
  );
  const flat = probabilities.dataSync() as Float32Array;
  probabilities.dispose();
  disposeBatch(batch);
  return flat;
}

/** Per-token models (transducers): row-major [tokens, classes] per sentence, input order. */
export function predictTokenProbabilities(
  model: RnnModel,
  examples: readonly SequenceExample[],
  tokenBudget = INFERENCE_BATCH_TOKENS,
): Float32Array[] {
  const classes = model.config.output.size;
  const results = examples.map(() => new Float32Array(0));
  for (const indices of lengthSortedGroups(lengthsOf(examples), tokenBudget)) {
    const group = indices.map((i) => examples[i] as SequenceExample);
    // Transducer logits are time-major [time, batch, classes]: each sentence's rows are read
    // with a stride of one time step rather than transposed on the backend.
    const flat = groupProbabilities(model, group);
    const width = group.length * classes;
    group.forEach((example, b) => {
      const rows = new Float32Array(example.length * classes);
      for (let t = 0; t < example.length; t++)
        rows.set(
          flat.subarray(t * width + b * classes, t * width + (b + 1) * classes),
          t * classes,
        );
      results[indices[b] as number] = rows;
    });
  }
  return results;
}

/** Per-sentence models (encoders): one [classes] row per sentence, input order; empty: empty. */
export function predictSentenceProbabilities(
  model: RnnModel,
  examples: readonly SequenceExample[],
  tokenBudget = INFERENCE_BATCH_TOKENS,
): Float32Array[] {
  const classes = model.config.output.size;
  const results = examples.map(() => new Float32Array(0));
  for (const indices of lengthSortedGroups(lengthsOf(examples), tokenBudget)) {
    // Encoder logits are [batch, classes].
    const flat = groupProbabilities(
      model,
      indices.map((i) => examples[i] as SequenceExample),
    );
    indices.forEach((i, b) => {
      results[i] = flat.slice(b * classes, (b + 1) * classes);
    });
  }
  return results;
}

export interface RankedClass {
  index: number;
  probability: number;
}

/** The k most probable classes of row `row`, best first (ties: the lower index first). */
export function topClasses(
  probabilities: Float32Array,
  row: number,
  classes: number,
  k: number,
): RankedClass[] {
  if (k <= 0) return [];
  // One pass with an insertion into the k best so far (k is small: the tagger's 3).
  const index: number[] = [];
  const best: number[] = [];
  const offset = row * classes;
  for (let c = 0; c < classes; c++) {
    const probability = probabilities[offset + c] as number;
    const count = index.length;
    if (count === k && probability <= (best[k - 1] as number)) continue;
    // A full list drops its last; equal probabilities keep the earlier class first.
    let at = count === k ? k - 1 : count;
    while (at > 0 && (best[at - 1] as number) < probability) {
      index[at] = index[at - 1] as number;
      best[at] = best[at - 1] as number;
      at -= 1;
    }
    index[at] = c;
    best[at] = probability;
  }
  return index.map((c, i) => ({ index: c, probability: best[i] as number }));
}
