/**
 * Introspection of one recurrent layer on the native addon: the gates, states and
 * ||dLoss/dh_t|| that `introspection.ts` reads from the TF.js kernels, from one native forward
 * pass and one native backward pass over typed arrays (no per-step TF.js ops).
 *
 * The addon's backward returns dLoss/dx per step, not dLoss/dh per step. Its dx is dz_t W^T, and
 * W enters nothing else the trace needs (the step gradients dz_t come from the cache, dout and
 * the recurrent weights), so the backward is run with a stand-in for W whose product with dz_t is
 * the recurrence's gradient into h_{t-1}: U itself for the LSTM family and Elman (dz_t U^T), and
 * for a reset-before GRU the two parts that the reset gate and the update gate then combine
 * ([dz_z dz_r] U_zr^T, and dz_h U_h^T = da_t). The per-step sums are then a walk back in JS,
 * O(steps x units). Masked steps carry the gradient past them as the kernels do.
 *
 * When the layer below needs dLoss/dx too, the stand-in is W stacked on the recurrence's matrix
 * ([W; U], an input of I + P features): its dx is [dz_t W^T | the recurrence's parts], so one
 * backward pass gives the layer's trace and the gradient it passes down.
 */
import { NATIVE_FLAGS } from '../../../native/rnn-native';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { nativeForward, type NativeCell, type NativeForward } from './native-sequence';

/** What a layer direction read, in the order it processed the steps. */
export interface NativeLayerInputs {
  /** [time, batch, input] */
  x: Float32Array;
  weights: Float32Array[];
  /** [batch, output] */
  h0: Float32Array;
  /** [batch, cell] (LSTM family), else null. */
  c0: Float32Array | null;
  /** [time, batch] of 0/1, or null. */
  mask: Float32Array | null;
  time: number;
  batch: number;
  inputSize: number;
}

export interface NativeLayerTrace {
  /** Gate activations by the TF.js kernels' names, [time, batch, units] each. */
  gates: Record<string, Float32Array>;
  /** The layer output per step, [time, batch, output]. */
  hidden: Float32Array;
  /** The unmasked new cell state per step (LSTM family), [time, batch, units]. */
  cell: Float32Array | null;
  /** dLoss/dh_t per step (from above at t and through the recurrence from t+1), [time, batch, output]. */
  dh: Float32Array;
}

/** Columns [from, to) of a row-major [rows, width] array. */
function columnRange(
  values: Float32Array,
  rows: number,
  width: number,
  from: number,
  to: number,
): Float32Array {
  const out = new Float32Array(rows * (to - from));
  for (let q = 0; q < rows; q++)
    out.set(values.subarray(q * width + from, q * width + to), q * (to - from));
  return out;
}

/** Column block `block` (of `blocks`, each `width` wide) of a row-major [rows, blocks * width] array. */
function columnBlock(
  values: Float32Array,
  rows: number,
  blocks: number,
  width: number,
  block: number,
): Float32Array {
  return columnRange(values, rows, blocks * width, block * width, (block + 1) * width);
}

/**
 * dLoss/dh_t for every step from dOutputs and the recurrence's gradient `fromNext(t, ...)` into
 * h_{t-1} given dh_t: walks back from the last step.
 */
function walkBack(
  layer: NativeLayerInputs,
  dOutputs: Float32Array,
  size: number,
  fromNext: (t: number, dh: Float32Array, into: Float32Array) => void,
): Float32Array {
  const { time, batch, mask } = layer;
  const rowSize = batch * size;
  const dh = new Float32Array(time * rowSize);
  const recurrent = new Float32Array(rowSize);
  for (let t = time - 1; t >= 0; t--) {
    const at = dh.subarray(t * rowSize, (t + 1) * rowSize);
    for (let k = 0; k < rowSize; k++)
      at[k] = (dOutputs[t * rowSize + k] as number) + (recurrent[k] as number);
    fromNext(t, at, recurrent);
    if (mask)
      for (let b = 0; b < batch; b++) {
        const keep = 1 - (mask[t * batch + b] as number);
        for (let j = 0; j < size; j++)
          recurrent[b * size + j] =
            (recurrent[b * size + j] as number) + keep * (at[b * size + j] as number);
      }
  }
  return dh;
}

