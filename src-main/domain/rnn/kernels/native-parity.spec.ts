import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../../native/rnn-native';
import type { RnnNativeAddon } from '../../../native/rnn-native';
import { initTfBackend } from '../../backend/tf-backend';
import type { CellKind } from '../cell-spec';
import { parseModelConfig } from '../model-config';
import { createRng } from '../random';
import { RnnModel } from '../rnn-model';
import type { LayerState } from '../rnn-model';
import { withKernel } from '../testing/with-kernel';

/**
 * Native (C++ over OpenBLAS) and TF.js kernels give the same model, end to end: every cell x
 * one or two directions x padded or not x one or two stacked layers, forward values (per-frame
 * logits, final states) and the gradient of a random linear functional of them with respect to
 * everything differentiable (input features, every weight, the initial states), with 1 and 2
 * kernel threads (and 2 OpenBLAS threads).
 *
 * How the kernel splits its work (src-main/native/src/rnn_kernels.cc, chunk_steps): chunks of
 * 512 / batch steps; with 2 threads the input projection of chunk k+1 (forward) and the weight
 * and input gradients of a finished chunk (backward) run on a second thread while the calling
 * thread runs the recurrence. The sizes below give 3 chunks or more, with padding that crosses
 * chunk boundaries, so both threads work in every call.
 */

const load = loadRnnNative();
const addon = load.addon;
if (!addon) console.warn(`native parity tests skipped: ${load.reason}`);

beforeAll(async () => {
  await initTfBackend();
});

/** Steps per chunk of the native kernel for a batch (rnn_kernels.cc, chunk_steps). */
const chunkSteps = (batch: number): number => Math.max(1, Math.floor(512 / Math.max(1, batch)));

/** Thread settings under test: the addon's own worker thread, and OpenBLAS threads. */
interface ThreadSetting {
  parallel: number;
  blas: number;
}
const THREAD_SETTINGS: ThreadSetting[] = [
  { parallel: 1, blas: 1 },
  { parallel: 2, blas: 1 },
  { parallel: 2, blas: 2 },
];

function withThreads<T>(native: RnnNativeAddon, setting: ThreadSetting, body: () => T): T {
  const before = native.info();
  native.setParallel(setting.parallel);
  native.setThreads(setting.blas);
  try {
    expect(native.info()).toMatchObject({ parallel: setting.parallel, threads: setting.blas });
    return body();
  } finally {
    native.setParallel(before.parallel);
    native.setThreads(before.threads);
  }
}

interface Case {
  cell: CellKind;
  bidirectional: boolean;
  masked: boolean;
  layers: number;
}

interface Sizes {
  time: number;
  batch: number;
  input: number;
  units: number;
}

interface Problem {
  model: RnnModel;
  /** Input features [batch, time, input] as a variable, so its gradient is taken too. */
  inputs: tf.Variable;
  mask: tf.Tensor2D | null;
  /** Initial states of every layer (forward direction), variables as well. */
  initial: LayerState[];
  /** Everything the gradient is taken with respect to, in a fixed order, with names. */
  variables: Array<{ name: string; variable: tf.Variable }>;
  /** Random weights of the linear functional: logits, then h (and c) of each final state. */
  probes: tf.Tensor[];
  dispose(): void;
}

function randomValues(count: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => (2 * rng.next() - 1) * scale);
}

