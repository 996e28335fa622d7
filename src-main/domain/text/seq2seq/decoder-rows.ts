/**
 * The decoder rows of a batch of encoded sources, stepped one output symbol at a time for greedy
 * and beam decoding: every live hypothesis is one row, and `keep` picks the rows (in order, a row
 * possibly twice) that the next step extends.
 *
 * Two implementations compute the same n-best lists:
 * - `tensor-ops`: every step as TF.js ops (embedding, the decoder stack through runSequence, the
 *   attention, the output layer), states kept as tensors and reordered by gathers;
 * - `native`: with the native addon, an encoder-decoder steps its decoder on typed arrays: the
 *   same addon calls runSequence makes (one step of each layer, the output layer's product),
 *   the embedding rows and the state reorders copied in JS, and only the log-softmax on TF.js
 *   (its exp and sum, bit for bit as the tensor path). This drops ~20 small ops, their tensor
 *   allocations and the weight and state copies of every step. With decoder attention, the
 *   attention runs on the addon too (rnn/kernels/native-decoder-attention.ts: the encoder
 *   memory read once per batch, each row reading its source's memory in place); its tanh is the
 *   addon's, not libm's, so attention models match the tensor path to ~1e-6 in the
 *   log-probabilities instead of bit for bit (an addon built before that step: tensor ops).
 *   The encoder runs natively too (native-source-encoder.ts: no TF.js op per batch; LSTM stacks
 *   on the packed inference kernel), unless the engine is `tfjs-encoder` (the model's TF.js
 *   encodeSource, then native steps, bit for bit the tensor path without attention) or the
 *   model's encoder has parts it does not compute; its sums run in another order, so the
 *   log-probabilities differ from the tensor path's by ~1e-6.
 *
 * Row gathers (the tensor path's encoder memory by source, the kept states by parent) are
 * copies of typed-array blocks in JS: tf.gather on wasm walks element by element, and with
 * attention it took two thirds of a step (the memory rows are [rows, sourceTime, size] each).
 * A step whose rows read the same sources as the step before reuses that step's memory rows.
 */
import * as tf from '@tensorflow/tfjs';
import { cellSpecOf } from '../../rnn/model-params';
import { createKernel } from '../../rnn/cell-spec';
import { disposeMemory, keepMemory } from '../../rnn/decoder-attention';
import type { EncoderMemory } from '../../rnn/decoder-attention';
import {
  attendRowsNatively,
  hasNativeDecoderAttention,
  nativeAttentionWeights,
  nativeEncoderMemory,
} from '../../rnn/kernels/native-decoder-attention';
import type {
  NativeAttentionWeights,
  NativeEncoderMemory,
} from '../../rnn/kernels/native-decoder-attention';
import { chooseRnnKernel, nativeCellOf, nativeInfer } from '../../rnn/kernels/native-sequence';
import type { NativeCell } from '../../rnn/kernels/native-sequence';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { NATIVE_FLAGS } from '../../../native/rnn-native';
import { disposeLayerStates } from '../../rnn/rnn-model';
import type { LayerState, RnnModel } from '../../rnn/rnn-model';
import {
  encodeSourcesNatively,
  nativeSourceEncoderOf,
  nativeSourceEncoderRefusal,
} from './native-source-encoder';
import type { NativeEncodedBatch, NativeSourceEncoder, RowStates } from './native-source-encoder';
import { SOURCE_PADDING_ID } from './symbol-tables';

/**
 * How the encoder and the decoder steps run: `auto` = native when it can, else tensor ops;
 * `tfjs-encoder` = the model's TF.js encoder, then native steps when they can run (benchmarks
 * and tests compare the encoders with it); `tensor-ops` = both as TF.js ops.
 */
export const DECODER_STEP_ENGINES = ['auto', 'tfjs-encoder', 'tensor-ops'] as const;
export type DecoderStepEngine = (typeof DECODER_STEP_ENGINES)[number];

export interface DecoderStep {
  /** Log-probabilities [rows * vocab]. */
  logProbs: Float32Array;
  vocab: number;
  /** With attention and `withAlignment`: the weights [rows * sourceTime]. */
  weights: Float32Array | null;
  sourceTime: number;
}

