/**
 * The RNN engine's speed workloads (issues 5 and 17): the models of BENCH_MODELS on a fixed
 * synthetic batch, as Unfold steps to time (createUnfoldWorkload, timeSteps) and as the workload
 * file of the PyTorch peer tests/bench/rnn_torch.py (torchWorkload). `npm run bench:rnn`
 * (tests/bench/rnn.ts) runs them side by side with PyTorch; runRnnBenchmark is the quick look of
 * `unfold bench rnn`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
import { loadRnnNative } from '../../native/rnn-native';
import type { LongOperationOptions } from '../jobs/progress';
import { throwIfAborted } from '../errors';
import type { SequenceExample } from './batching';
import { disposeBatch, makeBatch, modelBatchOf } from './batching';
import { openNativeModelStream } from './kernels/native-stream';
import type { LayerConfig, ModelConfigInput } from './model-config';
import { parseModelConfig } from './model-config';
import { Optimizer } from './optimizers';
import { createRng } from './random';
import type { LayerState } from './rnn-model';
import { RnnModel } from './rnn-model';
import { computeGradients } from './train';

export interface BenchModelSpec {
  id: string;
  description: string;
  kind: 'acoustic' | 'tagger';
  cell: 'lstm' | 'gru' | 'rnn';
  layers: number;
  units: number;
  bidirectional: boolean;
  batch: number;
  time: number;
}

/** The models of issue 5: (a) acoustic LSTM, (b) GRU / Elman / BiLSTM variants, (c) tagger. */
export const BENCH_MODELS: BenchModelSpec[] = [
  {
    id: 'a-lstm',
    description: '39 -> 2x LSTM 256 -> 40 softmax per frame',
    kind: 'acoustic',
    cell: 'lstm',
    layers: 2,
    units: 256,
    bidirectional: false,
    batch: 32,
    time: 200,
  },
  {
    id: 'b-gru',
    description: '39 -> 2x GRU 256 -> 40',
    kind: 'acoustic',
    cell: 'gru',
    layers: 2,
    units: 256,
    bidirectional: false,
    batch: 32,
    time: 200,
  },
  {
    id: 'b-rnn',
    description: '39 -> 2x Elman 256 -> 40',
    kind: 'acoustic',
    cell: 'rnn',
    layers: 2,
    units: 256,
    bidirectional: false,
    batch: 32,
    time: 200,
  },
  {
    id: 'b-bilstm',
    description: '39 -> 1x BiLSTM 256 -> 40',
    kind: 'acoustic',
    cell: 'lstm',
    layers: 1,
    units: 256,
    bidirectional: true,
    batch: 32,
    time: 200,
  },
  {
    id: 'c-tagger',
    description: 'vocab 20000 -> emb 100 -> BiLSTM 128 -> 17 tags',
    kind: 'tagger',
    cell: 'lstm',
    layers: 1,
    units: 128,
    bidirectional: true,
    batch: 32,
    time: 40,
  },
];

/** What a synthetic acoustic or tagger workload reads and predicts (issue 5's sizes). */
const ACOUSTIC = { inputs: 39, classes: 40 } as const;
const TAGGER = { vocab: 20000, embedding: 100, tags: 17 } as const;

/** A model of BENCH_MODELS at other sizes (the quick smoke run's tiny ones, a shorter time). */
export function resizedSpec(
  spec: BenchModelSpec,
  sizes: Partial<Pick<BenchModelSpec, 'units' | 'batch' | 'time'>>,
): BenchModelSpec {
  return { ...spec, ...sizes };
}

export interface ImplementationFigures {
  /** Training throughput: frames (acoustic) or tokens (tagger) per second, forward + backward + Adam. */
  trainPerSecond: number | null;
  inferencePerSecond: number | null;
  /** Single-stream latency per frame in ms (batch 1, state carried); acoustic models only. */
  streamingMsPerFrame: number | null;
  error?: string;
  /** PyTorch only: its thread count (Unfold's kernel thread count of the run). */
  threads?: number;
}

export interface ModelBenchResult {
  id: string;
  description: string;
  unit: 'frames' | 'tokens';
  unfold: ImplementationFigures;
  tfLayers: ImplementationFigures;
  pytorch: ImplementationFigures | null;
  /** unfold / tf.layers and unfold / PyTorch training throughput. */
  speedupVsTfLayers: number | null;
  ratioVsPytorch: number | null;
}

