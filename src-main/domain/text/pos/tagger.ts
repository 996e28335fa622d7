/**
 * A trained tagging experiment, loaded to tag new text: tokenises it (offsets kept), cuts it
 * into sentences, runs the model on them in batches and gives each token its tag, the top 3
 * with probabilities and whether training saw the word.
 */
import { basename } from 'node:path';
import type { TaggedText, TaggedToken, TextTokenData } from '../../../api/text';
import { initTfBackend } from '../../backend/tf-backend';
import { UnfoldError } from '../../errors';
import {
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from '../../experiments/experiment-records';
import { chooseRnnKernel } from '../../rnn/kernels/native-sequence';
import type { RnnModel } from '../../rnn/rnn-model';
import {
  NativeWordTransducer,
  distinctWords,
  nativeWordTransducerRefusal,
} from '../native-word-transducer';
import type { TokenProbabilities } from '../native-word-transducer';
import { predictTokenProbabilities, topClasses } from '../token-inference';
import { tokenizeText } from '../tokenize';
import type { WordEncoder } from '../word-encoder';
import { WORD_ENCODER_FILE, storedWordEncoder } from '../word-encoder';
import type { TaggerLabels } from './pos-task';
import { loadModelWithRecordedLm, withContextualLayers } from '../contextual-embeddings';
import type { BidirectionalLm } from '../contextual-embeddings';

/** How many tags each token lists with its probability. */
export const TOP_TAGS = 3;
/** Tokens that end a sentence when free text is cut into sentences for the tagger. */
const SENTENCE_END = new Set(['.', '!', '?', '...', '…', '?!', '!?']);
/** The longest stretch tagged as one sentence (text without full stops: a list, a paste of code). */
const MAX_SENTENCE_TOKENS = 200;

export interface Tagger {
  /** The experiment's folder. */
  dir: string;
  /** The experiment's name (its folder's). */
  name: string;
  tagSet: readonly string[];
  /** Which treebank column the tags are (CoNLL-U output puts them there). */
  column: TaggerLabels['tagSet'];
  /**
   * How the model runs: on the native addon with the packed LSTM kernel or the padded sequence
   * kernels (native-word-transducer.ts), or on TF.js (no addon, or a model the native path does
   * not compute: a biLM's contextual layers, for one).
   */
  inference: 'native-packed' | 'native-padded' | 'tfjs';
  /** Tags sentences given as words (already tokenised: a CoNLL-U file). */
  tagSentences(
    sentences: readonly (readonly string[])[],
  ): Omit<TaggedToken, keyof TextTokenData>[][];
  /** Tokenises and tags a text (with `lineBreaksEndSentences`, no sentence runs over a line break: a file). */
  tagText(text: string, options?: SentenceOptions): TaggedText;
  dispose(): void;
}

export interface SentenceOptions {
  /** The tokens' text: a line break between two tokens ends a sentence too. */
  lineBreaksIn?: string;
}

/**
 * Where free text is cut into sentences: after sentence-final punctuation, at line breaks when
 * asked, and every MAX_SENTENCE_TOKENS tokens at the latest. Returns [start, end) token index
 * pairs.
 */
export function sentenceSpans(
  tokens: readonly { text: string; start?: number; end?: number }[],
  { lineBreaksIn }: SentenceOptions = {},
): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    const lineBreak =
      lineBreaksIn !== undefined &&
      next !== undefined &&
      lineBreaksIn.slice(token.end, next.start).includes('\n');
    const closes =
      lineBreak || (SENTENCE_END.has(token.text) && !(next && SENTENCE_END.has(next.text)));
    if (closes || i + 1 - start >= MAX_SENTENCE_TOKENS) {
      spans.push([start, i + 1]);
      start = i + 1;
    }
  });
  if (start < tokens.length) spans.push([start, tokens.length]);
  return spans;
}

export function taggerFrom(
  dir: string,
  model: RnnModel,
  encoder: WordEncoder,
  labels: TaggerLabels,
  contextual: BidirectionalLm | null = null,
): Tagger {
  const tags = labels.labels;
  const native = contextual ? null : nativeTransducerOf(model);
  const probabilitiesOf = (sentences: readonly (readonly string[])[]): SentenceProbabilities =>
    native
      ? nativeProbabilities(native, encoder, sentences)
      : tfjsProbabilities(model, encoder, contextual, sentences);
  /** Word i of sentence s: its tag, its top tags and whether training saw it. */
  const tagOf = (
    { probabilities, unseen }: SentenceProbabilities,
    s: number,
    i: number,
  ): Omit<TaggedToken, keyof TextTokenData> => {
    const row = (probabilities.offsets[s] as number) + i;
    const top = topClasses(probabilities.values, row, tags.length, TOP_TAGS).map((ranked) => ({
      tag: tags[ranked.index] as string,
      probability: ranked.probability,
    }));
    return { tag: top[0]?.tag ?? '', top, unseen: (unseen[s] as boolean[])[i] as boolean };
  };
  const tagSentences: Tagger['tagSentences'] = (sentences) => {
    const tagged = probabilitiesOf(sentences);
    return sentences.map((words, s) => words.map((_, i) => tagOf(tagged, s, i)));
  };
  return {
    dir,
    name: basename(dir),
    tagSet: tags,
    column: labels.tagSet,
    inference: native ? `native-${native.kernels}` : 'tfjs',
    tagSentences,
    tagText(text, options) {
      const tokens = tokenizeText(text);
      const spans = sentenceSpans(tokens, options);
      const tagged = probabilitiesOf(spans.map(([a, b]) => tokens.slice(a, b).map((t) => t.text)));
      const out: TaggedToken[] = [];
      spans.forEach(([a, b], s) => {
        for (let i = 0; a + i < b; i++) {
          const { text, start, end } = tokens[a + i] as TextTokenData;
          const { tag, top, unseen } = tagOf(tagged, s, i);
          out.push({ text, start, end, tag, top, unseen });
        }
      });
      return { experiment: basename(dir), tagSet: [...tags], tokens: out };
    },
    dispose: () => {
      model.dispose();
      contextual?.dispose();
    },
  };
}

