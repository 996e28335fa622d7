import * as tf from '@tensorflow/tfjs';
import type { CharCnnDims, RnnNativeAddon } from '../../native/rnn-native';
import { UnfoldError } from '../errors';
import { embedLookup } from './embedding';
import { framewiseProduct } from './kernels/native-dense';
import { chooseRnnKernel } from './kernels/native-sequence';

export interface CharCnnWeights {
  /** 'embedding/char_embeddings' [charVocab, charEmb]. */
  table: tf.Tensor2D;
  /** 'embedding/char_conv/kernel' [width * charEmb, filters]. */
  kernel: tf.Tensor2D;
  /** 'embedding/char_conv/bias' [filters]. */
  bias: tf.Tensor1D;
  width: number;
}

/**
 * Character CNN of a word (Ma & Hovy 2016): char embeddings, `filters` filters over every window
 * of `width` chars, max over positions. Char ids [batch, time, chars] (0 = padding) give
 * time-major features [time, batch, filters].
 *
 * Built as im2col + one product (not tf.conv1d: the wasm backend has no useful conv gradient):
 * one window per position that starts at a real char, each `width` ids long and filled with
 * padding ids past the word's end (short words are padded; the padding char's embedding is
 * learnt as an end-of-word marker). A word's features thus depend on the word alone, not on how
 * wide the batch is padded. Windows starting on padding are masked out of the max.
 *
 * Activation: ReLU, not tanh. Its outputs are >= 0, so masking is a multiplication by the 0/1
 * validity mask (a masked position's 0 never exceeds a real position's max) with no -inf
 * constants, and a token with no chars at all (a padded time step) gets exact zeros.
 *
 * With the native addon (chooseRnnKernel, as the sequence kernels) the whole CNN is one op:
 * windows of real chars only (most of a padded batch is padding), one sgemm, and the gradient
 * routed to the same first maximal position; else the TF.js ops below.
 */
export function charFeatures(weights: CharCnnWeights, chars: tf.Tensor3D): tf.Tensor3D {
  const { addon } = chooseRnnKernel();
  return addon ? nativeCharFeatures(addon, weights, chars) : tfjsCharFeatures(weights, chars);
}

/**
 * The native op: one tf.customGrad node over (table, kernel, bias). Their values are read on
 * every call (they are variables the optimizer changes) and kept with the forward's best
 * positions for the gradient.
 */
function nativeCharFeatures(
  addon: RnnNativeAddon,
  weights: CharCnnWeights,
  chars: tf.Tensor3D,
): tf.Tensor3D {
  const [batch, time, positions] = chars.shape;
  const [charVocab, charEmb] = weights.table.shape;
  const filters = weights.kernel.shape[1];
  const tokenIds = timeMajorIds(chars, charVocab);
  const dims: CharCnnDims = [time * batch, positions, charVocab, charEmb, filters, weights.width];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [table, kernel, bias] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const tableValues = table.dataSync() as Float32Array;
    const kernelValues = kernel.dataSync() as Float32Array;
    const [features, best] = addon.charCnnForward(
      dims,
      tokenIds,
      tableValues,
      kernelValues,
      bias.dataSync() as Float32Array,
    );
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const [dTable, dKernel, dBias] = addon.charCnnBackward(
        dims,
        tokenIds,
        tableValues,
        kernelValues,
        best,
        dy.dataSync() as Float32Array,
      );
      return [
        tf.tensor2d(dTable, [charVocab, charEmb]),
        tf.tensor2d(dKernel, [weights.width * charEmb, filters]),
        tf.tensor1d(dBias),
      ];
    };
    return { value: tf.tensor3d(features, [time, batch, filters]), gradFunc };
  });
  return op(weights.table, weights.kernel, weights.bias) as tf.Tensor3D;
}

/** Char ids [batch, time, positions] reordered time-major, each checked against the table. */
function timeMajorIds(chars: tf.Tensor3D, charVocab: number): Int32Array {
  const [batch, time, positions] = chars.shape;
  const ids = chars.dataSync();
  const out = new Int32Array(ids.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const from = (b * time + t) * positions;
      const to = (t * batch + b) * positions;
      for (let p = 0; p < positions; p++) {
        const id = ids[from + p] as number;
        if (!Number.isInteger(id) || id < 0 || id >= charVocab)
          throw new UnfoldError(
            'EMBEDDING_ID_OUT_OF_RANGE',
            `Embedding id ${id} (position ${from + p}) is outside the table of ${charVocab} rows.`,
          );
        out[to + p] = id;
      }
    }
  }
  return out;
}

/** The TF.js ops: im2col ids, embedLookup, one product, ReLU, mask, max over positions. */
function tfjsCharFeatures(weights: CharCnnWeights, chars: tf.Tensor3D): tf.Tensor3D {
  const [batch, time, positions] = chars.shape;
  const { width } = weights;
  const charEmb = weights.table.shape[1];
  const ids = chars.dataSync() as Int32Array;
  const rows = time * batch * positions;
  const windows = new Int32Array(rows * width);
  const valid = new Float32Array(rows);
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) {
      const word = (b * time + t) * positions;
      const row = (t * batch + b) * positions;
      for (let p = 0; p < positions; p++) {
        valid[row + p] = ids[word + p] !== 0 ? 1 : 0;
        const end = Math.min(width, positions - p);
        for (let k = 0; k < end; k++) windows[(row + p) * width + k] = ids[word + p + k] as number;
      }
    }
  }
  const vectors = embedLookup(weights.table, tf.tensor2d(windows, [rows, width], 'int32'));
  const flat = tf.reshape(vectors, [rows, width * charEmb]) as tf.Tensor2D;
  const activations = tf.relu(tf.add(framewiseProduct(flat, weights.kernel), weights.bias));
  const masked = tf.mul(activations, tf.tensor2d(valid, [rows, 1]));
  const filters = weights.kernel.shape[1];
  const pooled = maxOverPositions(
    tf.reshape(masked, [time * batch, positions, filters]) as tf.Tensor3D,
  );
  return tf.reshape(pooled, [time, batch, filters]) as tf.Tensor3D;
}

/**
 * Max over axis 1 of [n, positions, filters] whose gradient goes to one maximal position (the
 * first), as a max-pooling layer's does; tf.max's own gradient gives the full gradient to every
 * tied position, and identical windows (the two l's of "hello" at width 1) tie exactly.
 */
function maxOverPositions(x: tf.Tensor3D): tf.Tensor2D {
  const positions = x.shape[1];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    save([input]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const first = tf.argMax(saved[0] as tf.Tensor3D, 1); // [n, filters]
      // oneHot's dtype argument is ignored by the wasm kernel (int32 bits come back labelled
      // float32): build it int32 and cast.
      const route = tf.transpose(tf.cast(tf.oneHot(first, positions), 'float32'), [0, 2, 1]);
      return [tf.mul(route, tf.expandDims(dy, 1))];
    };
    return { value: tf.max(input, 1), gradFunc };
  });
  return op(x) as tf.Tensor2D;
}
