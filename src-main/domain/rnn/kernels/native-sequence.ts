import type { RnnKernelStatus } from '../../../api/app';
import * as tf from '@tensorflow/tfjs';
import { NATIVE_FLAGS, loadRnnNative } from '../../../native/rnn-native';
import type { NativeArrays, NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { UnfoldError } from '../../errors';
import type { CellSpec } from '../cell-kinds';
import { valuesView } from '../sparse-rows';
import type { ScratchArrays } from './scratch-arrays';
import { freshArrays, scratchArraysForBackend } from './scratch-arrays';
import type { SequenceInputs, SequenceKernel, SequenceResult } from './sequence-types';

/** What the native addon needs to know about a layer's cell. */
export interface NativeCell {
  family: 'lstm' | 'gru' | 'elman';
  units: number;
  /** LSTMP projection size, else null. */
  projection: number | null;
  peephole: boolean;
  /** Elman with the logistic sigmoid instead of tanh. */
  sigmoid: boolean;
}

export type RnnKernelImplementation = 'native' | 'tfjs';

export interface RnnKernelChoice {
  implementation: RnnKernelImplementation;
  reason: string;
  addon: RnnNativeAddon | null;
}

export function nativeCellOf(spec: CellSpec): NativeCell {
  const lstm = spec.cell === 'lstm' || spec.cell === 'peephole' || spec.cell === 'lstmp';
  return {
    family: lstm ? 'lstm' : spec.cell === 'gru' ? 'gru' : 'elman',
    units: spec.units,
    projection: spec.cell === 'lstmp' ? (spec.projection ?? null) : null,
    peephole: spec.cell === 'peephole' || spec.cell === 'lstmp',
    sigmoid: spec.cell === 'rnn' && spec.activation === 'sigmoid',
  };
}

// Kernels built from a CellSpec remember their cell here, so runSequence can hand them to the
// native addon; kernels built any other way always run on TF.js.
const nativeCells = new WeakMap<SequenceKernel, NativeCell>();

/** Marks a TF.js kernel as having a native twin; returns the same kernel. */
export function withNativeTwin(kernel: SequenceKernel, spec: CellSpec): SequenceKernel {
  nativeCells.set(kernel, nativeCellOf(spec));
  return kernel;
}

/**
 * Which implementation runs the sequence ops: UNFOLD_RNN_KERNEL=tfjs or native forces one
 * (native then fails loudly when the addon is missing), unset = native when it loads.
 */
export function chooseRnnKernel(env: NodeJS.ProcessEnv = process.env): RnnKernelChoice {
  const forced = env.UNFOLD_RNN_KERNEL;
  if (forced === 'tfjs')
    return { implementation: 'tfjs', reason: 'UNFOLD_RNN_KERNEL=tfjs', addon: null };
  if (forced !== undefined && forced !== '' && forced !== 'native' && forced !== 'auto') {
    throw new UnfoldError(
      'INVALID_ARGUMENT',
      `UNFOLD_RNN_KERNEL=${forced} is not a kernel; use native, tfjs or auto.`,
    );
  }
  const load = loadRnnNative(env);
  if (load.addon) {
    return {
      implementation: 'native',
      reason: `${forced === 'native' ? 'UNFOLD_RNN_KERNEL=native' : 'addon loaded'} (${load.threads} kernel threads: ${load.threadsChosenBy})`,
      addon: load.addon,
    };
  }
  if (forced === 'native') {
    throw new UnfoldError(
      'NATIVE_KERNEL_UNAVAILABLE',
      `UNFOLD_RNN_KERNEL=native but the native RNN kernel is ${load.reason}. Unset it to use the TF.js kernels.`,
    );
  }
  return { implementation: 'tfjs', reason: `native kernel ${load.reason}`, addon: null };
}

/** chooseRnnKernel as the app and the doctor report it: a bad setting is a status, not a throw. */
export function rnnKernelStatus(env: NodeJS.ProcessEnv = process.env): RnnKernelStatus {
  try {
    const { implementation, reason } = chooseRnnKernel(env);
    return { implementation, reason };
  } catch (error) {
    return { implementation: null, reason: (error as Error).message };
  }
}

/** The native runner for this kernel, or null when it must run on TF.js. */
export function nativeRunnerFor(
  kernel: SequenceKernel,
): ((inputs: SequenceInputs) => SequenceResult) | null {
  const cell = nativeCells.get(kernel);
  if (!cell) return null;
  const choice = chooseRnnKernel();
  if (!choice.addon) return null;
  const addon = choice.addon;
  return (inputs) => runNativeSequence(addon, cell, kernel, inputs);
}

const data = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;

// Weight values by TF.js data id: a tensor's data never changes and an optimizer step gives a
// variable a new data id, so this is exact. Reading the weights out of the wasm heap on every
// call (~1 MB per 256-unit LSTM layer) would otherwise dominate streaming (batch 1, one step).
const weightValues = new WeakMap<object, Float32Array>();
function weightData(t: tf.Tensor): Float32Array {
  const known = weightValues.get(t.dataId);
  if (known) return known;
  const values = data(t);
  weightValues.set(t.dataId, values);
  return values;
}

/** A tensor's values in an array of `scratch`'s (copied straight from the heap where it can). */
function scratchData(t: tf.Tensor, scratch: ScratchArrays): Float32Array {
  if (scratch === freshArrays) return data(t);
  const view = valuesView(t);
  if (!view) return data(t);
  const values = scratch.take(view.length);
  values.set(view);
  return values;
}

/** Copy of `values` with its `blocks` equal row blocks in reverse order (time reversal). */
export function reverseBlocks(
  values: Float32Array,
  blocks: number,
  scratch: ScratchArrays = freshArrays,
): Float32Array {
  const size = values.length / blocks;
  const out = scratch.take(values.length);
  for (let k = 0; k < blocks; k++)
    out.set(values.subarray(k * size, (k + 1) * size), (blocks - 1 - k) * size);
  return out;
}

/**
 * The native twin of runSequence: the same single custom-gradient node with the same packed
 * value (outputs, then the final cell state) and the same gradients, but the forward loop and
 * the BPTT run in C++ over OpenBLAS. Tensors cross as typed arrays (dataSync in, tensors out);
 * the forward cache stays in JS memory, referenced only by the gradient closure. A reversed run
 * flips the typed arrays in JS (x, mask, outputs, dOutputs, dx) instead of adding reverse ops.
 * The mask and a missing c0 (zeros) are not inputs of the node: they get no gradient.
 */
export function runNativeSequence(
  addon: RnnNativeAddon,
  cell: NativeCell,
  kernel: SequenceKernel,
  inputs: SequenceInputs,
): SequenceResult {
  const [time, batch, inputSize] = inputs.x.shape;
  const outSize = kernel.outputSize;
  const cellSize = kernel.cellSize;
  const weightCount = inputs.weights.length;
  const reverse = inputs.reverse === true;
  const c0 = cellSize > 0 ? inputs.c0 : null;
  const args: tf.Tensor[] = [inputs.x, ...inputs.weights, inputs.h0];
  if (c0) args.push(c0);
  const maskData = inputs.mask
    ? reverse
      ? reverseBlocks(data(inputs.mask), time)
      : data(inputs.mask)
    : null;
  const flags =
    (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
    (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
    (maskData ? NATIVE_FLAGS.mask : 0) |
    (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0);
  const dims: NativeDims = [time, batch, inputSize, cell.units, outSize, flags];
  const stepValues = time * batch * outSize;
  // The last processed step: original time 0 when reversed.
  const finalOffset = reverse ? 0 : (time - 1) * batch * outSize;

  // No gradient tape (evaluation, decoding, tagging): the forward with no cache, and tensors
  // made straight from its outputs.
  if (!tf.engine().isTapeOn()) {
    const xIn = data(inputs.x);
    const c0Data = cellSize > 0 ? (c0 ? data(c0) : new Float32Array(batch * cellSize)) : null;
    const { outputs, finalCell } = nativeInfer(
      addon,
      cell,
      dims,
      reverse ? reverseBlocks(xIn, time) : xIn,
      inputs.weights.map(weightData),
      data(inputs.h0),
      c0Data,
      maskData,
    );
    const steps = reverse ? reverseBlocks(outputs, time) : outputs;
    return {
      outputs: tf.tensor3d(steps, [time, batch, outSize]),
      finalOutput: tf.tensor2d(steps.subarray(finalOffset, finalOffset + batch * outSize), [
        batch,
        outSize,
      ]),
      finalCell: finalCell ? tf.tensor2d(finalCell, [batch, cellSize]) : null,
    };
  }

  // Arrays that live from the forward to the backward (x, the cache) or only through one of
  // them come from `scratch` and go back to it once the tensors made from them hold copies.
  const scratch = scratchArraysForBackend();
  // The op's value as the forward wrote it, so pieces of it need not be read back (sliceHeld).
  const held: { packed: Float32Array | null } = { packed: null };
  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    received.pop(); // save: not needed, the closure below keeps the typed arrays it uses
    const tensors = received as tf.Tensor[];
    const xIn = scratchData(tensors[0] as tf.Tensor, scratch);
    const x = reverse ? reverseBlocks(xIn, time, scratch) : xIn;
    if (x !== xIn) scratch.giveBack(xIn);
    // Copies into scratch: a training step changes every weight, so caching by data id
    // (weightData) would read each anew anyway, into a new array.
    const weights = tensors.slice(1, 1 + weightCount).map((t) => scratchData(t, scratch));
    const h0 = data(tensors[1 + weightCount] as tf.Tensor);
    const c0Data = c0
      ? data(tensors[2 + weightCount] as tf.Tensor)
      : cellSize > 0
        ? new Float32Array(batch * cellSize)
        : null;
    const forward = nativeForward(addon, cell, dims, x, weights, h0, c0Data, maskData, scratch);
    // h holds h0 then the output of every step: the outputs are h without its first block.
    const packed = scratch.take(stepValues + batch * cellSize);
    held.packed = packed;
    const steps = forward.h.subarray(batch * outSize);
    if (reverse) {
      const reversed = reverseBlocks(steps, time, scratch);
      packed.set(reversed);
      scratch.giveBack(reversed);
    } else packed.set(steps);
    if (forward.finalCell) packed.set(forward.finalCell, stepValues);
    const value = tf.tensor1d(packed);
    let backwardRan = false;
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      // The cache went back to `scratch` after the first backward.
      if (backwardRan) throw new Error('a native sequence op was differentiated twice');
      backwardRan = true;
      const dyData = scratchData(dy, scratch);
      const dOutGiven = dyData.subarray(0, stepValues);
      const dOut = reverse ? reverseBlocks(dOutGiven, time, scratch) : dOutGiven;
      const dCell = cellSize > 0 ? dyData.subarray(stepValues) : null;
      const g = nativeBackward(
        addon,
        cell,
        dims,
        x,
        weights,
        maskData,
        dOut,
        dCell,
        forward.cache,
        scratch,
      );
      const dx = reverse ? reverseBlocks(g.dx, time, scratch) : g.dx;
      const result: tf.Tensor[] = [
        tf.tensor3d(dx, [time, batch, inputSize]),
        ...g.dWeights.map((values, k) => tf.tensor(values, (inputs.weights[k] as tf.Tensor).shape)),
        tf.tensor2d(g.dh0, [batch, outSize]),
      ];
      if (c0)
        result.push(tf.tensor2d(g.dc0 ?? new Float32Array(batch * cellSize), [batch, cellSize]));
      const dOutCopy = dOut === dOutGiven ? null : dOut;
      const dxCopy = dx === g.dx ? null : dx;
      scratch.giveBack(dyData, dOutCopy, dxCopy, x, ...weights, ...g.all, ...forward.cache);
      return result;
    };
    return { value, gradFunc };
  });

  const packed = op(...args) as tf.Tensor1D;
  const values = held.packed;
  if (!values) throw new Error('the native forward did not run');
  // Without a cell state the outputs are the whole packed value: a reshape, no copy.
  const outputs = tf.reshape(cellSize > 0 ? sliceHeld(packed, values, 0, stepValues) : packed, [
    time,
    batch,
    outSize,
  ]) as tf.Tensor3D;
  const finalOutput = tf.reshape(sliceHeld(packed, values, finalOffset, batch * outSize), [
    batch,
    outSize,
  ]);
  const finalCell =
    cellSize > 0
      ? tf.reshape(sliceHeld(packed, values, stepValues, batch * cellSize), [batch, cellSize])
      : null;
  // The slices made their tensors from it: nothing reads the packed value again.
  held.packed = null;
  scratch.giveBack(values);
  return { outputs, finalOutput, finalCell };
}

