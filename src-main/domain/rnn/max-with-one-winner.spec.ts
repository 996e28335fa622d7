import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { maxWithOneWinner } from './max-with-one-winner';

beforeAll(async () => {
  await initTfBackend();
});

describe('maxWithOneWinner', () => {
  // [2, 3, 2]: along axis 0 pairs (0,1) of each [3,2] cell; along axis 1 triples.
  const values = [1, 5, 3, 3, 2, 9, /* second slice */ 4, 5, 0, 3, 2, -1];
  const weights = [1, 2, 3, 4, 5, 6];

  it('takes the max along the axis asked', () => {
    const x = tf.tensor3d(values, [2, 3, 2]);
    expect(Array.from(maxWithOneWinner(x, 0).dataSync())).toEqual([4, 5, 3, 3, 2, 9]);
    expect(Array.from(maxWithOneWinner(x, 1).dataSync())).toEqual([3, 9, 4, 5]);
  });

  it('routes the gradient to the first maximal position only (ties included)', () => {
    const x = tf.tensor3d(values, [2, 3, 2]);
    const along0 = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(maxWithOneWinner(input as tf.Tensor3D, 0), tf.tensor2d(weights, [3, 2]))),
    )(x);
    // Ties at (0,1), (1,1) and (2,0): the first slice wins each.
    expect(Array.from(along0.dataSync())).toEqual([0, 2, 3, 4, 5, 6, 1, 0, 0, 0, 0, 0]);
    const along1 = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(maxWithOneWinner(input as tf.Tensor3D, 1), tf.tensor2d([1, 2, 3, 4], [2, 2]))),
    )(x);
    // First slice: feature 0 has 1, 3, 2 (3 at position 1); feature 1 has 5, 3, 9 (position 2).
    expect(Array.from(along1.dataSync())).toEqual([0, 0, 1, 0, 0, 2, 3, 4, 0, 0, 0, 0]);
  });
});
