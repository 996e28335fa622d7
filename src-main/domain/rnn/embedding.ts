import * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
import { UnfoldError } from '../errors';
import { chooseRnnKernel } from './kernels/native-sequence';
import { sumRowsById, valuesView } from './sparse-rows';
import type { SparseGradients } from './sparse-rows';

/**
 * Embedding lookup ([...ids] -> [...ids, dim]) with a gradient of its own: tf.gather's gradient
 * needs UnsortedSegmentSum, which the wasm backend lacks (PITFALLS.md). The gradient is a
 * scatter-add of the output gradient rows into a [vocab, dim] table (a one-hot product would
 * need a [tokens, vocab] matrix: 100 MB for the tagger benchmark). The scatter runs in the
 * native addon when it loads (the same choice as the sequence kernels), else in JS.
 * The forward gather runs natively where the backend's memory can be read in place (the wasm
 * heap, the cpu backend's arrays; valuesView): the wasm backend's tf.gather goes element by
 * element (a batch of 1,250 words from a 16,814 x 300 table: 15-25 ms against 2-4 ms), while
 * copying the whole table out first would cost far more (320 ms for 200,000 x 100). Elsewhere
 * it is tf.gather. Every id is checked first: one outside [0, vocab)
 * throws EMBEDDING_ID_OUT_OF_RANGE on every path instead of reading or writing outside the
 * table.
 */
export function embedLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape;
  const idShape = ids.shape;
  const { addon } = chooseRnnKernel();
  const flatIds = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, i] = args as [tf.Tensor2D, tf.Tensor1D];
    const idValues = checkedIds(i.dataSync() as Int32Array, vocab);
    const value = gatherRows(addon, t, i, idValues, [...idShape, dim]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const rows = dy.dataSync() as Float32Array;
      const grad = addon
        ? addon.scatterAddRows(vocab, dim, rows, idValues)
        : scatterAddRows(vocab, dim, rows, idValues);
      return [tf.tensor2d(grad, [vocab, dim]), tf.zerosLike(i)];
    };
    return { value, gradFunc };
  });
  return op(table, flatIds);
}

/**
 * embedLookup whose table gradient goes to `sparse.rows` under `name` as summed rows of the ids
 * present (sparse-rows.ts), never as a dense [vocab, dim] tensor: the table is read from the
 * closure, and sparse.anchor takes its place on the tape (it gets a zero gradient). The table
 * must then be left out of the variables autodiff differentiates.
 */
export function embedLookupRows(
  table: tf.Tensor2D,
  ids: tf.Tensor,
  sparse: SparseGradients,
  name: string,
): tf.Tensor {
  const [vocab, dim] = table.shape;
  const idShape = ids.shape;
  const flatIds = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [anchor, i] = args as [tf.Scalar, tf.Tensor1D];
    const idValues = checkedIds(i.dataSync() as Int32Array, vocab);
    const value = gatherRows(chooseRnnKernel().addon, table, i, idValues, [...idShape, dim]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      sparse.rows.set(name, sumRowsById(dim, dy.dataSync() as Float32Array, idValues));
      return [tf.zerosLike(anchor), tf.zerosLike(i)];
    };
    return { value, gradFunc };
  });
  return op(sparse.anchor, flatIds);
}

/** table's rows at the ids, shaped `shape`: natively from the backend's memory where it can. */
function gatherRows(
  addon: RnnNativeAddon | null,
  table: tf.Tensor2D,
  ids: tf.Tensor1D,
  idValues: Int32Array,
  shape: number[],
): tf.Tensor {
  const [vocab, dim] = table.shape;
  const view = addon ? valuesView(table) : null;
  // The view is read at once, before the result's allocation can move the wasm heap.
  if (addon && view) return tf.tensor(addon.gatherRows(vocab, dim, view, idValues), shape);
  return tf.reshape(tf.gather(table, ids), shape);
}

function checkedIds(ids: Int32Array, vocab: number): Int32Array {
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n] as number;
    if (id < 0 || id >= vocab)
      throw new UnfoldError(
        'EMBEDDING_ID_OUT_OF_RANGE',
        `Embedding id ${id} (position ${n}) is outside the table of ${vocab} rows.`,
      );
  }
  return ids;
}

/** grad [vocab, dim] with grad[ids[n]] += dy[n]: the JS twin of the addon's scatterAddRows. */
export function scatterAddRows(
  vocab: number,
  dim: number,
  dy: Float32Array,
  ids: Int32Array,
): Float32Array {
  const grad = new Float32Array(vocab * dim);
  for (let n = 0; n < ids.length; n++) {
    const base = (ids[n] as number) * dim;
    for (let d = 0; d < dim; d++)
      grad[base + d] = (grad[base + d] as number) + (dy[n * dim + d] as number);
  }
  return grad;
}
