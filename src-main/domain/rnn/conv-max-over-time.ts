import * as tf from '@tensorflow/tfjs';
import type { ConvMaxDims, RnnNativeAddon } from '../../native/rnn-native';
import { UnfoldError } from '../errors';
import { embedLookup } from './embedding';
import { framewiseProduct } from './kernels/native-dense';
import { chooseRnnKernel } from './kernels/native-sequence';
import { maxWithOneWinner } from './max-with-one-winner';

/** `filters` filters over windows of `width` consecutive rows. */
export interface ConvFilterBank {
  /** [width * rowSize, filters]: the window's rows side by side, its first row first. */
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  width: number;
}

/**
 * The sequences a convolution reads, as ids of table rows: `ids` [sequences, positions], id 0 at
 * the positions where a sequence has no element (padding).
 */
export interface RowSequences {
  ids: Int32Array;
  sequences: number;
  positions: number;
}

/**
 * A 1-D convolution with max over time (the character CNN of a word, Ma & Hovy 2016; the CNN of
 * a sentence, Kim 2014): for each sequence and each bank, relu(window . kernel + bias) over every
 * window of `width` rows that starts at a real element, then the max over those windows. Returns
 * [sequences, sum of the banks' filters], the banks side by side in order.
 *
 * The elements are rows of `table` picked by id: characters are rows of the char-embedding table;
 * a sentence's words are rows of the batch's word vectors with a zero row 0 in front. A window
 * reads the padding id 0 past the end of its sequence (and past `positions`), so a sequence
 * shorter than the width still gets every filter, and its features depend on the sequence alone,
 * not on how far the batch is padded. Windows starting on padding are left out of the max.
 *
 * ReLU's outputs are >= 0, so leaving a window out is a multiplication by 0 (no -inf constants),
 * and a sequence with no element at all gets exact zeros. The gradient of a max goes to the first
 * maximal window only, as a max-pooling layer's does.
 *
 * With the native addon (chooseRnnKernel, as the sequence kernels) the whole op is one
 * custom-gradient node over the table and every bank: per bank, only the windows that start at a
 * real element are built, one sgemm. Else im2col + one product per bank on TF.js (not tf.conv1d:
 * the wasm backend has no useful conv gradient).
 */
export function convMaxOverTime(
  table: tf.Tensor2D,
  rows: RowSequences,
  banks: readonly ConvFilterBank[],
): tf.Tensor2D {
  checkRowIds(rows.ids, table.shape[0]);
  const { addon } = chooseRnnKernel();
  return addon ? nativeConvMax(addon, table, rows, banks) : tfjsConvMax(table, rows, banks);
}

function checkRowIds(ids: Int32Array, tableRows: number): void {
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n] as number;
    if (!Number.isInteger(id) || id < 0 || id >= tableRows)
      throw new UnfoldError(
        'EMBEDDING_ID_OUT_OF_RANGE',
        `Embedding id ${id} (position ${n}) is outside the table of ${tableRows} rows.`,
      );
  }
}

const filtersOf = (bank: ConvFilterBank): number => bank.kernel.shape[1];

/**
 * The native op: one tf.customGrad node over (table, kernel0, bias0, kernel1, ...). The values
 * are read on every call (variables the optimizer changes, or the batch's word vectors) and kept
 * with each bank's best positions for the gradient.
 */