/**
 * tf.slice(whole, begin, size) of a 1-D tensor whose values the caller holds in `values`: the
 * wasm backend's slice reads its whole input out of the heap for any slice (a full copy per call:
 * a fifth of an Elman training step), so the piece is made from the JS copy instead, with
 * slice's gradient (the piece's gradient padded with zeros to the whole).
 */
function sliceHeld(
  whole: tf.Tensor1D,
  values: Float32Array,
  begin: number,
  size: number,
): tf.Tensor1D {
  const wholeSize = values.length;
  const op = tf.customGrad((...received: Array<tf.Tensor | tf.GradSaveFunc>) => {
    received.pop(); // save: nothing to keep
    return {
      value: tf.tensor1d(values.subarray(begin, begin + size)),
      gradFunc: (dy: tf.Tensor): tf.Tensor =>
        tf.pad(dy as tf.Tensor1D, [[begin, wholeSize - begin - size]]),
    };
  });
  return op(whole) as tf.Tensor1D;
}

export interface NativeForward {
  /** [(T+1) * B, outSize]: h0, then the output of each step. */
  h: Float32Array;
  finalCell: Float32Array | null;
  /** The addon's cache arrays, handed back unchanged to the backward pass. */
  cache: Float32Array[];
}

/** An LSTM direction's arrays in the addon's order: kernel, recurrent kernel, bias, peepholes, projection. */
function lstmWeightArrays(cell: NativeCell, weights: Float32Array[]): NativeArrays {
  const [w, u, b] = weights;
  const peep = cell.peephole ? (weights[3] ?? null) : null;
  const proj = cell.projection !== null ? (weights[cell.peephole ? 4 : 3] ?? null) : null;
  return [w ?? null, u ?? null, b ?? null, peep, proj];
}

