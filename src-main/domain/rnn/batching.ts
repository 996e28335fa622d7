import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';
import type { ModelConfig } from './model-config';
import type { ModelBatch } from './rnn-model';
import type { Rng } from './random';
import { shuffleInPlace } from './random';

/**
 * One training example. Inputs are features [length, size] row-major (Float32Array) or token
 * ids (Int32Array). Targets: per-step class ids (transducer, decoder: the next token),
 * one class id (encoder), or, for an encoder-decoder, the target token ids (the decoder input
 * is `bos` followed by the target without its last token).
 */
export interface SequenceExample {
  inputs: Float32Array | Int32Array;
  length: number;
  target: Int32Array | number;
  /** Char ids per token, [length, charsPerToken] row-major, 0 = padding (input.chars models). */
  chars?: Int32Array;
  charsPerToken?: number;
  /** Case-class id per token, [length] (input.cases models). */
  cases?: Int32Array;
  /** Per token, the probability of replacing its id by unknownId while training, [length]. */
  tokenDropout?: Float32Array;
  /** Per token, a frozen model's layers side by side, [length, layers * size] (input.contextual models). */
  contextual?: Float32Array;
  /**
   * A bidirectional LM's example (config.bidirectionalLm): the same stretch of text read
   * backwards, of the same length; makeBatch puts it in the second half of the batch's rows.
   */
  backward?: Pick<
    SequenceExample,
    'inputs' | 'target' | 'chars' | 'charsPerToken' | 'tokenDropout'
  >;
}

/** The token-level inputs beside the ids, all [batch, time, ...] like `inputs`. */
export interface TokenExtras {
  /** int32 [batch, time, chars]: padded to the batch's widest word, at least the CNN width. */
  charInputs?: tf.Tensor3D;
  /** int32 [batch, time]. */
  caseInputs?: tf.Tensor2D;
  /** float32 [batch, time]. */
  tokenDropout?: tf.Tensor2D;
  /** float32 [batch, time, layers * size] (input.contextual). */
  contextualInputs?: tf.Tensor3D;
}

export interface TrainBatch extends TokenExtras {
  inputs: tf.Tensor;
  mask: tf.Tensor2D;
  /** [batch, time] class ids (per step) or [batch] (encoder). */
  targets: tf.Tensor;
  /** Mask of the positions the targets are scored at ([batch, time]); null for encoder labels. */
  targetMask: tf.Tensor2D | null;
  decoderInputs?: tf.Tensor2D;
  decoderMask?: tf.Tensor2D;
  /** Number of real frames or tokens in the batch, for throughput figures. */
  frames: number;
}

/** Begin-of-sequence id fed to an encoder-decoder's decoder (id 0 is reserved for it). */
export const BOS_ID = 0;

/**
 * Groups examples into batches of similar length so little padding is computed: sort by
 * length (ties broken by the seeded shuffle), cut into batches, then shuffle the batch order.
 * Without bucketing, batches are simply consecutive after the shuffle.
 */
export function planBatches(
  examples: SequenceExample[],
  batchSize: number,
  rng: Rng,
  bucketing: boolean,
): number[][] {
  const order = shuffleInPlace(
    examples.map((_, i) => i),
    rng,
  );
  if (bucketing)
    order.sort(
      (a, b) => (examples[a] as SequenceExample).length - (examples[b] as SequenceExample).length,
    );
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return bucketing ? shuffleInPlace(batches, rng) : batches;
}

/**
 * The rows of a batch: the examples, and for a bidirectional LM then their backward readings
 * (the model runs the first half forwards, the second through its backward stack).
 */
function batchRows(config: ModelConfig, examples: SequenceExample[]): SequenceExample[] {
  if (!config.bidirectionalLm) return examples;
  const backward = examples.map((e, b): SequenceExample => {
    if (!e.backward)
      throw new UnfoldError(
        'BAD_EXAMPLE',
        `The model is a bidirectional language model but example ${b} of the batch has no backward reading.`,
      );
    return { ...e.backward, length: e.length };
  });
  return [...examples, ...backward];
}

/** Pads a group of examples into batch tensors (the caller disposes them). */
export function makeBatch(config: ModelConfig, group: SequenceExample[]): TrainBatch {
  const examples = batchRows(config, group);
  const batch = examples.length;
  const time = Math.max(...examples.map((e) => e.length));
  const mask = new Float32Array(batch * time);
  examples.forEach((e, b) => mask.fill(1, b * time, b * time + e.length));
  const frames = examples.reduce((sum, e) => sum + e.length, 0);
  let inputs: tf.Tensor;
  if (config.input.kind === 'features') {
    const size = config.input.size;
    const values = new Float32Array(batch * time * size);
    examples.forEach((e, b) => values.set(e.inputs.subarray(0, e.length * size), b * time * size));
    inputs = tf.tensor3d(values, [batch, time, size]);
  } else {
    const values = new Int32Array(batch * time);
    examples.forEach((e, b) => values.set(e.inputs.subarray(0, e.length), b * time));
    inputs = tf.tensor2d(values, [batch, time], 'int32');
  }
  const maskTensor = tf.tensor2d(mask, [batch, time]);
  const extras = tokenExtras(config, examples, time);
  if (config.pattern === 'encoder') {
    const labels = Int32Array.from(examples, (e) =>
      typeof e.target === 'number' ? e.target : (e.target[0] ?? 0),
    );
    return {
      inputs,
      mask: maskTensor,
      targets: tf.tensor1d(labels, 'int32'),
      targetMask: null,
      frames,
      ...extras,
    };
  }
  if (config.pattern === 'encoder-decoder') {
    const targets = examples.map((e) => e.target as Int32Array);
    const steps = Math.max(...targets.map((t) => t.length));
    const ids = new Int32Array(batch * steps);
    const decIn = new Int32Array(batch * steps).fill(BOS_ID);
    const decMask = new Float32Array(batch * steps);
    targets.forEach((t, b) => {
      ids.set(t, b * steps);
      decIn.set(t.subarray(0, t.length - 1), b * steps + 1);
      decMask.fill(1, b * steps, b * steps + t.length);
    });
    const decoderMask = tf.tensor2d(decMask, [batch, steps]);
    return {
      inputs,
      mask: maskTensor,
      targets: tf.tensor2d(ids, [batch, steps], 'int32'),
      targetMask: decoderMask,
      decoderInputs: tf.tensor2d(decIn, [batch, steps], 'int32'),
      decoderMask,
      frames,
      ...extras,
    };
  }
  const ids = new Int32Array(batch * time);
  examples.forEach((e, b) => ids.set((e.target as Int32Array).subarray(0, e.length), b * time));
  return {
    inputs,
    mask: maskTensor,
    targets: tf.tensor2d(ids, [batch, time], 'int32'),
    targetMask: maskTensor,
    frames,
    ...extras,
  };
}

