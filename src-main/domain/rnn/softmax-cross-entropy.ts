import * as tf from '@tensorflow/tfjs';

export interface SoftmaxCrossEntropy {
  /** Weighted mean cross-entropy over the rows (a custom-gradient node on the logits). */
  loss: tf.Scalar;
  /** Weighted count of rows whose largest logit is the target's (the first largest on ties). */
  correct: number;
  /** The weights' sum, at least 1 (the mean's divisor). */
  count: number;
}

/** The mean of one row's logits. */
function rowMeanLogit(values: Float32Array, base: number, classes: number): number {
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += values[base + c] as number;
  return sum / classes;
}

/** log-sum-exp of one row minus its target's logit (target -1: none, an infinite loss). */
function rowCrossEntropy(
  values: Float32Array,
  base: number,
  classes: number,
  target: number,
): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, values[base + c] as number);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp((values[base + c] as number) - max);
  return max + Math.log(sum) - (target >= 0 ? (values[base + target] as number) : -Infinity);
}

/**
 * Softmax cross-entropy of `logits` (rows of `classes` values, any leading shape flattened in
 * row-major order) against class `ids` with per-row `weights` (0 for padding), as one node:
 * the forward pass keeps each row's softmax, and the gradient is (softmax - one-hot) x weight /
 * count. Built from TF.js ops (one-hot, log-softmax, products, sums, argmax) the same loss
 * made about ten passes over the logits and as many temporary tensors of their size, which
 * dominated a word language model's step (a 10,000-word softmax is 7 million numbers for 20
 * streams x 35 steps); here it is a softmax and an argmax forwards and one pass backwards.
 * Rows of weight 0 get a zero gradient. A NaN or infinite logit in a weighted row makes the
 * loss NaN, as the TF.js formulation does.
 *
 * Label smoothing s scores each row against (1 - s) one-hot + s / classes: the loss is
 * (1 - s) x the cross-entropy + s x the mean over the classes of -log p, and the gradient
 * softmax - (1 - s) one-hot - s / classes.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  ids: ArrayLike<number>,
  weights: ArrayLike<number>,
  smoothing = 0,
): SoftmaxCrossEntropy {
  const classes = logits.shape[logits.rank - 1] as number;
  const rows = ids.length;
  if (logits.size !== rows * classes || weights.length !== rows)
    throw new Error(
      `softmaxCrossEntropy: ${rows} ids and ${weights.length} weights for logits of shape [${logits.shape.join(', ')}]`,
    );
  if (!(smoothing >= 0 && smoothing < 1))
    throw new Error(`softmaxCrossEntropy: smoothing ${smoothing} is not in [0, 1)`);
  const result = { correct: 0, count: 1 };
  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = received[0] as tf.Tensor;
    // The softmax and the argmax run as backend kernels (XNNPACK's softmax on wasm is about
    // ten times faster than Math.exp over the same numbers); the rest reads their outputs.
    const [softmaxTensor, bestTensor] = tf.tidy(() => [tf.softmax(x), tf.argMax(x, -1)]);
    const softmax = (softmaxTensor as tf.Tensor).dataSync() as Float32Array;
    const best = (bestTensor as tf.Tensor).dataSync();
    tf.dispose([softmaxTensor as tf.Tensor, bestTensor as tf.Tensor]);
    let logitValues: Float32Array | null = null;
    let lossSum = 0;
    let weightSum = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const weight = weights[r] as number;
      if (weight === 0) continue;
      const target = ids[r] as number;
      const inRange = target >= 0 && target < classes;
      const p = inRange ? (softmax[r * classes + target] as number) : 0;
      // -log p is exact to float32 rounding unless p underflows (or is NaN): then the row's
      // log-sum-exp is computed from its logits.
      let rowLoss: number;
      if (p > 1e-30) rowLoss = -Math.log(p);
      else {
        logitValues ??= x.dataSync() as Float32Array;
        rowLoss = rowCrossEntropy(logitValues, r * classes, classes, inRange ? target : -1);
      }
      if (smoothing > 0) {
        // The mean over the classes of -log p is log-sum-exp minus the mean logit, and
        // log-sum-exp is the cross-entropy plus the target's logit (a target outside the
        // classes has an infinite loss either way).
        logitValues ??= x.dataSync() as Float32Array;
        const logSumExp = rowLoss + (inRange ? (logitValues[r * classes + target] as number) : 0);
        rowLoss =
          (1 - smoothing) * rowLoss +
          smoothing * (logSumExp - rowMeanLogit(logitValues, r * classes, classes));
      }
      lossSum += weight * rowLoss;
      if (best[r] === target) correct += weight;
      weightSum += weight;
    }
    result.correct = correct;
    result.count = Math.max(weightSum, 1);
    const count = result.count;
    let softmaxTaken = false;
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const scale = (dy.dataSync()[0] as number) / count;
      // The softmax buffer becomes the gradient (a copy if a second gradient asks).
      const gradient = softmaxTaken ? softmax.slice() : softmax;
      softmaxTaken = true;
      for (let r = 0; r < rows; r++) {
        const base = r * classes;
        const factor = (weights[r] as number) * scale;
        if (factor === 0) {
          gradient.fill(0, base, base + classes);
          continue;
        }
        const spread = (factor * smoothing) / classes;
        for (let c = 0; c < classes; c++)
          gradient[base + c] = (gradient[base + c] as number) * factor - spread;
        const target = ids[r] as number;
        if (target >= 0 && target < classes)
          gradient[base + target] = (gradient[base + target] as number) - factor * (1 - smoothing);
      }
      return tf.tensor(gradient, x.shape, 'float32');
    };
    return { value: tf.scalar(lossSum / count), gradFunc };
  });
  const loss = op(logits) as tf.Scalar;
  return { loss, correct: result.correct, count: result.count };
}