/** A GRU or Elman direction's forward arrays in the addon's order: x, W, U, b, h0, mask. */
function plainForwardArrays(
  x: Float32Array,
  weights: Float32Array[],
  h0: Float32Array,
  mask: Float32Array | null,
): NativeArrays {
  return [x, weights[0] ?? null, weights[1] ?? null, weights[2] ?? null, h0, mask];
}

export function nativeForward(
  addon: RnnNativeAddon,
  cell: NativeCell,
  dims: NativeDims,
  x: Float32Array,
  weights: Float32Array[],
  h0: Float32Array,
  c0: Float32Array | null,
  mask: Float32Array | null,
  scratch: ScratchArrays = freshArrays,
): NativeForward {
  const [time, batch] = dims;
  const outputs = scratchOutputs(forwardCacheLengths(cell, dims), scratch);
  if (cell.family === 'lstm') {
    const cache = addon.lstmForward(
      dims,
      [x, ...lstmWeightArrays(cell, weights), h0, c0, mask],
      outputs,
    );
    const cells = cache[1] as Float32Array;
    const n = cell.units;
    return {
      h: cache[5] as Float32Array,
      finalCell: cells.subarray(time * batch * n),
      cache,
    };
  }
  const arrays = plainForwardArrays(x, weights, h0, mask);
  const cache =
    cell.family === 'gru'
      ? addon.gruForward(dims, arrays, outputs)
      : addon.elmanForward(dims, arrays, outputs);
  return { h: cache[cache.length - 1] as Float32Array, finalCell: null, cache };
}

