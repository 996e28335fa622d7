/**
 * The recurrent layers of a native word transducer (native-word-transducer.ts) over one batch of
 * sentences, on typed arrays: the packed LSTM kernel (lstmPackedForward: no padded step, each
 * distinct word's input projection computed once per call) when every layer is an LSTM it
 * runs, else the sequence kernels RnnModel.forward runs natively (nativeInfer) over the
 * padded, masked batch. Both return the top layer's outputs of the real steps, sentence after
 * sentence, combined and residual-added as RnnModel's runStack does, and on request (always, for
 * the padded one) each layer direction's final state, which an encoder-decoder's encoder hands
 * its decoder (seq2seq/native-source-encoder.ts).
 */
import type { PackedLstmDirection, RnnNativeAddon } from '../../native/rnn-native';
import { NATIVE_FLAGS } from '../../native/rnn-native';
import { nativeInfer, reverseBlocks } from '../rnn/kernels/native-sequence';
import type { NativeCell } from '../rnn/kernels/native-sequence';
import type { LayerConfig } from '../rnn/model-config';

export interface StackDirection {
  cell: NativeCell;
  /** The direction's weights in the sequence op's order (RnnModel.directionWeights). */
  weights: Float32Array[];
  reverse: boolean;
}

export interface StackLayer {
  config: LayerConfig;
  directions: StackDirection[];
  inputSize: number;
  /** One direction's output size. */
  outputSize: number;
}

/** One batch: its sentences (rows of `vectors`, the distinct words' input vectors). */
export interface StackBatch {
  /** Longest first (the packed kernel's order; the padded one takes any). */
  sentences: Int32Array[];
  vectors: Float32Array;
  inputSize: number;
}

/** What runPackedStack keeps between the batches of a call and between calls. */
export interface PackedStackMemory {
  /**
   * Layer 0's input projections of every distinct word, per direction: for one call (a
   * tagger's words), or as long as the rows of `vectors` stay the same (an encoder's table).
   */
  wordProjections: Map<StackDirection, Float32Array>;
  /** `length` floats of reused buffer `slot` (contents undefined). */
  scratch(slot: number, length: number): Float32Array;
}

/**
 * A PackedStackMemory's `scratch`: buffers reused from call to call, each grown to at least
 * `minLength` floats when a call needs more (contents undefined).
 */
export function scratchBuffers(minLength: number): PackedStackMemory['scratch'] {
  const buffers: Float32Array[] = [];
  return (slot, length) => {
    const buffer = buffers[slot];
    if (buffer && buffer.length >= length) return buffer.subarray(0, length);
    const made = new Float32Array(Math.max(length, minLength));
    buffers[slot] = made;
    return made.subarray(0, length);
  };
}

/** The top layer's outputs [rows, size], rows the real steps sentence after sentence. */
export interface StackOutputs {
  top: Float32Array;
  size: number;
}

/** A layer direction's state after each sentence's last real step (backward: after its first). */
export interface DirectionFinalState {
  /** [batch, outputSize], sentences in the batch's order. */
  h: Float32Array;
  /** [batch, units] for an LSTM; null for cells without a cell state. */
  c: Float32Array | null;
}

/** A stack's outputs with every layer's final states per direction (an encoder's). */
export interface StackOutputsWithStates extends StackOutputs {
  /** [layer][direction]: forward first. */
  finalStates: DirectionFinalState[][];
}

/**
 * Whether every layer can run on the packed LSTM kernel: LSTM cells without a projection,
 * directions concatenated.
 */
export function packedStackRuns(addon: RnnNativeAddon, layers: readonly StackLayer[]): boolean {
  if (!addon.lstmPackedForward) return false;
  return layers.every((layer) => {
    const cell = layer.directions[0]?.cell;
    return (
      cell?.family === 'lstm' && cell.projection === null && layer.config.bidirectional !== 'sum'
    );
  });
}

/** a [rows, inner] times b [inner, cols] on the addon. */
export function product(
  addon: RnnNativeAddon,
  a: Float32Array,
  b: Float32Array,
  inner: number,
  cols: number,
): Float32Array {
  const rows = a.length / inner;
  return addon.matMul([rows, cols, inner, 0, 0, 0], [a, b])[0] as Float32Array;
}

