/**
 * An encoder-decoder's encoder run for decoding on typed arrays through the native addon, with no
 * TF.js op per batch: the recurrent stack on the packed LSTM kernel when every layer is an LSTM
 * it runs (native-word-stacks.ts runPackedStack: sources sorted longest first, no padded step,
 * each symbol's input projection computed once per encoder), else on the padded sequence
 * kernels RnnModel.forward runs natively (runPaddedStack, the same kernel calls on the same
 * inputs, each source's embedding rows read from the table); then in JS and on the addon's
 * products what RnnModel's encodeSource builds from them: each decoder layer's start state (its
 * encoder layer's final state, or the bridge of both directions') and, with attention, the
 * memory the decoder's steps read (the top outputs batch-major, their keys, the source mask).
 *
 * The padded path gives the TF.js path's numbers bit for bit for unidirectional stacks (the same
 * kernels); the packed one sums the same terms in another order (its own products), and a
 * bridge's product and tanh are the addon's and JS's, not wasm's (~1e-7).
 * native-source-encoder.spec.ts checks both paths against RnnModel.encodeSource.
 */
import type { RnnNativeAddon } from '../../../native/rnn-native';
import type { NativeEncoderMemory } from '../../rnn/kernels/native-decoder-attention';
import { nativeCellOf } from '../../rnn/kernels/native-sequence';
import type { ModelConfig } from '../../rnn/model-config';
import { cellSpecOf, directionsOf } from '../../rnn/model-params';
import type { RnnModel } from '../../rnn/rnn-model';
import {
  packedStackRuns,
  product,
  runPackedStack,
  runPaddedStack,
  scratchBuffers,
} from '../native-word-stacks';
import type {
  DirectionFinalState,
  PackedStackMemory,
  StackDirection,
  StackLayer,
  StackOutputsWithStates,
} from '../native-word-stacks';

/** A decoder layer's row states: h [rows, outSize], c [rows, cellSize] (null without a cell). */
export interface RowStates {
  h: Float32Array;
  c: Float32Array | null;
}

/** An encoded batch: one start state per decoder layer (a row per source), and the memory. */
export interface NativeEncodedBatch {
  states: RowStates[];
  /** With decoder attention; null without. */
  memory: NativeEncoderMemory | null;
}

/** A dense layer with tanh: tanh(x W + b), W [inputs, outputs]. */
interface TanhDense {
  kernel: Float32Array;
  bias: Float32Array;
  outputs: number;
}

/** A bidirectional encoder layer's bridge to its decoder layer (c: with a cell state). */
interface Bridge {
  h: TanhDense;
  c: TanhDense | null;
}

/** What the native encoder reads from a model once (weights as typed arrays). */
export interface NativeSourceEncoder {
  addon: RnnNativeAddon;
  /** The source embedding table [vocab, embeddingSize]. */
  embeddings: Float32Array;
  embeddingSize: number;
  layers: StackLayer[];
  residual: boolean;
  /** Per layer: its bridge (bidirectional layers), else null. */
  bridges: (Bridge | null)[];
  /** W_enc [encoderSize, attentionSize] with decoder attention; null without. */
  attentionKernel: Float32Array | null;
  attentionSize: number;
  /**
   * The packed stack's memory when every layer runs on the packed LSTM kernel, else null: its
   * layer 0 projections are of the whole embedding table, kept as long as the encoder is.
   */
  packed: PackedStackMemory | null;
}

/** Why this model's encoder cannot run natively, or null when it can. */
export function nativeSourceEncoderRefusal(config: ModelConfig): string | null {
  if (config.pattern !== 'encoder-decoder' || !config.decoder)
    return `a ${config.pattern} model has no source encoder`;
  if (config.convolution) return 'its encoder is a convolution';
  if (config.bidirectionalLm) return 'it is a bidirectional language model';
  const input = config.input;
  if (input.kind !== 'tokens') return 'its input is features, not symbols';
  if (input.chars || input.cases || input.contextual)
    return 'its input has more than symbol embeddings';
  if (config.decoder.layers.length !== config.layers.length)
    return 'its decoder has another number of layers than its encoder';
  return null;
}

/** The model's encoder as typed arrays (call when nativeSourceEncoderRefusal gives null). */
export function nativeSourceEncoderOf(addon: RnnNativeAddon, model: RnnModel): NativeSourceEncoder {
  const config = model.config;
  const values = (name: string): Float32Array => model.param(name).dataSync() as Float32Array;
  const table = model.param('embedding/embeddings');
  const embeddingSize = table.shape[1] as number;
  let inputSize = embeddingSize;
  const layers = config.layers.map((layerConfig, l): StackLayer => {
    const cell = nativeCellOf(cellSpecOf(layerConfig));
    const outputSize = cell.projection ?? cell.units;
    const layer: StackLayer = {
      config: layerConfig,
      inputSize,
      outputSize,
      directions: directionsOf(layerConfig).map((dir) => ({
        cell,
        weights: model
          .directionWeights(`encoder/layer${l}/${dir}`)
          .map((w) => w.dataSync() as Float32Array),
        reverse: dir === 'bw',
      })),
    };
    inputSize = layerConfig.bidirectional === 'concat' ? 2 * outputSize : outputSize;
    return layer;
  });
  const dense = (prefix: string, outputs: number): TanhDense => ({
    kernel: values(`${prefix}/kernel`),
    bias: values(`${prefix}/bias`),
    outputs,
  });
  const bridges = layers.map((layer, l): Bridge | null => {
    if (layer.directions.length < 2) return null;
    const { cell } = layer.directions[0] as StackLayer['directions'][number];
    return {
      h: dense(`bridge/layer${l}/h`, layer.outputSize),
      c: cell.family === 'lstm' ? dense(`bridge/layer${l}/c`, cell.units) : null,
    };
  });
  const attends = config.decoder?.attention === 'additive';
  const attentionKernel = attends ? model.param('attention/encoder_kernel') : null;
  return {
    addon,
    embeddings: table.dataSync() as Float32Array,
    embeddingSize,
    layers,
    residual: config.residual === true,
    bridges,
    attentionKernel: attentionKernel ? (attentionKernel.dataSync() as Float32Array) : null,
    attentionSize: attentionKernel ? (attentionKernel.shape[1] as number) : 0,
    packed: packedStackRuns(addon, layers)
      ? {
          wordProjections: new Map<StackDirection, Float32Array>(),
          scratch: scratchBuffers(1 << 12),
        }
      : null,
  };
}

