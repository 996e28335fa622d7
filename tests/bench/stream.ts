/**
 * Streaming at batch 1 (issue 17): ms per 10 ms frame of a 2 x 256 recurrent stack (39 inputs,
 * 40 outputs, softmax), the state carried from chunk to chunk, for LSTM, GRU and Elman:
 *   unfold native session  the live path now: NativeModelStream, one addon call per chunk into
 *                          a buffer, weights and state kept natively;
 *   unfold tfjs wrapped    the live path before: transducerStep (model.forward on a [1, chunk,
 *                          39] tensor, states as tensors, softmax, dataSync), the recurrence on
 *                          the native sequence kernel when it loads;
 *   pytorch x1             PyTorch's batch-1 step (stream_torch.py, one thread, the OpenMP
 *                          OpenBLAS when installed), a persistent process so the sides alternate.
 * Sides take turns within each repetition; medians and pairwise ratios. Prints one JSON report.
 *
 *   npm run bench:stream -- [--reps 5] [--frames 400] [--chunk 1] [--cells lstm,gru,rnn]
 *                           [--skip-torch] [--skip-before]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { NativeModelStream } from '../../src-main/domain/rnn/kernels/native-stream';
import { parseModelConfig } from '../../src-main/domain/rnn/model-config';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel, disposeLayerStates } from '../../src-main/domain/rnn/rnn-model';
import type { LayerState } from '../../src-main/domain/rnn/rnn-model';
import { transducerStep } from '../../src-main/domain/speech/inference';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { machineLoad, median, round } from '../../src-main/domain/bench/side-by-side';
import { findTorchPython, torchEnv } from '../../src-main/domain/bench/torch-peer';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    frames: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '50' },
    chunk: { type: 'string', default: '1' },
    cells: { type: 'string', default: 'lstm,gru,rnn' },
    'skip-torch': { type: 'boolean', default: false },
    'skip-before': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm run bench:stream -- [--reps 5] [--frames 400] [--warmup 50] [--chunk 1] [--cells lstm,gru,rnn] [--skip-torch] [--skip-before]',
  );
  process.exit(0);
}
const reps = Number(values.reps);
const frames = Number(values.frames);
const warmup = Number(values.warmup);
const chunk = Number(values.chunk);
const cells = (values.cells ?? '').split(',') as Array<'lstm' | 'gru' | 'rnn'>;
const [INPUT, UNITS, CLASSES] = [39, 256, 40];

const backend = await initTfBackend();
const native = loadRnnNative();
if (!native.addon) throw new Error(`native kernel not loaded: ${native.reason}`);
const addon = native.addon;

/** The PyTorch peer, answering one measurement request per line. */
interface Peer {
  info: Record<string, unknown>;
  measure(cell: string): Promise<number>;
  close(): void;
}

async function startPeer(): Promise<Peer | null> {
  if (values['skip-torch']) return null;
  const torch = await findTorchPython();
  if (!torch) return null;
  const script = fileURLToPath(new URL('./stream_torch.py', import.meta.url));
  const child = spawn(torch.python, [script, '1'], {
    env: torchEnv,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.on('error', (error) => process.stderr.write(`pytorch peer: ${error.message}\n`));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error('the pytorch peer exited');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    info: {
      ...ready,
      python: torch.python,
      blasLibraries: torch.blasLibraries,
      ldLibraryPath: torchEnv.LD_LIBRARY_PATH ?? null,
    },
    async measure(cell) {
      child.stdin.write(`${JSON.stringify({ cell, frames, warmup, chunk })}\n`);
      return (await next()).msPerFrame as number;
    },
    close: () => child.stdin.end(),
  };
}

function makeModel(cell: 'lstm' | 'gru' | 'rnn'): RnnModel {
  return new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: INPUT },
      layers: [
        { cell, units: UNITS },
        { cell, units: UNITS },
      ],
      output: { size: CLASSES },
    }),
  );
}

/** ms per frame of `steps` chunks through `step` after `warmup` frames' worth of chunks. */
function msPerFrame(step: (x: Float32Array) => void, x: Float32Array): number {
  for (let k = 0; k < Math.ceil(warmup / chunk); k++) step(x);
  const steps = Math.max(1, Math.floor(frames / chunk));
  const start = performance.now();
  for (let k = 0; k < steps; k++) step(x);
  return (performance.now() - start) / (steps * chunk);
}

const rng = createRng(5);
const x = Float32Array.from({ length: chunk * INPUT }, () => 2 * rng.next() - 1);
const peer = await startPeer();
const report: Array<Record<string, unknown>> = [];
try {
  for (const cell of cells) {
    const model = makeModel(cell);
    const stream = new NativeModelStream(addon, model, 'softmax');
    const out = new Float32Array(chunk * CLASSES);
    let states: LayerState[] | null = null;
    const sides: Array<{ name: string; measure: () => Promise<number> | number }> = [
      {
        name: 'unfold native session',
        measure: () => msPerFrame((input) => stream.step(chunk, input, out), x),
      },
      ...(peer ? [{ name: 'pytorch x1', measure: () => peer.measure(cell) }] : []),
      ...(values['skip-before']
        ? []
        : [
            {
              name: 'unfold tfjs wrapped (before)',
              measure: () =>
                msPerFrame((input) => {
                  const result = transducerStep(
                    model,
                    { data: input, frames: chunk, dims: INPUT },
                    states,
                  );
                  disposeLayerStates(states);
                  states = result.states;
                }, x),
            },
          ]),
    ];
    const measured: Record<string, number[]> = Object.fromEntries(sides.map((s) => [s.name, []]));
    const loads: number[] = [];
    for (let rep = 1; rep <= reps; rep++) {
      for (const side of sides) {
        const ms = await side.measure();
        measured[side.name]?.push(ms);
        process.stderr.write(`${cell} rep ${rep}: ${side.name} ${ms.toFixed(4)} ms/frame\n`);
      }
      loads.push(machineLoad()[0] as number);
    }
    disposeLayerStates(states);
    model.dispose();
    const ours = measured['unfold native session'] ?? [];
    const theirs = measured['pytorch x1'] ?? [];
    const pairRatios = ours.map((ms, k) => (theirs[k] ?? NaN) / ms).filter(Number.isFinite);
    report.push({
      cell: cell === 'rnn' ? 'elman' : cell,
      msPerFrame: Object.fromEntries(
        Object.entries(measured).map(([name, list]) => [name, round(median(list), 4)]),
      ),
      /** PyTorch's time over the native session's, pair by pair (above 1: Unfold faster). */
      pytorchOverNativeSession: pairRatios.length > 0 ? round(median(pairRatios), 3) : null,
      runs: Object.fromEntries(
        Object.entries(measured).map(([name, list]) => [name, list.map((v) => round(v, 4))]),
      ),
      load1: loads,
    });
  }
} finally {
  peer?.close();
}

console.log(
  JSON.stringify(
    {
      bench: 'stream',
      model: `2 x ${UNITS}, ${INPUT} inputs, ${CLASSES} outputs, softmax, batch 1`,
      chunkFrames: chunk,
      framesPerMeasurement: frames,
      reps,
      load: machineLoad(),
      backend: backend.name,
      native: { ...addon.info(), threads: native.threads, chosenBy: native.threadsChosenBy },
      pytorch: peer?.info ?? { available: false },
      tensors: tf.memory().numTensors,
      results: report,
    },
    null,
    2,
  ),
);
