/**
 * Additive attention of an encoder-decoder's decoder over the encoder's steps (Bahdanau et al.
 * 2015's scores), applied after the decoder stack as Luong et al. (2015) do, so teacher-forced
 * training attends over all decoder steps in one go:
 *
 *   e[t, s] = v . tanh(h_s W_enc + d_t W_dec)       (h_s encoder top output, d_t decoder top output)
 *   a[t, .] = softmax over the source's real steps   (padding: -1e9 before, times the mask after)
 *   c_t     = sum_s a[t, s] h_s
 *   h~_t    = tanh([c_t; d_t] W_c + b_c)            (what the output layer reads)
 *
 * The attentional state h~_t is not fed back into the decoder (no input feeding), so decoding
 * step by step computes exactly what the teacher-forced forward computes. Autodiff gives the
 * gradient (products, tanh, softmax). Decoding with the native addon steps the same formulas in
 * C++ instead (kernels/native-decoder-attention.ts, tested against attendToEncoder).
 */
import * as tf from '@tensorflow/tfjs';
import { framewiseProduct } from './kernels/native-dense';

/** The parameters of decoder attention ('attention/*'). */
export interface DecoderAttentionParams {
  /** W_enc [encoderSize, attentionSize]. */
  encoderKernel: tf.Tensor2D;
  /** W_dec [decoderSize, attentionSize]. */
  decoderKernel: tf.Tensor2D;
  /** v [attentionSize, 1]. */
  vector: tf.Tensor2D;
  /** W_c [encoderSize + decoderSize, decoderSize]. */
  combineKernel: tf.Tensor2D;
  /** b_c [decoderSize]. */
  combineBias: tf.Tensor1D;
}

/**
 * What the decoder attends to, batch-major so that a beam can pick rows with one gather on
 * axis 0: the encoder's top outputs, their projections by W_enc (computed once per source) and
 * the source mask.
 */
export interface EncoderMemory {
  /** h_s: [batch, sourceTime, encoderSize]. */
  values: tf.Tensor3D;
  /** h_s W_enc: [batch, sourceTime, attentionSize]. */
  keys: tf.Tensor3D;
  /** [batch, sourceTime], 1 for real steps; null when nothing is padded. */
  mask: tf.Tensor2D | null;
}

export interface Attended {
  /** h~: [decoderTime, batch, decoderSize] (time-major, as the output layer reads it). */
  attended: tf.Tensor3D;
  /** a: [batch, decoderTime, sourceTime], rows summing to 1 over the real source steps, 0 on padding. */
  weights: tf.Tensor3D;
}

/** The memory of time-major encoder outputs [sourceTime, batch, size] and a [batch, sourceTime] mask. */
export function encoderMemory(
  outputs: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  params: Pick<DecoderAttentionParams, 'encoderKernel'>,
): EncoderMemory {
  const [time, batch, size] = outputs.shape;
  const values = tf.transpose(outputs, [1, 0, 2]) as tf.Tensor3D;
  const flat = tf.reshape(values, [batch * time, size]) as tf.Tensor2D;
  const keys = tf.reshape(framewiseProduct(flat, params.encoderKernel), [
    batch,
    time,
    params.encoderKernel.shape[1],
  ]) as tf.Tensor3D;
  return { values, keys, mask: mask ? (tf.cast(mask, 'float32') as tf.Tensor2D) : null };
}

/** The memory rows of the given sources, in order (a beam's hypotheses share their source's row). */
export function gatherMemory(memory: EncoderMemory, rows: tf.Tensor1D): EncoderMemory {
  return {
    values: tf.gather(memory.values, rows) as tf.Tensor3D,
    keys: tf.gather(memory.keys, rows) as tf.Tensor3D,
    mask: memory.mask ? (tf.gather(memory.mask, rows) as tf.Tensor2D) : null,
  };
}

/** Keeps a memory made inside tf.tidy alive after it (null stays null). */
export function keepMemory(memory: EncoderMemory | null): EncoderMemory | null {
  if (!memory) return null;
  return {
    values: tf.keep(memory.values),
    keys: tf.keep(memory.keys),
    mask: memory.mask ? tf.keep(memory.mask) : null,
  };
}

export function disposeMemory(memory: EncoderMemory | null): void {
  if (memory) tf.dispose([memory.values, memory.keys, ...(memory.mask ? [memory.mask] : [])]);
}

/** Attends from every decoder output [decoderTime, batch, decoderSize] to the memory. */
export function attendToEncoder(
  decoderOutputs: tf.Tensor3D,
  memory: EncoderMemory,
  params: DecoderAttentionParams,
): Attended {
  const [steps, batch, size] = decoderOutputs.shape;
  const sourceTime = memory.keys.shape[1];
  const attentionSize = params.vector.shape[0];
  const flat = tf.reshape(decoderOutputs, [steps * batch, size]) as tf.Tensor2D;
  // Queries d_t W_dec: [steps, batch, a] -> [batch, steps, 1, a], against keys [batch, 1, S, a].
  const queries = tf.transpose(
    tf.reshape(framewiseProduct(flat, params.decoderKernel), [steps, batch, attentionSize]),
    [1, 0, 2],
  );
  const hidden = tf.tanh(tf.add(tf.expandDims(queries, 2), tf.expandDims(memory.keys, 1)));
  const scores = tf.reshape(
    framewiseProduct(tf.reshape(hidden, [-1, attentionSize]) as tf.Tensor2D, params.vector),
    [batch, steps, sourceTime],
  );
  const real = memory.mask ? tf.expandDims(memory.mask, 1) : null;
  const weights = (
    real
      ? tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(real, 1), 1e9))), real)
      : tf.softmax(scores)
  ) as tf.Tensor3D;
  // Context vectors [batch, steps, encoderSize] -> time-major, beside the decoder outputs.
  const context = tf.transpose(tf.matMul(weights, memory.values), [1, 0, 2]);
  const both = tf.reshape(tf.concat([context, decoderOutputs], 2), [
    steps * batch,
    -1,
  ]) as tf.Tensor2D;
  const combined = tf.tanh(
    tf.add(framewiseProduct(both, params.combineKernel), params.combineBias),
  );
  return {
    attended: tf.reshape(combined, [steps, batch, params.combineBias.shape[0]]) as tf.Tensor3D,
    weights,
  };
}
