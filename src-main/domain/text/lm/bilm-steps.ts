/**
 * Running a trained bidirectional LM: both directions' log-probabilities over a whole stream
 * (evaluation, each direction with its state carried window by window), and each token's
 * layers for contextual embeddings (Peters et al. 2018).
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import { makeBatch, modelBatchOf, disposeBatch } from '../../rnn/batching';
import type { SequenceExample } from '../../rnn/batching';
import { disposeLayerStates } from '../../rnn/rnn-model';
import type { LayerState, RnnModel } from '../../rnn/rnn-model';
import type { CharacterVocabulary } from '../characters';
import { PAD_ID } from '../vocabulary';
import { SCORING_WINDOW } from './lm-steps';
import { STREAM_CHARS_PER_UNIT, streamChars } from './bilm-streams';
import type { CharStream } from './bilm-streams';
import type { LmVocabulary } from './lm-vocabulary';

/** A stream read from its end: ids reversed, each position keeping its own char row. */
export function reversedStream(stream: CharStream): CharStream {
  const per = STREAM_CHARS_PER_UNIT;
  const n = stream.ids.length;
  const chars = new Int32Array(stream.chars.length);
  for (let t = 0; t < n; t++)
    chars.set(stream.chars.subarray((n - 1 - t) * per, (n - t) * per), t * per);
  return { ids: stream.ids.slice().reverse(), chars };
}

/** Stretch [start, end) of `forward` with the same stretch of `backward` as its second row. */
function pairedWindow(
  forward: CharStream,
  backward: CharStream,
  start: number,
  end: number,
): SequenceExample {
  const per = STREAM_CHARS_PER_UNIT;
  const part = (s: CharStream): Required<NonNullable<SequenceExample['backward']>> => ({
    inputs: s.ids.slice(start, end),
    target: s.ids.slice(start + 1, end + 1),
    chars: s.chars.subarray(start * per, end * per),
    charsPerToken: per,
    tokenDropout: new Float32Array(end - start),
  });
  return { ...part(forward), length: end - start, backward: part(backward) };
}

/**
 * ln p of every unit of a stream but the first, in each direction: `forward[t]` is
 * ln p(ids[t + 1] | ids[0..t]), `backward[t]` is ln p(ids[n - 2 - t] | ids[n - 1 - t..n - 1])
 * (the backward LM over the reversed stream). Both walk the stream in windows of
 * SCORING_WINDOW steps with their states carried, so the figures are those of one pass.
 */
