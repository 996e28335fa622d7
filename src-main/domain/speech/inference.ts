import * as tf from '@tensorflow/tfjs';
import type { FeatureMatrix } from '../audio/feature-matrix';
import type { LayerState, RnnModel } from '../rnn/rnn-model';

/**
 * Softmax outputs for a list of feature matrices, batched with padding and a mask. Encoder
 * models give one probability vector per input ([classes]); transducers give row-major
 * [frames, classes] per input. Batches are formed from neighbours in length order, so little
 * padding is computed; results come back in the input order.
 */
export function predictProbabilities(
  model: RnnModel,
  inputs: readonly FeatureMatrix[],
  batchSize = 32,
): Float32Array[] {
  const classes = model.config.output.size;
  const order = inputs
    .map((_, i) => i)
    .sort((a, b) => (inputs[a]?.frames ?? 0) - (inputs[b]?.frames ?? 0));
  const results = new Array<Float32Array>(inputs.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const group = order.slice(start, start + batchSize);
    const mats = group.map((i) => inputs[i] as FeatureMatrix);
    const time = Math.max(...mats.map((m) => m.frames));
    const dims = mats[0]?.dims ?? 0;
    const values = new Float32Array(group.length * time * dims);
    const mask = new Float32Array(group.length * time);
    mats.forEach((m, b) => {
      values.set(m.data.subarray(0, m.frames * dims), b * time * dims);
      mask.fill(1, b * time, b * time + m.frames);
    });
    const probs = tf.tidy(() => {
      const forward = model.forward(
        {
          inputs: tf.tensor3d(values, [group.length, time, dims]),
          mask: tf.tensor2d(mask, [group.length, time]),
        },
        { training: false },
      );
      const p = tf.softmax(forward.logits);
      // Transducer logits are time-major [time, batch, classes]: make them batch-major.
      return model.config.pattern === 'encoder' ? p : tf.transpose(p, [1, 0, 2]);
    });
    const flat = probs.dataSync() as Float32Array;
    probs.dispose();
    group.forEach((i, b) => {
      if (model.config.pattern === 'encoder') {
        results[i] = flat.slice(b * classes, (b + 1) * classes);
      } else {
        const frames = (inputs[i] as FeatureMatrix).frames;
        results[i] = flat.slice(b * time * classes, (b * time + frames) * classes);
      }
    });
  }
  return results;
}

/**
 * One chunk of a unidirectional transducer from carried states: returns the per-frame
 * probabilities [frames, classes] and the new states (the caller owns and disposes them).
 */
export function transducerStep(
  model: RnnModel,
  chunk: FeatureMatrix,
  states: LayerState[] | null,
): { probabilities: Float32Array; states: LayerState[] } {
  let next: LayerState[] = [];
  const probs = tf.tidy(() => {
    const forward = model.forward(
      { inputs: tf.tensor3d(chunk.data, [1, chunk.frames, chunk.dims]), mask: null },
      { training: false, initialStates: states },
    );
    next = forward.finalStates.map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null }));
    return tf.softmax(forward.logits);
  });
  const probabilities = probs.dataSync() as Float32Array;
  probs.dispose();
  return { probabilities: probabilities.slice(), states: next };
}

export interface RankedLabel {
  label: string;
  probability: number;
}

/** The k most probable labels of one probability vector. */
export function topK(
  probabilities: ArrayLike<number>,
  labels: readonly string[],
  k: number,
): RankedLabel[] {
  return Array.from(labels, (label, i) => ({ label, probability: probabilities[i] as number }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
