import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initTfBackend, parseBackendName } from './tf-backend';

describe('backend choice', () => {
  it('accepts the three backends and nothing else', () => {
    expect(parseBackendName(undefined)).toBeUndefined();
    expect(parseBackendName('')).toBeUndefined();
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(parseBackendName('cpu')).toBe('cpu');
    expect(parseBackendName('tensorflow')).toBe('tensorflow');
    expect(() => parseBackendName('webgl')).toThrow(
      /UNFOLD_BACKEND=webgl is not a backend; use one of tensorflow, wasm, cpu/,
    );
  });
});

describe('the wasm backend', () => {
  it("shares a clone's data (one more reference, no copy), each tensor keeping its values", async () => {
    const info = await initTfBackend();
    if (info.name !== 'wasm') return;
    const backend = tf.backend() as unknown as { refCount(dataId: tf.DataId): number };
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    expect(copy.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(2);
    x.dispose();
    expect([...(copy.dataSync() as Float32Array)]).toEqual([1, 2, 3]);
    expect(backend.refCount(copy.dataId)).toBe(1);
    // The gradient of an op that saves its input still reads it after the input is gone.
    const y = tf.tensor1d([2, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, t)))(y);
    expect([...(grad.dataSync() as Float32Array)]).toEqual([4, 6]);
    tf.dispose([copy, y, grad]);
  });
});