/** A layer direction's native forward pass, kept for its backward pass and its trace. */
export interface NativeLayerRun {
  cell: NativeCell;
  inputs: NativeLayerInputs;
  forward: NativeForward;
  /** The layer output per step, [time, batch, output]. */
  hidden: Float32Array;
}

/** The size of a cell's output (the projection r of an LSTMP). */
function outputSizeOf(cell: NativeCell): number {
  return cell.family === 'lstm' ? (cell.projection ?? cell.units) : cell.units;
}

function flagsOf(cell: NativeCell, mask: Float32Array | null): number {
  return (
    (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
    (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
    (mask ? NATIVE_FLAGS.mask : 0) |
    (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0)
  );
}

/** One layer direction's forward pass on the native addon. */
export function runNativeLayer(
  addon: RnnNativeAddon,
  cell: NativeCell,
  inputs: NativeLayerInputs,
): NativeLayerRun {
  const { time, batch, inputSize, weights, mask } = inputs;
  const n = cell.units;
  const out = outputSizeOf(cell);
  const dims: NativeDims = [time, batch, inputSize, n, out, flagsOf(cell, mask)];
  const c0 = cell.family === 'lstm' ? (inputs.c0 ?? new Float32Array(batch * n)) : null;
  const forward = nativeForward(addon, cell, dims, inputs.x, weights, inputs.h0, c0, mask);
  return { cell, inputs, forward, hidden: forward.h.slice(batch * out) };
}

/** What a layer's backward pass gives: the recurrence's parts per step, and dLoss/dinputs. */
export interface NativeLayerGradients {
  /**
   * The primed dx, [time * batch, width]: the recurrence's gradient into h_{t-1} before the
   * mask's carry (LSTM family, Elman: width = output), or a GRU's two parts (width 2 x units).
   */
  recurrent: Float32Array;
  /** With `withInputs`: dLoss/dx [time, batch, input], dLoss/dh0 and (LSTM family) dLoss/dc0. */
  inputs: { dx: Float32Array; dh0: Float32Array; dc0: Float32Array | null } | null;
}

/** The matrix standing in for W: the recurrence's, with W on top when dx is wanted too. */
function standIn(cell: NativeCell, weights: Float32Array[], withInputs: boolean): Float32Array {
  const n = cell.units;
  const u = weights[1] as Float32Array;
  let primed = u;
  if (cell.family === 'gru') {
    // [2n, 3n]: rows 0..n-1 are U with its candidate block zeroed ([dz_z dz_r] U_zr^T), rows
    // n..2n-1 only its candidate block (da = dz_h U_h^T).
    primed = new Float32Array(2 * n * 3 * n);
    for (let i = 0; i < n; i++) {
      primed.set(u.subarray(i * 3 * n, i * 3 * n + 2 * n), i * 3 * n);
      primed.set(u.subarray(i * 3 * n + 2 * n, (i + 1) * 3 * n), (n + i) * 3 * n + 2 * n);
    }
  }
  if (!withInputs) return primed;
  const w = weights[0] as Float32Array;
  const stacked = new Float32Array(w.length + primed.length);
  stacked.set(w);
  stacked.set(primed, w.length);
  return stacked;
}

/**
 * One backward pass of a run given dLoss/dOutput per step (and, LSTM family, dLoss/dFinalCell:
 * an encoder's final cell state that a decoder starts from): the recurrence's parts the trace
 * walks back with, and with `withInputs` the gradient the layer passes to its inputs.
 */
export function nativeLayerGradients(
  addon: RnnNativeAddon,
  run: NativeLayerRun,
  dOutputs: Float32Array,
  withInputs: boolean,
  dFinalCell: Float32Array | null = null,
): NativeLayerGradients {
  const { cell, inputs, forward } = run;
  const { time, batch, inputSize, weights, mask } = inputs;
  const n = cell.units;
  const out = outputSizeOf(cell);
  const flags = flagsOf(cell, mask);
  const rows = time * batch;
  const width = cell.family === 'gru' ? 2 * n : out;
  const stacked = withInputs ? inputSize : 0;
  const input = stacked + width;
  const w = standIn(cell, weights, withInputs);
  const x = new Float32Array(rows * input);
  const u = weights[1] as Float32Array;
  let grads: Float32Array[];
  if (cell.family === 'lstm')
    grads = addon.lstmBackward(
      [time, batch, input, n, out, flags],
      [
        x,
        w,
        u,
        weights[2] ?? null,
        cell.peephole ? (weights[3] ?? null) : null,
        cell.projection !== null ? (weights[cell.peephole ? 4 : 3] ?? null) : null,
        mask,
        dOutputs,
        dFinalCell,
        ...forward.cache,
      ],
    );
  else {
    const dims: NativeDims = [time, batch, input, n, n, flags];
    const arrays = [x, w, u, mask, dOutputs, ...forward.cache];
    grads =
      cell.family === 'gru' ? addon.gruBackward(dims, arrays) : addon.elmanBackward(dims, arrays);
  }
  const dxStacked = grads[0] as Float32Array;
  if (!withInputs) return { recurrent: dxStacked, inputs: null };
  // dh0 and dc0 are the last two results of the LSTM's backward, dh0 the last of the others'.
  const last = grads.length - 1;
  return {
    recurrent: columnRange(dxStacked, rows, input, stacked, input),
    inputs: {
      dx: columnRange(dxStacked, rows, input, 0, stacked),
      dh0: (cell.family === 'lstm' ? grads[last - 1] : grads[last]) as Float32Array,
      dc0: cell.family === 'lstm' ? (grads[last] as Float32Array) : null,
    },
  };
}

/** The gates, states and dLoss/dh_t of a run, given its dOutputs and its backward's parts. */
export function nativeTraceOf(
  run: NativeLayerRun,
  dOutputs: Float32Array,
  recurrent: Float32Array,
): NativeLayerTrace {
  const { cell, inputs, forward, hidden } = run;
  const { time, batch, mask } = inputs;
  const n = cell.units;
  const out = outputSizeOf(cell);
  const rows = time * batch;
  const stepRows = (values: Float32Array, t: number, width: number): Float32Array =>
    values.subarray(t * batch * width, (t + 1) * batch * width);

  if (cell.family === 'lstm') {
    const [gates, , cnew] = forward.cache as [Float32Array, Float32Array, Float32Array];
    const dh = walkBack(inputs, dOutputs, out, (t, _dh, into) =>
      into.set(stepRows(recurrent, t, out)),
    );
    return {
      gates: {
        input: columnBlock(gates, rows, 4, n, 0),
        forget: columnBlock(gates, rows, 4, n, 1),
        candidate: columnBlock(gates, rows, 4, n, 2),
        output: columnBlock(gates, rows, 4, n, 3),
      },
      hidden,
      cell: cnew.slice(),
      dh,
    };
  }

  if (cell.family === 'gru') {
    const gates = forward.cache[0] as Float32Array;
    // h_{t-1} reaches h_t directly (z), through the candidate (r * h_{t-1}) and through the gates.
    const dh = walkBack(inputs, dOutputs, n, (t, dhAt, into) => {
      for (let b = 0; b < batch; b++) {
        const m = mask ? (mask[t * batch + b] as number) : 1;
        const g = (t * batch + b) * 3 * n;
        const p = (t * batch + b) * 2 * n;
        for (let j = 0; j < n; j++)
          into[b * n + j] =
            m * (dhAt[b * n + j] as number) * (gates[g + j] as number) +
            (recurrent[p + n + j] as number) * (gates[g + n + j] as number) +
            (recurrent[p + j] as number);
      }
    });
    return {
      gates: {
        update: columnBlock(gates, rows, 3, n, 0),
        reset: columnBlock(gates, rows, 3, n, 1),
        candidate: columnBlock(gates, rows, 3, n, 2),
      },
      hidden,
      cell: null,
      dh,
    };
  }

  const dh = walkBack(inputs, dOutputs, n, (t, _dh, into) => into.set(stepRows(recurrent, t, n)));
  return { gates: {}, hidden, cell: null, dh };
}
