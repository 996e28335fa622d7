import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { createRng } from '../random';
import { framewiseProduct } from './native-dense';

beforeAll(async () => {
  await initTfBackend();
});

const saved = process.env.UNFOLD_RNN_KERNEL;
afterEach(() => {
  if (saved === undefined) delete process.env.UNFOLD_RNN_KERNEL;
  else process.env.UNFOLD_RNN_KERNEL = saved;
});

function random(shape: [number, number], seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => 2 * rng.next() - 1),
    shape,
  );
}

describe('framewiseProduct (output layer product without transposed operands)', () => {
  // 'native' runs on the addon when it is built (else, unset, it falls back to TF.js).
  for (const kernel of ['auto', 'tfjs'] as const) {
    it(`${kernel}: value and both gradients equal tf.matMul's`, () => {
      process.env.UNFOLD_RNN_KERNEL = kernel;
      const x = random([37, 11], 1);
      const w = random([11, 5], 2);
      const upstream = random([37, 5], 3);
      const lossOf =
        (product: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) =>
        (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(product(a as tf.Tensor2D, b as tf.Tensor2D), upstream));
      const ours = tf.grads(lossOf(framewiseProduct))([x, w]);
      const theirs = tf.grads(lossOf((a, b) => tf.matMul(a, b)))([x, w]);
      const close = (a: tf.Tensor, b: tf.Tensor): number =>
        tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
      expect(close(framewiseProduct(x, w), tf.matMul(x, w))).toBeLessThan(1e-5);
      expect(close(ours[0] as tf.Tensor, theirs[0] as tf.Tensor)).toBeLessThan(1e-5);
      expect(close(ours[1] as tf.Tensor, theirs[1] as tf.Tensor)).toBeLessThan(1e-5);
    });
  }
});
