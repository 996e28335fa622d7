import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { createKernel, weightSpecs } from '../cell-spec';
import type { CellSpec } from '../cell-spec';
import { createRng } from '../random';
import { runSequence } from './sequence-op';

/**
 * Finite-difference check of the native kernel's hand-written BPTT, per cell, with padding (a
 * mask that freezes the state mid-sequence and at the end) and non-zero initial states, for
 * every entry of every differentiable argument: x, each weight, h0 and c0.
 *
 * The kernel computes in float32 only, so the step and tolerance are chosen for it:
 * - The functional L = sum(outputs * R) + sum(finalCell * Rc) is summed in float64 from the
 *   kernel's float32 values, so its own rounding is only that of the outputs (~1e-7 relative
 *   each).
 * - Step h = 1/8 with Richardson extrapolation of the central differences at h and h/2:
 *   (4 D(h/2) - D(h)) / 3 has a truncation error of O(h^4), so a large step can be used, and a
 *   large step divides the float32 noise of L by a large 2h. Measured here, the worst error is
 *   set by that noise, not by truncation: it doubles each time h halves (h = 1/64, 1/32, 1/16,
 *   1/8: worst 9.9e-4, 4.8e-4, 2.8e-4, 1.8e-4 of the scale, LSTMP). The step is the one actually
 *   represented in float32 (x + h rounded), not the nominal one.
 * - The tolerance, 2e-3 of max(|numeric|, RMS of that argument's gradient), leaves a 10x margin
 *   over the worst measured error and is still far below what a wrong term in the BPTT gives (an
 *   error of the order of the gradient itself).
 */

