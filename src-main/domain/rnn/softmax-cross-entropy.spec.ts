import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

/**
 * The loss as TF.js ops build it: weighted mean of -log softmax against the target, a one-hot or,
 * with `smoothing`, (1 - smoothing) one-hot + smoothing / classes.
 */
function referenceLoss(
  logits: tf.Tensor2D,
  ids: number[],
  weights: number[],
  smoothing = 0,
): tf.Scalar {
  const classes = logits.shape[1];
  const targets = tf.add(
    tf.mul(tf.oneHot(tf.tensor1d(ids, 'int32'), classes), 1 - smoothing),
    smoothing / classes,
  );
  const perRow = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1));
  const w = tf.tensor1d(weights);
  return tf.div(tf.sum(tf.mul(perRow, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
}

function randomLogits(rows: number, classes: number, seed: number): tf.Tensor2D {
  return tf.mul(tf.randomNormal([rows, classes], 0, 1, 'float32', seed), 3) as tf.Tensor2D;
}

describe('softmaxCrossEntropy', () => {
  it('gives the loss and the gradient of the TF.js formulation, padding rows weighted 0', () => {
    const logits = randomLogits(7, 11, 3);
    const ids = [0, 10, 4, 4, 7, 2, 9];
    const weights = [1, 1, 0, 1, 0.5, 1, 0];
    const expected = tf.valueAndGrad((x: tf.Tensor) =>
      referenceLoss(x as tf.Tensor2D, ids, weights),
    )(logits);
    let fused: ReturnType<typeof softmaxCrossEntropy> | undefined;
    const actual = tf.valueAndGrad((x: tf.Tensor) => {
      fused = softmaxCrossEntropy(x, ids, weights);
      return fused.loss;
    })(logits);
    expect(actual.value.dataSync()[0]).toBeCloseTo(expected.value.dataSync()[0] as number, 5);
    const got = actual.grad.dataSync();
    const want = expected.grad.dataSync();
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
    expect(worst).toBeLessThan(1e-6);
    // The rows of weight 0 get no gradient at all.
    for (const row of [2, 6])
      expect(Array.from(got.slice(row * 11, (row + 1) * 11)).every((g) => g === 0)).toBe(true);
    expect(fused?.count).toBe(4.5);
  });

  it('smooths the targets: the loss and the gradient of the smoothed TF.js formulation', () => {
    const logits = randomLogits(6, 5, 4);
    const ids = [0, 4, 2, 2, 1, 3];
    const weights = [1, 0, 1, 0.5, 1, 1];
    for (const smoothing of [0.1, 0.4]) {
      const expected = tf.valueAndGrad((x: tf.Tensor) =>
        referenceLoss(x as tf.Tensor2D, ids, weights, smoothing),
      )(logits);
      const actual = tf.valueAndGrad(
        (x: tf.Tensor) => softmaxCrossEntropy(x, ids, weights, smoothing).loss,
      )(logits);
      expect(actual.value.dataSync()[0]).toBeCloseTo(expected.value.dataSync()[0] as number, 5);
      const got = actual.grad.dataSync();
      const want = expected.grad.dataSync();
      for (let i = 0; i < want.length; i++)
        expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-6);
      // Smoothing moves the loss: it is not the plain cross-entropy.
      const plain = softmaxCrossEntropy(logits, ids, weights).loss.dataSync()[0] as number;
      expect(Math.abs((actual.value.dataSync()[0] as number) - plain)).toBeGreaterThan(1e-3);
    }
    expect(() => softmaxCrossEntropy(logits, ids, weights, 1)).toThrow(/smoothing 1 is not in/);
  });

  it('counts the weighted rows whose first largest logit is the target', () => {
    const logits = tf.tensor2d([
      [1, 5, 5],
      [9, 0, 0],
      [0, 0, 2],
      [0, 3, 1],
    ]);
    // Row 0 ties between 1 and 2: the first (1) counts; row 3 is right but weighted 0.
    const result = softmaxCrossEntropy(logits, [1, 1, 2, 1], [1, 1, 2, 0]);
    expect(result.correct).toBe(3);
    expect(result.count).toBe(4);
  });

  it('reads time-major logits row by row and divides by at least 1', () => {
    const logits = randomLogits(6, 5, 8).reshape([3, 2, 5]);
    const ids = [1, 2, 3, 4, 0, 1];
    const fused = softmaxCrossEntropy(logits, ids, [0, 0, 0, 0, 0.25, 0]);
    const reference = referenceLoss(
      logits.reshape([6, 5]) as tf.Tensor2D,
      ids,
      [0, 0, 0, 0, 0.25, 0],
    );
    expect(fused.count).toBe(1);
    expect(fused.loss.dataSync()[0]).toBeCloseTo(reference.dataSync()[0] as number, 5);
  });

  it('keeps the loss finite and exact when the target probability underflows', () => {
    const logits = tf.tensor2d([[200, 0, -5]]);
    const fused = softmaxCrossEntropy(logits, [2], [1]).loss.dataSync()[0] as number;
    expect(fused).toBeCloseTo(referenceLoss(logits, [2], [1]).dataSync()[0] as number, 3);
    expect(fused).toBeCloseTo(205, 3);
  });

  it('makes the loss NaN when a weighted row has a NaN or infinite logit', () => {
    expect(softmaxCrossEntropy(tf.tensor2d([[0, NaN, 1]]), [0], [1]).loss.dataSync()[0]).toBeNaN();
    expect(
      softmaxCrossEntropy(tf.tensor2d([[0, Infinity, 1]]), [0], [1]).loss.dataSync()[0],
    ).toBeNaN();
  });

  it('refuses ids or weights that do not match the rows', () => {
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), [0], [1, 1])).toThrow(/1 ids and 2 weights/);
  });
});
