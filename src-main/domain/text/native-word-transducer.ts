/**
 * A word-level transducer (a tagger: word embeddings ++ char CNN ++ case embedding, recurrent
 * layers, a softmax per word) run for inference on typed arrays through the native addon, with
 * no TF.js tensor, wasm gather or concat between its steps: the kernels RnnModel.forward runs
 * there (gatherRows, charCnnForward, outputSoftmaxForward) around the recurrent layers of
 * native-word-stacks.ts. A word's input vector depends on the word alone (its id, its chars, its
 * case class), so each distinct word of a call is embedded once and the batches pick its row.
 * Only models whose forward pass this computes as RnnModel.forward does are accepted
 * (nativeWordTransducerRefusal); the caller keeps the TF.js path (token-inference.ts) for the
 * rest. native-word-transducer.spec.ts checks both give the same probabilities to 1e-5.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
import { nativeCellOf } from '../rnn/kernels/native-sequence';
import { PLAIN_TRANSDUCER_KEYS } from '../rnn/kernels/native-stream';
import { cellSpecOf, directionsOf } from '../rnn/model-params';
import type { ModelConfig } from '../rnn/model-config';
import type { RnnModel } from '../rnn/rnn-model';
import { INFERENCE_BATCH_TOKENS, lengthSortedGroups } from './token-inference';
import {
  packedStackRuns,
  runPackedStack,
  runPaddedStack,
  scratchBuffers,
} from './native-word-stacks';
import type { StackDirection, StackLayer } from './native-word-stacks';
import type { EncodedWords } from './word-encoder';

const KNOWN_INPUT_KEYS = new Set([
  'kind',
  'vocabSize',
  'embeddingSize',
  'embeddingInitRange',
  'unknownId',
  'freezeEmbeddings',
  'chars',
  'cases',
]);
const KNOWN_LAYER_KEYS = new Set(['cell', 'units', 'projection', 'activation', 'bidirectional']);

const setKeys = (value: object): string[] =>
  Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([key]) => key);

/** Why this model cannot run as a native word transducer, or null when it can. */
export function nativeWordTransducerRefusal(config: ModelConfig): string | null {
  if (config.pattern !== 'transducer') return `a ${config.pattern} model is not a transducer`;
  if (config.input.kind !== 'tokens') return 'its input is features, not words';
  if (config.output.activation !== 'softmax') return 'its output is not a softmax';
  const unknown = [
    ...setKeys(config).filter((key) => !PLAIN_TRANSDUCER_KEYS.has(key)),
    ...setKeys(config.input).filter((key) => !KNOWN_INPUT_KEYS.has(key)),
    ...config.layers.flatMap((layer) => setKeys(layer).filter((k) => !KNOWN_LAYER_KEYS.has(k))),
    ...setKeys(config.output).filter((key) => key !== 'size' && key !== 'activation'),
  ];
  if (unknown.length > 0)
    return `the native word transducer does not compute ${unknown.join(', ')}`;
  return null;
}

/** Each distinct word of a call once (`words`) and, per sentence, its words' indices there. */
export interface DistinctWords {
  words: string[];
  sentences: Int32Array[];
}

/** The distinct words of sentences, in order of first appearance. */
export function distinctWords(sentences: readonly (readonly string[])[]): DistinctWords {
  const index = new Map<string, number>();
  const words: string[] = [];
  const rows = sentences.map((sentence) =>
    Int32Array.from(sentence, (word) => {
      let at = index.get(word);
      if (at === undefined) {
        at = words.length;
        index.set(word, at);
        words.push(word);
      }
      return at;
    }),
  );
  return { words, sentences: rows };
}

/** Per-token probabilities of a call: row-major [tokens, classes], sentence after sentence. */
export interface TokenProbabilities {
  values: Float32Array;
  classes: number;
  /** Where each sentence's first row is (sentence s: rows offsets[s] .. offsets[s] + length). */
  offsets: Int32Array;
}

/** How much wider packed batches are than INFERENCE_BATCH_TOKENS (they compute no padding). */
const PACKED_BUDGET_FACTOR = 4;

/**
 * A model's forward pass for inference on the native addon. The weights are read from the
 * model on every call (cached by TF.js data id, which changes whenever a variable is assigned),
 * so the transducer follows the model as it is.
 */
export class NativeWordTransducer {
  private readonly values = new WeakMap<object, Float32Array>();
  /** Reused buffers for the layers' outputs (one layer reads the other's). */
  private readonly scratch = scratchBuffers(1 << 16);

  constructor(
    private readonly addon: RnnNativeAddon,
    private readonly model: RnnModel,
  ) {
    const refusal = nativeWordTransducerRefusal(model.config);
    if (refusal) throw new Error(`cannot run this model as a native word transducer: ${refusal}`);
  }

  /** The output layer's classes. */
  get classes(): number {
    return this.model.config.output.size;
  }

  /** Which recurrent kernels run the layers: the packed LSTM one, or the padded sequence ones. */
  get kernels(): 'packed' | 'padded' {
    return packedStackRuns(this.addon, this.layers()) ? 'packed' : 'padded';
  }

  private param(name: string): Float32Array {
    return this.valuesOf(this.model.param(name));
  }

  private valuesOf(tensor: tf.Tensor): Float32Array {
    const known = this.values.get(tensor.dataId);
    if (known) return known;
    const values = tensor.dataSync() as Float32Array;
    this.values.set(tensor.dataId, values);
    return values;
  }

