import * as tf from '@tensorflow/tfjs';
import { modelBatchOf } from './batching';
import type { TrainBatch } from './batching';
import { createKernel } from './cell-spec';
import { sequenceLoss } from './losses';
import { cellSpecOf } from './model-params';
import type { RnnModel } from './rnn-model';

/** A dense array with its shape; what crosses IPC to the "Inside" views. */
export interface ShapedArray {
  data: Float32Array;
  /** [time, batch, units] for states and gates, [time, batch] for norms. */
  shape: number[];
}

export interface LayerTrace {
  /** `encoder/layer0/fw`, `encoder/layer0/bw`, `decoder/layer1/fw`... */
  layer: string;
  cellKind: string;
  /** Gate activations per step: input/forget/output/candidate (LSTM), update/reset/candidate (GRU). */
  gates: Record<string, ShapedArray>;
  /** Hidden state (the layer output; the projection r for LSTMP) per step. */
  hidden: ShapedArray;
  /** Cell state per step (LSTM family). */
  cellState: ShapedArray | null;
  /**
   * ||dLoss/dh_t|| per step and sequence: the total gradient reaching the hidden state at step t
   * (from the layers above at t and through the recurrence from t+1..T). How fast it shrinks
   * going back in time is the vanishing-gradient picture.
   */
  gradNorm: ShapedArray;
}

function toShaped(steps: tf.Tensor[], reverse: boolean): ShapedArray {
  const stacked = tf.stack(reverse ? [...steps].reverse() : steps);
  const result = { data: stacked.dataSync() as Float32Array, shape: stacked.shape };
  stacked.dispose();
  return result;
}

/**
 * Looks inside every recurrent layer for one batch: gates, states and the per-step gradient
 * norm. Time runs forwards in every trace (a backward direction is flipped back). Runs the
 * forward pass twice: once to get dLoss/dOutput of each layer from above (through zero
 * "probes" added to each layer's output), then once more to re-run each layer's kernel and its
 * BPTT with those gradients. The gradient into an encoder-decoder's final encoder cell state
 * is not included in the encoder traces.
 */
export function introspect(model: RnnModel, batch: TrainBatch): LayerTrace[] {
  const modelBatch = modelBatchOf(batch);
  const shapes = new Map<string, number[]>();
  tf.tidy(() => {
    model.forward(modelBatch, {
      training: false,
      onLayer: (info) => {
        shapes.set(info.key, info.result.outputs.shape);
      },
    });
  });
  const keys = [...shapes.keys()];
  const probes = keys.map((key) => tf.zeros(shapes.get(key) as number[]));
  const fromAbove = tf.grads((...p: tf.Tensor[]) => {
    const forward = model.forward(modelBatch, {
      training: false,
      onLayer: (info) =>
        tf.add(info.result.outputs, p[keys.indexOf(info.key)] as tf.Tensor) as tf.Tensor3D,
    });
    return sequenceLoss(model.config, forward.logits, batch).loss;
  })(probes);
  tf.dispose(probes);
  const traces: LayerTrace[] = [];
  tf.tidy(() => {
    model.forward(modelBatch, {
      training: false,
      onLayer: (info) => {
        const kernel = createKernel(cellSpecOf(info.layer));
        const inputs = {
          x: info.input,
          weights: info.weights,
          h0: info.h0,
          c0: info.c0,
          mask: info.mask,
        };
        const forward = kernel.forward(inputs);
        const upstream = fromAbove[keys.indexOf(info.key)] as tf.Tensor;
        const time = upstream.shape[0] as number;
        const dOutputs = tf.split(upstream, time, 0).map((t) => tf.squeeze(t, [0]));
        const dFinalCell =
          kernel.cellSize > 0 ? tf.zeros([info.input.shape[1], kernel.cellSize]) : null;
        const backward = kernel.backward(inputs, forward.cache, dOutputs, dFinalCell);
        const reverse = info.key.endsWith('/bw');
        const { cell, ...gates } = forward.gates;
        traces.push({
          layer: info.key,
          cellKind: info.layer.cell,
          gates: Object.fromEntries(
            Object.entries(gates).map(([name, steps]) => [name, toShaped(steps, reverse)]),
          ),
          hidden: toShaped(forward.outputs, reverse),
          cellState: cell ? toShaped(cell, reverse) : null,
          gradNorm: toShaped(
            backward.dhPerStep.map((d) => tf.sqrt(tf.sum(tf.square(d), 1))),
            reverse,
          ),
        });
      },
    });
  });
  tf.dispose(fromAbove);
  return traces;
}