/** tanh([a; b] W + bias) of two [rows, size] halves, as RnnModel's decoderStartStates bridges. */
function bridged(
  addon: RnnNativeAddon,
  dense: TanhDense,
  a: Float32Array,
  b: Float32Array,
  rows: number,
): Float32Array {
  const size = a.length / rows;
  const both = new Float32Array(rows * 2 * size);
  for (let r = 0; r < rows; r++) {
    both.set(a.subarray(r * size, (r + 1) * size), r * 2 * size);
    both.set(b.subarray(r * size, (r + 1) * size), r * 2 * size + size);
  }
  const out = product(addon, both, dense.kernel, 2 * size, dense.outputs);
  const { bias, outputs } = dense;
  for (let k = 0; k < out.length; k++)
    out[k] = Math.tanh((out[k] as number) + (bias[k % outputs] as number));
  return out;
}

/** Decoder layer l's start state from encoder layer l's final states. */
function startState(
  encoder: NativeSourceEncoder,
  l: number,
  finals: DirectionFinalState[],
  rows: number,
): RowStates {
  const [fw, bw] = finals as [DirectionFinalState, DirectionFinalState | undefined];
  const bridge = encoder.bridges[l];
  // A copy of c: the kernel's array holds every step's, the state only the last one.
  if (!bw || !bridge) return { h: fw.h, c: fw.c ? fw.c.slice() : null };
  return {
    h: bridged(encoder.addon, bridge.h, fw.h, bw.h, rows),
    c: bridge.c && fw.c && bw.c ? bridged(encoder.addon, bridge.c, fw.c, bw.c, rows) : null,
  };
}

/**
 * Encodes a batch of sources (symbol ids; at least one not empty): the decoder's start states
 * and, with attention, its memory over [batch, longest source] (padding: zero rows, mask 0).
 */
export function encodeSourcesNatively(
  encoder: NativeSourceEncoder,
  sources: readonly Int32Array[],
): NativeEncodedBatch {
  const { addon } = encoder;
  const batch = sources.length;
  const { top, size, finalStates, order } = runStack(encoder, sources);
  const states = finalStates.map((finals, l) => startState(encoder, l, finals, batch));
  if (!encoder.attentionKernel) return { states, memory: null };
  // The top outputs, compact sentence after sentence (in the stack's order), spread to
  // [batch, sourceTime, size] in the sources' order.
  const sourceTime = sources.reduce((n, source) => Math.max(n, source.length), 0);
  const values = new Float32Array(batch * sourceTime * size);
  const mask = new Float32Array(batch * sourceTime);
  let row = 0;
  for (const b of order) {
    const length = (sources[b] as Int32Array).length;
    values.set(top.subarray(row * size, (row + length) * size), b * sourceTime * size);
    mask.fill(1, b * sourceTime, b * sourceTime + length);
    row += length;
  }
  const keys = product(addon, values, encoder.attentionKernel, size, encoder.attentionSize);
  return { states, memory: { keys, values, mask, batch, sourceTime } };
}

/**
 * The encoder's stack over the sources: final states with rows in the sources' order; top rows
 * sentence after sentence in `order` (the stack's order: source indices, longest first on the
 * packed kernel).
 */
function runStack(
  encoder: NativeSourceEncoder,
  sources: readonly Int32Array[],
): StackOutputsWithStates & { order: number[] } {
  const { addon, layers, residual, packed } = encoder;
  const batch = { vectors: encoder.embeddings, inputSize: encoder.embeddingSize };
  if (!packed) {
    const outputs = runPaddedStack(addon, layers, residual, {
      ...batch,
      sentences: sources as Int32Array[],
    });
    return { ...outputs, order: sources.map((_, b) => b) };
  }
  // Stable, so sources of one length keep their order.
  const order = sources
    .map((_, b) => b)
    .sort((a, b) => (sources[b] as Int32Array).length - (sources[a] as Int32Array).length);
  const outputs = runPackedStack(
    addon,
    layers,
    residual,
    { ...batch, sentences: order.map((b) => sources[b] as Int32Array) },
    packed,
    true,
  );
  // Row k of each final state is source order[k]'s: put it back at row order[k].
  const unsorted = (sorted: Float32Array): Float32Array => {
    const width = sorted.length / order.length;
    const rows = new Float32Array(sorted.length);
    order.forEach((b, k) => rows.set(sorted.subarray(k * width, (k + 1) * width), b * width));
    return rows;
  };
  const finalStates = outputs.finalStates.map((finals) =>
    finals.map((final) => ({ h: unsorted(final.h), c: final.c ? unsorted(final.c) : null })),
  );
  return { ...outputs, finalStates, order };
}
