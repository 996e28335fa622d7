/**
 * The native RNN kernel at 1 and 2 threads, interleaved (1 2 1 2 ...), optionally with the other
 * core taken by a busy loop: the check of issue 17 that two threads are never slower than one
 * when a core is busy (a waiting thread sleeps, and the calling thread does the work a helper
 * without CPU has not started). Prints one JSON report.
 *
 *   npm run bench:rnn-threads -- [--busy] [--reps 5] [--cells lstm,gru,elman] [--workloads kernel,model]
 *
 * Workloads (B32 x T200, 2 layers of 256 units, 39 inputs):
 *   kernel  the addon's forward + BPTT of both layers, typed arrays only (the kernel alone);
 *   model   a full training step of the model (RnnModel, loss, gradients, Adam) as training runs.
 * --busy  starts `yes > /dev/null` for the measurement (stopped at the end), as `yes > /dev/null &`
 *         before the run would.
 * The choice Unfold made for this machine (thread-calibration.ts) is in the report.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { parseModelConfig } from '../../src-main/domain/rnn/model-config';
import { Optimizer } from '../../src-main/domain/rnn/optimizers';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import type { NativeDims, RnnNativeAddon } from '../../src-main/native/rnn-native';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { machineLoad, median, round } from '../../src-main/domain/bench/side-by-side';
import { trainingStep } from './support/training-step';

const { values } = parseArgs({
  options: {
    busy: { type: 'boolean', default: false },
    reps: { type: 'string', default: '5' },
    cells: { type: 'string', default: 'lstm,gru,elman' },
    workloads: { type: 'string', default: 'kernel,model' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm run bench:rnn-threads -- [--busy] [--reps 5] [--cells lstm,gru,elman] [--workloads kernel,model]',
  );
  process.exit(0);
}

const [T, B, I, N, CLASSES] = [200, 32, 39, 256, 40];
const reps = Number(values.reps);
type Cell = 'lstm' | 'gru' | 'elman';
const cells = (values.cells ?? '').split(',') as Cell[];
const workloads = (values.workloads ?? '').split(',');

const backend = await initTfBackend();
const native = loadRnnNative();
if (!native.addon) throw new Error(`native kernel not loaded: ${native.reason}`);
const addon = native.addon;

const filled = (count: number, seed: number): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => 0.2 * (rng.next() - 0.5));
};

/** Forward + BPTT of a 2-layer stack on the addon alone. */
function kernelStep(cell: Cell): () => void {
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const layers = [I, N].map((input, l) => ({
    dims: [T, B, input, N, N, 0] as NativeDims,
    w: filled(input * G * N, 10 * l + 1),
    u: filled(N * G * N, 10 * l + 2),
    b: filled(G * N, 10 * l + 3),
  }));
  const x = filled(T * B * I, 7);
  const h0 = new Float32Array(B * N);
  const dOut = filled(T * B * N, 8);
  const forward = (a: RnnNativeAddon, l: (typeof layers)[number], input: Float32Array) =>
    cell === 'lstm'
      ? a.lstmForward(l.dims, [input, l.w, l.u, l.b, null, null, h0, h0, null])
      : (cell === 'gru' ? a.gruForward : a.elmanForward).call(a, l.dims, [
          input,
          l.w,
          l.u,
          l.b,
          h0,
          null,
        ]);
  const backward = (
    a: RnnNativeAddon,
    l: (typeof layers)[number],
    input: Float32Array,
    cache: Float32Array[],
  ) =>
    cell === 'lstm'
      ? a.lstmBackward(l.dims, [input, l.w, l.u, l.b, null, null, null, dOut, null, ...cache])
      : (cell === 'gru' ? a.gruBackward : a.elmanBackward).call(a, l.dims, [
          input,
          l.w,
          l.u,
          null,
          dOut,
          ...cache,
        ]);
  return () => {
    const [l0, l1] = layers as [(typeof layers)[number], (typeof layers)[number]];
    const c0 = forward(addon, l0, x);
    const h = c0[c0.length - 1] as Float32Array;
    const y0 = h.subarray(B * N);
    const c1 = forward(addon, l1, y0);
    backward(addon, l1, y0, c1);
    backward(addon, l0, x, c0);
  };
}

