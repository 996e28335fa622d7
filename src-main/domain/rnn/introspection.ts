import * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
import { modelBatchOf } from './batching';
import type { TrainBatch } from './batching';
import { createKernel } from './cell-spec';
import {
  nativeLayerGradients,
  nativeTraceOf,
  runNativeLayer,
  type NativeLayerInputs,
  type NativeLayerRun,
} from './kernels/native-introspection';
import { chooseRnnKernel, nativeCellOf } from './kernels/native-sequence';
import { sequenceLoss } from './losses';
import { cellSpecOf } from './model-params';
import type { LayerConfig } from './model-config';
import type { ForwardResult, HookedLayer, LayerHook, ModelBatch, RnnModel } from './rnn-model';

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

/**
 * How each layer is re-run for its trace: `auto` on the native addon when it loads (one forward
 * and one backward over typed arrays), `tensor-ops` always on the TF.js kernels (per-step ops).
 * Both give the same values (native-introspection.spec.ts).
 */
export const INTROSPECTION_ENGINES = ['auto', 'tensor-ops'] as const;
export type IntrospectionEngine = (typeof INTROSPECTION_ENGINES)[number];

/** Row-major [time, rest...] with its time blocks in reverse order when `reverse`. */
function timeOrdered(values: Float32Array, time: number, reverse: boolean): Float32Array {
  if (!reverse) return values;
  const size = values.length / Math.max(1, time);
  const out = new Float32Array(values.length);
  for (let t = 0; t < time; t++)
    out.set(values.subarray(t * size, (t + 1) * size), (time - 1 - t) * size);
  return out;
}

/** ||row|| of each row of a row-major [rows, size] array. */
function rowNorms(values: Float32Array, rows: number, size: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let q = 0; q < rows; q++) {
    let sum = 0;
    for (let k = 0; k < size; k++) sum += (values[q * size + k] as number) ** 2;
    norms[q] = Math.sqrt(sum);
  }
  return norms;
}

function toShaped(steps: tf.Tensor[], reverse: boolean): ShapedArray {
  const stacked = tf.stack(reverse ? [...steps].reverse() : steps);
  const result = { data: stacked.dataSync() as Float32Array, shape: stacked.shape };
  stacked.dispose();
  return result;
}

type LayerHookInfo = Parameters<LayerHook>[0];

/** What a layer direction read, as its hook saw it (processing order). */
function inputsOf(info: LayerHookInfo): NativeLayerInputs {
  const [time, batch, inputSize] = info.input.shape;
  const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
  return {
    x: read(info.input),
    weights: info.weights.map(read),
    h0: read(info.h0),
    c0: info.c0 ? read(info.c0) : null,
    mask: info.mask ? read(info.mask) : null,
    time,
    batch,
    inputSize,
  };
}

/** A layer direction's native run in the gradient pass. */
interface NativeLayerEntry {
  layer: LayerConfig;
  run: NativeLayerRun;
  /** Its backward's parts for the trace, once the pass has run it (a layer with one below). */
  recurrent: Float32Array | null;
}

/**
 * The layer's outputs as a node of the gradient pass, from its own native run (the numbers of the
 * model's sequence op, which it replaces there): its gradient is one native backward that gives
 * the trace's parts and the gradient into the layer's inputs, so the pass runs no other backward
 * of the layer.
 */
function nativeLayerNode(
  addon: RnnNativeAddon,
  entry: NativeLayerEntry,
  info: LayerHookInfo,
): tf.Tensor3D {
  const { time, batch } = entry.run.inputs;
  const hidden = entry.run.hidden;
  const inputs = info.c0 ? [info.input, info.h0, info.c0] : [info.input, info.h0];
  const node = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    received.pop(); // save: the run keeps what the backward needs
    const value = tf.tensor3d(hidden, [time, batch, hidden.length / (time * batch)]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const gradients = nativeLayerGradients(addon, entry.run, dy.dataSync() as Float32Array, true);
      entry.recurrent = gradients.recurrent;
      const { dx, dh0, dc0 } = gradients.inputs as NonNullable<typeof gradients.inputs>;
      const result = [tf.tensor(dx, info.input.shape), tf.tensor(dh0, info.h0.shape)];
      if (info.c0) result.push(tf.tensor(dc0 ?? new Float32Array(info.c0.size), info.c0.shape));
      return result;
    };
    return { value, gradFunc };
  });
  return node(...inputs);
}