export interface NativeInference {
  /** [T * B, outSize]: the output of every step. */
  outputs: Float32Array;
  /** [B, n]: the LSTM's cell state after the last step; null for other cells. */
  finalCell: Float32Array | null;
}

/**
 * nativeForward without the cache, for when no gradient will be asked: the addon writes the
 * outputs (and an LSTM's final cell state after them) into one array, and keeps one chunk of
 * gates instead of the whole sequence's.
 */
export function nativeInfer(
  addon: RnnNativeAddon,
  cell: NativeCell,
  dims: NativeDims,
  x: Float32Array,
  weights: Float32Array[],
  h0: Float32Array,
  c0: Float32Array | null,
  mask: Float32Array | null,
): NativeInference {
  const [time, batch, , , outSize] = dims;
  const stepValues = time * batch * outSize;
  if (cell.family === 'lstm') {
    const out = new Float32Array(stepValues + batch * cell.units);
    addon.lstmInfer(dims, [x, ...lstmWeightArrays(cell, weights), h0, c0, mask, out]);
    return { outputs: out.subarray(0, stepValues), finalCell: out.subarray(stepValues) };
  }
  const out = new Float32Array(stepValues);
  const arrays = [...plainForwardArrays(x, weights, h0, mask), out];
  if (cell.family === 'gru') addon.gruInfer(dims, arrays);
  else addon.elmanInfer(dims, arrays);
  return { outputs: out, finalCell: null };
}

