import * as tf from '@tensorflow/tfjs';

/** prev + m * (next - prev): with m in {0,1} a padded step (m = 0) keeps the previous state. */
export function blendMasked(prev: tf.Tensor, next: tf.Tensor, m: tf.Tensor | null): tf.Tensor {
  if (m === null) return next;
  return tf.add(prev, tf.mul(m, tf.sub(next, prev)));
}

/** Splits dLoss/dState into the part that reaches the new state (m * d) and the part carried past a padded step. */
export function splitMaskedGrad(
  d: tf.Tensor,
  m: tf.Tensor | null,
  oneMinusM: tf.Tensor | null,
): [tf.Tensor, tf.Tensor | null] {
  if (m === null || oneMinusM === null) return [d, null];
  return [tf.mul(m, d), tf.mul(oneMinusM, d)];
}

/** sigma'(z) expressed from s = sigma(z): s (1 - s). */
export function sigmoidDerivative(s: tf.Tensor): tf.Tensor {
  return tf.mul(s, tf.sub(1, s));
}

/** tanh'(z) expressed from t = tanh(z): 1 - t^2. */
export function tanhDerivative(t: tf.Tensor): tf.Tensor {
  return tf.sub(1, tf.square(t));
}

/**
 * A^T B for the weight gradients, as an explicit transpose followed by a plain product:
 * the wasm backend multiplies transposed operands more than 10x slower (see PITFALLS.md).
 */
export function matMulAT(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(tf.transpose(a), b);
}

/**
 * [dW; dU] = [X | Hprev]^T DZ as ONE product: XNNPACK packs the right operand on every call, and
 * packing DZ ([time * batch, gates], fresh each step) cost as much as a third of each product
 * (measured: 901 -> 681 ms for both gradients of a 256-unit LSTM layer over 6400 frames).
 */
export function inputAndRecurrentWeightGradients(
  x: tf.Tensor,
  hPrev: tf.Tensor,
  dz: tf.Tensor,
): [tf.Tensor, tf.Tensor] {
  const inputSize = x.shape[1] as number;
  const both = matMulAT(tf.concat([x, hPrev], 1), dz);
  return tf.split(both, [inputSize, hPrev.shape[1] as number], 0) as [tf.Tensor, tf.Tensor];
}

/** Stacks per-step [batch, n] tensors into [time * batch, n] for one big weight-gradient product. */
export function stackSteps(steps: tf.Tensor[]): tf.Tensor {
  return tf.concat(steps, 0);
}

/**
 * Splits [time, batch, n] into per-step [batch, n] tensors: one read of the whole tensor, then
 * one small upload per step. Not tf.unstack or tf.slice: the wasm backend's Slice/Unpack copy
 * the WHOLE input out of the heap on every call (readSync), ~13 ms per step at [200, 32, 1024].
 */
export function unstackTime(x: tf.Tensor): tf.Tensor[] {
  const [time, batch, n] = x.shape as [number, number, number];
  const values = x.dataSync() as Float32Array;
  const stepSize = batch * n;
  const steps: tf.Tensor[] = [];
  for (let t = 0; t < time; t++) {
    steps.push(tf.tensor2d(values.subarray(t * stepSize, (t + 1) * stepSize), [batch, n]));
  }
  return steps;
}

export function maskSteps(mask: tf.Tensor3D | null, time: number): Array<tf.Tensor | null> {
  if (mask === null) return new Array<tf.Tensor | null>(time).fill(null);
  return unstackTime(mask);
}

/** x [time, batch, in] @ w [in, out] + b, for all steps in one product. */
export function projectAllSteps(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const [time, batch, inputSize] = x.shape;
  const flat = tf.reshape(x, [time * batch, inputSize]) as tf.Tensor;
  const projected = tf.add(tf.matMul(flat, w), b);
  return tf.reshape(projected, [time, batch, w.shape[1] as number]);
}

/** dX = DZ @ W^T with a transposed copy of W (plain product), back to [time, batch, in]. */
export function inputGradient(
  dz: tf.Tensor,
  w: tf.Tensor,
  time: number,
  batch: number,
): tf.Tensor3D {
  const dx = tf.matMul(dz, tf.transpose(w));
  return tf.reshape(dx, [time, batch, w.shape[0] as number]);
}