function nativeTrace(
  addon: RnnNativeAddon,
  key: string,
  entry: NativeLayerEntry,
  dOutputs: Float32Array,
  dFinalCell: Float32Array | null,
): LayerTrace {
  const { time, batch } = entry.run.inputs;
  const reverse = key.endsWith('/bw');
  // The pass ran the backward of every layer with one below; the lowest one's runs here, and
  // so does that of a layer whose final cell state the loss reaches (the pass's had no dFinalCell).
  const recurrent =
    (dFinalCell ? null : entry.recurrent) ??
    nativeLayerGradients(addon, entry.run, dOutputs, false, dFinalCell).recurrent;
  const traced = nativeTraceOf(entry.run, dOutputs, recurrent);
  const shaped = (values: Float32Array): ShapedArray => ({
    data: timeOrdered(values, time, reverse),
    shape: [time, batch, values.length / (time * batch)],
  });
  const output = traced.hidden.length / (time * batch);
  return {
    layer: key,
    cellKind: entry.layer.cell,
    gates: Object.fromEntries(
      Object.entries(traced.gates).map(([name, values]) => [name, shaped(values)]),
    ),
    hidden: shaped(traced.hidden),
    cellState: traced.cell ? shaped(traced.cell) : null,
    gradNorm: {
      data: timeOrdered(rowNorms(traced.dh, time * batch, output), time, reverse),
      shape: [time, batch],
    },
  };
}

/** The output shape of every layer direction, by key, from one forward pass. */
function layerOutputShapes(model: RnnModel, modelBatch: ModelBatch): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  tf.tidy(() => {
    model.forward(modelBatch, {
      training: false,
      onLayer: (info) => {
        shapes.set(info.key, info.result.outputs.shape);
      },
    });
  });
  return shapes;
}

export interface IntrospectOptions {
  engine?: IntrospectionEngine;
  /**
   * The output shape of every layer direction by key, when the caller already ran the batch
   * forwards (saves a forward pass); in the order the layers run.
   */
  layerShapes?: ReadonlyMap<string, number[]>;
  /**
   * The loss whose gradient is traced, from the logits of the gradient pass (default: the
   * batch's sequence loss). A caller that scores the model's own answer reads the logits here
   * and picks its targets from them, so finding the answer costs no forward pass of its own;
   * the pass's whole result (an encoder-decoder's attention, with `withAttention`) comes too.
   */
  loss?: (logits: tf.Tensor, forward: ForwardResult) => tf.Scalar;
  /** Run the gradient pass with `withAttention` (its `alignment` reaches `loss`). */
  withAttention?: boolean;
}

/** The cell state size of the layer a key (`encoder/layer0/fw`) names; 0 for cells without one. */
function encoderCellSize(model: RnnModel, key: string): number {
  const layer = model.config.layers[Number(/^encoder\/layer(\d+)\//.exec(key)?.[1] ?? -1)];
  return layer ? createKernel(cellSpecOf(layer)).cellSize : 0;
}

/**
 * An encoder layer direction of an encoder-decoder with its final state probed: the final output
 * is the last row of its probed outputs (in the order it ran, padding repeating the last real
 * output, that is its final output), so the gradient from the decoder's start state reaches
 * dLoss/dh_T; the final cell state gets a probe of its own, whose gradient is dLoss/dc_T.
 */
function probedFinalStates(
  outputs: tf.Tensor3D,
  finalCell: tf.Tensor | null,
  cellProbe: tf.Tensor | undefined,
): HookedLayer {
  const [time, batch, size] = outputs.shape;
  const finalOutput = tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, batch, size]), [
    batch,
    size,
  ]);
  return {
    outputs,
    finalOutput,
    ...(finalCell && cellProbe ? { finalCell: tf.add(finalCell, cellProbe) } : {}),
  };
}

/**
 * Looks inside every recurrent layer for one batch: gates, states and the per-step gradient
 * norm. Time runs forwards in every trace (a backward direction is flipped back). Gets
 * dLoss/dOutput of each layer from above through zero "probes" added to each layer's output
 * (one forward and backward pass of the model), and each layer's BPTT given those gradients: on
 * the native addon within that pass (each layer's own native run stands in for its sequence op,
 * and its one backward serves both the pass and the trace; the lowest layer's runs after it), or
 * on the TF.js kernels in one more forward pass. An encoder-decoder's encoder layers also get
 * the gradient that reaches their final state from the decoder (probedFinalStates): with the
 * attention's, through the encoder outputs, it is all that reaches them.
 */
