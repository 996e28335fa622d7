/**
 * A language model's vocabulary and the id streams it reads: sentences one after another, each
 * followed by the end-of-sentence token, which also stands before the first one (so "the start
 * of a sentence" is always "after an end of sentence", in training, scoring and generation).
 */
import { z } from 'zod';
import type { LmLevel, LmTokenizer } from '../../experiments/config/lm-config';
import type { ExperimentLabels } from '../../experiments/experiment-records';
import { UnfoldError } from '../../errors';
import { CharacterVocabulary } from '../characters';
import type { CharacterVocabularyJson } from '../characters';
import { parseStoredJson } from '../stored-json';
import { PAD_ID, UNK_ID, Vocabulary, countWords } from '../vocabulary';
import type { LmSentence } from './lm-text';

/** The end-of-sentence token: a unit of its own, predicted after every sentence. */
export const EOS_TOKEN = '</s>';

/** labels.json of a language model: the vocabulary in output order and how text becomes units. */
export interface LmLabels extends ExperimentLabels {
  task: 'lm';
  level: LmLevel;
  tokenizer: LmTokenizer;
  lowercase: boolean;
  /** Training count of each label (0 for padding; the unknown unit's is `unknownCount`). */
  counts: number[];
  /** Training units that became the unknown unit. */
  unknownCount: number;
  /** A bidirectional LM's character set (its words are read through their characters too). */
  characters?: CharacterVocabularyJson;
}

const LmLabelsSchema = z.object({
  task: z.literal('lm'),
  labels: z.array(z.string()).min(3),
  level: z.enum(['word', 'char']),
  tokenizer: z.enum(['text', 'whitespace']),
  lowercase: z.boolean(),
  counts: z.array(z.number().int().nonnegative()),
  unknownCount: z.number().int().nonnegative(),
  characters: z.unknown().optional(),
});

/** The character set a bidirectional LM's labels.json keeps; null for a forward LM. */
export function lmCharactersOf(labels: unknown, file: string): CharacterVocabulary | null {
  const parsed = parseStoredJson(LmLabelsSchema, labels, file, 'language-model labels');
  return parsed.characters === undefined
    ? null
    : CharacterVocabulary.fromJSON(parsed.characters, file);
}

/** A language model's vocabulary with its end-of-sentence id. */
export class LmVocabulary {
  readonly eosId: number;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly unknownCount: number,
  ) {
    const eos = vocabulary.id(EOS_TOKEN);
    if (eos === UNK_ID)
      throw new UnfoldError(
        'LM_VOCABULARY',
        `The vocabulary has no end-of-sentence token ${EOS_TOKEN}: it is cut by words.minCount or words.maxVocabulary (lower the one, raise the other).`,
      );
    this.eosId = eos;
  }

  /** Counts the training units (each sentence's end included) and keeps the frequent ones. */
  static fromTraining(
    sentences: readonly LmSentence[],
    options: { minCount: number; maxVocabulary: number; lowercase: boolean },
  ): LmVocabulary {
    const counts = countWords(
      sentences.map((s) => s.units),
      options.lowercase,
    );
    counts.set(EOS_TOKEN, sentences.length);
    const kept = Vocabulary.build(counts, {
      minCount: options.minCount,
      maxSize: options.maxVocabulary,
      lowercase: options.lowercase,
    });
    let unknown = 0;
    for (const [word, count] of counts) if (!kept.has(word)) unknown += count;
    return new LmVocabulary(kept, unknown);
  }

  static fromLabels(value: unknown, file: string): LmVocabulary {
    const labels = parseStoredJson(LmLabelsSchema, value, file, 'language-model labels');
    const vocabulary = Vocabulary.fromJSON(
      { lowercase: labels.lowercase, words: labels.labels, counts: labels.counts },
      file,
    );
    return new LmVocabulary(vocabulary, labels.unknownCount);
  }

  /** labels.json for this vocabulary. */
  labels(
    rule: { level: LmLevel; tokenizer: LmTokenizer },
    characters: CharacterVocabulary | null = null,
  ): LmLabels {
    const json = this.vocabulary.toJSON();
    return {
      task: 'lm',
      labels: json.words,
      level: rule.level,
      tokenizer: rule.tokenizer,
      lowercase: json.lowercase,
      counts: json.counts,
      unknownCount: this.unknownCount,
      ...(characters ? { characters: characters.toJSON() } : {}),
    };
  }

  get size(): number {
    return this.vocabulary.size;
  }

  /** Ids the model may predict: every id but padding. */
  get predictable(): number {
    return this.vocabulary.size - 1;
  }

  id(unit: string): number {
    return this.vocabulary.id(unit);
  }

  unit(id: number): string {
    return this.vocabulary.word(id);
  }

  /**
   * Training count of an id: the unknown unit counts every training unit it replaced, padding
   * none (the unigram baseline's counts).
   */
  countOfId(id: number): number {
    if (id === PAD_ID) return 0;
    if (id === UNK_ID) return this.unknownCount;
    return this.vocabulary.countOf(this.vocabulary.word(id));
  }

  /** The stream of sentences: end of sentence, then each sentence's ids and its end. */
  stream(sentences: readonly { units: readonly string[] }[]): Int32Array {
    const length = sentences.reduce((n, s) => n + s.units.length + 1, 1);
    const ids = new Int32Array(length);
    ids[0] = this.eosId;
    let at = 1;
    for (const sentence of sentences) {
      for (const unit of sentence.units) ids[at++] = this.vocabulary.id(unit);
      ids[at++] = this.eosId;
    }
    return ids;
  }
}