export interface DecoderRows {
  /** True when the model attends (alignment weights can be asked for). */
  readonly attends: boolean;
  /** One step of every row from its token; row r reads source `rowSources[r]`. */
  step(tokens: Int32Array, rowSources: Int32Array): DecoderStep;
  /** The next step's rows: rows `parents` of the last step's states, in that order. */
  keep(parents: Int32Array): void;
  dispose(): void;
}

/** Where decoding time goes, in milliseconds, and the decoder rows stepped (summed over calls). */
export interface DecodeProfile {
  encode: number;
  steps: number;
  reorder: number;
  search: number;
  rowSteps: number;
}

/** Runs `make` in a tidy scope and keeps only the states it returns. */
function tidyStates(make: () => LayerState[]): LayerState[] {
  let kept: LayerState[] = [];
  tf.tidy(() => {
    kept = make().map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null }));
  });
  return kept;
}

/** A batch of sources through the encoder: one decoder start state per source, and its memory. */
function encodeBatch(
  model: RnnModel,
  sources: readonly Int32Array[],
): { states: LayerState[]; memory: EncoderMemory | null } {
  let memory: EncoderMemory | null = null;
  const states = tidyStates(() => {
    const time = Math.max(1, ...sources.map((s) => s.length));
    const ids = new Int32Array(sources.length * time).fill(SOURCE_PADDING_ID);
    const mask = new Float32Array(sources.length * time);
    sources.forEach((source, n) => {
      ids.set(source, n * time);
      mask.fill(1, n * time, n * time + source.length);
    });
    const encoded = model.encodeSource({
      inputs: tf.tensor2d(ids, [sources.length, time], 'int32'),
      mask: tf.tensor2d(mask, [sources.length, time]),
    });
    memory = keepMemory(encoded.memory);
    return encoded.states;
  });
  return { states, memory };
}

function isIdentity(parents: Int32Array, rows: number): boolean {
  if (parents.length !== rows) return false;
  for (let r = 0; r < rows; r++) if (parents[r] !== r) return false;
  return true;
}

function gatherRowsOf(values: Float32Array, size: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * size);
  for (let r = 0; r < rows.length; r++) {
    const from = (rows[r] as number) * size;
    out.set(values.subarray(from, from + size), r * size);
  }
  return out;
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) if (a[r] !== b[r]) return false;
  return true;
}

/** Rows `rows` of a [n, ...] tensor's values, as a new tensor (the copy tf.gather makes). */
function gatherTensorRows<T extends tf.Tensor>(
  values: Float32Array,
  shape: number[],
  rows: Int32Array,
): T {
  const size = shape.slice(1).reduce((a, b) => a * b, 1);
  return tf.tensor(gatherRowsOf(values, size, rows), [rows.length, ...shape.slice(1)]) as T;
}

/** An encoder memory's values, read once, and the memory rows of the last step's sources. */
class MemoryRows {
  private readonly values: Float32Array;
  private readonly keys: Float32Array;
  private readonly mask: Float32Array | null;
  private last: { sources: Int32Array; memory: EncoderMemory } | null = null;

  constructor(private readonly memory: EncoderMemory) {
    this.values = memory.values.dataSync() as Float32Array;
    this.keys = memory.keys.dataSync() as Float32Array;
    this.mask = memory.mask ? (memory.mask.dataSync() as Float32Array) : null;
  }

  /** The memory rows of `sources` (row r reads source sources[r]); owned by this object. */
  rowsOf(sources: Int32Array): EncoderMemory {
    if (this.last && sameRows(this.last.sources, sources)) return this.last.memory;
    this.dispose();
    const { memory } = this;
    const rows: EncoderMemory = {
      values: gatherTensorRows<tf.Tensor3D>(this.values, memory.values.shape, sources),
      keys: gatherTensorRows<tf.Tensor3D>(this.keys, memory.keys.shape, sources),
      mask:
        this.mask && memory.mask
          ? gatherTensorRows<tf.Tensor2D>(this.mask, memory.mask.shape, sources)
          : null,
    };
    this.last = { sources: sources.slice(), memory: rows };
    return rows;
  }

