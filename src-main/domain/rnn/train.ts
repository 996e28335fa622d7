import { mkdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { UnfoldError, throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import type { TrainConfigFromSchema } from './train-config';
import { disposeBatch, makeBatch, planBatches } from './batching';
import { BatchWindows } from './batch-windows';
import type { SequenceExample, TrainBatch } from './batching';
import { checkpointFolder, restoreCheckpoint, writeCheckpoint } from './checkpoints';
import type { EpochRecord, TrainState } from './checkpoints';
import { forwardLoss } from './losses';
import { measureGradients } from './gradient-flow';
import { DEFAULT_GRADIENT_REPORT_EVERY, reportsParameters } from './gradient-report';
import type { ParameterGradientNorm } from './gradient-report';
import { Optimizer, clipByGlobalNorm, clipByValue } from './optimizers';
import { constrainOutputNorm, NO_OUTPUT_KERNEL_MESSAGE } from './output-max-norm';
import type { OptimizerConfig } from './optimizers';
import { createRng } from './random';
import type { Rng } from './random';
import { withSampledDecoderInputs } from './scheduled-sampling';
import { SparseGradients } from './sparse-rows';
import type { SparseRows } from './sparse-rows';
import { disposeLayerStates } from './rnn-model';
import type { LayerState, RnnModel } from './rnn-model';
import { updateWeightAverages, withAveragedWeights } from './weight-average';

export type ScheduleConfig =
  | { kind: 'constant' }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'exponential'; decayPerEpoch: number }
  | { kind: 'multistep'; milestones: number[]; factor: number }
  | { kind: 'plateau'; factor: number; patience: number; minLearningRate?: number };

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule?: ScheduleConfig;
  /** Whole-sequence BPTT, or truncated BPTT over windows of `window` steps (state carried, gradient cut). */
  bptt?: { kind: 'full' } | { kind: 'truncated'; window: number };
  clipNorm?: number;
  clipValue?: number;
  /** Per-parameter gradient norms every this many batches (gradient-report.ts; default 20). */
  gradientReportEvery?: number;
  weightDecay?: number;
  /** Kim's max-norm: output units' weight vectors rescaled to at most this L2 norm after each update. */
  outputMaxNorm?: number;
  /** Polyak averaging: the decay of the weights' moving average (weight-average.ts). */
  averageDecay?: number;
  /** Label smoothing of a softmax output's training loss (softmax-cross-entropy.ts). */
  labelSmoothing?: number;
  /** Stop when the dev metric has not improved for this many epochs. */
  earlyStoppingPatience?: number;
  /** Dev metric: accuracy (higher is better) or loss (lower is better). */
  monitor?: 'accuracy' | 'loss';
  bucketing?: boolean;
  /** Encoder-decoders: probability of feeding the model's own prediction (scheduled-sampling.ts). */
  scheduledSampling?: number;
  /** Fixes shuffling and dropout (initialisation is fixed by the model config's seed). */
  seed?: number;
  /** Folder for last/best checkpoints; none when absent. */
  checkpointDir?: string;
  /** Continue from the last checkpoint in checkpointDir. */
  resume?: boolean;
}

/**
 * The JSON schema (train-config.ts, kept free of Node and TF.js imports for the renderer) must
 * give a TrainConfig: this fails to compile when the two drift apart.
 */
export const TRAIN_CONFIG_SCHEMA_MATCHES: TrainConfigFromSchema extends TrainConfig ? true : never =
  true;

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number | null;
  bestMetric: number | null;
  /** What bestMetric is: the dev accuracy or the dev loss. */
  monitor: 'accuracy' | 'loss';
  stoppedEarly: boolean;
}

export interface GradientResult {
  loss: number;
  correct: number;
  count: number;
  /** Gradients by parameter name (caller disposes). */
  grads: Map<string, tf.Tensor>;
  /** Row gradients (the word embeddings with `sparse`), by parameter name; not in `grads`. */
  sparseGrads: Map<string, SparseRows>;
  /** Final states, detached (kept tensors; caller disposes). */
  finalStates: LayerState[];
}

/**
 * Loss and gradients for one batch (or one truncated-BPTT window starting from `initialStates`,
 * which are constants here: no gradient crosses the window boundary).
 */