/**
 * One batch on the packed LSTM kernel (sentences longest first). Each layer's output is
 * compact rows, sentence after sentence, both directions side by side; each direction reads
 * its steps' input projections by row index (layer 0: each distinct word's, projected once
 * per call) and a backward direction walks each sentence from its own last word, so no padded
 * step is computed. Returns the top layer's rows [rows, size] (in a scratch buffer of
 * `memory`), and with `withFinalStates` each layer direction's final state (fresh arrays, taken
 * before a residual is added: the layer's own) as runPaddedStack does; without, the kernel
 * copies none.
 */
export function runPackedStack(
  addon: RnnNativeAddon,
  layers: readonly StackLayer[],
  residual: boolean,
  batch: StackBatch,
  memory: PackedStackMemory,
  withFinalStates: true,
): StackOutputsWithStates;
export function runPackedStack(
  addon: RnnNativeAddon,
  layers: readonly StackLayer[],
  residual: boolean,
  batch: StackBatch,
  memory: PackedStackMemory,
  withFinalStates?: false,
): StackOutputs;
export function runPackedStack(
  addon: RnnNativeAddon,
  layers: readonly StackLayer[],
  residual: boolean,
  { sentences: group, vectors, inputSize }: StackBatch,
  { wordProjections, scratch }: PackedStackMemory,
  withFinalStates = false,
): StackOutputs | StackOutputsWithStates {
  const batch = group.length;
  const time = group[0]?.length ?? 0;
  const lengths = Int32Array.from(group, (sentence) => sentence.length);
  // Step t of sentence b, forwards and backwards: its compact row and its word.
  const cells = time * batch;
  const rowsFw = new Int32Array(cells);
  const rowsBw = new Int32Array(cells);
  const wordsFw = new Int32Array(cells);
  const wordsBw = new Int32Array(cells);
  let rows = 0;
  group.forEach((sentence, b) => {
    const length = sentence.length;
    for (let t = 0; t < length; t++) {
      const at = t * batch + b;
      const back = length - 1 - t;
      rowsFw[at] = rows + t;
      rowsBw[at] = rows + back;
      wordsFw[at] = sentence[t] as number;
      wordsBw[at] = sentence[back] as number;
    }
    rows += length;
  });
  let x: Float32Array | null = null;
  let size = inputSize;
  const finalStates: DirectionFinalState[][] = [];
  for (const [l, layer] of layers.entries()) {
    const n = layer.outputSize;
    const outSize = layer.directions.length * n;
    const out = scratch(l % 2, rows * outSize);
    const input = x;
    // The kernel writes them apart from `out`, so a residual added to `out` leaves them be.
    const finals = withFinalStates
      ? layer.directions.map((): DirectionFinalState => ({
          h: new Float32Array(batch * n),
          c: new Float32Array(batch * n),
        }))
      : null;
    if (finals) finalStates.push(finals);
    const directions = layer.directions.map((direction, d): PackedLstmDirection => {
      const [w, u, bias, peep] = direction.weights as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array | undefined,
      ];
      const rowIndex = direction.reverse ? rowsBw : rowsFw;
      const peephole = direction.cell.peephole ? (peep ?? null) : null;
      let run: PackedLstmDirection;
      if (input !== null) run = [input, rowIndex, w, u, bias, peephole, out, rowIndex, d * n];
      else {
        // Layer 0 reads words: each distinct word projected once per call.
        let projected = wordProjections.get(direction);
        if (!projected) {
          projected = product(addon, vectors, w, size, 4 * n);
          wordProjections.set(direction, projected);
        }
        const words = direction.reverse ? wordsBw : wordsFw;
        run = [projected, words, null, u, bias, peephole, out, rowIndex, d * n];
      }
      const final = finals?.[d];
      return final ? [...run, final.h, final.c as Float32Array] : run;
    });
    (addon.lstmPackedForward as NonNullable<RnnNativeAddon['lstmPackedForward']>)(
      [time, batch, n, outSize],
      lengths,
      directions,
    );
    if (input !== null && residual && l > 0 && outSize === size)
      for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) + (input[k] as number);
    x = out;
    size = outSize;
  }
  if (x === null) {
    // No recurrent layer: the words' vectors themselves.
    const top = new Float32Array(rows * size);
    let row = 0;
    for (const sentence of group)
      for (const word of sentence)
        top.set(vectors.subarray(word * size, (word + 1) * size), size * row++);
    return withFinalStates ? { top, size, finalStates } : { top, size };
  }
  return withFinalStates ? { top: x, size, finalStates } : { top: x, size };
}

