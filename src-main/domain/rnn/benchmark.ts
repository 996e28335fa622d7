/**
 * The RNN engine's speed workloads (issues 5 and 17): the models of BENCH_MODELS on a fixed
 * synthetic batch, as Unfold steps to time (createUnfoldWorkload, timeSteps) and as the workload
 * file of the PyTorch peer tests/bench/rnn_torch.py (torchWorkload). `unfold bench rnn` (and
 * `npm run bench:rnn`, which runs it) measures them side by side with PyTorch
 * (bench/rnn-bench-report.ts); profileTrainingStep is its `--profile`.
 */
import * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
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

/** One TF.js kernel's total time in a profiled step. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

/** Where the time goes in one Unfold training step: total kernel time per TF.js kernel. */
export async function profileTrainingStep(spec: BenchModelSpec): Promise<KernelTime[]> {
  const model = new RnnModel(parseModelConfig(unfoldConfig(spec)));
  const batch = makeBatch(model.config, syntheticExamples(spec, spec.time));
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
