import * as tf from '@tensorflow/tfjs';
import type { TrainBatch } from './batching';
import type { ModelConfig } from './model-config';

export interface LossParts {
  /** Mean loss over the scored positions. */
  loss: tf.Scalar;
  /** Number of correct argmax predictions (classification outputs). */
  correct: tf.Scalar;
  /** Number of scored positions. */
  count: tf.Scalar;
}

/**
 * Softmax cross-entropy on class ids, averaged over unpadded positions. `logits` are
 * time-major [time, batch, classes] (per-step patterns) or [batch, classes] (encoder); targets
 * and masks arrive batch-major and are transposed here. Sigmoid outputs use binary
 * cross-entropy against one-hot targets; linear outputs a squared error against them.
 */
export function sequenceLoss(config: ModelConfig, logits: tf.Tensor, batch: TrainBatch): LossParts {
  const classes = config.output.size;
  const perStep = logits.rank === 3;
  const ids = perStep ? tf.transpose(batch.targets) : batch.targets;
  const weight =
    perStep && batch.targetMask
      ? tf.transpose(batch.targetMask)
      : tf.onesLike(ids).asType('float32');
  const oneHot = tf.oneHot(tf.cast(ids, 'int32'), classes);
  let perPosition: tf.Tensor;
  if (config.output.activation === 'softmax') {
    perPosition = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1));
  } else if (config.output.activation === 'sigmoid') {
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
