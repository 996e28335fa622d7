import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative, NATIVE_FLAGS } from '../../../native/rnn-native';
import type { NativeArrays, NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import { UnfoldError } from '../../errors';
import { createKernel, weightSpecs } from '../cell-spec';
import type { CellSpec } from '../cell-spec';
import { createRng } from '../random';
import {
  chooseRnnKernel,
  nativeCellOf,
  nativeForward,
  nativeInfer,
  reverseBlocks,
} from './native-sequence';
import { runSequence } from './sequence-op';
import { withKernel } from '../testing/with-kernel';

const load = loadRnnNative();
if (!load.addon) {
  // Said once per run so a skipped native suite is visible; CI installs libopenblas-dev.
  console.warn(`native RNN kernel tests skipped: ${load.reason}`);
}
const nativeBuilt = load.addon !== null;

beforeAll(async () => {
  await initTfBackend();
});

const savedKernelEnv = process.env.UNFOLD_RNN_KERNEL;
afterEach(() => {
  if (savedKernelEnv === undefined) delete process.env.UNFOLD_RNN_KERNEL;
  else process.env.UNFOLD_RNN_KERNEL = savedKernelEnv;
});

function random(shape: number[], seed: number, scale = 0.6): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (2 * rng.next() - 1) * scale),
    shape,
  );
}

const [TIME, BATCH, INPUT] = [7, 3, 5];

const SPECS: CellSpec[] = [
  { cell: 'rnn', units: 6, activation: 'tanh' },
  { cell: 'rnn', units: 6, activation: 'sigmoid' },
  { cell: 'lstm', units: 6 },
  { cell: 'peephole', units: 6 },
  { cell: 'lstmp', units: 6, projection: 4 },
  { cell: 'gru', units: 6 },
];

const label = (spec: CellSpec): string =>
  `${spec.cell}${spec.activation ? `/${spec.activation}` : ''}`;

interface Problem {
  spec: CellSpec;
  /** x, weights..., h0, c0? */
  args: tf.Tensor[];
  weightCount: number;
  mask: tf.Tensor3D | null;
  /** Upstream gradients for the outputs and the final cell state. */
  r: tf.Tensor;
  rc: tf.Tensor | null;
}

/** Padding at the end of sequence 1 and a padded step in the middle of sequence 2. */
const MASK = [
  [1, 1, 1],
  [1, 1, 1],
  [1, 1, 0],
  [1, 1, 1],
  [1, 0, 1],
  [1, 0, 1],
  [1, 0, 1],
].flat();

function makeProblem(spec: CellSpec, masked: boolean, seed = 0): Problem {
  const kernel = createKernel(spec);
  const weights = weightSpecs(spec, INPUT).map((w, k) => random(w.shape, seed + 10 + k));
  // Peepholes start at zero in real models; non-zero ones here so their gradients are tested.
  const args = [
    random([TIME, BATCH, INPUT], seed + 1, 1),
    ...weights,
    random([BATCH, kernel.outputSize], seed + 2, 0.5),
  ];
  if (kernel.cellSize > 0) args.push(random([BATCH, kernel.cellSize], seed + 3, 0.5));
  return {
    spec,
    args,
    weightCount: weights.length,
    mask: masked ? tf.tensor3d(MASK, [TIME, BATCH, 1]) : null,
    r: random([TIME, BATCH, kernel.outputSize], seed + 4, 1),
    rc: kernel.cellSize > 0 ? random([BATCH, kernel.cellSize], seed + 5, 1) : null,
  };
}

function run(problem: Problem, a: tf.Tensor[]): ReturnType<typeof runSequence> {
  const kernel = createKernel(problem.spec);
  return runSequence(kernel, {
    x: a[0] as tf.Tensor3D,
    weights: a.slice(1, 1 + problem.weightCount),
    h0: a[1 + problem.weightCount] as tf.Tensor,
    c0: kernel.cellSize > 0 ? (a[2 + problem.weightCount] as tf.Tensor) : null,
    mask: problem.mask,
  });
}

