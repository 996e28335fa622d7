import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { dropout } from './dropout';

const nativeBuilt = loadRnnNative().addon !== null;
const savedKernelEnv = process.env.UNFOLD_RNN_KERNEL;

beforeAll(async () => {
  await initTfBackend();
});
afterEach(() => {
  if (savedKernelEnv === undefined) delete process.env.UNFOLD_RNN_KERNEL;
  else process.env.UNFOLD_RNN_KERNEL = savedKernelEnv;
});

/** The mask dropout applied to ones: 1 / keep where kept, 0 where dropped. */
function maskOf(size: number, rate: number, seed: number): Float32Array {
  return tf.tidy(() => dropout(tf.ones([size]), rate, seed).dataSync() as Float32Array);
}

describe.each([
  ['native', 'native'],
  ['TF.js', 'tfjs'],
])('dropout (%s)', (_name, kernel) => {
  it.skipIf(kernel === 'native' && !nativeBuilt)(
    'keeps about 1 - rate of the elements, scaled by 1 / (1 - rate), the same for a seed',
    () => {
      process.env.UNFOLD_RNN_KERNEL = kernel;
      const mask = maskOf(100_000, 0.33, 42);
      const kept = mask.filter((v) => v !== 0);
      expect(kept.length / mask.length).toBeGreaterThan(0.66);
      expect(kept.length / mask.length).toBeLessThan(0.68);
      for (const v of kept) expect(v).toBeCloseTo(1 / 0.67, 5);
      expect(maskOf(100_000, 0.33, 42)).toEqual(mask);
      const other = maskOf(100_000, 0.33, 43);
      const agree = mask.filter((v, i) => v === other[i]).length / mask.length;
      // Independent masks agree on keep^2 + rate^2 of the elements (0.558).
      expect(agree).toBeGreaterThan(0.55);
      expect(agree).toBeLessThan(0.566);
    },
  );

  it.skipIf(kernel === 'native' && !nativeBuilt)(
    'passes the gradient through the kept elements only',
    () => {
      process.env.UNFOLD_RNN_KERNEL = kernel;
      const x = tf.tensor2d([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
      const [values, grad] = tf.tidy(() => {
        const f = (t: tf.Tensor): tf.Tensor => tf.sum(dropout(t, 0.5, 7));
        return [dropout(x, 0.5, 7).dataSync(), tf.grad(f)(x).dataSync()];
      });
      const xs = x.dataSync();
      values.forEach((v, i) => expect(v).toBeCloseTo(v === 0 ? 0 : 2 * (xs[i] as number), 5));
      grad.forEach((g, i) => expect(g).toBe((values[i] as number) === 0 ? 0 : 2));
      x.dispose();
    },
  );

  it.skipIf(kernel === 'native' && !nativeBuilt)(
    'variational: one mask shared by every step of the first axis, another per sequence and feature',
    () => {
      process.env.UNFOLD_RNN_KERNEL = kernel;
      const [time, batch, features] = [6, 4, 50];
      const values = tf.tidy(
        () => dropout(tf.ones([time, batch, features]), 0.5, 9, true).arraySync() as number[][][],
      );
      for (let t = 1; t < time; t++) expect(values[t]).toEqual(values[0]);
      const first = values[0]!.flat();
      const dropped = first.filter((v) => v === 0).length;
      expect(dropped).toBeGreaterThan(0.3 * first.length);
      expect(dropped).toBeLessThan(0.7 * first.length);
      for (const v of first) expect([0, 2]).toContain(v);
      // Without it, the steps get masks of their own.
      const perStep = tf.tidy(
        () => dropout(tf.ones([time, batch, features]), 0.5, 9).arraySync() as number[][][],
      );
      expect(perStep[1]).not.toEqual(perStep[0]);
    },
  );
});

describe('dropout rates', () => {
  it('returns x at rate 0 and refuses a rate outside [0, 1)', () => {
    const x = tf.ones([3]);
    expect(dropout(x, 0, 1)).toBe(x);
    expect(() => dropout(x, 1, 1)).toThrow(/not in \[0, 1\)/);
    expect(() => dropout(x, -0.1, 1)).toThrow(/not in \[0, 1\)/);
    x.dispose();
  });
});
