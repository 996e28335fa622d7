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
import type { RnnModel } from '../../rnn/rnn-model';
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
  const tagSentences: Tagger['tagSentences'] = (sentences) => {
    const examples = withContextualLayers(
      contextual,
      sentences.map((words) => ({
        ...encoder.encode(words, { training: false }),
        length: words.length,
        target: new Int32Array(words.length),
      })),
      sentences,
    );
    const probabilities = predictTokenProbabilities(model, examples);
    return sentences.map((words, s) => {
      const rows = probabilities[s] as Float32Array;
      return words.map((word, i) => {
        const top = topClasses(rows, i, tags.length, TOP_TAGS).map((ranked) => ({
          tag: tags[ranked.index] as string,
          probability: ranked.probability,
        }));
        return { tag: top[0]?.tag ?? '', top, unseen: encoder.isUnseen(word) };
      });
    });
  };
  return {
    dir,
    name: basename(dir),
    tagSet: tags,
    column: labels.tagSet,
    tagSentences,
    tagText(text, options) {
      const tokens = tokenizeText(text);
      const spans = sentenceSpans(tokens, options);
      const tagged = tagSentences(spans.map(([a, b]) => tokens.slice(a, b).map((t) => t.text)));
      const out: TaggedToken[] = [];
      spans.forEach(([a], s) =>
        (tagged[s] ?? []).forEach((tag, i) =>
          out.push({ ...(tokens[a + i] as TextTokenData), ...tag }),
        ),
      );
      return { experiment: basename(dir), tagSet: [...tags], tokens: out };
    },
    dispose: () => {
      model.dispose();
      contextual?.dispose();
    },
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