  dispose(): void {
    if (this.last) disposeMemory(this.last.memory);
    this.last = null;
  }
}

/** The TF.js-ops rows (every model; the reference the native rows must match). */
class TensorDecoderRows implements DecoderRows {
  readonly attends: boolean;
  private readonly memory: EncoderMemory | null;
  private readonly memoryRows: MemoryRows | null;
  private states: LayerState[];
  private next: LayerState[] | null = null;

  constructor(
    private readonly model: RnnModel,
    encoded: { states: LayerState[]; memory: EncoderMemory | null },
    private readonly withAlignment: boolean,
  ) {
    this.states = encoded.states;
    this.memory = encoded.memory;
    this.memoryRows = encoded.memory ? new MemoryRows(encoded.memory) : null;
    this.attends = encoded.memory !== null;
  }

  step(tokens: Int32Array, rowSources: Int32Array): DecoderStep {
    const { model, memory } = this;
    let vocab = 0;
    let logProbs: Float32Array = new Float32Array(0);
    let weights: Float32Array | null = null;
    const states = this.states;
    const rowMemory = this.memoryRows ? this.memoryRows.rowsOf(rowSources) : null;
    const next = tidyStates(() => {
      const out = model.decodeSteps(
        tf.tensor2d(tokens, [tokens.length, 1], 'int32'),
        states,
        rowMemory,
      );
      vocab = out.logits.shape[out.logits.shape.length - 1] as number;
      logProbs = tf
        .logSoftmax(tf.reshape(out.logits, [tokens.length, vocab]))
        .dataSync() as Float32Array;
      if (this.withAlignment && out.alignment) weights = out.alignment.dataSync() as Float32Array;
      return out.finalStates;
    });
    if (this.next) disposeLayerStates(this.next);
    this.next = next;
    const sourceTime = memory ? memory.keys.shape[1] : 0;
    return { logProbs, vocab, weights, sourceTime };
  }

  keep(parents: Int32Array): void {
    const next = this.next;
    if (!next) throw new Error('keep before a step');
    disposeLayerStates(this.states);
    this.next = null;
    if (isIdentity(parents, next[0]?.h.shape[0] ?? 0)) {
      this.states = next;
      return;
    }
    this.states =
      parents.length === 0
        ? []
        : next.map((s) => ({
            h: gatherTensorRows<tf.Tensor2D>(s.h.dataSync() as Float32Array, s.h.shape, parents),
            c: s.c
              ? gatherTensorRows<tf.Tensor2D>(s.c.dataSync() as Float32Array, s.c.shape, parents)
              : null,
          }));
    disposeLayerStates(next);
  }

  dispose(): void {
    disposeLayerStates(this.states);
    if (this.next) disposeLayerStates(this.next);
    this.states = [];
    this.next = null;
    this.memoryRows?.dispose();
    disposeMemory(this.memory);
  }
}

interface NativeLayer {
  cell: NativeCell;
  inputSize: number;
  outSize: number;
  cellSize: number;
  weights: Float32Array[];
}

/** What the native rows read from a model once (weights as typed arrays). */
interface NativeDecoder {
  addon: RnnNativeAddon;
  layers: NativeLayer[];
  residual: boolean;
  embeddings: Float32Array;
  embeddingSize: number;
  outputKernel: Float32Array;
  outputBias: Float32Array;
  vocab: number;
  /** Decoder attention's weights; null without attention. */
  attention: NativeAttentionWeights | null;
  /** The encoder on typed arrays; null when it has parts that only the TF.js path computes. */
  encoder: NativeSourceEncoder | null;
}

// Per model, with the data ids of the parameters it read: a tensor's data never changes, and
// training or setParam gives a parameter a new data id, so a stale copy is never used.
const nativeDecoders = new WeakMap<RnnModel, { ids: object[]; decoder: NativeDecoder }>();