export function computeGradients(
  model: RnnModel,
  batch: TrainBatch,
  options: {
    initialStates?: LayerState[] | null;
    rng?: Rng;
    training?: boolean;
    /** Word-embedding gradient as rows (sparseGrads) instead of a dense tensor. */
    sparse?: boolean;
    /** Label smoothing of a softmax output's loss (0 or absent: none). */
    labelSmoothing?: number;
  } = {},
): GradientResult {
  const byVariable = new Map([...model.params].map(([name, v]) => [v.name, name]));
  let finalStates: LayerState[] = [];
  let stats: tf.Tensor[] = [];
  const input = model.config.input;
  const sparse =
    options.sparse &&
    input.kind === 'tokens' &&
    !input.freezeEmbeddings &&
    !model.config.output.tiedEmbeddings
      ? new SparseGradients()
      : undefined;
  const table = model.params.get('embedding/embeddings');
  const variables = sparse
    ? [...model.trainableVariables.filter((v) => v !== table), sparse.anchor]
    : model.trainableVariables;
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(() => {
      const { forward, parts } = forwardLoss(model, batch, {
        training: options.training ?? true,
        rng: options.rng,
        initialStates: options.initialStates ?? null,
        sparseGradients: sparse,
        labelSmoothing: options.labelSmoothing,
      });
      finalStates = forward.finalStates.map((s) => ({
        h: tf.keep(s.h),
        c: s.c ? tf.keep(s.c) : null,
      }));
      stats = [tf.keep(parts.correct), tf.keep(parts.count)];
      return parts.loss as tf.Scalar;
    }, variables);
  } finally {
    sparse?.dispose();
  }
  const { value, grads } = result;
  const named = new Map<string, tf.Tensor>();
  for (const [variableName, grad] of Object.entries(grads)) {
    if (sparse && variableName === sparse.anchor.name) grad.dispose();
    else named.set(byVariable.get(variableName) ?? variableName, grad);
  }
  const [correct, count] = stats.map((t) => t.dataSync()[0] as number);
  const loss = value.dataSync()[0] as number;
  tf.dispose([value, ...stats]);
  return {
    loss,
    correct: correct ?? 0,
    count: count ?? 0,
    grads: named,
    sparseGrads: sparse?.rows ?? new Map(),
    finalStates,
  };
}

export interface EvaluationResult {
  loss: number;
  accuracy: number;
  frames: number;
}

/** Mean loss and accuracy over a data set, without gradients. */
export function evaluate(
  model: RnnModel,
  examples: SequenceExample[],
  batchSize: number,
): EvaluationResult {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  let frames = 0;
  for (let i = 0; i < examples.length; i += batchSize) {
    const batch = makeBatch(model.config, examples.slice(i, i + batchSize));
    const [l, c, n] = tf.tidy(() => {
      const { parts } = forwardLoss(model, batch, { training: false });
      return [parts.loss, parts.correct, parts.count].map((t) => t.dataSync()[0] as number);
    });
    lossSum += (l ?? 0) * (n ?? 0);
    correct += c ?? 0;
    count += n ?? 0;
    frames += batch.frames;
    disposeBatch(batch);
  }
  return {
    loss: count > 0 ? lossSum / count : 0,
    accuracy: count > 0 ? correct / count : 0,
    frames,
  };
}

function learningRateFor(config: TrainConfig, epoch: number, current: number): number {
  const base = config.optimizer.learningRate;
  const schedule = config.schedule ?? { kind: 'constant' };
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.factor ** Math.floor(epoch / schedule.everyEpochs);
    case 'exponential':
      return base * schedule.decayPerEpoch ** epoch;
    case 'multistep':
      // `epoch` counts the epochs done: those at or past a milestone have been passed.
      return base * schedule.factor ** schedule.milestones.filter((m) => m <= epoch).length;
    case 'plateau':
      return current;
  }
}

/**
 * Trains a model; a plain async function so the job runner can wrap it (progress per batch and
 * per epoch, cancel through the signal). With a checkpoint folder it writes `last` after every
 * epoch and `best` when the dev metric improves, and can resume from `last`.
 */
