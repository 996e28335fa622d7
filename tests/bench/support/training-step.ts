/**
 * Training speed as trainModel trains (full BPTT): each step pads the batch, computes the loss
 * and gradients (row gradients for the word table when the optimizer has sparseEmbeddings),
 * clips by value and by global norm as configured, and applies the optimizer; the timed loop
 * stops after the batch that crosses a time cap, so the rate stays exact over fewer batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { SequenceExample } from '../../../src-main/domain/rnn/batching';
import { disposeBatch, makeBatch } from '../../../src-main/domain/rnn/batching';
import { Optimizer, clipByGlobalNorm, clipByValue } from '../../../src-main/domain/rnn/optimizers';
import type { Rng } from '../../../src-main/domain/rnn/random';
import type { RnnModel } from '../../../src-main/domain/rnn/rnn-model';
import { computeGradients } from '../../../src-main/domain/rnn/train';
import type { TrainConfig } from '../../../src-main/domain/rnn/train';
import type { SideResult } from '../../../src-main/domain/bench/side-by-side';

export type StepTraining = Pick<
  TrainConfig,
  'optimizer' | 'clipNorm' | 'clipValue' | 'weightDecay'
>;

/** One training step on a batch of examples, exactly as trainModel's trainBatch takes it. */
export function trainingStep(
  model: RnnModel,
  optimizer: Optimizer,
  training: StepTraining,
  rng: Rng,
): (examples: SequenceExample[]) => void {
  const sparse = training.optimizer.sparseEmbeddings !== undefined;
  return (examples) => {
    const batch = makeBatch(model.config, examples);
    try {
      const result = computeGradients(model, batch, { rng, sparse });
      const { grads, sparseGrads } = result;
      try {
        if (training.clipValue !== undefined) clipByValue(grads, training.clipValue, sparseGrads);
        if (training.clipNorm !== undefined)
          clipByGlobalNorm(grads, training.clipNorm, sparseGrads);
        optimizer.apply(model.params, grads, training.weightDecay ?? 0, sparseGrads);
      } finally {
        tf.dispose([
          ...grads.values(),
          ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
        ]);
      }
    } finally {
      disposeBatch(batch);
    }
  };
}

/**
 * Trains a fresh model on `warmup` batches, then times the next ones (until one crosses
 * `maxSeconds`): `weigh` counts what the rate is of (tokens, sentences). Returns the trained
 * model (the caller disposes it) beside the rate.
 */
export function timedTraining(options: {
  createModel: () => RnnModel;
  training: StepTraining;
  rng: () => Rng;
  batches: readonly SequenceExample[][];
  warmup: number;
  maxSeconds: number;
  weigh: (examples: readonly SequenceExample[]) => number;
}): SideResult & { model: RnnModel } {
  const model = options.createModel();
  const optimizer = new Optimizer(options.training.optimizer);
  try {
    const step = trainingStep(model, optimizer, options.training, options.rng());
    for (const examples of options.batches.slice(0, options.warmup)) step(examples);
    let items = 0;
    let batches = 0;
    const start = performance.now();
    for (const examples of options.batches.slice(options.warmup)) {
      step(examples);
      items += options.weigh(examples);
      batches += 1;
      if (performance.now() - start > options.maxSeconds * 1000) break;
    }
    const seconds = (performance.now() - start) / 1000;
    return { model, perSecond: items / seconds, batches };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
