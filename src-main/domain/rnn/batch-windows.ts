/**
 * Truncated BPTT's windows of a per-step batch, cut on the host. The wasm backend's slice reads
 * the whole source tensor out of its heap for every slice (tfjs-backend-wasm's `slice` calls
 * `readSync` on all of it), and a language model's batch is an epoch of text in a few streams:
 * for a biLM on 2.7 M words its character ids alone are [40, 134,000, 24] int32, 0.5 GB copied
 * for every 20-step window. Here each tensor is read once, and a window copies only its steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainBatch } from './batching';

/** The [rows, time, ...] tensors a window cuts along time. */
export const STEP_FIELDS = [
  'inputs',
  'mask',
  'targets',
  'charInputs',
  'caseInputs',
  'tokenDropout',
  'contextualInputs',
] as const;
type StepField = (typeof STEP_FIELDS)[number];

interface HostTensor {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tf.DataType;
}

export class BatchWindows {
  private readonly host = new Map<StepField, HostTensor>();
  readonly time: number;

  constructor(batch: TrainBatch) {
    this.time = batch.mask.shape[1];
    for (const field of STEP_FIELDS) {
      const tensor = batch[field];
      if (!tensor) continue;
      const values = tensor.dataSync() as Float32Array | Int32Array | Uint8Array;
      this.host.set(field, { values, shape: tensor.shape, dtype: tensor.dtype });
    }
  }

  /** Steps [start, start + window) (fewer at the end) of every per-step tensor, as new tensors. */
  window(start: number, window: number): TrainBatch {
    const size = Math.min(window, this.time - start);
    if (!(size > 0)) throw new RangeError(`window at step ${start} of ${this.time}`);
    /** The window's values of one field (row by row), or null when the batch has none. */
    const hostCut = (
      field: StepField,
    ): { values: HostTensor['values']; shape: number[] } | null => {
      const source = this.host.get(field);
      if (!source) return null;
      const [rows = 0, time = 0, ...inner] = source.shape;
      const stride = inner.reduce((a, b) => a * b, 1);
      const Values = source.values.constructor as new (length: number) => HostTensor['values'];
      const values = new Values(rows * size * stride);
      for (let row = 0; row < rows; row++) {
        const from = (row * time + start) * stride;
        values.set(source.values.subarray(from, from + size * stride), row * size * stride);
      }
      return { values, shape: [rows, size, ...inner] };
    };
    const tensorOf = (
      field: StepField,
      part: { values: HostTensor['values']; shape: number[] },
    ): tf.Tensor => tf.tensor(part.values, part.shape, this.host.get(field)?.dtype);
    const cut = (field: StepField): tf.Tensor | undefined => {
      const part = hostCut(field);
      return part ? tensorOf(field, part) : undefined;
    };
    // The frames are counted on the host copy, not read back from the new tensor.
    const maskValues = hostCut('mask');
    if (!maskValues) throw new Error('a per-step batch has a mask');
    let frames = 0;
    const values = maskValues.values;
    for (let i = 0; i < values.length; i++) frames += values[i] as number;
    const mask = tensorOf('mask', maskValues) as tf.Tensor2D;
    return {
      inputs: cut('inputs') as tf.Tensor,
      mask,
      targets: cut('targets') as tf.Tensor,
      targetMask: mask,
      frames: Math.round(frames),
      charInputs: cut('charInputs') as tf.Tensor3D | undefined,
      caseInputs: cut('caseInputs') as tf.Tensor2D | undefined,
      tokenDropout: cut('tokenDropout') as tf.Tensor2D | undefined,
      contextualInputs: cut('contextualInputs') as tf.Tensor3D | undefined,
    };
  }
}

/** One window of a per-step batch (the batch read once for it; BatchWindows for many). */
export function sliceBatchWindow(batch: TrainBatch, start: number, window: number): TrainBatch {
  return new BatchWindows(batch).window(start, window);
}