export async function trainModel(
  model: RnnModel,
  train: SequenceExample[],
  dev: SequenceExample[] | null,
  config: TrainConfig,
  {
    onProgress,
    signal,
    onEpochEnd,
  }: LongOperationOptions & {
    /**
     * Awaited after each epoch, before its checkpoint is committed: whatever it records (the
     * experiment's log line) exists whenever the checkpoint does, even after a kill -9.
     */
    onEpochEnd?: (record: EpochRecord) => Promise<void>;
  } = {},
): Promise<TrainResult> {
  validateTrainConfig(model, config);
  const optimizer = new Optimizer(config.optimizer);
  const monitor =
    config.monitor ?? (model.config.output.activation === 'softmax' ? 'accuracy' : 'loss');
  const better = (a: number, b: number | null): boolean =>
    b === null || (monitor === 'accuracy' ? a > b : a < b);
  let state: TrainState = {
    epoch: 0,
    optimizerStep: 0,
    learningRate: config.optimizer.learningRate,
    bestMetric: null,
    bestEpoch: null,
    epochsWithoutImprovement: 0,
    history: [],
  };
  try {
    if (config.checkpointDir) {
      await mkdir(config.checkpointDir, { recursive: true });
      if (config.resume && (await checkpointFolder(config.checkpointDir, 'last'))) {
        state = await restoreCheckpoint(config.checkpointDir, 'last', model, optimizer);
      }
    }
    const seed = config.seed ?? model.config.seed;
    const batchesPerEpoch = Math.ceil(train.length / config.batchSize);
    const totalBatches = batchesPerEpoch * config.epochs;
    let stoppedEarly = false;
    const started = performance.now();
    let batchesDone = 0;
    for (let epoch = state.epoch; epoch < config.epochs; epoch++) {
      const epochStart = performance.now();
      optimizer.learningRate = learningRateFor(config, epoch, state.learningRate);
      // One generator per epoch: a resumed run shuffles and drops out exactly as an uninterrupted one.
      const rng = createRng(seed * 100_003 + epoch);
      const plan = planBatches(train, config.batchSize, rng, config.bucketing ?? true);
      let lossSum = 0;
      let correct = 0;
      let count = 0;
      let frames = 0;
      for (const [b, indices] of plan.entries()) {
        throwIfAborted(signal);
        const batch = makeBatch(
          model.config,
          indices.map((i) => train[i] as SequenceExample),
        );
        const input = withSampledDecoderInputs(model, batch, config.scheduledSampling ?? 0, rng);
        const step = epoch * batchesPerEpoch + b + 1;
        // The last batch too, so a finished run shows its final gradient flow.
        const perParameter =
          step === totalBatches ||
          reportsParameters(step, config.gradientReportEvery ?? DEFAULT_GRADIENT_REPORT_EVERY);
        let gradients: BatchGradients;
        try {
          // A batch walked in many truncated-BPTT windows (a language model's one batch of
          // streams is a whole epoch) reports and can be cancelled after every window.
          const onWindow = (w: WindowProgress): void => {
            const done = epoch * batchesPerEpoch + b + w.window / w.windows;
            const elapsed = (performance.now() - started) / 1000;
            onProgress?.({
              fraction: done / totalBatches,
              message: `epoch ${epoch + 1}/${config.epochs}${plan.length > 1 ? `, batch ${b + 1}/${plan.length}` : ''}, window ${w.window}/${w.windows}`,
              metrics: {
                epoch: epoch + 1,
                batch: b + 1,
                window: w.window,
                windows: w.windows,
                loss: (lossSum + w.lossSum) / Math.max(1, count + w.count),
                accuracy: (correct + w.correct) / Math.max(1, count + w.count),
                framesPerSecond:
                  (frames + (batch.frames * w.window) / w.windows) /
                  ((performance.now() - epochStart) / 1000),
                etaSeconds:
                  (elapsed / (batchesDone + w.window / w.windows)) * (totalBatches - done),
                learningRate: optimizer.learningRate,
              },
            });
          };
          const result = await trainBatch(
            model,
            input,
            optimizer,
            config,
            rng,
            {
              epoch,
              batch: b,
              perParameter,
            },
            { onWindow, ...(signal ? { signal } : {}) },
          );
          gradients = result.gradients;
          lossSum += result.loss * result.count;
          correct += result.correct;
          count += result.count;
          frames += batch.frames;
        } finally {
          if (input !== batch) input.decoderInputs?.dispose();
          disposeBatch(batch);
        }
        batchesDone += 1;
        const elapsed = (performance.now() - started) / 1000;
        const remaining = totalBatches - (epoch * batchesPerEpoch + b + 1);
        onProgress?.({
          fraction: (epoch * batchesPerEpoch + b + 1) / totalBatches,
          message: `epoch ${epoch + 1}/${config.epochs}, batch ${b + 1}/${plan.length}`,
          metrics: {
            epoch: epoch + 1,
            batch: b + 1,
            loss: count > 0 ? lossSum / count : 0,
            accuracy: count > 0 ? correct / count : 0,
            framesPerSecond: frames / ((performance.now() - epochStart) / 1000),
            etaSeconds: (elapsed / batchesDone) * remaining,
            learningRate: optimizer.learningRate,
          },
          gradients: {
            step,
            globalNorm: gradients.globalNorm,
            clipNorm: config.clipNorm ?? null,
            clipped: gradients.clipped,
            ...(gradients.parameters ? { parameters: gradients.parameters } : {}),
          },
        });
        // Yield to the event loop so a cancel request (and IPC) can get through.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // With weight averaging the dev set sees, and the checkpoint keeps, the averaged weights.
      const endEpoch = async (trainingWeights: Map<string, tf.Tensor>): Promise<EpochRecord> => {
        const devResult = dev && dev.length > 0 ? evaluate(model, dev, config.batchSize) : null;
        const record: EpochRecord = {
          epoch: epoch + 1,
          loss: count > 0 ? lossSum / count : 0,
          accuracy: count > 0 ? correct / count : 0,
          devLoss: devResult?.loss ?? null,
          devAccuracy: devResult?.accuracy ?? null,
          learningRate: optimizer.learningRate,
          seconds: (performance.now() - epochStart) / 1000,
        };
        const metric = devResult
          ? monitor === 'accuracy'
            ? devResult.accuracy
            : devResult.loss
          : monitor === 'accuracy'
            ? record.accuracy
            : record.loss;
        const improved = better(metric, state.bestMetric);
        let learningRate = optimizer.learningRate;
        const schedule = config.schedule;
        const withoutImprovement = improved ? 0 : state.epochsWithoutImprovement + 1;
        if (
          schedule?.kind === 'plateau' &&
          !improved &&
          withoutImprovement % schedule.patience === 0
        ) {
          learningRate = Math.max(learningRate * schedule.factor, schedule.minLearningRate ?? 0);
        }
        state = {
          epoch: epoch + 1,
          optimizerStep: optimizer.step,
          learningRate,
          bestMetric: improved ? metric : state.bestMetric,
          bestEpoch: improved ? epoch + 1 : state.bestEpoch,
          epochsWithoutImprovement: withoutImprovement,
          history: [...state.history, record],
        };
        await onEpochEnd?.(record);
        if (config.checkpointDir) {
          await writeCheckpoint(
            config.checkpointDir,
            improved ? ['last', 'best'] : ['last'],
            model,
            optimizer,
            state,
            trainingWeights,
          );
        }
        return record;
      };
      // Without averaging there are no averages: the weights stay as they are.
      const ended = await withAveragedWeights(model.params, optimizer, endEpoch);
      const withoutImprovement = state.epochsWithoutImprovement;
      onProgress?.({
        fraction: (epoch + 1) / config.epochs,
        message: `epoch ${epoch + 1}/${config.epochs} done`,
        metrics: Object.fromEntries(
          Object.entries(ended).filter((e): e is [string, number] => typeof e[1] === 'number'),
        ),
      });
      if (
        config.earlyStoppingPatience !== undefined &&
        withoutImprovement >= config.earlyStoppingPatience
      ) {
        stoppedEarly = true;
        break;
      }
    }
    return {
      history: state.history,
      bestEpoch: state.bestEpoch,
      bestMetric: state.bestMetric,
      monitor,
      stoppedEarly,
    };
  } finally {
    optimizer.dispose();
  }
}

/** Where a batch's truncated-BPTT walk stands after a window (sums over the windows so far). */
export interface WindowProgress {
  window: number;
  windows: number;
  lossSum: number;
  correct: number;
  count: number;
}

/** A batch's gradients as training reports them (gradient-report.ts): its largest update's. */
interface BatchGradients {
  globalNorm: number;
  clipped: boolean;
  parameters: ParameterGradientNorm[] | null;
}

/**
 * One batch's update (every truncated-BPTT window of it, the state carried between windows),
 * as trainModel takes it; exported for the language-model bench, which times these windows.
 */
export async function trainBatch(
  model: RnnModel,
  batch: TrainBatch,
  optimizer: Optimizer,
  config: TrainConfig,
  rng: Rng,
  where: { epoch: number; batch: number; perParameter: boolean },
  { onWindow, signal }: { onWindow?: (w: WindowProgress) => void; signal?: AbortSignal } = {},
): Promise<{ loss: number; correct: number; count: number; gradients: BatchGradients }> {
  const bptt = config.bptt ?? { kind: 'full' };
  const time = batch.mask.shape[1];
  const window = bptt.kind === 'truncated' ? bptt.window : time;
  let states: LayerState[] | null = null;
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  const gradients: BatchGradients = { globalNorm: 0, clipped: false, parameters: null };
  const hostWindows = window >= time ? null : new BatchWindows(batch);
  for (let start = 0; start < time; start += window) {
    const part = hostWindows ? hostWindows.window(start, window) : batch;
    let result: GradientResult;
    try {
      result = computeGradients(model, part, {
        initialStates: states,
        rng,
        sparse: config.optimizer.sparseEmbeddings !== undefined,
        labelSmoothing: config.labelSmoothing,
      });
    } finally {
      if (part !== batch) disposeBatch(part);
      disposeLayerStates(states);
    }
    states = result.finalStates;
    try {
      if (!Number.isFinite(result.loss)) {
        disposeLayerStates(states);
        states = null;
        throw new UnfoldError(
          'NON_FINITE_LOSS',
          `The loss became ${result.loss} at epoch ${where.epoch + 1}, batch ${where.batch + 1}; training stopped and the last good checkpoint was kept. Lower the learning rate or set gradient clipping (clipNorm).`,
        );
      }
      const { grads, sparseGrads } = result;
      // Measured before any clipping; global-norm clipping reuses it unless clipValue changed it.
      const measured = measureGradients(grads, sparseGrads, {
        perParameter: where.perParameter,
        order: model.params.keys(),
      });
      if (!(measured.globalNorm <= gradients.globalNorm)) {
        gradients.globalNorm = measured.globalNorm;
        gradients.parameters = measured.parameters;
      }
      if (config.clipValue !== undefined) clipByValue(grads, config.clipValue, sparseGrads);
      if (config.clipNorm !== undefined) {
        const seen = clipByGlobalNorm(
          grads,
          config.clipNorm,
          sparseGrads,
          config.clipValue === undefined ? measured.globalNorm : undefined,
        );
        if (seen > config.clipNorm && Number.isFinite(seen)) gradients.clipped = true;
      }
      optimizer.apply(model.params, grads, config.weightDecay ?? 0, sparseGrads);
      if (config.outputMaxNorm !== undefined)
        constrainOutputNorm(model.params, config.outputMaxNorm);
      if (config.averageDecay !== undefined)
        updateWeightAverages(model, optimizer, config.averageDecay);
    } finally {
      tf.dispose([...result.grads.values()]);
    }
    lossSum += result.loss * result.count;
    correct += result.correct;
    count += result.count;
    if (start + window < time) {
      const windows = Math.ceil(time / window);
      onWindow?.({ window: start / window + 1, windows, lossSum, correct, count });
      // Yield so that a cancel request (and IPC) gets through between windows.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) {
        disposeLayerStates(states);
        throwIfAborted(signal);
      }
    }
  }
  disposeLayerStates(states);
  return { loss: count > 0 ? lossSum / count : 0, correct, count, gradients };
}