function nativeConvMax(
  addon: RnnNativeAddon,
  table: tf.Tensor2D,
  rows: RowSequences,
  banks: readonly ConvFilterBank[],
): tf.Tensor2D {
  const { ids, sequences, positions } = rows;
  const [tableRows, rowSize] = table.shape;
  const total = banks.reduce((n, bank) => n + filtersOf(bank), 0);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, ...params] = args.slice(0, 1 + 2 * banks.length) as tf.Tensor[];
    const tableValues = (t as tf.Tensor2D).dataSync() as Float32Array;
    const features = new Float32Array(sequences * total);
    let offset = 0;
    const runs = banks.map((bank, i) => {
      const filters = filtersOf(bank);
      const dims: ConvMaxDims = [sequences, positions, tableRows, rowSize, filters, bank.width];
      const kernelValues = (params[2 * i] as tf.Tensor).dataSync() as Float32Array;
      const biasValues = (params[2 * i + 1] as tf.Tensor).dataSync() as Float32Array;
      const [bankFeatures, best] = addon.charCnnForward(
        dims,
        ids,
        tableValues,
        kernelValues,
        biasValues,
      );
      copyColumns(bankFeatures, filters, features, total, offset, sequences);
      const run = { dims, kernelValues, best, offset, filters };
      offset += filters;
      return run;
    });
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dyValues = dy.dataSync() as Float32Array;
      const dTable = new Float32Array(tableRows * rowSize);
      const bankGrads = runs.flatMap((run, i) => {
        const dyBank = new Float32Array(sequences * run.filters);
        for (let s = 0; s < sequences; s++)
          dyBank.set(
            dyValues.subarray(s * total + run.offset, s * total + run.offset + run.filters),
            s * run.filters,
          );
        // Every bank adds its share of the table's gradient into dTable.
        const [, dKernel, dBias] = addon.charCnnBackward(
          run.dims,
          ids,
          tableValues,
          run.kernelValues,
          run.best,
          dyBank,
          dTable,
        );
        const bank = banks[i] as ConvFilterBank;
        return [tf.tensor2d(dKernel, bank.kernel.shape), tf.tensor1d(dBias)];
      });
      return [tf.tensor2d(dTable, [tableRows, rowSize]), ...bankGrads];
    };
    return { value: tf.tensor2d(features, [sequences, total]), gradFunc };
  });
  return op(table, ...banks.flatMap((bank) => [bank.kernel, bank.bias])) as tf.Tensor2D;
}

/** Writes rows of `from` [count, width] into columns offset..offset+width of `to` [count, stride]. */
function copyColumns(
  from: Float32Array,
  width: number,
  to: Float32Array,
  stride: number,
  offset: number,
  count: number,
): void {
  for (let s = 0; s < count; s++)
    to.set(from.subarray(s * width, (s + 1) * width), s * stride + offset);
}

/** The TF.js ops, per bank: im2col ids, embedLookup, one product, ReLU, mask, max over positions. */
function tfjsConvMax(
  table: tf.Tensor2D,
  rows: RowSequences,
  banks: readonly ConvFilterBank[],
): tf.Tensor2D {
  const { ids, sequences, positions } = rows;
  const count = sequences * positions;
  const rowSize = table.shape[1];
  const valid = tf.tensor2d(
    Float32Array.from(ids, (id) => (id !== 0 ? 1 : 0)),
    [count, 1],
  );
  const parts = banks.map((bank) => {
    const { width } = bank;
    const windows = new Int32Array(count * width);
    for (let s = 0; s < sequences; s++) {
      for (let p = 0; p < positions; p++) {
        const start = s * positions + p;
        const end = Math.min(width, positions - p);
        for (let k = 0; k < end; k++) windows[start * width + k] = ids[start + k] as number;
      }
    }
    const vectors = embedLookup(table, tf.tensor2d(windows, [count, width], 'int32'));
    const flat = tf.reshape(vectors, [count, width * rowSize]) as tf.Tensor2D;
    const activations = tf.relu(tf.add(framewiseProduct(flat, bank.kernel), bank.bias));
    const masked = tf.mul(activations, valid);
    return maxWithOneWinner(
      tf.reshape(masked, [sequences, positions, filtersOf(bank)]) as tf.Tensor3D,
      1,
    );
  });
  return parts.length === 1 ? (parts[0] as tf.Tensor2D) : (tf.concat(parts, 1) as tf.Tensor2D);
}
