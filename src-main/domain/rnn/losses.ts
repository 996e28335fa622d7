import * as tf from '@tensorflow/tfjs';
import type { TrainBatch } from './batching';
import { modelBatchOf } from './batching';
import type { ModelConfig } from './model-config';
import type { ForwardFeatures, ForwardOptions, RnnModel } from './rnn-model';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import type { SoftmaxCrossEntropy } from './softmax-cross-entropy';

export interface LossParts {
  /** Mean loss over the scored positions. */
  loss: tf.Scalar;
  /** Number of correct argmax predictions (classification outputs). */
  correct: tf.Scalar;
  /** Number of scored positions. */
  count: tf.Scalar;
}

/**
 * Softmax cross-entropy on class ids (one fused node: softmax-cross-entropy.ts), averaged over
 * unpadded positions. `logits` are time-major [time, batch, classes] (per-step patterns) or
 * [batch, classes] (encoder); targets and masks arrive batch-major and are transposed here.
 * Sigmoid outputs use binary cross-entropy against one-hot targets; linear outputs a squared
 * error against them.
 */
export function sequenceLoss(config: ModelConfig, logits: tf.Tensor, batch: TrainBatch): LossParts {
  const classes = config.output.size;
  const { ids, weight } = scoredTargets(batch, logits.rank === 3);
  if (config.output.activation === 'softmax')
    return lossParts(softmaxCrossEntropy(logits, ids.dataSync(), weight.dataSync()));
  const oneHot = tf.oneHot(tf.cast(ids, 'int32'), classes);
  let perPosition: tf.Tensor;
  if (config.output.activation === 'sigmoid') {
    const targets = tf.cast(oneHot, 'float32');
    // Stable BCE with logits: max(z, 0) - z y + log(1 + exp(-|z|)).
    perPosition = tf.sum(
      tf.add(
        tf.sub(tf.relu(logits), tf.mul(logits, targets)),
        tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
      ),
      -1,
    );
  } else {
    perPosition = tf.sum(tf.square(tf.sub(logits, tf.cast(oneHot, 'float32'))), -1);
  }
  const count = tf.maximum(tf.sum(weight), 1) as tf.Scalar;
  const loss = tf.div(tf.sum(tf.mul(perPosition, weight)), count) as tf.Scalar;
  const hits = tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(ids, 'int32')), 'float32');
  const correct = tf.sum(tf.mul(hits, weight)) as tf.Scalar;
  return { loss, correct, count };
}

/**
 * The forward pass and its loss on `batch`, for training and evaluation: as sequenceLoss over
 * model.forward's logits, but a softmax output goes through model.softmaxLoss, which with the
 * native addon fuses the output layer with the loss (the logits are never made). `forward` is
 * forward()'s result without the logits. `labelSmoothing` (softmax outputs only) smooths the
 * targets of the loss (softmax-cross-entropy.ts).
 */
export function forwardLoss(
  model: RnnModel,
  batch: TrainBatch,
  options: ForwardOptions & { labelSmoothing?: number },
): { forward: Omit<ForwardFeatures, 'features'>; parts: LossParts } {
  const { labelSmoothing = 0, ...forwardOptions } = options;
  if (model.config.output.activation !== 'softmax') {
    if (labelSmoothing > 0)
      throw new Error(
        `label smoothing needs a softmax output (this model's is ${model.config.output.activation})`,
      );
    const { logits, ...forward } = model.forward(modelBatchOf(batch), forwardOptions);
    return { forward, parts: sequenceLoss(model.config, logits, batch) };
  }
  const { features, ...forward } = model.forwardFeatures(modelBatchOf(batch), forwardOptions);
  const { ids, weight } = scoredTargets(batch, features.rank === 3);
  const fused = model.softmaxLoss(
    features,
    ids.dataSync(),
    weight.dataSync(),
    forwardOptions,
    labelSmoothing,
  );
  return { forward, parts: lossParts(fused) };
}

/** Class ids and weights in the logits' row order: time-major when scored per step. */
function scoredTargets(batch: TrainBatch, perStep: boolean): { ids: tf.Tensor; weight: tf.Tensor } {
  const ids = perStep ? tf.transpose(batch.targets) : batch.targets;
  const weight =
    perStep && batch.targetMask
      ? tf.transpose(batch.targetMask)
      : tf.onesLike(ids).asType('float32');
  return { ids, weight };
}

function lossParts(fused: SoftmaxCrossEntropy): LossParts {
  return { loss: fused.loss, correct: tf.scalar(fused.correct), count: tf.scalar(fused.count) };
}
