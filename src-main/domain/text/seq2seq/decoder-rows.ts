/**
 * The decoder rows of a batch of encoded sources, stepped one output symbol at a time for greedy
 * and beam decoding: every live hypothesis is one row, and `keep` picks the rows (in order, a row
 * possibly twice) that the next step extends.
 *
 * Two implementations compute the same numbers:
 * - `tensor-ops`: every step as TF.js ops (embedding, the decoder stack through runSequence, the
 *   attention, the output layer), states kept as tensors and reordered by gathers;
 * - `native`: with the native addon, an encoder-decoder without decoder attention steps its
 *   decoder on typed arrays: the same addon calls runSequence makes (one step of each layer,
 *   the output layer's product), the embedding rows and the state reorders copied in JS, and
 *   only the log-softmax on TF.js (its exp and sum, bit for bit as the tensor path). This drops
 *   ~20 small ops, their tensor allocations and the weight and state copies of every step.
 */
import * as tf from '@tensorflow/tfjs';
import { cellSpecOf } from '../../rnn/model-params';
import { createKernel } from '../../rnn/cell-spec';
import { disposeMemory, gatherMemory, keepMemory } from '../../rnn/decoder-attention';
import type { EncoderMemory } from '../../rnn/decoder-attention';
import { chooseRnnKernel, nativeCellOf, nativeForward } from '../../rnn/kernels/native-sequence';
import type { NativeCell } from '../../rnn/kernels/native-sequence';
import type { NativeDims, RnnNativeAddon } from '../../../native/rnn-native';
import { NATIVE_FLAGS } from '../../../native/rnn-native';
import { disposeLayerStates } from '../../rnn/rnn-model';
import type { LayerState, RnnModel } from '../../rnn/rnn-model';
import { SOURCE_PADDING_ID } from './symbol-tables';

/** How decoder steps run: `auto` = native when it can, else tensor ops. */
export const DECODER_STEP_ENGINES = ['auto', 'tensor-ops'] as const;
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

/** The TF.js-ops rows (every model; the reference the native rows must match). */
class TensorDecoderRows implements DecoderRows {
  readonly attends: boolean;
  private readonly memory: EncoderMemory | null;
  private states: LayerState[];
  private next: LayerState[] | null = null;

  constructor(
    private readonly model: RnnModel,
    encoded: { states: LayerState[]; memory: EncoderMemory | null },
    private readonly withAlignment: boolean,
  ) {
    this.states = encoded.states;
    this.memory = encoded.memory;
    this.attends = encoded.memory !== null;
  }

  step(tokens: Int32Array, rowSources: Int32Array): DecoderStep {
    const { model, memory } = this;
    let vocab = 0;
    let logProbs: Float32Array = new Float32Array(0);
    let weights: Float32Array | null = null;
    const states = this.states;
    const next = tidyStates(() => {
      const rowMemory = memory ? gatherMemory(memory, tf.tensor1d(rowSources, 'int32')) : null;
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
        : tidyStates(() => {
            const rows = tf.tensor1d(parents, 'int32');
            return next.map((s) => ({
              h: tf.gather(s.h, rows),
              c: s.c ? tf.gather(s.c, rows) : null,
            }));
          });
    disposeLayerStates(next);
  }

  dispose(): void {
    disposeLayerStates(this.states);
    if (this.next) disposeLayerStates(this.next);
    this.states = [];
    this.next = null;
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

/** Row-state arrays of one layer: h [rows, outSize], c [rows, cellSize] (null without a cell). */
interface RowStates {
  h: Float32Array;
  c: Float32Array | null;
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
}

// Per model, with the data ids of the parameters it read: a tensor's data never changes, and
// training or setParam gives a parameter a new data id, so a stale copy is never used.
const nativeDecoders = new WeakMap<RnnModel, { ids: object[]; decoder: NativeDecoder }>();

/** The native decoder of a model, or null when its steps must run as tensor ops. */
function nativeDecoderOf(model: RnnModel): NativeDecoder | null {
  const config = model.config;
  const decoder = config.decoder;
  if (config.pattern !== 'encoder-decoder' || !decoder || decoder.attention === 'additive')
    return null;
  const { addon } = chooseRnnKernel();
  if (!addon) return null;
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
    const weights = ['kernel', 'recurrent_kernel', 'bias', 'peephole', 'projection']
      .map((name) => model.params.get(`${prefix}/${name}`))
      .filter((w): w is tf.Variable => w !== undefined)
      .map((w) => w.dataSync() as Float32Array);
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

function gatherRowsOf(values: Float32Array, size: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * size);
  for (let r = 0; r < rows.length; r++) {
    const from = (rows[r] as number) * size;
    out.set(values.subarray(from, from + size), r * size);
  }
  return out;
}

/** The decoder's steps on typed arrays (see the header); no attention. */
class NativeDecoderRows implements DecoderRows {
  readonly attends = false;
  private states: RowStates[];
  private next: RowStates[] | null = null;

  constructor(
    private readonly decoder: NativeDecoder,
    start: LayerState[],
  ) {
    this.states = start.map((s) => ({
      h: s.h.dataSync() as Float32Array,
      c: s.c ? (s.c.dataSync() as Float32Array) : null,
    }));
    disposeLayerStates(start);
  }

  step(tokens: Int32Array): DecoderStep {
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
      const forward = nativeForward(addon, cell, dims, x, layer.weights, state.h, c0, null);
      const h = forward.h.subarray(rows * layer.outSize);
      next.push({ h, c: forward.finalCell });
      let out = h;
      if (this.decoder.residual && l > 0 && layer.outSize === layer.inputSize) {
        out = new Float32Array(h.length);
        for (let i = 0; i < h.length; i++) out[i] = (h[i] as number) + (x[i] as number);
      }
      x = out;
    });
    const top = (layers[layers.length - 1] as NativeLayer).outSize;
    const logits = addon.matMul(
      [rows, vocab, top, 0, 0, 0],
      [x, this.decoder.outputKernel],
    )[0] as Float32Array;
    const bias = this.decoder.outputBias;
    // A float32 sum as tf.add's (the double sum of two floats rounds to the same float).
    for (let r = 0; r < rows; r++)
      for (let v = 0; v < vocab; v++)
        logits[r * vocab + v] = (logits[r * vocab + v] as number) + (bias[v] as number);
    const logProbs = readInTidy(() => tf.logSoftmax(tf.tensor2d(logits, [rows, vocab])));
    this.next = next;
    return { logProbs, vocab, weights: null, sourceTime: 0 };
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

/** True when `auto` steps this model's decoder natively (else as tensor ops). */
export function stepsNatively(model: RnnModel): boolean {
  return nativeDecoderOf(model) !== null;
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
  const native = options.engine === 'tensor-ops' ? null : nativeDecoderOf(model);
  const encoded = encodeBatch(model, sources);
  if (native && !encoded.memory) return new NativeDecoderRows(native, encoded.states);
  return new TensorDecoderRows(model, encoded, options.withAlignment);
}