/**
 * One batch on the sequence kernels RnnModel.forward runs natively, over the padded batch with
 * its mask (a backward direction reversed in time as runNativeSequence does). Each direction's
 * final state comes with it (the mask freezes a finished sentence's state, so the kernel's last
 * step holds it): the state an encoder hands its decoder.
 */
export function runPaddedStack(
  addon: RnnNativeAddon,
  layers: readonly StackLayer[],
  residual: boolean,
  { sentences: group, vectors, inputSize }: StackBatch,
): StackOutputsWithStates {
  const batch = group.length;
  const time = group.reduce((n, sentence) => Math.max(n, sentence.length), 0);
  // Time-major input [time, batch, inputSize] (padding: zero rows) and mask [time, batch].
  let x: Float32Array = new Float32Array(time * batch * inputSize);
  const mask = new Float32Array(time * batch);
  group.forEach((sentence, b) => {
    for (let t = 0; t < sentence.length; t++) {
      const at = t * batch + b;
      const word = sentence[t] as number;
      x.set(vectors.subarray(word * inputSize, (word + 1) * inputSize), at * inputSize);
      mask[at] = 1;
    }
  });
  let size = inputSize;
  const finalStates: DirectionFinalState[][] = [];
  for (const [l, layer] of layers.entries()) {
    const runs = layer.directions.map((direction) =>
      runDirection(addon, direction, layer, x, mask, time, batch),
    );
    finalStates.push(runs.map((run) => run.final));
    const out = combine(
      layer,
      runs.map((run) => run.outputs),
      time * batch,
    );
    const outSize =
      layer.config.bidirectional === 'concat' ? 2 * layer.outputSize : layer.outputSize;
    if (residual && l > 0 && outSize === size)
      for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) + (x[k] as number);
    x = out;
    size = outSize;
  }
  // The real steps, sentence by sentence.
  let rows = 0;
  for (const sentence of group) rows += sentence.length;
  const top = new Float32Array(rows * size);
  let row = 0;
  group.forEach((sentence, b) => {
    for (let t = 0; t < sentence.length; t++, row++) {
      const at = (t * batch + b) * size;
      top.set(x.subarray(at, at + size), row * size);
    }
  });
  return { top, size, finalStates };
}

/**
 * One direction over the batch: outputs [time * batch, outputSize] in the original time order,
 * and its final state.
 */
function runDirection(
  addon: RnnNativeAddon,
  direction: StackDirection,
  layer: StackLayer,
  x: Float32Array,
  mask: Float32Array,
  time: number,
  batch: number,
): { outputs: Float32Array; final: DirectionFinalState } {
  const { cell, reverse } = direction;
  const out = layer.outputSize;
  const flags =
    (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
    (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
    NATIVE_FLAGS.mask |
    (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0);
  const cellSize = cell.family === 'lstm' ? cell.units : 0;
  const forward = nativeInfer(
    addon,
    cell,
    [time, batch, layer.inputSize, cell.units, out, flags],
    reverse ? reverseBlocks(x, time) : x,
    direction.weights,
    new Float32Array(batch * out),
    cellSize > 0 ? new Float32Array(batch * cellSize) : null,
    reverse ? reverseBlocks(mask, time) : mask,
  );
  const steps = forward.outputs;
  // A copy: a residual is added to the outputs in place, the final state is the layer's own.
  const final = { h: steps.slice((time - 1) * batch * out), c: forward.finalCell };
  return { outputs: reverse ? reverseBlocks(steps, time) : steps, final };
}

/** A layer's directions combined as RnnModel's runStack does: concatenated or summed. */
function combine(layer: StackLayer, outputs: Float32Array[], steps: number): Float32Array {
  const [fw, bw] = outputs as [Float32Array, Float32Array | undefined];
  if (!bw) return fw;
  const size = layer.outputSize;
  if (layer.config.bidirectional === 'sum') {
    const sum = new Float32Array(fw.length);
    for (let k = 0; k < sum.length; k++) sum[k] = (fw[k] as number) + (bw[k] as number);
    return sum;
  }
  const out = new Float32Array(steps * 2 * size);
  for (let k = 0; k < steps; k++) {
    out.set(fw.subarray(k * size, (k + 1) * size), k * 2 * size);
    out.set(bw.subarray(k * size, (k + 1) * size), k * 2 * size + size);
  }
  return out;
}
