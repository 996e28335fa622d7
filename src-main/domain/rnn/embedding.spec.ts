import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { embedLookup, scatterAddRows } from './embedding';
import { createRng } from './random';
import { withKernel } from './testing/with-kernel';

beforeAll(async () => {
  await initTfBackend();
});

const native = loadRnnNative().addon;

function randomTable(vocab: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: vocab * dim }, () => rng.normal());
}

/** Ids with many repeats (a small vocabulary drawn often), including the first and last rows. */
function repeatedIds(count: number, vocab: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const ids = Int32Array.from({ length: count }, () => Math.floor(rng.next() * vocab));
  ids[0] = 0;
  ids[1] = vocab - 1;
  ids[2] = ids[3] as number;
  return ids;
}

describe('native row gather and scatter-add', () => {
  it.skipIf(!native)('gathers the same rows as tf.gather', () => {
    const [vocab, dim] = [37, 5];
    const table = randomTable(vocab, dim, 1);
    const ids = repeatedIds(200, vocab, 2);
    const expected = tf.tidy(() =>
      tf.gather(tf.tensor2d(table, [vocab, dim]), tf.tensor1d(ids, 'int32')).dataSync(),
    );
    const got = native?.gatherRows(vocab, dim, table, ids) as Float32Array;
    expect(got.length).toBe(ids.length * dim);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it.skipIf(!native)('scatter-adds like the JS scatter, summing repeated ids', () => {
    const [vocab, dim] = [23, 7];
    const ids = repeatedIds(300, vocab, 3);
    const dy = randomTable(ids.length, dim, 4);
    const got = native?.scatterAddRows(vocab, dim, dy, ids) as Float32Array;
    const expected = scatterAddRows(vocab, dim, dy, ids);
    expect(got.length).toBe(vocab * dim);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 4);
    // An independent check of the JS twin: row r sums the dy rows whose id is r.
    const row = ids[2] as number;
    let sum = 0;
    ids.forEach((id, n) => {
      if (id === row) sum += dy[n * dim] as number;
    });
    expect(expected[row * dim]).toBeCloseTo(sum, 4);
    expect(ids.filter((id) => id === row).length).toBeGreaterThan(1);
  });

  it.skipIf(!native)('throws on ids outside the table and on wrong lengths', () => {
    const table = randomTable(4, 2, 5);
    expect(() => native?.gatherRows(4, 2, table, Int32Array.from([0, 4]))).toThrow(
      /id 4 at position 1 is outside the table of 4 rows/,
    );
    expect(() => native?.gatherRows(4, 2, table, Int32Array.from([-1]))).toThrow(/id -1/);
    expect(() => native?.scatterAddRows(4, 2, new Float32Array(2), Int32Array.from([9]))).toThrow(
      /id 9/,
    );
    expect(() => native?.gatherRows(5, 2, table, Int32Array.from([0]))).toThrow(
      /table: expected 10 floats, got 8/,
    );
    expect(() =>
      native?.gatherRows(4, 2, table, Float32Array.from([0]) as unknown as Int32Array),
    ).toThrow(/ids must be a Int32Array/);
  });
});

describe('embedLookup on the cpu backend (native gather: the table is already in JS memory)', () => {
  it.skipIf(!native)("gives tf.gather's rows and the scatter-added gradient", async () => {
    const before = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      const [vocab, dim] = [9, 3];
      const tableValues = randomTable(vocab, dim, 9);
      const ids = repeatedIds(12, vocab, 10);
      const upstream = randomTable(12, dim, 11);
      const [value, grad] = withKernel('native', () =>
        tf.tidy(() => {
          const table = tf.tensor2d(tableValues, [vocab, dim]);
          const idTensor = tf.tensor1d(ids, 'int32');
          const weights = tf.tensor2d(upstream, [12, dim]);
          const g = tf.grad((t: tf.Tensor) =>
            tf.sum(tf.mul(embedLookup(t as tf.Tensor2D, idTensor), weights)),
          )(table);
          return [embedLookup(table, idTensor).dataSync(), g.dataSync()];
        }),
      );
      const expected = tf.tidy(() =>
        tf.gather(tf.tensor2d(tableValues, [vocab, dim]), tf.tensor1d(ids, 'int32')).dataSync(),
      );
      expect(Array.from(value as Float32Array)).toEqual(Array.from(expected));
      const expectedGrad = scatterAddRows(vocab, dim, upstream, ids);
      (grad as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(expectedGrad[i] as number, 4));
      expect(() =>
        withKernel('native', () =>
          embedLookup(tf.zeros([2, 2]) as tf.Tensor2D, tf.tensor1d([2], 'int32')),
        ),
      ).toThrow(/id 2/);
    } finally {
      await tf.setBackend(before);
    }
  });
});

describe('embedLookup on both paths', () => {
  const implementations = ['tfjs', ...(native ? ['native'] : [])] as Array<'tfjs' | 'native'>;

  for (const implementation of implementations) {
    it(`${implementation}: values and table gradient equal tf.gather and the JS scatter`, () => {
      const [vocab, dim] = [11, 4];
      const tableValues = randomTable(vocab, dim, 6);
      const ids = repeatedIds(3 * 5, vocab, 7);
      const upstream = randomTable(3 * 5, dim, 8);
      const [value, grad] = withKernel(implementation, () =>
        tf.tidy(() => {
          const table = tf.tensor2d(tableValues, [vocab, dim]);
          const idTensor = tf.tensor2d(ids, [3, 5], 'int32');
          const weights = tf.tensor3d(upstream, [3, 5, dim]);
          const out = embedLookup(table, idTensor);
          const g = tf.grad((t: tf.Tensor) =>
            tf.sum(tf.mul(embedLookup(t as tf.Tensor2D, idTensor), weights)),
          )(table);
          return [out.dataSync(), g.dataSync()];
        }),
      );
      const expectedValue = tf.tidy(() =>
        tf.gather(tf.tensor2d(tableValues, [vocab, dim]), tf.tensor1d(ids, 'int32')).dataSync(),
      );
      expect(Array.from(value as Float32Array)).toEqual(Array.from(expectedValue));
      const expectedGrad = scatterAddRows(vocab, dim, upstream, ids);
      (grad as Float32Array).forEach((g, i) => expect(g).toBeCloseTo(expectedGrad[i] as number, 4));
    });

    it(`${implementation}: an id outside the table throws instead of reading past it`, () => {
      withKernel(implementation, () => {
        const table = tf.zeros([3, 2]) as tf.Tensor2D;
        expect(() => embedLookup(table, tf.tensor1d([0, 3], 'int32'))).toThrow(
          /Embedding id 3 \(position 1\) is outside the table of 3 rows/,
        );
        expect(() => embedLookup(table, tf.tensor1d([-2], 'int32'))).toThrow(/id -2/);
        table.dispose();
      });
    });
  }
});