  private get inputConfig(): Extract<ModelConfig['input'], { kind: 'tokens' }> {
    return this.model.config.input as Extract<ModelConfig['input'], { kind: 'tokens' }>;
  }

  /** The size of a word's input vector: word embedding ++ char features ++ case embedding. */
  get inputSize(): number {
    const input = this.inputConfig;
    return input.embeddingSize + (input.chars?.filters ?? 0) + (input.cases?.embeddingSize ?? 0);
  }

  /**
   * The input vectors [words, inputSize] of `count` words encoded as one sentence
   * (WordEncoder.encode): each word's embedding, char CNN features and case embedding side by
   * side, as RnnModel's encoderInput concatenates them.
   */
  wordVectors(encoded: EncodedWords, count: number): Float32Array {
    const input = this.inputConfig;
    const size = this.inputSize;
    const out = new Float32Array(count * size);
    const place = (part: Float32Array, width: number, offset: number): void => {
      for (let w = 0; w < count; w++)
        out.set(part.subarray(w * width, (w + 1) * width), w * size + offset);
    };
    const ids = encoded.inputs as Int32Array;
    place(
      this.addon.gatherRows(
        input.vocabSize,
        input.embeddingSize,
        this.param('embedding/embeddings'),
        ids,
      ),
      input.embeddingSize,
      0,
    );
    let offset = input.embeddingSize;
    if (input.chars) {
      const chars = encoded.chars;
      const positions = encoded.charsPerToken;
      if (!chars || positions === undefined) throw new Error('this model reads characters');
      const [features] = this.addon.charCnnForward(
        [
          count,
          positions,
          input.chars.vocabSize,
          input.chars.embeddingSize,
          input.chars.filters,
          input.chars.width,
        ],
        chars,
        this.param('embedding/char_embeddings'),
        this.param('embedding/char_conv/kernel'),
        this.param('embedding/char_conv/bias'),
      );
      place(features, input.chars.filters, offset);
      offset += input.chars.filters;
    }
    if (input.cases) {
      if (!encoded.cases) throw new Error('this model reads case classes');
      const size = input.cases.embeddingSize;
      place(
        this.addon.gatherRows(
          input.cases.count,
          size,
          this.param('embedding/case_embeddings'),
          encoded.cases,
        ),
        size,
        offset,
      );
    }
    return out;
  }

  /**
   * The softmax of every token of `sentences` (each an array of rows of `vectors`
   * [rows, inputSize]), run in length-sorted batches of at most `tokenBudget` padded tokens.
   */
  tokenProbabilities(
    sentences: readonly Int32Array[],
    vectors: Float32Array,
    tokenBudget = INFERENCE_BATCH_TOKENS,
  ): TokenProbabilities {
    const classes = this.model.config.output.size;
    const offsets = new Int32Array(sentences.length);
    let total = 0;
    sentences.forEach((sentence, s) => {
      offsets[s] = total;
      total += sentence.length;
    });
    const values = new Float32Array(total * classes);
    const layers = this.layers();
    const packed = packedStackRuns(this.addon, layers);
    const memory = {
      wordProjections: new Map<StackDirection, Float32Array>(),
      scratch: this.scratch,
    };
    const residual = this.model.config.residual;
    // Packed batches compute no padding, so they can be wider: their products get taller.
    const budget = packed ? tokenBudget * PACKED_BUDGET_FACTOR : tokenBudget;
    const lengths = sentences.map((sentence) => sentence.length);
    for (const ascending of lengthSortedGroups(lengths, budget)) {
      // Longest first: the packed kernel's order (the other path takes any order).
      const group = ascending.reverse();
      const members = group.map((s) => sentences[s] as Int32Array);
      const batch = { sentences: members, vectors, inputSize: this.inputSize };
      const { top, size } = packed
        ? runPackedStack(this.addon, layers, residual, batch, memory)
        : runPaddedStack(this.addon, layers, residual, batch);
      const rows = members.reduce((n, sentence) => n + sentence.length, 0);
      const probs = this.outputSoftmax(top, size, rows);
      let row = 0;
      for (const s of group) {
        const length = lengths[s] as number;
        values.set(
          probs.subarray(row * classes, (row + length) * classes),
          (offsets[s] as number) * classes,
        );
        row += length;
      }
    }
    return { values, classes, offsets };
  }

  private layers(): StackLayer[] {
    let inputSize = this.inputSize;
    return this.model.config.layers.map((config, l) => {
      const cell = nativeCellOf(cellSpecOf(config));
      const outputSize = cell.projection ?? cell.units;
      const layer: StackLayer = {
        config,
        inputSize,
        outputSize,
        directions: directionsOf(config).map((dir) => ({
          cell,
          weights: this.model
            .directionWeights(`encoder/layer${l}/${dir}`)
            .map((w) => this.valuesOf(w)),
          reverse: dir === 'bw',
        })),
      };
      inputSize = config.bidirectional === 'concat' ? 2 * outputSize : outputSize;
      return layer;
    });
  }

  /** The output layer's softmax [rows, classes] over top [rows, size]. */
  private outputSoftmax(top: Float32Array, size: number, rows: number): Float32Array {
    const classes = this.model.config.output.size;
    const probs = new Float32Array(rows * classes);
    // No target: ids 0 with weight 0 leave the loss out and only fill probs.
    this.addon.outputSoftmaxForward(
      [rows, size, classes, 0, 0, 0],
      top,
      this.param('output/kernel'),
      new Int32Array(rows),
      new Float32Array(rows),
      this.param('output/bias'),
      probs,
    );
    return probs;
  }
}