export function introspect(
  model: RnnModel,
  batch: TrainBatch,
  options: IntrospectOptions = {},
): LayerTrace[] {
  const addon = options.engine === 'tensor-ops' ? null : chooseRnnKernel().addon;
  const modelBatch = modelBatchOf(batch);
  const shapes = options.layerShapes ?? layerOutputShapes(model, modelBatch);
  const keys = [...shapes.keys()];
  const loss = options.loss ?? ((logits) => sequenceLoss(model.config, logits, batch).loss);
  const native = new Map<string, NativeLayerEntry>();
  const probes = keys.map((key) => tf.zeros(shapes.get(key) as number[]));
  // An encoder-decoder's encoder layers: the final cell states the decoder starts from.
  const finalCellKeys =
    model.config.pattern === 'encoder-decoder'
      ? keys.filter((key) => key.startsWith('encoder/') && encoderCellSize(model, key) > 0)
      : [];
  const cellProbes = finalCellKeys.map((key) =>
    tf.zeros([(shapes.get(key) as number[])[1] as number, encoderCellSize(model, key)]),
  );
  /** A final cell state's entry in a list of the probes, or of their gradients. */
  const finalCellEntry = (list: readonly tf.Tensor[], key: string): tf.Tensor | undefined => {
    const k = finalCellKeys.indexOf(key);
    return k < 0 ? undefined : list[keys.length + k];
  };
  const probedEncoder = (key: string): boolean =>
    model.config.pattern === 'encoder-decoder' && key.startsWith('encoder/');
  const allGrads = tf.grads((...p: tf.Tensor[]) => {
    const forward = model.forward(modelBatch, {
      training: false,
      withAttention: options.withAttention ?? false,
      onLayer: (info) => {
        const probe = p[keys.indexOf(info.key)];
        // A probe of another shape would broadcast and give a wrong gradient.
        if (!probe || !tf.util.arraysEqual(probe.shape, info.result.outputs.shape))
          throw new Error(
            `introspect: layer ${info.key} gave [${info.result.outputs.shape.join(', ')}], not the shape [${probe?.shape.join(', ') ?? ''}] its probe was made for`,
          );
        let outputs: tf.Tensor3D = info.result.outputs;
        if (addon) {
          const cell = nativeCellOf(cellSpecOf(info.layer));
          const entry: NativeLayerEntry = {
            layer: info.layer,
            run: runNativeLayer(addon, cell, inputsOf(info)),
            recurrent: null,
          };
          native.set(info.key, entry);
          outputs = nativeLayerNode(addon, entry, info);
        }
        const probed = tf.add(outputs, probe) as tf.Tensor3D;
        if (!probedEncoder(info.key)) return probed;
        return probedFinalStates(probed, info.result.finalCell, finalCellEntry(p, info.key));
      },
    });
    return loss(forward.logits, forward);
  })([...probes, ...cellProbes]);
  tf.dispose([...probes, ...cellProbes]);
  const fromAbove = allGrads.slice(0, keys.length);
  if (addon) {
    const traces = keys.map((key, k) =>
      nativeTrace(
        addon,
        key,
        native.get(key) as NativeLayerEntry,
        (fromAbove[k] as tf.Tensor).dataSync() as Float32Array,
        (finalCellEntry(allGrads, key)?.dataSync() as Float32Array | undefined) ?? null,
      ),
    );
    tf.dispose(allGrads);
    return traces;
  }
  const traces: LayerTrace[] = [];
  tf.tidy(() => {
    model.forward(modelBatch, {
      training: false,
      onLayer: (info) => {
        const upstream = fromAbove[keys.indexOf(info.key)] as tf.Tensor;
        const reverse = info.key.endsWith('/bw');
        const kernel = createKernel(cellSpecOf(info.layer));
        const inputs = {
          x: info.input,
          weights: info.weights,
          h0: info.h0,
          c0: info.c0,
          mask: info.mask,
        };
        const forward = kernel.forward(inputs);
        const time = upstream.shape[0] as number;
        const dOutputs = tf.split(upstream, time, 0).map((t) => tf.squeeze(t, [0]));
        const dFinalCell =
          kernel.cellSize > 0
            ? (finalCellEntry(allGrads, info.key) ??
              tf.zeros([info.input.shape[1], kernel.cellSize]))
            : null;
        const backward = kernel.backward(inputs, forward.cache, dOutputs, dFinalCell);
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
  tf.dispose(allGrads);
  return traces;
}