function loss(problem: Problem, a: tf.Tensor[]): tf.Scalar {
  const result = run(problem, a);
  let value = tf.sum(tf.mul(result.outputs, problem.r));
  if (result.finalCell && problem.rc)
    value = tf.add(value, tf.sum(tf.mul(result.finalCell, problem.rc)));
  return value as tf.Scalar;
}

/** Outputs, final state and the gradient for every argument, as plain arrays. */
function evaluate(problem: Problem): Float32Array[] {
  return tf.tidy(() => {
    const result = run(problem, problem.args);
    const grads = tf.grads((...a: tf.Tensor[]) => loss(problem, a))(problem.args);
    const values = [result.outputs, result.finalOutput, ...grads];
    if (result.finalCell) values.push(result.finalCell);
    return values.map((t) => t.dataSync() as Float32Array);
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('kernel choice', () => {
  it('UNFOLD_RNN_KERNEL=tfjs forces the TF.js kernels', () => {
    expect(chooseRnnKernel({ UNFOLD_RNN_KERNEL: 'tfjs' })).toMatchObject({
      implementation: 'tfjs',
      addon: null,
    });
  });

  it('rejects an unknown UNFOLD_RNN_KERNEL value', () => {
    expect(() => chooseRnnKernel({ UNFOLD_RNN_KERNEL: 'cuda' })).toThrow(UnfoldError);
  });

  it('without a setting, uses the native kernel exactly when the addon loads', () => {
    const choice = chooseRnnKernel({});
    expect(choice.implementation).toBe(nativeBuilt ? 'native' : 'tfjs');
    if (!nativeBuilt) expect(choice.reason).toMatch(/native kernel/);
  });

  it.skipIf(nativeBuilt)('UNFOLD_RNN_KERNEL=native fails loudly when the addon is missing', () => {
    expect(() => chooseRnnKernel({ UNFOLD_RNN_KERNEL: 'native' })).toThrow(
      /native RNN kernel is not built|failed to load/,
    );
  });
});

describe.skipIf(!nativeBuilt)('native sequence kernels (C++ over OpenBLAS)', () => {
  it('runSequence calls the addon by default and never with UNFOLD_RNN_KERNEL=tfjs; with no gradient tape, its forward without a cache', () => {
    const cached = loadRnnNative() as { addon: RnnNativeAddon | null };
    const real = cached.addon as RnnNativeAddon;
    const calls = { forward: 0, infer: 0 };
    const counting: RnnNativeAddon = {
      ...bindAll(real),
      lstmForward: (dims, arrays) => {
        calls.forward++;
        return real.lstmForward(dims, arrays);
      },
      lstmInfer: (dims, arrays) => {
        calls.infer++;
        real.lstmInfer(dims, arrays);
      },
    };
    cached.addon = counting;
    try {
      const problem = makeProblem({ cell: 'lstm', units: 4 }, false);
      delete process.env.UNFOLD_RNN_KERNEL;
      tf.tidy(() => run(problem, problem.args).outputs.dataSync());
      expect(calls).toEqual({ forward: 0, infer: 1 });
      tf.tidy(() => tf.grads((...a: tf.Tensor[]) => loss(problem, a))(problem.args));
      expect(calls).toEqual({ forward: 1, infer: 1 });
      withKernel('tfjs', () => tf.tidy(() => run(problem, problem.args).outputs.dataSync()));
      expect(calls).toEqual({ forward: 1, infer: 1 });
      tf.dispose(problem.args);
    } finally {
      cached.addon = real;
    }
  });

  for (const spec of SPECS) {
    for (const masked of [false, true]) {
      it(`${label(spec)}${masked ? ' with padding' : ''}: outputs and all gradients equal the TF.js kernel`, () => {
        const problem = makeProblem(spec, masked);
        const native = withKernel('native', () => evaluate(problem));
        const reference = withKernel('tfjs', () => evaluate(problem));
        expect(native.length).toBe(reference.length);
        native.forEach((values, k) => {
          expect(maxAbsDiff(values, reference[k] as Float32Array)).toBeLessThan(2e-5);
        });
        tf.dispose([...problem.args, problem.r]);
        if (problem.mask) problem.mask.dispose();
        if (problem.rc) problem.rc.dispose();
      });
    }
  }

  for (const spec of [SPECS[0], SPECS[4], SPECS[5]] as CellSpec[]) {
    it(`${label(spec)}: several chunks of steps (second thread on and off) equal TF.js`, () => {
      // Batch 64 makes chunks of 8 steps: 20 steps = 3 chunks, with padding across a boundary.
      const [time, batch] = [20, 64];
      const kernel = createKernel(spec);
      const weights = weightSpecs(spec, INPUT).map((w, k) => random(w.shape, 90 + k));
      const lengths = Array.from({ length: batch }, (_, b) => time - ((b * 7) % 15));
      const mask = tf.tensor3d(
        Array.from({ length: time * batch }, (_, i) =>
          Math.floor(i / batch) < (lengths[i % batch] as number) ? 1 : 0,
        ),
        [time, batch, 1],
      );
      const x = random([time, batch, INPUT], 91, 1) as tf.Tensor3D;
      const h0 = random([batch, kernel.outputSize], 92, 0.5);
      const c0 = kernel.cellSize > 0 ? random([batch, kernel.cellSize], 93, 0.5) : null;
      const upstream = random([time, batch, kernel.outputSize], 94, 1);
      const args = [x, ...weights, h0, ...(c0 ? [c0] : [])];
      const evaluateLong = (): Float32Array[] =>
        tf.tidy(() =>
          tf
            .grads((...a: tf.Tensor[]) =>
              tf.sum(
                tf.mul(
                  runSequence(kernel, {
                    x: a[0] as tf.Tensor3D,
                    weights: a.slice(1, 1 + weights.length),
                    h0: a[1 + weights.length] as tf.Tensor,
                    c0: c0 ? (a[2 + weights.length] as tf.Tensor) : null,
                    mask,
                  }).outputs,
                  upstream,
                ),
              ),
            )(args)
            .map((g) => g.dataSync() as Float32Array),
        );
      // With no gradient tape the native side runs its forward without a cache, whose gates
      // live in a ring of two chunks.
      const forwardOnly = (): Float32Array[] =>
        tf.tidy(() => {
          const result = runSequence(kernel, { x, weights, h0, c0, mask });
          return [
            result.outputs,
            result.finalOutput,
            ...(result.finalCell ? [result.finalCell] : []),
          ].map((t) => t.dataSync() as Float32Array);
        });
      const addon = load.addon as RnnNativeAddon;
      const reference = withKernel('tfjs', evaluateLong);
      const referenceForward = withKernel('tfjs', forwardOnly);
      const parallelBefore = addon.info().parallel;
      try {
        for (const parallel of [1, 2]) {
          addon.setParallel(parallel);
          const native = withKernel('native', evaluateLong);
          native.forEach((values, k) => {
            expect(maxAbsDiff(values, reference[k] as Float32Array)).toBeLessThan(1e-4);
          });
          const nativeForward = withKernel('native', forwardOnly);
          expect(nativeForward).toHaveLength(referenceForward.length);
          nativeForward.forEach((values, k) => {
            expect(maxAbsDiff(values, referenceForward[k] as Float32Array)).toBeLessThan(1e-4);
          });
        }
      } finally {
        addon.setParallel(parallelBefore);
      }
      tf.dispose([...args, mask, upstream]);
    });
  }

  it('masked steps leave the state unchanged and repeat the previous output', () => {
    const problem = makeProblem({ cell: 'lstmp', units: 6, projection: 4 }, true);
    const outputs = withKernel('native', () =>
      tf.tidy(() => run(problem, problem.args).outputs.arraySync() as number[][][]),
    );
    // Sequence 1 is padded from step 4 on, sequence 2 at step 2.
    for (let t = 4; t < TIME; t++) expect(outputs[t]?.[1]).toEqual(outputs[3]?.[1]);
    expect(outputs[2]?.[2]).toEqual(outputs[1]?.[2]);
    tf.dispose(problem.args);
  });

  for (const spec of SPECS.slice(2)) {
    it(`${label(spec)}: truncated BPTT windows (state carried, gradient cut) match TF.js`, () => {
      const problem = makeProblem(spec, true, 40);
      const windowLoss = (a: tf.Tensor[]): tf.Scalar => {
        // Window 1: steps 0-3; window 2: steps 4-6 starting from window 1's final state as a
        // constant. Masks are sliced with the input.
        const kernel = createKernel(spec);
        const weights = a.slice(1, 1 + problem.weightCount);
        const x = a[0] as tf.Tensor3D;
        const mask = problem.mask as tf.Tensor3D;
        const first = runSequence(kernel, {
          x: tf.slice(x, [0, 0, 0], [4, -1, -1]),
          weights,
          h0: a[1 + problem.weightCount] as tf.Tensor,
          c0: kernel.cellSize > 0 ? (a[2 + problem.weightCount] as tf.Tensor) : null,
          mask: tf.slice(mask, [0, 0, 0], [4, -1, -1]),
        });
        const second = runSequence(kernel, {
          x: tf.slice(x, [4, 0, 0], [3, -1, -1]),
          weights,
          h0: constant(first.finalOutput),
          c0: first.finalCell ? constant(first.finalCell) : null,
          mask: tf.slice(mask, [4, 0, 0], [3, -1, -1]),
        });
        const r = problem.r;
        return tf.add(
          tf.sum(tf.mul(first.outputs, tf.slice(r, [0, 0, 0], [4, -1, -1]))),
          tf.sum(tf.mul(second.outputs, tf.slice(r, [4, 0, 0], [3, -1, -1]))),
        ) as tf.Scalar;
      };
      const grads = (): Float32Array[] =>
        tf.tidy(() =>
          tf
            .grads((...a: tf.Tensor[]) => windowLoss(a))(problem.args)
            .map((g) => g.dataSync() as Float32Array),
        );
      const native = withKernel('native', grads);
      const reference = withKernel('tfjs', grads);
      native.forEach((values, k) => {
        expect(maxAbsDiff(values, reference[k] as Float32Array)).toBeLessThan(2e-5);
      });
      // The second window's input gradient is not zero (it is its own BPTT), and the first
      // window's input gradient does not depend on the second window (the cut).
      expect(
        Math.max(...Array.from((native[0] as Float32Array).slice(4 * BATCH * INPUT)).map(Math.abs)),
      ).toBeGreaterThan(0);
      tf.dispose(problem.args);
    });
  }

  for (const spec of [SPECS[1], SPECS[4], SPECS[5]] as CellSpec[]) {
    it(`${label(spec)} with padding: native gradients agree with finite differences`, () => {
      const problem = makeProblem(spec, true, 70);
      process.env.UNFOLD_RNN_KERNEL = 'native';
      const analytic = tf
        .tidy(() => tf.grads((...a: tf.Tensor[]) => loss(problem, a))(problem.args))
        .map((g) => g.dataSync());
      const eps = 1e-2;
      let worst = 0;
      // Every weight entry, and every third entry of x, h0, c0 (keeps the test short).
      problem.args.forEach((arg, k) => {
        const base = arg.dataSync().slice();
        const stride = k >= 1 && k <= problem.weightCount ? 1 : 3;
        for (let e = 0; e < base.length; e += stride) {
          const at = (delta: number): number =>
            tf.tidy(() => {
              const values = base.slice();
              values[e] = (values[e] as number) + delta;
              const moved = problem.args.map((a, j) =>
                j === k ? tf.tensor(values, arg.shape) : a,
              );
              return loss(problem, moved).dataSync()[0] as number;
            });
          const numeric = (at(eps) - at(-eps)) / (2 * eps);
          const value = (analytic[k] as Float32Array)[e] as number;
          worst = Math.max(worst, Math.abs(value - numeric) / (1 + Math.abs(numeric)));
        }
      });
      expect(worst).toBeLessThan(3e-3);
      tf.dispose(problem.args);
    });
  }

  it('leaves no tensors behind after inference and after a gradient', () => {
    const problem = makeProblem({ cell: 'gru', units: 6 }, true);
    process.env.UNFOLD_RNN_KERNEL = 'native';
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      loss(problem, problem.args);
    });
    tf.tidy(() => {
      tf.grads((...a: tf.Tensor[]) => loss(problem, a))(problem.args);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(problem.args);
  });

  it("the addon fills the caller's output arrays, dirty ones included, as it fills its own", () => {
    const addon = load.addon as RnnNativeAddon;
    const rng = createRng(7);
    const f = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.next() - 0.5);
    const dirty = (n: number): Float32Array => new Float32Array(n).fill(Number.NaN);
    // LSTM, T 3, B 2, I 4, n 5, no peepholes or projection: caches of 3*2*20, 4*2*5, ...
    const dims: NativeDims = [3, 2, 4, 5, 5, 0];
    const [x, w, u, b] = [f(24), f(80), f(100), f(20)];
    const inputs: NativeArrays = [x, w, u, b, null, null, f(10), f(10), null];
    const own = addon.lstmForward(dims, inputs);
    const given = [dirty(120), dirty(40), dirty(30), dirty(30), null, dirty(40)];
    const filled = addon.lstmForward(dims, inputs, given);
    expect(filled[0]).toBe(given[0]);
    // The empty projection cache stays the caller's null.
    filled.forEach((values, k) => expect(values ?? new Float32Array(0)).toEqual(own[k]));
    const backwardInputs: NativeArrays = [x, w, u, b, null, null, null, f(30), null];
    const ownGrads = addon.lstmBackward(dims, [...backwardInputs, ...own]);
    const givenGrads = [
      dirty(24),
      dirty(80),
      dirty(100),
      dirty(20),
      null,
      null,
      dirty(10),
      dirty(10),
    ];
    const grads = addon.lstmBackward(dims, [...backwardInputs, ...filled], givenGrads);
    expect(grads[1]).toBe(givenGrads[1]);
    grads.forEach((values, k) => expect(values ?? new Float32Array(0)).toEqual(ownGrads[k]));
    expect(() =>
      addon.lstmForward(dims, inputs, [
        dirty(120),
        dirty(39),
        dirty(30),
        dirty(30),
        null,
        dirty(40),
      ]),
    ).toThrow(/output 1: expected 40 floats, got 39/);
  });

  it('a second training step on recycled arrays gives the gradients of the first', () => {
    const problem = makeProblem({ cell: 'lstm', units: 6 }, true);
    const other = makeProblem({ cell: 'gru', units: 6 }, false, 3);
    process.env.UNFOLD_RNN_KERNEL = 'native';
    const first = evaluate(problem);
    evaluate(other);
    const second = evaluate(problem);
    second.forEach((values, k) => expect(values).toEqual(first[k]));
    tf.dispose([...problem.args, ...other.args]);
  });

  it('the addon rejects arrays of the wrong size instead of reading past them', () => {
    const addon = load.addon as RnnNativeAddon;
    const f = (n: number): Float32Array => new Float32Array(n);
    expect(() =>
      addon.gruForward([2, 1, 3, 4, 4, 0], [f(6), f(3 * 12), f(4 * 12), f(12), f(4), null]),
    ).not.toThrow();
    expect(() =>
      addon.gruForward([2, 1, 3, 4, 4, 0], [f(6), f(3 * 12), f(4 * 11), f(12), f(4), null]),
    ).toThrow(/recurrent_kernel: expected 48 floats, got 44/);
  });
});

describe.skipIf(!nativeBuilt)('the native forward without a cache', () => {
  for (const spec of SPECS) {
    it(`${label(spec)}: equals the cached forward exactly, over several chunks, masked and reversed, in one lane and in two`, () => {
      // 21 steps make several chunks (8 steps at batch 64); at two threads (setParallel also
      // makes the next call try lanes whatever the load) batch 64 runs as
      // two lanes of 32 rows and batch 45 as lanes of 22 and 23 with chunks of different sizes.
      for (const batch of [64, 45]) checkInferEqualsForward(spec, 21, batch);
    });
  }

  function checkInferEqualsForward(spec: CellSpec, time: number, batch: number): void {
    {
      const addon = load.addon as RnnNativeAddon;
      const kernel = createKernel(spec);
      const cell = nativeCellOf(spec);
      const weights = weightSpecs(spec, INPUT).map(
        (w, k) => random(w.shape, 120 + k).dataSync() as Float32Array,
      );
      const values = (n: number, seed: number): Float32Array =>
        random([n], seed, 0.8).dataSync() as Float32Array;
      const x = values(time * batch * INPUT, 130);
      const h0 = values(batch * kernel.outputSize, 131);
      const c0 = kernel.cellSize > 0 ? values(batch * kernel.cellSize, 132) : null;
      const mask = Float32Array.from({ length: time * batch }, (_, i) =>
        Math.floor(i / batch) < time - ((i % batch) % 9) ? 1 : 0,
      );
      const flags =
        (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
        (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
        (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0);
      const parallelBefore = addon.info().parallel;
      try {
        for (const parallel of [1, 2])
          for (const masked of [false, true])
            for (const reverse of [false, true]) {
              addon.setParallel(parallel);
              const m = masked ? (reverse ? reverseBlocks(mask, time) : mask) : null;
              const xs = reverse ? reverseBlocks(x, time) : x;
              const dims: NativeDims = [
                time,
                batch,
                INPUT,
                cell.units,
                kernel.outputSize,
                flags | (m ? NATIVE_FLAGS.mask : 0),
              ];
              const cached = nativeForward(addon, cell, dims, xs, weights, h0, c0, m);
              const inferred = nativeInfer(addon, cell, dims, xs, weights, h0, c0, m);
              expect(inferred.outputs).toEqual(cached.h.subarray(batch * kernel.outputSize));
              expect(inferred.finalCell).toEqual(cached.finalCell);
            }
      } finally {
        addon.setParallel(parallelBefore);
      }
    }
  }

  it('refuses an output array of the wrong size', () => {
    const addon = load.addon as RnnNativeAddon;
    const f = (n: number): Float32Array => new Float32Array(n);
    const arrays = (out: number) => [f(6), f(3 * 12), f(4 * 12), f(12), f(4), null, f(out)];
    expect(() => addon.gruInfer([2, 1, 3, 4, 4, 0], arrays(8))).not.toThrow();
    expect(() => addon.gruInfer([2, 1, 3, 4, 4, 0], arrays(7))).toThrow(
      /out: expected 8 floats, got 7/,
    );
  });
});

/** The same values with no gradient link (TF.js has no stopGradient op). */
function constant(t: tf.Tensor): tf.Tensor {
  return tf.tensor(t.dataSync().slice(), t.shape);
}

/** The addon's functions as plain own properties (its exports are read-only). */
function bindAll(addon: RnnNativeAddon): RnnNativeAddon {
  return {
    lstmForward: addon.lstmForward.bind(addon),
    lstmBackward: addon.lstmBackward.bind(addon),
    gruForward: addon.gruForward.bind(addon),
    gruBackward: addon.gruBackward.bind(addon),
    elmanForward: addon.elmanForward.bind(addon),
    elmanBackward: addon.elmanBackward.bind(addon),
    lstmInfer: addon.lstmInfer.bind(addon),
    gruInfer: addon.gruInfer.bind(addon),
    elmanInfer: addon.elmanInfer.bind(addon),
    matMul: addon.matMul.bind(addon),
    gatherRows: addon.gatherRows.bind(addon),
    scatterAddRows: addon.scatterAddRows.bind(addon),
    optimizerStep: addon.optimizerStep.bind(addon),
    dropoutMask: addon.dropoutMask.bind(addon),
    charCnnForward: addon.charCnnForward.bind(addon),
    charCnnBackward: addon.charCnnBackward.bind(addon),
    outputSoftmaxForward: addon.outputSoftmaxForward.bind(addon),
    outputSoftmaxBackward: addon.outputSoftmaxBackward.bind(addon),
    StreamSession: addon.StreamSession,
    setThreads: addon.setThreads.bind(addon),
    setParallel: addon.setParallel.bind(addon),
    info: addon.info.bind(addon),
  };
}
