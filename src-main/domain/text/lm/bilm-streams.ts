/**
 * What a bidirectional LM (Peters et al. 2018) reads: the same id stream as a forward LM, with
 * every unit's characters beside its id, and each stretch of it also read backwards. A stretch
 * [start, end) is one example: forwards it reads ids[start..end-1] and predicts the unit after
 * each; backwards it reads ids[end..start+1] and predicts the unit before each. The engine puts
 * the backward reading in the second half of the batch (batching.ts), so the existing truncated
 * BPTT carries both directions' states along their own rows.
 */
import type { SequenceExample } from '../../rnn/batching';
import { CharacterVocabulary, MAX_WORD_CHARS, charIdsOf } from '../characters';
import { countWords } from '../vocabulary';
import type { LmSentence } from './lm-text';
import { EOS_TOKEN } from './lm-vocabulary';

/** Char ids per stream position: a fixed row of MAX_WORD_CHARS (batches trim to the widest word). */
export const STREAM_CHARS_PER_UNIT = MAX_WORD_CHARS;

/** A stream of unit ids with each position's char ids, [length, STREAM_CHARS_PER_UNIT]. */
export interface CharStream {
  ids: Int32Array;
  chars: Int32Array;
}

/** The character set of the training text (the words as written, before any lower-casing). */
export function bilmCharacters(sentences: readonly LmSentence[]): CharacterVocabulary {
  const counts = countWords(
    sentences.map((s) => s.units),
    false,
  );
  counts.set(EOS_TOKEN, sentences.length);
  return CharacterVocabulary.build(counts, { minCount: 1 });
}

/**
 * The char ids of a stream of `sentences` (parallel to LmVocabulary.stream: the end of sentence
 * first, then each sentence's units and its end). A unit that became `<unk>` keeps its own
 * characters: that is what a character-based representation is for.
 */
export function streamChars(
  sentences: readonly { units: readonly string[] }[],
  characters: CharacterVocabulary,
): Int32Array {
  const length = sentences.reduce((n, s) => n + s.units.length + 1, 1);
  const per = STREAM_CHARS_PER_UNIT;
  const chars = new Int32Array(length * per);
  const eos = charIdsOf(EOS_TOKEN, characters);
  let at = 0;
  const put = (ids: Int32Array | null, unit: string): void => {
    const row = chars.subarray(at * per, (at + 1) * per);
    if (ids) row.set(ids);
    else charIdsOf(unit, characters, row);
    at += 1;
  };
  put(eos, EOS_TOKEN);
  for (const sentence of sentences) {
    for (const unit of sentence.units) put(null, unit);
    put(eos, EOS_TOKEN);
  }
  return chars;
}

/** The char rows of positions `from`, `from - 1`, ... (`count` of them), copied in that order. */
function reversedRows(chars: Int32Array, from: number, count: number): Int32Array {
  const per = STREAM_CHARS_PER_UNIT;
  const out = new Int32Array(count * per);
  for (let j = 0; j < count; j++)
    out.set(chars.subarray((from - j) * per, (from - j + 1) * per), j * per);
  return out;
}

/** The stretch [start, end) of a stream as one example read both ways. */
export function bothWays(
  stream: CharStream,
  start: number,
  end: number,
  dropout?: (id: number) => number,
): SequenceExample {
  const { ids, chars } = stream;
  const per = STREAM_CHARS_PER_UNIT;
  const inputs = ids.slice(start, end);
  const backInputs = Int32Array.from({ length: end - start }, (_, j) => ids[end - j] as number);
  return {
    inputs,
    length: end - start,
    target: ids.slice(start + 1, end + 1),
    chars: chars.subarray(start * per, end * per),
    charsPerToken: per,
    ...(dropout ? { tokenDropout: Float32Array.from(inputs, dropout) } : {}),
    backward: {
      inputs: backInputs,
      target: Int32Array.from({ length: end - start }, (_, j) => ids[end - 1 - j] as number),
      chars: reversedRows(chars, end, end - start),
      charsPerToken: per,
      ...(dropout ? { tokenDropout: Float32Array.from(backInputs, dropout) } : {}),
    },
  };
}

/**
 * The training examples: the stream cut into `streams` contiguous stretches of near-equal
 * length (as trainingStreams does for a forward LM), each read both ways. One batch holds them all.
 */
export function bidirectionalTrainingStreams(
  stream: CharStream,
  streams: number,
  dropout?: (id: number) => number,
): SequenceExample[] {
  const steps = stream.ids.length - 1;
  const count = Math.max(1, Math.min(streams, steps));
  return Array.from({ length: count }, (_, i) =>
    bothWays(
      stream,
      Math.floor((i * steps) / count),
      Math.floor(((i + 1) * steps) / count),
      dropout,
    ),
  );
}

/** Dev examples: consecutive stretches of `length` steps, each read both ways. */
export function bidirectionalChunks(stream: CharStream, length: number): SequenceExample[] {
  const examples: SequenceExample[] = [];
  for (let start = 0; start < stream.ids.length - 1; start += length)
    examples.push(bothWays(stream, start, Math.min(start + length, stream.ids.length - 1)));
  return examples;
}