/** The model's native word transducer, or null when the addon is missing or cannot run it. */
function nativeTransducerOf(model: RnnModel): NativeWordTransducer | null {
  const { addon } = chooseRnnKernel();
  if (!addon || nativeWordTransducerRefusal(model.config)) return null;
  return new NativeWordTransducer(addon, model);
}

interface SentenceProbabilities {
  probabilities: TokenProbabilities;
  /** Per sentence, per word: training never saw it. */
  unseen: boolean[][];
}

/**
 * Tokens per native call at most: a call embeds and projects each of its distinct words once
 * (~4 KB per word and recurrent direction), so a whole large file is tagged in such pieces.
 */
export const NATIVE_CALL_TOKENS = 50_000;

/**
 * Consecutive [start, end) ranges of sentences of at most `maxTokens` tokens each (a longer
 * sentence alone), covering every sentence in order.
 */
export function sentenceChunks(lengths: readonly number[], maxTokens: number): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  while (start < lengths.length) {
    let end = start + 1;
    let tokens = lengths[start] as number;
    while (end < lengths.length && tokens + (lengths[end] as number) <= maxTokens) {
      tokens += lengths[end] as number;
      end += 1;
    }
    chunks.push([start, end]);
    start = end;
  }
  return chunks;
}

/** The sentences on the native addon, NATIVE_CALL_TOKENS at a time, as one result. */
function nativeProbabilities(
  native: NativeWordTransducer,
  encoder: WordEncoder,
  sentences: readonly (readonly string[])[],
  maxTokens = NATIVE_CALL_TOKENS,
): SentenceProbabilities {
  const chunks = sentenceChunks(
    sentences.map((words) => words.length),
    maxTokens,
  );
  if (chunks.length <= 1) return nativeCall(native, encoder, sentences);
  const parts = chunks.map(([a, b]) => nativeCall(native, encoder, sentences.slice(a, b)));
  const classes = native.classes;
  const values = new Float32Array(parts.reduce((n, p) => n + p.probabilities.values.length, 0));
  const offsets = new Int32Array(sentences.length);
  let rows = 0;
  let s = 0;
  for (const { probabilities } of parts) {
    values.set(probabilities.values, rows * classes);
    for (const offset of probabilities.offsets) offsets[s++] = rows + offset;
    rows += probabilities.values.length / classes;
  }
  return { probabilities: { values, classes, offsets }, unseen: parts.flatMap((p) => p.unseen) };
}

/** One native call: each distinct word encoded and embedded once, then the sentences. */
function nativeCall(
  native: NativeWordTransducer,
  encoder: WordEncoder,
  sentences: readonly (readonly string[])[],
): SentenceProbabilities {
  const distinct = distinctWords(sentences);
  const vectors = native.wordVectors(
    encoder.encode(distinct.words, { training: false }),
    distinct.words.length,
  );
  const unseenWords = distinct.words.map((word) => encoder.isUnseen(word));
  return {
    probabilities: native.tokenProbabilities(distinct.sentences, vectors),
    unseen: distinct.sentences.map((rows) => Array.from(rows, (w) => unseenWords[w] as boolean)),
  };
}

/** The TF.js path: every sentence encoded, the model's forward on tensors. */
function tfjsProbabilities(
  model: RnnModel,
  encoder: WordEncoder,
  contextual: BidirectionalLm | null,
  sentences: readonly (readonly string[])[],
): SentenceProbabilities {
  const examples = withContextualLayers(
    contextual,
    sentences.map((words) => ({
      ...encoder.encode(words, { training: false }),
      length: words.length,
      target: new Int32Array(words.length),
    })),
    sentences,
  );
  const perSentence = predictTokenProbabilities(model, examples);
  const classes = model.config.output.size;
  const offsets = new Int32Array(sentences.length);
  let total = 0;
  sentences.forEach((words, s) => {
    offsets[s] = total;
    total += words.length;
  });
  const values = new Float32Array(total * classes);
  perSentence.forEach((rows, s) => values.set(rows, (offsets[s] as number) * classes));
  return {
    probabilities: { values, classes, offsets },
    unseen: sentences.map((words) => words.map((word) => encoder.isUnseen(word))),
  };
}

/** Loads a tagging experiment's model and word encoder. */
export async function loadTagger(dir: string): Promise<Tagger> {
  await initTfBackend();
  const config = await readExperimentConfig(dir);
  if (config.task !== 'pos')
    throw new UnfoldError(
      'TEXT_WRONG_TASK',
      `${dir} is a ${config.task} experiment; tagging text needs a pos experiment.`,
    );
  const labels = await readExperimentLabels<TaggerLabels>(dir);
  const encoder = storedWordEncoder(
    await readTaskFile(dir, WORD_ENCODER_FILE),
    'POS_NO_ENCODER',
    dir,
  );
  const { model, contextual } = await loadModelWithRecordedLm(dir);
  return taggerFrom(dir, model, encoder, labels, contextual);
}