function makeProblem(c: Case, sizes: Sizes, seed: number): Problem {
  const { time, batch, input, units } = sizes;
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: input },
      layers: Array.from({ length: c.layers }, () => ({
        cell: c.cell,
        units,
        ...(c.cell === 'lstmp' ? { projection: Math.max(2, units - 2) } : {}),
        ...(c.bidirectional ? { bidirectional: 'concat' as const } : {}),
      })),
      output: { size: 3, activation: 'linear' },
      seed,
    }),
  );
  // Random values everywhere (peepholes and biases start at zero in a fresh model).
  let k = 0;
  for (const variable of model.trainableVariables) {
    variable.assign(tf.tensor(randomValues(variable.size, seed * 100 + k++, 0.5), variable.shape));
  }
  const inputs = tf.variable(
    tf.tensor3d(randomValues(batch * time * input, seed + 1, 1), [batch, time, input]),
  );
  // Lengths from `time` down to time - 14: padding ends in every chunk of steps.
  const lengths = Array.from({ length: batch }, (_, b) => time - ((b * 7) % 15));
  const mask = c.masked
    ? tf.tensor2d(
        Array.from({ length: batch * time }, (_, i) =>
          i % time < (lengths[Math.floor(i / time)] as number) ? 1 : 0,
        ),
        [batch, time],
      )
    : null;
  const zero = model.zeroStates(batch);
  const initial = zero.map((state, l) => ({
    h: tf.variable(tf.tensor2d(randomValues(state.h.size, seed + 10 + l, 0.5), state.h.shape)),
    c: state.c
      ? tf.variable(tf.tensor2d(randomValues(state.c.size, seed + 20 + l, 0.5), state.c.shape))
      : null,
  }));
  tf.dispose(zero.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
  const variables = [
    { name: 'inputs', variable: inputs },
    ...[...model.params].map(([name, variable]) => ({ name, variable })),
    ...initial.flatMap((s, l) => [
      { name: `initial/layer${l}/h`, variable: s.h as tf.Variable },
      ...(s.c ? [{ name: `initial/layer${l}/c`, variable: s.c as tf.Variable }] : []),
    ]),
  ];
  const probes = [
    tf.tensor3d(randomValues(time * batch * 3, seed + 30, 1), [batch, time, 3]),
    ...initial.flatMap((s, l) => [
      tf.tensor(randomValues(s.h.size, seed + 40 + l, 1), s.h.shape),
      ...(s.c ? [tf.tensor(randomValues(s.c.size, seed + 50 + l, 1), s.c.shape)] : []),
    ]),
  ];
  return {
    model,
    inputs,
    mask,
    initial,
    variables,
    probes,
    dispose: () => {
      model.dispose();
      tf.dispose([
        inputs,
        ...probes,
        ...variables.slice(1 + model.params.size).map((v) => v.variable),
      ]);
      if (mask) mask.dispose();
    },
  };
}

/** Named arrays: the forward values, then d(functional)/d(every variable). */
function evaluate(problem: Problem): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  const forward = (): tf.Scalar => {
    const result = problem.model.forward(
      { inputs: problem.inputs, mask: problem.mask },
      { training: false, initialStates: problem.initial },
    );
    // Transducer logits are time-major [time, batch, out].
    const logits = tf.transpose(result.logits, [1, 0, 2]);
    const states = result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]));
    values.set('forward/logits', logits.dataSync() as Float32Array);
    states.forEach((s, k) => values.set(`forward/state${k}`, s.dataSync() as Float32Array));
    const parts = [logits, ...states].map((t, k) =>
      tf.sum(tf.mul(t, problem.probes[k] as tf.Tensor)),
    );
    return tf.addN(parts) as tf.Scalar;
  };
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      forward,
      problem.variables.map((v) => v.variable),
    );
    values.set('functional', value.dataSync() as Float32Array);
    for (const { name, variable } of problem.variables) {
      const grad = grads[variable.name];
      if (!grad) throw new Error(`no gradient for ${name}`);
      values.set(`grad/${name}`, grad.dataSync() as Float32Array);
    }
  });
  return values;
}

/** Relative tolerance of the comparison with the TF.js kernels. */
const RELATIVE = 1e-4;
/** Absolute floor (float32 rounding of values near zero; only matters for all-zero arrays). */
const ABSOLUTE_FLOOR = 1e-7;

/**
 * Elements of `actual` that differ from `reference` by more than
 * RELATIVE * max(|a|, |b|, scale) + ABSOLUTE_FLOOR, where scale is the RMS of the reference array:
 * an element that is small because its terms cancel carries the rounding of those terms, whose
 * size is that of the array, not its own.
 */
function mismatches(name: string, actual: Float32Array, reference: Float32Array): string[] {
  if (actual.length !== reference.length)
    return [`${name}: length ${actual.length} vs ${reference.length}`];
  let sumSquares = 0;
  for (const v of reference) sumSquares += v * v;
  const scale = Math.sqrt(sumSquares / Math.max(1, reference.length));
  const found: string[] = [];
  for (let i = 0; i < reference.length; i++) {
    const a = actual[i] as number;
    const b = reference[i] as number;
    const allowed = RELATIVE * Math.max(Math.abs(a), Math.abs(b), scale) + ABSOLUTE_FLOOR;
    if (!(Math.abs(a - b) <= allowed) && found.length < 5)
      found.push(`${name}[${i}]: ${a} vs ${b} (allowed ${allowed.toExponential(2)})`);
  }
  return found;
}