function validateTrainConfig(model: RnnModel, config: TrainConfig): void {
  if (config.bptt?.kind === 'truncated') {
    const perStep = model.config.pattern === 'transducer' || model.config.pattern === 'decoder';
    if (!perStep || model.config.layers.some((l) => l.bidirectional)) {
      throw new UnfoldError(
        'BAD_TRAIN_CONFIG',
        'Truncated BPTT needs a unidirectional transducer or decoder (a backward direction or a sequence label needs the whole sequence); use bptt "full".',
      );
    }
    if (!(config.bptt.window >= 1))
      throw new UnfoldError(
        'BAD_TRAIN_CONFIG',
        'The truncated BPTT window must be at least 1 step.',
      );
  }
  if ((config.scheduledSampling ?? 0) > 0 && model.config.pattern !== 'encoder-decoder')
    throw new UnfoldError(
      'BAD_TRAIN_CONFIG',
      'Scheduled sampling feeds a decoder its own predictions: it needs an encoder-decoder.',
    );
  if (!(config.batchSize >= 1) || !(config.epochs >= 1)) {
    throw new UnfoldError('BAD_TRAIN_CONFIG', 'epochs and batchSize must be at least 1.');
  }
  if (config.outputMaxNorm !== undefined && model.config.output.tiedEmbeddings)
    throw new UnfoldError('BAD_TRAIN_CONFIG', NO_OUTPUT_KERNEL_MESSAGE);
  // The output layer reads every row of a tied table: its gradient is dense, never rows.
  if (model.config.output.tiedEmbeddings && config.optimizer.sparseEmbeddings !== undefined)
    throw new UnfoldError(
      'BAD_TRAIN_CONFIG',
      'Tied embeddings get a gradient on every row from the output layer: leave out optimizer.sparseEmbeddings.',
    );
}
