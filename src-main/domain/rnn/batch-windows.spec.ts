import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { BatchWindows, STEP_FIELDS } from './batch-windows';
import type { TrainBatch } from './batching';
import { disposeBatch } from './batching';

beforeAll(async () => {
  await initTfBackend();
});

/** A batch of 3 rows and 7 steps whose every value says where it sits. */
function numberedBatch(): TrainBatch {
  const rows = 3;
  const time = 7;
  const counting = (n: number) => Array.from({ length: n }, (_, k) => k);
  const mask = counting(rows * time).map((k) =>
    k % time < time - (k / time >= 2 ? 2 : 0) ? 1 : 0,
  );
  const maskTensor = tf.tensor2d(mask, [rows, time]);
  return {
    inputs: tf.tensor2d(counting(rows * time), [rows, time], 'int32'),
    mask: maskTensor,
    targets: tf.tensor2d(
      counting(rows * time).map((k) => 100 + k),
      [rows, time],
      'int32',
    ),
    targetMask: maskTensor,
    frames: mask.reduce<number>((a, b) => a + b, 0),
    charInputs: tf.tensor3d(counting(rows * time * 4), [rows, time, 4], 'int32'),
    caseInputs: tf.tensor2d(
      counting(rows * time).map((k) => k % 3),
      [rows, time],
      'int32',
    ),
    tokenDropout: tf.tensor2d(
      counting(rows * time).map((k) => k / 100),
      [rows, time],
    ),
    contextualInputs: tf.tensor3d(
      counting(rows * time * 2).map((k) => k / 10),
      [rows, time, 2],
    ),
  };
}

describe('BatchWindows', () => {
  it('cuts every per-step tensor as tf.slice along time does, the last window short', () => {
    const batch = numberedBatch();
    const windows = new BatchWindows(batch);
    const seen: number[] = [];
    for (let start = 0; start < 7; start += 3) {
      const part = windows.window(start, 3);
      const size = Math.min(3, 7 - start);
      seen.push(size);
      for (const field of STEP_FIELDS) {
        const whole = batch[field] as tf.Tensor;
        const begin = whole.shape.map((_, axis) => (axis === 1 ? start : 0));
        const extent = whole.shape.map((d, axis) => (axis === 1 ? size : d));
        const expected = tf.slice(whole, begin, extent);
        const got = part[field] as tf.Tensor;
        expect(got.shape, field).toEqual(expected.shape);
        expect(got.dtype, field).toBe(expected.dtype);
        expect(Array.from(got.dataSync()), field).toEqual(Array.from(expected.dataSync()));
        expected.dispose();
      }
      expect(part.targetMask).toBe(part.mask);
      expect(part.frames).toBe(tf.tidy(() => part.mask.sum().dataSync()[0]));
      disposeBatch(part);
    }
    expect(seen).toEqual([3, 3, 1]);
    expect(() => windows.window(7, 3)).toThrow(RangeError);
    disposeBatch(batch);
  });

  it('leaves out the token inputs a batch does not have, and leaks no tensor', () => {
    const { charInputs, caseInputs, tokenDropout, contextualInputs, ...plain } = numberedBatch();
    tf.dispose([charInputs!, caseInputs!, tokenDropout!, contextualInputs!]);
    const before = tf.memory().numTensors;
    const part = new BatchWindows(plain).window(2, 4);
    expect(part.charInputs).toBeUndefined();
    expect(part.caseInputs).toBeUndefined();
    expect(part.tokenDropout).toBeUndefined();
    expect(part.contextualInputs).toBeUndefined();
    expect(Array.from(part.inputs.dataSync())).toEqual([2, 3, 4, 5, 9, 10, 11, 12, 16, 17, 18, 19]);
    disposeBatch(part);
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(plain);
  });
});