function compareAll(
  actual: Map<string, Float32Array>,
  reference: Map<string, Float32Array>,
): string[] {
  expect([...actual.keys()]).toEqual([...reference.keys()]);
  return [...reference].flatMap(([name, values]) =>
    mismatches(name, actual.get(name) as Float32Array, values),
  );
}

function exactlyEqual(a: Map<string, Float32Array>, b: Map<string, Float32Array>): string[] {
  return [...b].flatMap(([name, values]) => {
    const other = a.get(name) as Float32Array;
    const i = values.findIndex((v, k) => !Object.is(v, other[k]));
    return i < 0 ? [] : [`${name}[${i}]: ${other[i]} vs ${values[i]}`];
  });
}

const CELLS: CellKind[] = ['rnn', 'lstm', 'peephole', 'lstmp', 'gru'];

const label = (c: Case): string =>
  `${c.cell}, ${c.bidirectional ? 'bidirectional' : 'one direction'}, ${c.masked ? 'padded' : 'not padded'}, ${c.layers} layer${c.layers > 1 ? 's' : ''}`;

describe.skipIf(!addon)('native and TF.js kernels give the same model', () => {
  // Batch 64: chunks of 8 steps, so 20 steps are 3 chunks in both passes.
  const sizes: Sizes = { time: 20, batch: 64, input: 5, units: 6 };
  expect(Math.ceil(sizes.time / chunkSteps(sizes.batch))).toBeGreaterThanOrEqual(3);

  const cases: Case[] = CELLS.flatMap((cell) =>
    [false, true].flatMap((bidirectional) =>
      [false, true].flatMap((masked) =>
        [1, 2].map((layers) => ({ cell, bidirectional, masked, layers })),
      ),
    ),
  );

  cases.forEach((c, index) => {
    it(`${label(c)}: outputs and all gradients within 1e-4 with 1 and 2 threads`, () => {
      const problem = makeProblem(c, sizes, 1000 + index);
      try {
        const reference = withKernel('tfjs', () => evaluate(problem));
        for (const setting of THREAD_SETTINGS) {
          const native = withThreads(addon as RnnNativeAddon, setting, () =>
            withKernel('native', () => evaluate(problem)),
          );
          expect(compareAll(native, reference), JSON.stringify(setting)).toEqual([]);
        }
      } finally {
        problem.dispose();
      }
    });
  });
});

describe.skipIf(!addon)('the native kernel with two threads (race check)', () => {
  // Heavy input projections (256 inputs) against a light recurrence (16 units): the second
  // thread's job (projection of the next chunk; weight and input gradients of a finished one)
  // takes longer than the calling thread's chunk of steps, so the two always overlap and the
  // calling thread waits on the worker at each chunk boundary. Batch 32: chunks of 16 steps,
  // 48 steps = 3 chunks.
  const sizes: Sizes = { time: 48, batch: 32, input: 256, units: 16 };
  expect(Math.ceil(sizes.time / chunkSteps(sizes.batch))).toBeGreaterThanOrEqual(3);

  CELLS.forEach((cell, index) => {
    it(`${cell}, bidirectional, padded, 2 layers: 2 threads give bit for bit the 1-thread result, and TF.js's`, () => {
      const problem = makeProblem(
        { cell, bidirectional: true, masked: true, layers: 2 },
        sizes,
        2000 + index,
      );
      const native = addon as RnnNativeAddon;
      try {
        // The same products in the same order on either thread: any difference is a race.
        const single = withThreads(native, { parallel: 1, blas: 1 }, () =>
          withKernel('native', () => evaluate(problem)),
        );
        for (let repeat = 0; repeat < 3; repeat++) {
          const parallel = withThreads(native, { parallel: 2, blas: 1 }, () =>
            withKernel('native', () => evaluate(problem)),
          );
          expect(exactlyEqual(parallel, single), `repeat ${repeat}`).toEqual([]);
        }
        const reference = withKernel('tfjs', () => evaluate(problem));
        expect(compareAll(single, reference)).toEqual([]);
      } finally {
        problem.dispose();
      }
    });
  });
});

afterAll(() => {
  // The suite changes thread counts only inside withThreads; nothing is left to restore.
  if (addon) expect(addon.info().parallel).toBe(load.threads);
});