/** The native decoder of a model, or null when its steps must run as tensor ops. */
function nativeDecoderOf(model: RnnModel): NativeDecoder | null {
  const config = model.config;
  const decoder = config.decoder;
  if (config.pattern !== 'encoder-decoder' || !decoder) return null;
  const { addon } = chooseRnnKernel();
  if (!addon) return null;
  const attends = decoder.attention === 'additive';
  if (attends && !hasNativeDecoderAttention(addon)) return null;
  const ids = [...model.params.values()].map((p) => p.dataId);
  const known = nativeDecoders.get(model);
  if (known && known.ids.length === ids.length && known.ids.every((id, i) => id === ids[i]))
    return known.decoder;
  const table = model.param('decoder_embedding/embeddings');
  const layers: NativeLayer[] = [];
  let inputSize = table.shape[1] as number;
  for (const [l, layer] of decoder.layers.entries()) {
    const spec = cellSpecOf(layer);
    const kernel = createKernel(spec);
    const prefix = `decoder/layer${l}/fw`;
    const weights = model.directionWeights(prefix).map((w) => w.dataSync() as Float32Array);
    layers.push({
      cell: nativeCellOf(spec),
      inputSize,
      outSize: kernel.outputSize,
      cellSize: kernel.cellSize,
      weights,
    });
    inputSize = kernel.outputSize;
  }
  const made: NativeDecoder = {
    addon,
    layers,
    residual: config.residual === true,
    embeddings: table.dataSync() as Float32Array,
    embeddingSize: table.shape[1] as number,
    outputKernel: readInTidy(() => model.outputKernel()),
    outputBias: model.param('output/bias').dataSync() as Float32Array,
    vocab: config.output.size,
    attention: attends ? nativeAttentionWeights(model.attentionParams()) : null,
    encoder:
      nativeSourceEncoderRefusal(config) === null ? nativeSourceEncoderOf(addon, model) : null,
  };
  nativeDecoders.set(model, { ids, decoder: made });
  return made;
}

/**
 * The values of a tensor made in a tidy scope. (Returned from the scope instead, a typed array
 * would be walked element by element in search of tensors to keep.)
 */
function readInTidy(make: () => tf.Tensor): Float32Array {
  let values: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    values = make().dataSync() as Float32Array;
  });
  return values;
}

/** The decoder's steps on typed arrays (see the header). */
class NativeDecoderRows implements DecoderRows {
  readonly attends: boolean;
  private states: RowStates[];
  private next: RowStates[] | null = null;
  private readonly nativeMemory: NativeEncoderMemory | null;

  constructor(
    private readonly decoder: NativeDecoder,
    encoded: NativeEncodedBatch,
    private readonly withAlignment: boolean,
  ) {
    this.states = encoded.states;
    this.nativeMemory = decoder.attention ? encoded.memory : null;
    this.attends = this.nativeMemory !== null;
  }

  /** The attended outputs h~ [rows, size] of the top layer's [rows, size] (and the weights). */
  private attend(
    top: Float32Array,
    rowSources: Int32Array,
  ): { attended: Float32Array; weights: Float32Array | null } {
    const { addon, attention } = this.decoder;
    if (!this.nativeMemory || !attention) return { attended: top, weights: null };
    const out = attendRowsNatively(addon, attention, this.nativeMemory, top, rowSources);
    return { attended: out.attended, weights: this.withAlignment ? out.weights : null };
  }