export interface BenchOptions {
  models?: string[];
  /** Timed training steps per model (after one warm-up step). */
  steps?: number;
  /** Shorter sequences for a quick look (figures are then not comparable with the issue's). */
  timeOverride?: number;
  skipTfLayers?: boolean;
  /** Path of tests/bench/rnn_torch.py; PyTorch is skipped when absent or torch is missing. */
  torchScript?: string | null;
  /** Profile one Unfold training step of the first model and report time per kernel. */
  profile?: boolean;
}

export interface BenchReport {
  backend: string;
  date: string;
  steps: number;
  models: ModelBenchResult[];
  profile: Array<{ kernel: string; ms: number; calls: number }> | null;
  pytorch: { available: boolean; python: string | null; threads: number | null; error?: string };
}

function unfoldConfig(spec: BenchModelSpec): ModelConfigInput {
  const layer: LayerConfig = {
    cell: spec.cell,
    units: spec.units,
    ...(spec.bidirectional ? { bidirectional: 'concat' as const } : {}),
  };
  return {
    pattern: 'transducer',
    input:
      spec.kind === 'tagger'
        ? { kind: 'tokens', vocabSize: TAGGER.vocab, embeddingSize: TAGGER.embedding }
        : { kind: 'features', size: ACOUSTIC.inputs },
    layers: Array.from({ length: spec.layers }, () => layer),
    output: { size: spec.kind === 'tagger' ? TAGGER.tags : ACOUSTIC.classes },
    seed: 1,
  };
}

function syntheticExamples(spec: BenchModelSpec, time: number): SequenceExample[] {
  const rng = createRng(7);
  const classes = spec.kind === 'tagger' ? TAGGER.tags : ACOUSTIC.classes;
  return Array.from({ length: spec.batch }, () => ({
    inputs:
      spec.kind === 'tagger'
        ? Int32Array.from({ length: time }, () => Math.floor(rng.next() * TAGGER.vocab))
        : Float32Array.from({ length: time * ACOUSTIC.inputs }, () => rng.normal()),
    length: time,
    target: Int32Array.from({ length: time }, () => Math.floor(rng.next() * classes)),
  }));
}

/** How a workload streams: the addon's session (the live path) or model.forward on tensors. */
export type StreamPath = 'native session' | 'tfjs forward';

/** One model's Unfold steps on a fixed synthetic batch, ready to be timed again and again. */
export interface UnfoldWorkload {
  spec: BenchModelSpec;
  /** Frames (acoustic) or tokens (tagger) in one training or inference step. */
  itemsPerStep: number;
  /** Forward, loss, BPTT and Adam on the batch. */
  trainStep(): void;
  /** The forward pass on the batch, logits read back. */
  inferStep(): void;
  /**
   * One frame at batch 1 through the stack and a softmax, the state carried on; null when the
   * model cannot stream (bidirectional or token input).
   */
  streamFrame: (() => void) | null;
  streamPath: StreamPath | null;
  dispose(): void;
}

/**
 * Builds the model of `spec` (seeded) and its steps. Streaming goes through the native session
 * when the addon is given and takes the model (what live recognition uses), else through
 * model.forward on a one-frame tensor.
 */