export async function scoreBothDirections(
  model: RnnModel,
  stream: CharStream,
  { onProgress, signal }: LongOperationOptions = {},
): Promise<{ forward: Float64Array; backward: Float64Array }> {
  const vocab = model.config.output.size;
  const steps = Math.max(0, stream.ids.length - 1);
  const backStream = reversedStream(stream);
  const forward = new Float64Array(steps);
  const backward = new Float64Array(steps);
  let states: LayerState[] = model.zeroStates(2);
  try {
    for (let start = 0; start < steps; start += SCORING_WINDOW) {
      throwIfAborted(signal);
      const end = Math.min(start + SCORING_WINDOW, steps);
      const batch = makeBatch(model.config, [pairedWindow(stream, backStream, start, end)]);
      let next: LayerState[] = [];
      try {
        tf.tidy(() => {
          const out = model.forward(modelBatchOf(batch), {
            training: false,
            initialStates: states,
          });
          next = out.finalStates.map((s) => ({ h: tf.keep(s.h), c: s.c ? tf.keep(s.c) : null }));
          const masked = tf.add(
            tf.reshape(out.logits, [-1, vocab]),
            tf.oneHot(tf.tensor1d([PAD_ID], 'int32'), vocab).mul(-1e30),
          );
          const logProbs = tf.logSoftmax(masked).dataSync() as Float32Array; // [time * 2, vocab]
          for (let t = start; t < end; t++) {
            const row = (t - start) * 2;
            forward[t] = logProbs[row * vocab + (stream.ids[t + 1] as number)] as number;
            backward[t] = logProbs[(row + 1) * vocab + (backStream.ids[t + 1] as number)] as number;
          }
        });
      } finally {
        disposeBatch(batch);
      }
      disposeLayerStates(states);
      states = next;
      onProgress?.({ fraction: end / steps, message: `scored ${end} of ${steps} units both ways` });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    disposeLayerStates(states);
  }
  return { forward, backward };
}

/**
 * One sentence's contextual layers: `values` [tokens, layers, size] row-major, layer 0 the
 * token representation (word vector ++ char CNN) twice, layer l the forward and backward
 * outputs of recurrent layer l side by side.
 */
export interface ContextualLayers {
  tokens: number;
  layers: number;
  size: number;
  values: Float32Array;
}

/** Sentences run through the biLM together (each is two rows). */
const SENTENCES_PER_BATCH = 32;

/**
 * The layers of every token of `sentences` (words as tokenised, one array per sentence). Each
 * sentence is read on its own, between two ends of sentence as the LM's stream has them:
 * forwards `</s> w1 .. wn`, backwards `</s> wn .. w1`; token i takes the forward output after
 * reading w_i and the backward output after reading w_n .. w_i.
 */
export function contextualLayersOf(
  model: RnnModel,
  vocabulary: LmVocabulary,
  characters: CharacterVocabulary,
  sentences: readonly (readonly string[])[],
): ContextualLayers[] {
  const out: ContextualLayers[] = [];
  for (let first = 0; first < sentences.length; first += SENTENCES_PER_BATCH) {
    const group = sentences.slice(first, first + SENTENCES_PER_BATCH);
    const examples = group.map((words) => {
      const stream: CharStream = {
        ids: vocabulary.stream([{ units: words }]),
        chars: streamChars([{ units: words }], characters),
      };
      return pairedWindow(stream, reversedStream(stream), 0, words.length + 1);
    });
    const batch = makeBatch(model.config, examples);
    try {
      // Read inside the scope, not returned from it: tf.tidy walks its result element by element.
      let layers: { shape: number[]; data: Float32Array }[] = [];
      tf.tidy(() => {
        // The layers only: forward() would also make every token's logits over the whole vocabulary.
        const result = model.forwardFeatures(modelBatchOf(batch), {
          training: false,
          withLayers: true,
        });
        layers = (result.layers ?? []).map((t) => ({
          shape: t.shape,
          data: t.dataSync() as Float32Array,
        }));
      });
      group.forEach((words, s) => out.push(sentenceLayers(layers, words.length, s, group.length)));
    } finally {
      disposeBatch(batch);
    }
  }
  return out;
}

/** Picks sentence `s`'s tokens out of the time-major layer outputs of a batch of `count` sentences. */
function sentenceLayers(
  layers: { shape: number[]; data: Float32Array }[],
  tokens: number,
  s: number,
  count: number,
): ContextualLayers {
  const rows = 2 * count;
  const [input, ...recurrent] = layers;
  if (!input) throw new Error('the biLM returned no layers');
  const half = input.shape[2] as number;
  const size = 2 * half;
  const values = new Float32Array(tokens * layers.length * size);
  const at = (layer: { data: Float32Array }, t: number, row: number, width: number): Float32Array =>
    layer.data.subarray((t * rows + row) * width, (t * rows + row + 1) * width);
  for (let i = 1; i <= tokens; i++) {
    const base = (i - 1) * layers.length * size;
    const token = at(input, i, s, half);
    values.set(token, base);
    values.set(token, base + half);
    recurrent.forEach((layer, l) => {
      const width = layer.shape[2] as number;
      const offset = base + (l + 1) * size;
      values.set(at(layer, i, s, width), offset);
      values.set(at(layer, tokens + 1 - i, count + s, width), offset + width);
    });
  }
  return { tokens, layers: layers.length, size, values };
}