interface NativeGradients {
  dx: Float32Array;
  dWeights: Float32Array[];
  dh0: Float32Array;
  dc0: Float32Array | null;
  /** Every array the backward returned, for giving them back to scratch. */
  all: Float32Array[];
}

/**
 * The lengths of the cache arrays a training forward returns (addon.cc's order), 0 for an
 * array the cell has none of: [gates, cells, cnew, tanhc, m, h] for an LSTM, [gates, a, h] for
 * a GRU, [hnew, h] for an Elman cell.
 */
function forwardCacheLengths(cell: NativeCell, dims: NativeDims): number[] {
  const [time, batch, , n, r] = dims;
  const steps = time * batch;
  const withH0 = (time + 1) * batch;
  if (cell.family === 'lstm') {
    const projected = cell.projection !== null ? steps * n : 0;
    return [steps * 4 * n, withH0 * n, steps * n, steps * n, projected, withH0 * r];
  }
  if (cell.family === 'gru') return [steps * 3 * n, steps * n, withH0 * n];
  return [steps * n, withH0 * n];
}

/**
 * The lengths of the gradients a backward returns (addon.cc's order): [dx, dW, dU, db, dpeep,
 * dproj, dh0, dc0] for an LSTM, [dx, dW, dU, db, dh0] for a GRU or an Elman cell.
 */
function backwardGradientLengths(cell: NativeCell, dims: NativeDims): number[] {
  const [time, batch, input, n, r] = dims;
  if (cell.family === 'lstm') {
    const peep = cell.peephole ? 3 * n : 0;
    const proj = cell.projection !== null ? n * r : 0;
    return [
      time * batch * input,
      input * 4 * n,
      r * 4 * n,
      4 * n,
      peep,
      proj,
      batch * r,
      batch * n,
    ];
  }
  const blocks = cell.family === 'gru' ? 3 : 1;
  return [time * batch * input, input * blocks * n, n * blocks * n, blocks * n, batch * n];
}

/** An empty result's array: the addon hands it back as given, as it would allocate one. */
const NO_VALUES = new Float32Array(0);

/** Output arrays for the addon from scratch, or undefined: let it allocate. */
function scratchOutputs(lengths: number[], scratch: ScratchArrays): NativeArrays | undefined {
  if (scratch === freshArrays) return undefined;
  return lengths.map((length) => (length === 0 ? NO_VALUES : scratch.take(length)));
}

function nativeBackward(
  addon: RnnNativeAddon,
  cell: NativeCell,
  dims: NativeDims,
  x: Float32Array,
  weights: Float32Array[],
  mask: Float32Array | null,
  dOut: Float32Array,
  dCell: Float32Array | null,
  cache: Float32Array[],
  scratch: ScratchArrays = freshArrays,
): NativeGradients {
  const outputs = scratchOutputs(backwardGradientLengths(cell, dims), scratch);
  if (cell.family === 'lstm') {
    const g = addon.lstmBackward(
      dims,
      [x, ...lstmWeightArrays(cell, weights), mask, dOut, dCell, ...cache],
      outputs,
    );
    const [dx, dw, du, db, dpeep, dproj, dh0, dc0] = g as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const dWeights = [dw, du, db];
    if (cell.peephole) dWeights.push(dpeep);
    if (cell.projection !== null) dWeights.push(dproj);
    return { dx, dWeights, dh0, dc0, all: g };
  }
  const arrays: NativeArrays = [x, weights[0] ?? null, weights[1] ?? null, mask, dOut, ...cache];
  const g =
    cell.family === 'gru'
      ? addon.gruBackward(dims, arrays, outputs)
      : addon.elmanBackward(dims, arrays, outputs);
  const [dx, dw, du, db, dh0] = g as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return { dx, dWeights: [dw, du, db], dh0, dc0: null, all: g };
}