  step(tokens: Int32Array, rowSources: Int32Array): DecoderStep {
    const { addon, layers, embeddings, embeddingSize, vocab } = this.decoder;
    const rows = tokens.length;
    let x = gatherRowsOf(embeddings, embeddingSize, tokens);
    const next: RowStates[] = [];
    layers.forEach((layer, l) => {
      const state = this.states[l] as RowStates;
      const { cell } = layer;
      const flags =
        (cell.peephole ? NATIVE_FLAGS.peephole : 0) |
        (cell.projection !== null ? NATIVE_FLAGS.projection : 0) |
        (cell.sigmoid ? NATIVE_FLAGS.sigmoid : 0);
      const dims: NativeDims = [1, rows, layer.inputSize, cell.units, layer.outSize, flags];
      const c0 = layer.cellSize > 0 ? (state.c ?? new Float32Array(rows * layer.cellSize)) : null;
      const forward = nativeInfer(addon, cell, dims, x, layer.weights, state.h, c0, null);
      const h = forward.outputs;
      next.push({ h, c: forward.finalCell });
      let out = h;
      if (this.decoder.residual && l > 0 && layer.outSize === layer.inputSize) {
        out = new Float32Array(h.length);
        for (let i = 0; i < h.length; i++) out[i] = (h[i] as number) + (x[i] as number);
      }
      x = out;
    });
    const { attended, weights } = this.attend(x, rowSources);
    const top = this.decoder.outputKernel.length / vocab;
    const logits = addon.matMul(
      [rows, vocab, top, 0, 0, 0],
      [attended, this.decoder.outputKernel],
    )[0] as Float32Array;
    const bias = this.decoder.outputBias;
    // A float32 sum as tf.add's (the double sum of two floats rounds to the same float).
    for (let r = 0; r < rows; r++)
      for (let v = 0; v < vocab; v++)
        logits[r * vocab + v] = (logits[r * vocab + v] as number) + (bias[v] as number);
    const logProbs = readInTidy(() => tf.logSoftmax(tf.tensor2d(logits, [rows, vocab])));
    this.next = next;
    const sourceTime = this.nativeMemory ? this.nativeMemory.sourceTime : 0;
    return { logProbs, vocab, weights, sourceTime };
  }

  keep(parents: Int32Array): void {
    const next = this.next;
    if (!next) throw new Error('keep before a step');
    this.next = null;
    const rows = next[0] ? next[0].h.length / (this.decoder.layers[0] as NativeLayer).outSize : 0;
    if (isIdentity(parents, rows)) {
      this.states = next;
      return;
    }
    this.states = next.map((s, l) => {
      const layer = this.decoder.layers[l] as NativeLayer;
      return {
        h: gatherRowsOf(s.h, layer.outSize, parents),
        c: s.c ? gatherRowsOf(s.c, layer.cellSize, parents) : null,
      };
    });
  }

  dispose(): void {
    this.states = [];
    this.next = null;
  }
}

/** The TF.js encoder's outputs as typed arrays (the tensors disposed). */
function encodedAsArrays(encoded: {
  states: LayerState[];
  memory: EncoderMemory | null;
}): NativeEncodedBatch {
  const states = encoded.states.map((s) => ({
    h: s.h.dataSync() as Float32Array,
    c: s.c ? (s.c.dataSync() as Float32Array) : null,
  }));
  disposeLayerStates(encoded.states);
  const memory = encoded.memory ? nativeEncoderMemory(encoded.memory) : null;
  disposeMemory(encoded.memory);
  return { states, memory };
}

/** True when `auto` steps this model's decoder natively (else as tensor ops). */
export function stepsNatively(model: RnnModel): boolean {
  return nativeDecoderOf(model) !== null;
}

/** True when `auto` runs this model's encoder natively too (else its TF.js encodeSource). */
export function encodesNatively(model: RnnModel): boolean {
  return nativeDecoderOf(model)?.encoder != null;
}

/**
 * Encodes a batch of sources and returns their decoder rows, one per source. `withAlignment`
 * asks a model with attention for its weights at every step.
 */
export function encodeToDecoderRows(
  model: RnnModel,
  sources: readonly Int32Array[],
  options: { withAlignment: boolean; engine?: DecoderStepEngine },
): DecoderRows {
  const engine = options.engine ?? 'auto';
  const native = engine === 'tensor-ops' ? null : nativeDecoderOf(model);
  if (!native)
    return new TensorDecoderRows(model, encodeBatch(model, sources), options.withAlignment);
  // The native encoder needs a step to run (the TF.js one pads a batch of empty sources to one).
  const encoded =
    engine === 'auto' && native.encoder && sources.some((source) => source.length > 0)
      ? encodeSourcesNatively(native.encoder, sources)
      : encodedAsArrays(encodeBatch(model, sources));
  return new NativeDecoderRows(native, encoded, options.withAlignment);
}