const load = loadRnnNative();
if (!load.addon) console.warn(`native gradient check skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

const [TIME, BATCH, INPUT] = [7, 3, 4];
const STEP = 1 / 8;
const TOLERANCE = 2e-3;

/** Sequence 1 is padded from step 4 on, sequence 2 at steps 2 and 5. */
const MASK = [
  [1, 1, 1],
  [1, 1, 1],
  [1, 1, 0],
  [1, 1, 1],
  [1, 0, 1],
  [1, 0, 0],
  [1, 0, 1],
].flat();

const SPECS: CellSpec[] = [
  { cell: 'rnn', units: 5, activation: 'tanh' },
  { cell: 'rnn', units: 5, activation: 'sigmoid' },
  { cell: 'lstm', units: 5 },
  { cell: 'peephole', units: 5 },
  { cell: 'lstmp', units: 5, projection: 3 },
  { cell: 'gru', units: 5 },
];

function randomValues(count: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => (2 * rng.next() - 1) * scale);
}

interface Argument {
  name: string;
  shape: number[];
  values: Float32Array;
}

function withNativeKernel<T>(body: () => T): T {
  const before = process.env.UNFOLD_RNN_KERNEL;
  process.env.UNFOLD_RNN_KERNEL = 'native';
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.UNFOLD_RNN_KERNEL;
    else process.env.UNFOLD_RNN_KERNEL = before;
  }
}

describe.skipIf(!load.addon)('native kernel gradients agree with finite differences', () => {
  SPECS.forEach((spec, index) => {
    const name = `${spec.cell}${spec.activation ? `/${spec.activation}` : ''}`;
    it(`${name}, padded: every entry of x, the weights, h0 and c0`, () => {
      const kernel = createKernel(spec);
      const seed = 500 + 10 * index;
      const weights = weightSpecs(spec, INPUT);
      const args: Argument[] = [
        {
          name: 'x',
          shape: [TIME, BATCH, INPUT],
          values: randomValues(TIME * BATCH * INPUT, seed, 1),
        },
        ...weights.map((w, k) => ({
          name: w.name,
          shape: w.shape,
          values: randomValues(
            w.shape.reduce((a, b) => a * b, 1),
            seed + 1 + k,
            0.5,
          ),
        })),
        {
          name: 'h0',
          shape: [BATCH, kernel.outputSize],
          values: randomValues(BATCH * kernel.outputSize, seed + 7, 0.5),
        },
      ];
      if (kernel.cellSize > 0)
        args.push({
          name: 'c0',
          shape: [BATCH, kernel.cellSize],
          values: randomValues(BATCH * kernel.cellSize, seed + 8, 0.5),
        });
      const r = randomValues(TIME * BATCH * kernel.outputSize, seed + 9, 1);
      const rc = randomValues(BATCH * kernel.cellSize, seed + 10, 1);
      const mask = tf.tensor3d(MASK, [TIME, BATCH, 1]);
      const inputsOf = (tensors: tf.Tensor[]): Parameters<typeof runSequence>[1] => ({
        x: tensors[0] as tf.Tensor3D,
        weights: tensors.slice(1, 1 + weights.length),
        h0: tensors[1 + weights.length] as tf.Tensor,
        c0: kernel.cellSize > 0 ? (tensors[2 + weights.length] as tf.Tensor) : null,
        mask,
      });

      /** The functional in float64 from the kernel's float32 outputs. */
      const functional = (values: Float32Array[]): number =>
        tf.tidy(() => {
          const result = runSequence(
            kernel,
            inputsOf(values.map((v, k) => tf.tensor(v, (args[k] as Argument).shape))),
          );
          const outputs = result.outputs.dataSync();
          let sum = 0;
          for (let i = 0; i < outputs.length; i++) sum += (outputs[i] as number) * (r[i] as number);
          if (result.finalCell) {
            const cells = result.finalCell.dataSync();
            for (let i = 0; i < cells.length; i++) sum += (cells[i] as number) * (rc[i] as number);
          }
          return sum;
        });

      withNativeKernel(() => {
        const analytic = tf.tidy(() => {
          const tensors = args.map((a) => tf.tensor(a.values, a.shape));
          return tf
            .grads((...t: tf.Tensor[]) => {
              const result = runSequence(kernel, inputsOf(t));
              let value = tf.sum(tf.mul(result.outputs, tf.tensor(r, result.outputs.shape)));
              if (result.finalCell)
                value = tf.add(
                  value,
                  tf.sum(tf.mul(result.finalCell, tf.tensor(rc, result.finalCell.shape))),
                );
              return value as tf.Scalar;
            })(tensors)
            .map((g) => g.dataSync() as Float32Array);
        });

        const failures: string[] = [];
        let worstRatio = 0;
        args.forEach((arg, k) => {
          const gradient = analytic[k] as Float32Array;
          const rms = Math.sqrt(gradient.reduce((s, v) => s + v * v, 0) / gradient.length);
          const centralDifference = (e: number, h: number): number => {
            const plus = arg.values.slice();
            const minus = arg.values.slice();
            plus[e] = (arg.values[e] as number) + h;
            minus[e] = (arg.values[e] as number) - h;
            const moved = (v: Float32Array): Float32Array[] =>
              args.map((a, j) => (j === k ? v : a.values));
            return (
              (functional(moved(plus)) - functional(moved(minus))) /
              ((plus[e] as number) - (minus[e] as number))
            );
          };
          for (let e = 0; e < arg.values.length; e++) {
            const numeric = (4 * centralDifference(e, STEP / 2) - centralDifference(e, STEP)) / 3;
            const value = gradient[e] as number;
            const allowed = TOLERANCE * Math.max(Math.abs(numeric), rms);
            worstRatio = Math.max(worstRatio, Math.abs(value - numeric) / allowed);
            if (!(Math.abs(value - numeric) <= allowed) && failures.length < 8)
              failures.push(`${arg.name}[${e}]: BPTT ${value}, finite difference ${numeric}`);
          }
        });
        expect(failures).toEqual([]);
        // The check is not vacuous: every argument has a non-zero gradient somewhere.
        analytic.forEach((g, k) =>
          expect(Math.max(...Array.from(g, Math.abs)), (args[k] as Argument).name).toBeGreaterThan(
            0,
          ),
        );
        console.log(
          `${name}: worst error ${(worstRatio * TOLERANCE).toExponential(2)} of the scale`,
        );
      });
      mask.dispose();
    });
  });
});