/** A full training step of a 2 x 256 transducer as trainModel runs it. */
function modelStep(cell: Cell): { step: () => void; dispose: () => void } {
  const kind = cell === 'elman' ? 'rnn' : cell;
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: I },
      layers: [
        { cell: kind, units: N },
        { cell: kind, units: N },
      ],
      output: { size: CLASSES },
    }),
  );
  const optimizer = new Optimizer({ kind: 'adam', learningRate: 1e-3 });
  const rng = createRng(3);
  const train = trainingStep(
    model,
    optimizer,
    { optimizer: { kind: 'adam', learningRate: 1e-3 } },
    rng,
  );
  const examples: SequenceExample[] = Array.from({ length: B }, (_, b) => ({
    inputs: filled(T * I, 100 + b),
    length: T,
    target: Int32Array.from({ length: T }, (_, t) => (t + b) % CLASSES),
  }));
  return {
    step: () => train(examples),
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}

function timeIt(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

let busy: ReturnType<typeof spawn> | null = null;
if (values.busy) {
  busy = spawn('yes', [], { stdio: ['ignore', 'ignore', 'ignore'] });
  busy.on('error', (error) => process.stderr.write(`busy loop failed: ${error.message}\n`));
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const results: Array<Record<string, unknown>> = [];
try {
  for (const workload of workloads)
    for (const cell of cells) {
      const made =
        workload === 'kernel' ? { step: kernelStep(cell), dispose: () => {} } : modelStep(cell);
      try {
        const perThreads: Record<number, number[]> = { 1: [], 2: [] };
        const ratios: number[] = [];
        const loads: number[] = [];
        for (const threads of [1, 2]) {
          addon.setParallel(threads);
          made.step(); // warm-up at each count
        }
        for (let rep = 0; rep < reps; rep++) {
          const ms: Record<number, number> = {};
          for (const threads of [1, 2]) {
            addon.setParallel(threads);
            ms[threads] = timeIt(made.step);
            perThreads[threads]?.push(ms[threads]);
          }
          ratios.push((ms[1] as number) / (ms[2] as number));
          loads.push(machineLoad()[0] as number);
          process.stderr.write(`${workload} ${cell} rep ${rep + 1}: ${JSON.stringify(ms)}\n`);
        }
        const framesPerSecond = (list: number[]): number | null => {
          const m = median(list);
          return m === null ? null : round((T * B * 1000) / m);
        };
        results.push({
          workload,
          cell,
          trainFramesPerSecond: {
            x1: framesPerSecond(perThreads[1] ?? []),
            x2: framesPerSecond(perThreads[2] ?? []),
          },
          /** Median over repetitions of (1-thread time / 2-thread time): above 1 = 2 threads faster. */
          speedupX2overX1: round(median(ratios), 3),
          msPerStep: {
            x1: (perThreads[1] ?? []).map((v) => round(v, 1)),
            x2: (perThreads[2] ?? []).map((v) => round(v, 1)),
          },
          load1: loads,
        });
      } finally {
        made.dispose();
      }
    }
} finally {
  addon.setParallel(native.threads);
  if (busy?.pid) process.kill(busy.pid);
}

console.log(
  JSON.stringify(
    {
      bench: 'rnn-threads',
      shape: { batch: B, time: T, input: I, units: N, layers: 2 },
      busyLoop: values.busy,
      reps,
      load: machineLoad(),
      backend: backend.name,
      native: { ...addon.info(), chosenThreads: native.threads, chosenBy: native.threadsChosenBy },
      tensors: tf.memory().numTensors,
      results,
    },
    null,
    2,
  ),
);