/** The tensors of the token inputs the config reads (chars, cases), and token dropout when given. */
function tokenExtras(config: ModelConfig, examples: SequenceExample[], time: number): TokenExtras {
  if (config.input.kind !== 'tokens') return {};
  const batch = examples.length;
  const extras: TokenExtras = {};
  const chars = config.input.chars;
  if (chars) {
    const width = Math.max(chars.width, ...examples.map((e, i) => widestWord(e, i)));
    const values = new Int32Array(batch * time * width);
    examples.forEach((e, b) => {
      const per = e.charsPerToken as number;
      const ids = e.chars as Int32Array;
      for (let t = 0; t < e.length; t++) {
        const row = ids.subarray(t * per, t * per + Math.min(per, width));
        values.set(row, (b * time + t) * width);
      }
    });
    extras.charInputs = tf.tensor3d(values, [batch, time, width], 'int32');
  }
  if (config.input.cases) {
    const values = new Int32Array(batch * time);
    examples.forEach((e, b) => {
      if (!e.cases || e.cases.length < e.length)
        throw new UnfoldError(
          'BAD_EXAMPLE',
          `The model reads case classes (input.cases) but example ${b} of the batch has ${e.cases ? `only ${e.cases.length} of ${e.length}` : 'none'}.`,
        );
      values.set(e.cases.subarray(0, e.length), b * time);
    });
    extras.caseInputs = tf.tensor2d(values, [batch, time], 'int32');
  }
  const contextual = config.input.contextual;
  if (contextual) {
    const width = contextual.layers * contextual.size;
    const values = new Float32Array(batch * time * width);
    examples.forEach((e, b) => {
      if (!e.contextual || e.contextual.length < e.length * width)
        throw new UnfoldError(
          'BAD_EXAMPLE',
          `The model reads contextual embeddings (input.contextual, ${contextual.layers} layers x ${contextual.size}) but example ${b} of the batch has ${e.contextual ? `${e.contextual.length} values for ${e.length} tokens` : 'none'}.`,
        );
      values.set(e.contextual.subarray(0, e.length * width), b * time * width);
    });
    extras.contextualInputs = tf.tensor3d(values, [batch, time, width]);
  }
  if (examples.some((e) => e.tokenDropout)) {
    const values = new Float32Array(batch * time);
    examples.forEach((e, b) => {
      if (e.tokenDropout) values.set(e.tokenDropout.subarray(0, e.length), b * time);
    });
    extras.tokenDropout = tf.tensor2d(values, [batch, time]);
  }
  return extras;
}

/** Chars in the longest word of an example (up to its last non-padding char); checks its layout. */
function widestWord(example: SequenceExample, index: number): number {
  const per = example.charsPerToken;
  const ids = example.chars;
  if (!ids || per === undefined || !(per >= 1) || ids.length < example.length * per)
    throw new UnfoldError(
      'BAD_EXAMPLE',
      `The model reads characters (input.chars) but example ${index} of the batch has no [length, charsPerToken] char ids.`,
    );
  let widest = 0;
  for (let t = 0; t < example.length; t++) {
    for (let c = per - 1; c >= widest; c--) {
      if (ids[t * per + c] !== 0) {
        widest = c + 1;
        break;
      }
    }
  }
  return widest;
}

/** The tensors of a batch that the model reads (everything but the targets). */
export function modelBatchOf(batch: TrainBatch): ModelBatch {
  return {
    inputs: batch.inputs,
    mask: batch.mask,
    decoderInputs: batch.decoderInputs,
    decoderMask: batch.decoderMask,
    charInputs: batch.charInputs,
    caseInputs: batch.caseInputs,
    tokenDropout: batch.tokenDropout,
    contextualInputs: batch.contextualInputs,
  };
}

export function disposeBatch(batch: TrainBatch): void {
  tf.dispose(
    [
      batch.inputs,
      batch.mask,
      batch.targets,
      batch.targetMask,
      batch.decoderInputs,
      batch.decoderMask,
      batch.charInputs,
      batch.caseInputs,
      batch.tokenDropout,
      batch.contextualInputs,
    ].filter((t): t is tf.Tensor => t != null),
  );
}
