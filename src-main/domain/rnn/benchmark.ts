import { spawn } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import type { LongOperationOptions } from '../jobs/progress';
import { throwIfAborted } from '../errors';
import type { SequenceExample } from './batching';
import { disposeBatch, makeBatch, modelBatchOf } from './batching';
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

export interface ImplementationFigures {
  /** Training throughput: frames (acoustic) or tokens (tagger) per second, forward + backward + Adam. */
  trainPerSecond: number | null;
  inferencePerSecond: number | null;
  /** Single-stream latency per frame in ms (batch 1, state carried); acoustic models only. */
  streamingMsPerFrame: number | null;
  error?: string;
  /** PyTorch only: the thread count of the reported (fastest) figures, and figures per count. */
  threads?: number;
  byThreads?: Record<string, ImplementationFigures>;
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
        ? { kind: 'tokens', vocabSize: 20000, embeddingSize: 100 }
        : { kind: 'features', size: 39 },
    layers: Array.from({ length: spec.layers }, () => layer),
    output: { size: spec.kind === 'tagger' ? 17 : 40 },
    seed: 1,
  };
}

function syntheticExamples(spec: BenchModelSpec, time: number): SequenceExample[] {
  const rng = createRng(7);
  const classes = spec.kind === 'tagger' ? 17 : 40;
  return Array.from({ length: spec.batch }, () => ({
    inputs:
      spec.kind === 'tagger'
        ? Int32Array.from({ length: time }, () => Math.floor(rng.next() * 20000))
        : Float32Array.from({ length: time * 39 }, () => rng.normal()),
    length: time,
    target: Int32Array.from({ length: time }, () => Math.floor(rng.next() * classes)),
  }));
}

function benchUnfold(spec: BenchModelSpec, time: number, steps: number): ImplementationFigures {
  const model = new RnnModel(parseModelConfig(unfoldConfig(spec)));
  const optimizer = new Optimizer({ kind: 'adam', learningRate: 1e-3 });
  const batch = makeBatch(model.config, syntheticExamples(spec, time));
  const trainStep = (): void => {
    const result = computeGradients(model, batch, { training: true });
    optimizer.apply(model.params, result.grads);
    tf.dispose([
      ...result.grads.values(),
      ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
    ]);
  };
  trainStep();
  let start = performance.now();
  for (let i = 0; i < steps; i++) trainStep();
  const trainSeconds = (performance.now() - start) / 1000 / steps;
  const infer = (): void => {
    tf.tidy(() => {
      model.forward({ ...modelBatchOf(batch), mask: null }, { training: false }).logits.dataSync();
    });
  };
  infer();
  start = performance.now();
  for (let i = 0; i < steps; i++) infer();
  const inferSeconds = (performance.now() - start) / 1000 / steps;
  const streaming =
    spec.kind === 'acoustic' && !spec.bidirectional ? streamingLatency(model) : null;
  disposeBatch(batch);
  optimizer.dispose();
  model.dispose();
  const frames = spec.batch * time;
  return {
    trainPerSecond: frames / trainSeconds,
    inferencePerSecond: frames / inferSeconds,
    streamingMsPerFrame: streaming,
  };
}

/** Feeds one 10 ms frame at a time (batch 1), carrying the state, and reads the posteriors each time. */
function streamingLatency(model: RnnModel): number {
  const frames = 200;
  let states: LayerState[] = model.zeroStates(1);
  const frame = tf.randomNormal([1, 1, 39]);
  const run = (count: number): number => {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
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
      tf.dispose(states.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
      states = next;
    }
    return (performance.now() - start) / count;
  };
  run(20);
  const ms = run(frames);
  tf.dispose([frame, ...states.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]))]);
  return ms;
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
    model.add(tf.layers.embedding({ inputDim: 20000, outputDim: 100, inputLength: time }));
  for (let l = 0; l < spec.layers; l++) {
    const shape = l === 0 && spec.kind === 'acoustic' ? [time, 39] : undefined;
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
  model.add(tf.layers.dense({ units: spec.kind === 'tagger' ? 17 : 40, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

async function benchTfLayers(
  spec: BenchModelSpec,
  time: number,
  steps: number,
): Promise<ImplementationFigures> {
  const model = tfLayersModel(spec, time);
  const classes = spec.kind === 'tagger' ? 17 : 40;
  const x =
    spec.kind === 'tagger'
      ? tf.randomUniform([spec.batch, time], 0, 20000, 'int32')
      : tf.randomNormal([spec.batch, time, 39]);
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
async function findTorchPython(): Promise<{ python: string; threads: number } | null> {
  for (const python of ['python3', '/usr/bin/python3']) {
    const out = await runProcess(python, [
      '-c',
      'import torch; print(torch.get_num_threads())',
    ]).catch(() => null);
    if (out && out.code === 0) return { python, threads: Number(out.stdout.trim()) };
  }
  return null;
}

function runProcess(
  command: string,
  args: string[],
  signal?: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function runRnnBenchmark(
  options: BenchOptions = {},
  { onProgress, signal }: LongOperationOptions = {},
): Promise<BenchReport> {
  const steps = options.steps ?? 2;
  const selected = BENCH_MODELS.filter((m) => !options.models || options.models.includes(m.id));
  const torch = options.torchScript ? await findTorchPython() : null;
  let torchResults: Record<string, ImplementationFigures> = {};
  let torchError: string | undefined;
  if (torch && options.torchScript) {
    onProgress?.({ fraction: 0, message: 'PyTorch reference' });
    const args = [
      options.torchScript,
      '--steps',
      String(steps),
      '--models',
      selected.map((m) => m.id).join(','),
    ];
    if (options.timeOverride) args.push('--time', String(options.timeOverride));
    const out = await runProcess(torch.python, args, signal);
    if (out.code === 0)
      torchResults = JSON.parse(out.stdout) as Record<string, ImplementationFigures>;
    else torchError = out.stderr.trim().split('\n').slice(-1)[0];
  }
  const models: ModelBenchResult[] = [];
  for (const [index, spec] of selected.entries()) {
    throwIfAborted(signal);
    onProgress?.({ fraction: index / selected.length, message: `${spec.id}: Unfold` });
    const time = options.timeOverride ?? spec.time;
    const unfold = benchUnfold(spec, time, steps);
    onProgress?.({ fraction: (index + 0.5) / selected.length, message: `${spec.id}: tf.layers` });
    const tfLayers = options.skipTfLayers
      ? {
          trainPerSecond: null,
          inferencePerSecond: null,
          streamingMsPerFrame: null,
          error: 'skipped',
        }
      : await benchTfLayers(spec, time, Math.min(steps, 1));
    const pytorch = torchResults[spec.id] ?? null;
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
      available: torch !== null,
      python: torch?.python ?? null,
      threads: torch?.threads ?? null,
      ...(torchError ? { error: torchError } : {}),
    },
  };
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
