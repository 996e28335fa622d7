import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../backend/tf-backend';
import { createKernel, weightSpecs } from '../cell-spec';
import type { CellSpec } from '../cell-spec';
import { createRng } from '../random';
import { runSequence } from './sequence-op';

beforeAll(async () => {
  await initTfBackend();
});

const TIME = 5;
const BATCH = 2;
const INPUT = 3;

function randomArray(length: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => (2 * rng.next() - 1) * scale);
}

interface Problem {
  args: tf.Tensor[];
  loss: (args: tf.Tensor[]) => tf.Scalar;
}

/** A small problem: loss = <outputs, R> + <final cell, Rc>, weights drawn at scale 0.6. */
function makeProblem(spec: CellSpec, masked: boolean): Problem {
  const kernel = createKernel(spec);
  const shapes = weightSpecs(spec, INPUT).map((w) => w.shape);
  const weights = shapes.map((shape, k) =>
    tf.tensor(randomArray(sizeOf(shape), 10 + k, 0.6), shape),
  );
  const x = tf.tensor3d(randomArray(TIME * BATCH * INPUT, 1, 1), [TIME, BATCH, INPUT]);
  const h0 = tf.tensor2d(randomArray(BATCH * kernel.outputSize, 2, 0.5), [
    BATCH,
    kernel.outputSize,
  ]);
  const c0 =
    kernel.cellSize > 0
      ? tf.tensor2d(randomArray(BATCH * kernel.cellSize, 3, 0.5), [BATCH, kernel.cellSize])
      : null;
  // Sequence 1 is padded after step 3.
  const mask = masked ? tf.tensor3d([1, 1, 1, 1, 1, 1, 1, 0, 1, 0], [TIME, BATCH, 1]) : null;
  const r = tf.tensor3d(randomArray(TIME * BATCH * kernel.outputSize, 4, 1), [
    TIME,
    BATCH,
    kernel.outputSize,
  ]);
  const rc =
    kernel.cellSize > 0
      ? tf.tensor2d(randomArray(BATCH * kernel.cellSize, 5, 1), [BATCH, kernel.cellSize])
      : null;
  const args = [x, ...weights, h0, ...(c0 ? [c0] : [])];
  const loss = (a: tf.Tensor[]): tf.Scalar => {
    const result = runSequence(kernel, {
      x: a[0] as tf.Tensor3D,
      weights: a.slice(1, 1 + weights.length),
      h0: a[1 + weights.length] as tf.Tensor2D,
      c0: c0 ? (a[2 + weights.length] as tf.Tensor2D) : null,
      mask,
    });
    let value = tf.sum(tf.mul(result.outputs, r));
    if (result.finalCell && rc) value = tf.add(value, tf.sum(tf.mul(result.finalCell, rc)));
    return value as tf.Scalar;
  };
  return { args, loss };
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Largest |analytic - numeric| / (1 + |numeric|) over every entry of every argument. */
function worstGradientError(problem: Problem): number {
  const analytic = tf
    .tidy(() => tf.grads((...a: tf.Tensor[]) => problem.loss(a))(problem.args))
    .map((g) => g.dataSync());
  const eps = 1e-2;
  let worst = 0;
  problem.args.forEach((arg, k) => {
    const base = arg.dataSync().slice();
    for (let e = 0; e < base.length; e++) {
      const lossAt = (delta: number): number =>
        tf.tidy(() => {
          const values = base.slice();
          values[e] = (values[e] as number) + delta;
          const moved = problem.args.map((a, j) => (j === k ? tf.tensor(values, arg.shape) : a));
          return problem.loss(moved).dataSync()[0] as number;
        });
      const numeric = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
      const value = (analytic[k] as Float32Array)[e] as number;
      worst = Math.max(worst, Math.abs(value - numeric) / (1 + Math.abs(numeric)));
    }
  });
  return worst;
}

const SPECS: CellSpec[] = [
  { cell: 'rnn', units: 4, activation: 'tanh' },
  { cell: 'rnn', units: 4, activation: 'sigmoid' },
  { cell: 'lstm', units: 4 },
  { cell: 'peephole', units: 4 },
  { cell: 'lstmp', units: 4, projection: 3 },
  { cell: 'gru', units: 4 },
];

describe('sequence kernels: BPTT against finite differences', () => {
  for (const spec of SPECS) {
    for (const masked of [false, true]) {
      it(`${spec.cell}${spec.activation ? `/${spec.activation}` : ''}${masked ? ' with padding' : ''}`, () => {
        const problem = makeProblem(spec, masked);
        expect(worstGradientError(problem)).toBeLessThan(3e-3);
        tf.dispose(problem.args);
      });
    }
  }
});

describe('masking', () => {
  for (const spec of SPECS.slice(2)) {
    it(`${spec.cell}: padded steps change neither the state nor the gradients`, () => {
      const kernel = createKernel(spec);
      const shapes = weightSpecs(spec, INPUT).map((w) => w.shape);
      const weights = shapes.map((shape, k) =>
        tf.tensor(randomArray(sizeOf(shape), 20 + k, 0.6), shape),
      );
      const x = randomArray(TIME * INPUT, 7, 1);
      const h0 = tf.zeros([1, kernel.outputSize]) as tf.Tensor2D;
      // The same sequence, as 3 real steps followed by 2 padded steps of garbage, and alone.
      const padded = tf.tensor3d(x, [TIME, 1, INPUT]);
      const short = tf.tensor3d(x.slice(0, 3 * INPUT), [3, 1, INPUT]);
      const mask = tf.tensor3d([1, 1, 1, 0, 0], [TIME, 1, 1]);
      const run = (input: tf.Tensor3D, m: tf.Tensor3D | null) =>
        tf.grads((...w: tf.Tensor[]) => {
          const result = runSequence(kernel, { x: input, weights: w, h0, c0: null, mask: m });
          return tf.sum(tf.square(result.finalOutput));
        })(weights);
      const [paddedFinal, shortFinal] = [
        runSequence(kernel, { x: padded, weights, h0, c0: null, mask }).finalOutput,
        runSequence(kernel, { x: short, weights, h0, c0: null, mask: null }).finalOutput,
      ];
      expect(Array.from(paddedFinal.dataSync())).toEqual(Array.from(shortFinal.dataSync()));
      const gPadded = run(padded, mask);
      const gShort = run(short, null);
      gPadded.forEach((g, k) => {
        const a = g.dataSync();
        const b = (gShort[k] as tf.Tensor).dataSync();
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
      });
      const dx = tf.grad((input: tf.Tensor) =>
        tf.sum(
          runSequence(kernel, { x: input as tf.Tensor3D, weights, h0, c0: null, mask }).finalOutput,
        ),
      )(padded);
      expect(Array.from(dx.dataSync().slice(3 * INPUT))).toEqual(new Array(2 * INPUT).fill(0));
    });
  }
});

describe('inference leaves no tensors behind', () => {
  it('runs forward without a tape and releases every intermediate', () => {
    const spec: CellSpec = { cell: 'lstmp', units: 4, projection: 3 };
    const problem = makeProblem(spec, true);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      problem.loss(problem.args);
    });
    tf.tidy(() => {
      tf.grads((...a: tf.Tensor[]) => problem.loss(a))(problem.args);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(problem.args);
  });
});

describe('GRU streaming path', () => {
  it('one or two steps at a time (whole-U products) give the same states and gradients as a long sequence', () => {
    const spec: CellSpec = { cell: 'gru', units: 4 };
    const kernel = createKernel(spec);
    const weights = weightSpecs(spec, INPUT).map((w, k) =>
      tf.tensor(randomArray(sizeOf(w.shape), 30 + k, 0.6), w.shape),
    );
    const x = tf.tensor3d(randomArray(4 * BATCH * INPUT, 8, 1), [4, BATCH, INPUT]);
    const h0 = tf.zeros([BATCH, 4]) as tf.Tensor2D;
    const whole = runSequence(kernel, { x, weights, h0, c0: null, mask: null }).outputs;
    // Two calls of two steps each, carrying the state.
    const first = runSequence(kernel, {
      x: tf.slice(x, [0, 0, 0], [2, -1, -1]),
      weights,
      h0,
      c0: null,
      mask: null,
    });
    const second = runSequence(kernel, {
      x: tf.slice(x, [2, 0, 0], [2, -1, -1]),
      weights,
      h0: first.finalOutput,
      c0: null,
      mask: null,
    });
    const pieces = tf.concat([first.outputs, second.outputs], 0);
    expect(tf.max(tf.abs(tf.sub(whole, pieces))).dataSync()[0]).toBeLessThan(1e-6);
    const gradOf = (steps: number): Float32Array[] =>
      tf
        .grads((...w: tf.Tensor[]) =>
          tf.sum(
            runSequence(kernel, {
              x: tf.slice(x, [0, 0, 0], [steps, -1, -1]) as tf.Tensor3D,
              weights: w,
              h0,
              c0: null,
              mask: null,
            }).finalOutput,
          ),
        )(weights)
        .map((g) => g.dataSync() as Float32Array);
    // Finite differences on the two-step (whole-U) path.
    const analytic = gradOf(2);
    const u = weights[1] as tf.Tensor;
    const base = u.dataSync().slice();
    const lossAt = (e: number, delta: number): number => {
      const moved = base.slice();
      moved[e] = (moved[e] as number) + delta;
      const w = [weights[0] as tf.Tensor, tf.tensor(moved, u.shape), weights[2] as tf.Tensor];
      return tf
        .sum(
          runSequence(kernel, {
            x: tf.slice(x, [0, 0, 0], [2, -1, -1]) as tf.Tensor3D,
            weights: w,
            h0,
            c0: null,
            mask: null,
          }).finalOutput,
        )
        .dataSync()[0] as number;
    };
    for (let e = 0; e < base.length; e += 5) {
      const numeric = (lossAt(e, 1e-2) - lossAt(e, -1e-2)) / 2e-2;
      expect(Math.abs(((analytic[1] as Float32Array)[e] as number) - numeric)).toBeLessThan(
        3e-3 * (1 + Math.abs(numeric)),
      );
    }
  });
});

describe('runSequence with reverse', () => {
  const spec: CellSpec = { cell: 'lstm', units: 4 };
  for (const implementation of ['native', 'tfjs'] as const) {
    it(`${implementation}: equals reversing input and mask by hand, gradients included`, () => {
      const kernel = createKernel(spec);
      const weights = weightSpecs(spec, INPUT).map((w, k) =>
        tf.tensor(randomArray(sizeOf(w.shape), 20 + k, 0.6), w.shape),
      );
      const x = tf.tensor3d(randomArray(TIME * BATCH * INPUT, 21, 1), [TIME, BATCH, INPUT]);
      const h0 = tf.tensor2d(randomArray(BATCH * 4, 22, 0.5), [BATCH, 4]);
      const c0 = tf.tensor2d(randomArray(BATCH * 4, 23, 0.5), [BATCH, 4]);
      // Sequence 1 is padded after step 2.
      const mask = tf.tensor3d([1, 1, 1, 1, 1, 0, 1, 0, 1, 0], [TIME, BATCH, 1]);
      const r = tf.tensor3d(randomArray(TIME * BATCH * 4, 24, 1), [TIME, BATCH, 4]);
      const rf = tf.tensor2d(randomArray(BATCH * 4, 25, 1), [BATCH, 4]);
      const rc = tf.tensor2d(randomArray(BATCH * 4, 26, 1), [BATCH, 4]);
      const lossOf =
        (byHand: boolean) =>
        (...a: tf.Tensor[]) => {
          const [xa, ha, ca] = a as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
          const result = byHand
            ? runSequence(kernel, {
                x: tf.reverse(xa, 0),
                weights,
                h0: ha,
                c0: ca,
                mask: tf.reverse(mask, 0),
              })
            : runSequence(kernel, { x: xa, weights, h0: ha, c0: ca, mask, reverse: true });
          const outputs = byHand ? tf.reverse(result.outputs, 0) : result.outputs;
          return tf.addN([
            tf.sum(tf.mul(outputs, r)),
            tf.sum(tf.mul(result.finalOutput, rf)),
            tf.sum(tf.mul(result.finalCell as tf.Tensor, rc)),
          ]) as tf.Scalar;
        };
      const before = process.env.UNFOLD_RNN_KERNEL;
      process.env.UNFOLD_RNN_KERNEL = implementation;
      try {
        const reversed = tf.valueAndGrads(lossOf(false))([x, h0, c0]);
        const byHand = tf.valueAndGrads(lossOf(true))([x, h0, c0]);
        expect(reversed.value.dataSync()[0]).toBeCloseTo(byHand.value.dataSync()[0] as number, 5);
        reversed.grads.forEach((g, i) => {
          const expected = (byHand.grads[i] as tf.Tensor).dataSync();
          expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0);
          const actual = g.dataSync();
          expected.forEach((e, k) => expect(actual[k]).toBeCloseTo(e, 5));
        });
      } finally {
        if (before === undefined) delete process.env.UNFOLD_RNN_KERNEL;
        else process.env.UNFOLD_RNN_KERNEL = before;
      }
    });
  }
});
