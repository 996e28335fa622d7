import * as tf from '@tensorflow/tfjs';
import { convMaxOverTime } from './conv-max-over-time';
import type { ConvFilterBank } from './conv-max-over-time';

export interface CharCnnWeights extends ConvFilterBank {
  /** 'embedding/char_embeddings' [charVocab, charEmb]. */
  table: tf.Tensor2D;
  /** 'embedding/char_conv/kernel' [width * charEmb, filters]. */
  kernel: tf.Tensor2D;
  /** 'embedding/char_conv/bias' [filters]. */
  bias: tf.Tensor1D;
}

/**
 * Character CNN of a word (Ma & Hovy 2016): char embeddings, `filters` filters over every window
 * of `width` chars, max over positions (convMaxOverTime with the char-embedding table as the
 * rows). Char ids [batch, time, chars] (0 = padding) give time-major features
 * [time, batch, filters].
 *
 * Windows start at every real char and are filled with padding ids past the word's end (short
 * words are padded; the padding char's embedding is learnt as an end-of-word marker), so a word's
 * features depend on the word alone. A token with no chars at all (a padded time step) gets
 * exact zeros.
 */
export function charFeatures(weights: CharCnnWeights, chars: tf.Tensor3D): tf.Tensor3D {
  const [batch, time, positions] = chars.shape;
  const features = convMaxOverTime(
    weights.table,
    { ids: timeMajorIds(chars), sequences: time * batch, positions },
    [weights],
  );
  return tf.reshape(features, [time, batch, weights.kernel.shape[1]]) as tf.Tensor3D;
}

/** Char ids [batch, time, positions] reordered time-major: word (t, b) is sequence t * batch + b. */
function timeMajorIds(chars: tf.Tensor3D): Int32Array {
  const [batch, time, positions] = chars.shape;
  const ids = chars.dataSync();
  const out = new Int32Array(ids.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const from = (b * time + t) * positions;
      out.set(ids.subarray(from, from + positions), (t * batch + b) * positions);
    }
  }
  return out;
}