export function createUnfoldWorkload(
  spec: BenchModelSpec,
  addon: RnnNativeAddon | null,
): UnfoldWorkload {
  const model = new RnnModel(parseModelConfig(unfoldConfig(spec)));
  const optimizer = new Optimizer({ kind: 'adam', learningRate: 1e-3 });
  const batch = makeBatch(model.config, syntheticExamples(spec, spec.time));
  const streamable = spec.kind === 'acoustic' && !spec.bidirectional;
  const native = streamable ? openNativeModelStream(addon, model, 'softmax').stream : null;
  const tfjsStream = streamable && !native ? tfjsFrameStream(model) : null;
  const nativeFrame = Float32Array.from({ length: ACOUSTIC.inputs }, (_, i) => Math.sin(i));
  const nativeOut = new Float32Array(ACOUSTIC.classes);
  return {
    spec,
    itemsPerStep: spec.batch * spec.time,
    trainStep: () => {
      const result = computeGradients(model, batch, { training: true });
      optimizer.apply(model.params, result.grads);
      tf.dispose([
        ...result.grads.values(),
        ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
      ]);
    },
    inferStep: () => {
      tf.tidy(() => {
        model
          .forward({ ...modelBatchOf(batch), mask: null }, { training: false })
          .logits.dataSync();
      });
    },
    streamFrame: native
      ? () => void native.step(1, nativeFrame, nativeOut)
      : (tfjsStream?.frame ?? null),
    streamPath: native ? 'native session' : tfjsStream ? 'tfjs forward' : null,
    dispose: () => {
      tfjsStream?.dispose();
      disposeBatch(batch);
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** One 39-dim frame at a time through model.forward and a softmax, the state tensors carried. */
function tfjsFrameStream(model: RnnModel): { frame: () => void; dispose: () => void } {
  let states: LayerState[] = model.zeroStates(1);
  const frame = tf.randomNormal([1, 1, ACOUSTIC.inputs]);
  const disposeStates = (): void => tf.dispose(states.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
  return {
    frame: () => {
      const next: LayerState[] = [];
      tf.tidy(() => {
        const out = model.forward(
          { inputs: frame, mask: null },
          { training: false, initialStates: states },
        );
        tf.softmax(out.logits).dataSync();
        for (const s of out.finalStates)
          next.push({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null });
      });
      disposeStates();
      states = next;
    },
    dispose: () => {
      disposeStates();
      frame.dispose();
    },
  };
}

export interface TimedSteps {
  /** Items (frames, tokens) per second over the timed steps. */
  perSecond: number;
  /** Timed steps (fewer than asked when one crossed maxSeconds). */
  steps: number;
}

/**
 * Runs `warmup` untimed steps, then times up to `steps` more, stopping after the one that
 * crosses `maxSeconds` (the rate stays exact over fewer steps): as rnn_torch.py's timed loop.
 */
export function timeSteps(
  step: () => void,
  options: { warmup: number; steps: number; itemsPerStep: number; maxSeconds?: number },
): TimedSteps {
  for (let i = 0; i < options.warmup; i++) step();
  const limit = (options.maxSeconds ?? Infinity) * 1000;
  let done = 0;
  const start = performance.now();
  while (done < options.steps) {
    step();
    done += 1;
    if (performance.now() - start > limit) break;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: (done * options.itemsPerStep) / seconds, steps: done };
}

/** What rnn_torch.py measures: a training step, an inference pass or a streamed frame. */
export type TorchMeasure = 'train' | 'infer' | 'stream';

/** The workload file of rnn_torch.py: the same model, batch and step count as Unfold's. */
export function torchWorkload(
  spec: BenchModelSpec,
  measure: TorchMeasure,
  steps: number,
): Record<string, unknown> {
  const tagger = spec.kind === 'tagger';
  return {
    model: {
      kind: spec.kind,
      cell: spec.cell,
      layers: spec.layers,
      units: spec.units,
      bidirectional: spec.bidirectional,
      batch: spec.batch,
      time: spec.time,
      inputSize: tagger ? TAGGER.embedding : ACOUSTIC.inputs,
      classes: tagger ? TAGGER.tags : ACOUSTIC.classes,
      ...(tagger ? { vocabSize: TAGGER.vocab } : {}),
    },
    measure,
    steps,
  };
}

/** Debian's multithreaded OpenBLAS (libopenblas0-openmp), PyTorch's BLAS at its best. */
export const OPENMP_OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/**
 * The environment of a PyTorch peer: Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH when
 * installed, so that python3-torch loads it instead of whichever libblas the alternatives system
 * points at (often the pthread or serial build), without the user setting anything; and no
 * __pycache__ written beside the peer scripts in the checkout.
 */
export function torchProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const quiet = { ...env, PYTHONDONTWRITEBYTECODE: '1' };
  return existsSync(OPENMP_OPENBLAS_DIR)
    ? {
        ...quiet,
        LD_LIBRARY_PATH: [OPENMP_OPENBLAS_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      }
    : quiet;
}

function tfLayersModel(spec: BenchModelSpec, time: number): tf.LayersModel {
  const model = tf.sequential();
  // Logistic sigmoid gates as ours; glorot recurrent init because tf.layers' orthogonal
  // initialiser takes ~10 s per layer on wasm (PITFALLS.md) and does not change the speed.
  const rnn = (inputShape?: number[]): tf.layers.Layer => {
    const common = {
      units: spec.units,
      returnSequences: true,
      recurrentInitializer: 'glorotUniform' as const,
      ...(inputShape ? { inputShape } : {}),
    };
    const layer =
      spec.cell === 'lstm'
        ? tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' })
        : spec.cell === 'gru'
          ? tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' })
          : tf.layers.simpleRNN(common);
    return layer;
  };
  if (spec.kind === 'tagger')
    model.add(
      tf.layers.embedding({
        inputDim: TAGGER.vocab,
        outputDim: TAGGER.embedding,
        inputLength: time,
      }),
    );
  for (let l = 0; l < spec.layers; l++) {
    const shape = l === 0 && spec.kind === 'acoustic' ? [time, ACOUSTIC.inputs] : undefined;
    if (spec.bidirectional) {
      model.add(
        tf.layers.bidirectional({
          layer: rnn() as tf.RNN,
          mergeMode: 'concat',
          ...(shape ? { inputShape: shape } : {}),
        }),
      );
    } else {
      model.add(rnn(shape));
    }
  }
  model.add(
    tf.layers.dense({
      units: spec.kind === 'tagger' ? TAGGER.tags : ACOUSTIC.classes,
      activation: 'softmax',
    }),
  );
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

async function benchTfLayers(
  spec: BenchModelSpec,
  time: number,
  steps: number,
): Promise<ImplementationFigures> {
  const model = tfLayersModel(spec, time);
  const classes = spec.kind === 'tagger' ? TAGGER.tags : ACOUSTIC.classes;
  const x =
    spec.kind === 'tagger'
      ? tf.randomUniform([spec.batch, time], 0, TAGGER.vocab, 'int32')
      : tf.randomNormal([spec.batch, time, ACOUSTIC.inputs]);
  const y = tf.oneHot(tf.randomUniform([spec.batch, time], 0, classes, 'int32'), classes);
  const frames = spec.batch * time;
  const result: ImplementationFigures = {
    trainPerSecond: null,
    inferencePerSecond: null,
    streamingMsPerFrame: null,
  };
  try {
    const infer = (): void => {
      tf.tidy(() => {
        (model.predict(x) as tf.Tensor).dataSync();
      });
    };
    infer();
    let start = performance.now();
    for (let i = 0; i < steps; i++) infer();
    result.inferencePerSecond = frames / ((performance.now() - start) / 1000 / steps);
    await model.trainOnBatch(x, y);
    start = performance.now();
    for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
    result.trainPerSecond = frames / ((performance.now() - start) / 1000 / steps);
  } catch (error) {
    result.error = (error as Error).message.split('\n')[0];
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
  return result;
}

/** Finds a python3 that has torch (Debian's python3-torch lives in /usr/bin/python3, not pyenv's). */
async function findTorchPython(): Promise<string | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const out = await runProcess(python, ['-c', 'import torch'], torchProcessEnv()).catch(
      () => null,
    );
    if (out?.code === 0) return python;
  }
  return null;
}

function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** PyTorch's figures for one model: one rnn_torch.py run per measure, at `threads`. */
async function torchFigures(
  python: string,
  script: string,
  spec: BenchModelSpec,
  steps: number,
  threads: number,
  folder: string,
  signal?: AbortSignal,
): Promise<ImplementationFigures> {
  const rate = async (measure: TorchMeasure): Promise<number> => {
    const file = join(folder, `${spec.id}-${measure}.json`);
    const stream = measure === 'stream';
    await writeFile(file, JSON.stringify(torchWorkload(spec, measure, stream ? 200 : steps)));
    const args = [script, '--batches', file, '--threads', String(threads)];
    args.push('--warmup', stream ? '20' : '1');
    const out = await runProcess(python, args, torchProcessEnv(), signal);
    if (out.code !== 0)
      throw new Error(out.stderr.trim().split('\n').slice(-1)[0] || `exit ${out.code}`);
    return (JSON.parse(out.stdout) as { framesPerSecond: number }).framesPerSecond;
  };
  try {
    return {
      trainPerSecond: await rate('train'),
      inferencePerSecond: await rate('infer'),
      streamingMsPerFrame:
        spec.kind === 'acoustic' && !spec.bidirectional ? 1000 / (await rate('stream')) : null,
      threads,
    };
  } catch (error) {
    return {
      trainPerSecond: null,
      inferencePerSecond: null,
      streamingMsPerFrame: null,
      threads,
      error: (error as Error).message,
    };
  }
}

/**
 * A quick look at every model (`unfold bench rnn`): Unfold's figures, then tf.layers', then
 * PyTorch's at Unfold's kernel thread count, one after the other. The side-by-side figures
 * (interleaved runs, medians, ratios pair by pair, 1 and 2 threads) are `npm run bench:rnn`'s.
 */
export async function runRnnBenchmark(
  options: BenchOptions = {},
  { onProgress, signal }: LongOperationOptions = {},
): Promise<BenchReport> {
  const steps = options.steps ?? 5;
  const selected = BENCH_MODELS.filter((m) => !options.models || options.models.includes(m.id));
  const addon = loadRnnNative().addon;
  const threads = addon?.info().parallel ?? 1;
  const python = options.torchScript ? await findTorchPython() : null;
  const folder = python ? await mkdtemp(join(tmpdir(), 'unfold-bench-rnn-')) : null;
  const models: ModelBenchResult[] = [];
  try {
    for (const [index, base] of selected.entries()) {
      throwIfAborted(signal);
      onProgress?.({ fraction: index / selected.length, message: `${base.id}: Unfold` });
      const spec = resizedSpec(base, { time: options.timeOverride ?? base.time });
      const unfold = benchUnfold(spec, steps, addon);
      onProgress?.({ fraction: (index + 0.4) / selected.length, message: `${spec.id}: tf.layers` });
      const tfLayers = options.skipTfLayers
        ? {
            trainPerSecond: null,
            inferencePerSecond: null,
            streamingMsPerFrame: null,
            error: 'skipped',
          }
        : await benchTfLayers(spec, spec.time, Math.min(steps, 1));
      onProgress?.({ fraction: (index + 0.7) / selected.length, message: `${spec.id}: PyTorch` });
      const pytorch =
        python && folder && options.torchScript
          ? await torchFigures(python, options.torchScript, spec, steps, threads, folder, signal)
          : null;
      models.push({
        id: spec.id,
        description: spec.description,
        unit: spec.kind === 'tagger' ? 'tokens' : 'frames',
        unfold,
        tfLayers,
        pytorch,
        speedupVsTfLayers:
          unfold.trainPerSecond && tfLayers.trainPerSecond
            ? unfold.trainPerSecond / tfLayers.trainPerSecond
            : null,
        ratioVsPytorch:
          unfold.trainPerSecond && pytorch?.trainPerSecond
            ? unfold.trainPerSecond / pytorch.trainPerSecond
            : null,
      });
    }
  } finally {
    if (folder) await rm(folder, { recursive: true, force: true });
  }
  const profile =
    options.profile && selected[0]
      ? await profileTrainingStep(selected[0], options.timeOverride ?? selected[0].time)
      : null;
  onProgress?.({ fraction: 1, message: 'done' });
  return {
    backend: tf.getBackend(),
    date: new Date().toISOString(),
    steps,
    models,
    profile,
    pytorch: {
      available: python !== null,
      python,
      threads: python ? threads : null,
    },
  };
}

function benchUnfold(
  spec: BenchModelSpec,
  steps: number,
  addon: RnnNativeAddon | null,
): ImplementationFigures {
  const workload = createUnfoldWorkload(spec, addon);
  try {
    const timed = { warmup: 1, steps, itemsPerStep: workload.itemsPerStep };
    return {
      trainPerSecond: timeSteps(workload.trainStep, timed).perSecond,
      inferencePerSecond: timeSteps(workload.inferStep, timed).perSecond,
      streamingMsPerFrame: workload.streamFrame
        ? 1000 /
          timeSteps(workload.streamFrame, { warmup: 20, steps: 200, itemsPerStep: 1 }).perSecond
        : null,
    };
  } finally {
    workload.dispose();
  }
}

/** Where the time goes in one Unfold training step: total kernel time per TF.js kernel. */
async function profileTrainingStep(
  spec: BenchModelSpec,
  time: number,
): Promise<Array<{ kernel: string; ms: number; calls: number }>> {
  const model = new RnnModel(parseModelConfig(unfoldConfig(spec)));
  const batch = makeBatch(model.config, syntheticExamples(spec, time));
  const info = await tf.profile(() => {
    const result = computeGradients(model, batch, { training: true });
    tf.dispose([
      ...result.grads.values(),
      ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
    ]);
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    // Custom-gradient nodes (our sequence op, the embedding) include their inner kernels in
    // their own time: keep only registered (leaf) kernels.
    if (!tf.getKernel(k.name, tf.getBackend())) continue;
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  disposeBatch(batch);
  model.dispose();
  return [...byKernel]
    .map(([kernel, v]) => ({ kernel, ms: Math.round(v.ms), calls: v.calls }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 15);
}
