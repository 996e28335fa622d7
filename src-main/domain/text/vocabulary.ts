import { z } from 'zod';
import { compareCodePoints } from '../corpus/formats/utf8';
import { UnfoldError } from '../errors';
import { parseStoredJson } from './stored-json';

/** Id 0 fills the positions past a sequence's end; id 1 stands for every word not in the vocabulary. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

export interface VocabularyOptions {
  /** Words seen fewer times than this become UNK. */
  minCount: number;
  /** Largest number of ids, PAD and UNK included (the model's vocabSize); the most frequent words are kept. */
  maxSize?: number;
  /** Words are lower-cased before counting and before every look-up. */
  lowercase: boolean;
}

const VocabularyJsonSchema = z.object({
  lowercase: z.boolean(),
  words: z.array(z.string()).min(2),
  counts: z.array(z.number().int().nonnegative()),
});

export type VocabularyJson = z.infer<typeof VocabularyJsonSchema>;

/** The word list of a text model: ids by frequency, with the training count of each word. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();

  private constructor(
    private readonly words: readonly string[],
    private readonly counts: readonly number[],
    readonly lowercase: boolean,
  ) {
    words.forEach((word, id) => this.ids.set(word, id));
  }

  /** Keeps the words counted at least minCount times, most frequent first (ties in code-point order). */
  static build(counts: ReadonlyMap<string, number>, options: VocabularyOptions): Vocabulary {
    const { minCount, maxSize, lowercase } = options;
    if (maxSize !== undefined && maxSize < 2) {
      throw new UnfoldError(
        'TEXT_VOCABULARY',
        `The vocabulary needs room for ${PAD_TOKEN} and ${UNK_TOKEN}: maxSize must be at least 2 (got ${maxSize}).`,
      );
    }
    const merged = new Map<string, number>();
    for (const [word, count] of counts) {
      const key = lowercase ? word.toLowerCase() : word;
      merged.set(key, (merged.get(key) ?? 0) + count);
    }
    merged.delete(PAD_TOKEN);
    merged.delete(UNK_TOKEN);
    const kept = [...merged].filter(([, count]) => count >= minCount);
    kept.sort(([a, countA], [b, countB]) => countB - countA || compareCodePoints(a, b));
    if (maxSize !== undefined) kept.length = Math.min(kept.length, maxSize - 2);
    return new Vocabulary(
      [PAD_TOKEN, UNK_TOKEN, ...kept.map(([word]) => word)],
      [0, 0, ...kept.map(([, count]) => count)],
      lowercase,
    );
  }

  static fromJSON(value: unknown, file: string): Vocabulary {
    const json = parseStoredJson(VocabularyJsonSchema, value, file, 'vocabulary');
    const problem =
      json.words[PAD_ID] !== PAD_TOKEN || json.words[UNK_ID] !== UNK_TOKEN
        ? `the first two words must be ${PAD_TOKEN} and ${UNK_TOKEN}`
        : json.counts.length !== json.words.length
          ? `${json.words.length} words but ${json.counts.length} counts`
          : new Set(json.words).size !== json.words.length
            ? 'a word appears twice'
            : undefined;
    if (problem)
      throw new UnfoldError('TEXT_VOCABULARY_FILE', `${file}: not a valid vocabulary: ${problem}`, {
        file,
      });
    return new Vocabulary(json.words, json.counts, json.lowercase);
  }

  toJSON(): VocabularyJson {
    return { lowercase: this.lowercase, words: [...this.words], counts: [...this.counts] };
  }

  get size(): number {
    return this.words.length;
  }

  /** The word's id, UNK_ID when it is not in the vocabulary. */
  id(word: string): number {
    return this.ids.get(this.lowercase ? word.toLowerCase() : word) ?? UNK_ID;
  }

  has(word: string): boolean {
    return this.id(word) !== UNK_ID;
  }

  word(id: number): string {
    const word = this.words[id];
    if (word === undefined)
      throw new RangeError(`No word has id ${id} (the vocabulary has ${this.size}).`);
    return word;
  }

  /** How many times the word was counted when the vocabulary was built; 0 when it is not in it. */
  countOf(word: string): number {
    const id = this.id(word);
    return id === UNK_ID ? 0 : this.counts[id]!;
  }
}

/** How many times each word occurs in the sentences. */
export function countWords(sentences: string[][], lowercase: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) {
    for (const token of sentence) {
      const word = lowercase ? token.toLowerCase() : token;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Word dropout (Kiperwasser & Goldberg 2016): while training, a word seen `count` times is
 * replaced by UNK with probability alpha / (alpha + count), so UNK's vector learns from rare words.
 */
export function wordDropoutProbability(count: number, alpha: number): number {
  return alpha <= 0 ? 0 : alpha / (alpha + count);
}
