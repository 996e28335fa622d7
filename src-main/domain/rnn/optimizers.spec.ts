import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import { Optimizer, clipByGlobalNorm, clipByValue } from './optimizers';
import type { OptimizerConfig } from './optimizers';
import { withKernel } from './testing/with-kernel';

beforeAll(async () => {
  await initTfBackend();
});

/** Minimises sum((w - target)^2) for 5 steps with ours and with tf.train's optimiser. */
function compare(config: OptimizerConfig, reference: () => tf.Optimizer): number {
  const target = tf.tensor1d([1, -2, 3]);
  const ours = new Map([['w', tf.variable(tf.tensor1d([0.5, 0.5, 0.5]))]]);
  const theirs = tf.variable(tf.tensor1d([0.5, 0.5, 0.5]));
  const optimizer = new Optimizer(config);
  const ref = reference();
  for (let i = 0; i < 5; i++) {
    const grads = new Map([['w', tf.mul(tf.sub(ours.get('w') as tf.Variable, target), 2)]]);
    optimizer.apply(ours, grads);
    tf.dispose([...grads.values()]);
    ref.minimize(() => tf.sum(tf.square(tf.sub(theirs, target))) as tf.Scalar, false, [theirs]);
  }
  const diff = tf.max(tf.abs(tf.sub(ours.get('w') as tf.Variable, theirs))).dataSync()[0] as number;
  optimizer.dispose();
  ref.dispose();
  tf.dispose([target, theirs, ...ours.values()]);
  return diff;
}

describe('optimisers agree with tf.train', () => {
  it('SGD with momentum', () => {
    expect(
      compare({ kind: 'sgd', learningRate: 0.1, momentum: 0.9 }, () => tf.train.momentum(0.1, 0.9)),
    ).toBeLessThan(1e-5);
  });
  it('plain SGD', () => {
    expect(compare({ kind: 'sgd', learningRate: 0.1 }, () => tf.train.sgd(0.1))).toBeLessThan(1e-6);
  });
  it('RMSProp (epsilon outside the root; tiny epsilon makes the two conventions agree)', () => {
    expect(
      compare({ kind: 'rmsprop', learningRate: 0.01, decay: 0.9, epsilon: 1e-10 }, () =>
        tf.train.rmsprop(0.01, 0.9, 0, 1e-20),
      ),
    ).toBeLessThan(1e-4);
  });
  it('Adam', () => {
    expect(compare({ kind: 'adam', learningRate: 0.05 }, () => tf.train.adam(0.05))).toBeLessThan(
      1e-4,
    );
  });
});

describe('the in-place update and the TF.js ops', () => {
  const configs: OptimizerConfig[] = [
    { kind: 'sgd', learningRate: 0.1 },
    { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    { kind: 'rmsprop', learningRate: 0.01 },
    { kind: 'adam', learningRate: 0.01, beta2: 0.9 },
  ];
  for (const config of configs) {
    it(`agree for ${JSON.stringify(config)}, with weight decay, and leak nothing`, () => {
      const run = (inPlace: boolean): { weights: number[]; slots: number[][] } =>
        withKernel(inPlace ? 'native' : 'tfjs', () => runSteps());
      const runSteps = (): { weights: number[]; slots: number[][] } => {
        const start = Float32Array.from({ length: 12 }, (_, k) => Math.sin(k + 1));
        const vars = new Map([['w', tf.variable(tf.tensor2d(start, [3, 4]))]]);
        const optimizer = new Optimizer(config);
        const baseline = tf.memory().numTensors;
        for (let step = 1; step <= 4; step++) {
          const grad = tf.tensor2d(
            Float32Array.from({ length: 12 }, (_, k) => Math.cos(k * step) - 0.2),
            [3, 4],
          );
          optimizer.apply(vars, new Map([['w', grad]]), 0.01);
          grad.dispose();
          // The slots appear on the first step; nothing else may stay behind.
          if (step === 1) expect(tf.memory().numTensors - baseline).toBe(optimizer.slots.size);
        }
        expect(tf.memory().numTensors - baseline).toBe(optimizer.slots.size);
        const weights = Array.from((vars.get('w') as tf.Variable).dataSync());
        const slots = [...optimizer.slots.values()].map((v) => Array.from(v.dataSync()));
        optimizer.dispose();
        tf.dispose([...vars.values()]);
        return { weights, slots };
      };
      const ops = run(false);
      const inPlace = run(true);
      expect(inPlace.weights).not.toEqual(Array.from({ length: 12 }, (_, k) => Math.sin(k + 1)));
      inPlace.weights.forEach((w, k) => expect(w).toBeCloseTo(ops.weights[k] as number, 5));
      expect(inPlace.slots.length).toBe(ops.slots.length);
      inPlace.slots.forEach((slot, n) =>
        slot.forEach((v, k) => expect(v).toBeCloseTo(ops.slots[n]?.[k] as number, 5)),
      );
    });
  }
});

describe('gradient clipping', () => {
  it('by global norm keeps the direction and caps the norm', () => {
    const grads = new Map([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor1d([0, 4])],
    ]);
    expect(clipByGlobalNorm(grads, 1)).toBeCloseTo(5, 5);
    expect(Array.from((grads.get('a') as tf.Tensor).dataSync())).toEqual([
      expect.closeTo(0.6, 5),
      0,
    ]);
    expect(Array.from((grads.get('b') as tf.Tensor).dataSync())).toEqual([
      0,
      expect.closeTo(0.8, 5),
    ]);
    tf.dispose([...grads.values()]);
  });
  it('by value', () => {
    const grads = new Map([['a', tf.tensor1d([-3, 0.5, 9])]]);
    clipByValue(grads, 1);
    expect(Array.from((grads.get('a') as tf.Tensor).dataSync())).toEqual([-1, 0.5, 1]);
    tf.dispose([...grads.values()]);
  });
  it('weight decay pulls weights towards zero', () => {
    const vars = new Map([['w', tf.variable(tf.tensor1d([2, -2]))]]);
    const optimizer = new Optimizer({ kind: 'sgd', learningRate: 0.1 });
    const zero = new Map([['w', tf.zeros([2])]]);
    optimizer.apply(vars, zero, 0.5);
    expect(Array.from((vars.get('w') as tf.Variable).dataSync())).toEqual([
      expect.closeTo(1.9, 5),
      expect.closeTo(-1.9, 5),
    ]);
    tf.dispose([...vars.values(), ...zero.values()]);
  });
});
