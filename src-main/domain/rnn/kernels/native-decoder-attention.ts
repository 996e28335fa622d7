/**
 * Decoder attention (decoder-attention.ts's formulas) stepped on the native addon for decoding:
 * the weights and an encoded batch's memory read into typed arrays once, then every step one
 * addon call from the decoder's top outputs to the attended outputs and the weights, with no
 * tensor, no wasm op and no gathered copy of the memory per step (each row reads its source's
 * memory in place). Training keeps attendToEncoder, whose autodiff gives the gradient.
 *
 * The numbers match attendToEncoder to ~1e-6, not bit for bit: the native tanh is the recurrent
 * kernels' vectorised one (libm's tanhf, which the wasm path calls, is a scalar call per value
 * and was a quarter of a beam step), and the scores sum v . tanh(...) in another order.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import type { DecoderAttentionParams, EncoderMemory } from '../decoder-attention';

/** Decoder attention's weights as typed arrays (read once per model). */
export interface NativeAttentionWeights {
  decoderKernel: Float32Array;
  vector: Float32Array;
  combineKernel: Float32Array;
  combineBias: Float32Array;
  /** D, the decoder top layer's size. */
  decoderSize: number;
  /** A. */
  attentionSize: number;
  /** E, the encoder top output's size. */
  encoderSize: number;
}

/** An encoded batch's memory as typed arrays (read once per batch), batch-major. */
export interface NativeEncoderMemory {
  /** [batch, sourceTime, A]. */
  keys: Float32Array;
  /** [batch, sourceTime, E]. */
  values: Float32Array;
  /** [batch, sourceTime], 1 for real steps; null when nothing is padded. */
  mask: Float32Array | null;
  batch: number;
  sourceTime: number;
}

/** True when this addon has the native attention step (addons built before it lack it). */
export function hasNativeDecoderAttention(addon: RnnNativeAddon): boolean {
  return typeof addon.decoderAttention === 'function';
}

export function nativeAttentionWeights(params: DecoderAttentionParams): NativeAttentionWeights {
  const [decoderSize, attentionSize] = params.decoderKernel.shape;
  const data = (t: Tensor): Float32Array => t.dataSync() as Float32Array;
  return {
    decoderKernel: data(params.decoderKernel),
    vector: data(params.vector),
    combineKernel: data(params.combineKernel),
    combineBias: data(params.combineBias),
    decoderSize,
    attentionSize,
    encoderSize: params.encoderKernel.shape[0],
  };
}

/** The memory's values (copies on the wasm backend: the tensors stay the caller's). */
export function nativeEncoderMemory(memory: EncoderMemory): NativeEncoderMemory {
  const [batch, sourceTime] = memory.keys.shape;
  return {
    keys: memory.keys.dataSync() as Float32Array,
    values: memory.values.dataSync() as Float32Array,
    mask: memory.mask ? (memory.mask.dataSync() as Float32Array) : null,
    batch,
    sourceTime,
  };
}

export interface AttendedRows {
  /** h~ [rows, D]: what the output layer reads. */
  attended: Float32Array;
  /** a [rows, sourceTime]: each row sums to 1 over its source's real steps, 0 on padding. */
  weights: Float32Array;
}

/** Attends from the decoder's top outputs [rows, D]; row r reads memory row rowSources[r]. */
export function attendRowsNatively(
  addon: RnnNativeAddon,
  weights: NativeAttentionWeights,
  memory: NativeEncoderMemory,
  top: Float32Array,
  rowSources: Int32Array,
): AttendedRows {
  if (!addon.decoderAttention)
    throw new Error('the native addon was built without decoderAttention: rebuild it');
  const dims: NativeDims = [
    rowSources.length,
    memory.batch,
    memory.sourceTime,
    weights.decoderSize,
    weights.attentionSize,
    weights.encoderSize,
  ];
  const [attended, rowWeights] = addon.decoderAttention(dims, rowSources, [
    top,
    memory.keys,
    memory.values,
    memory.mask,
    weights.decoderKernel,
    weights.vector,
    weights.combineKernel,
    weights.combineBias,
  ]);
  return { attended, weights: rowWeights };
}
