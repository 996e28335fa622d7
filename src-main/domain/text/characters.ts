import { z } from 'zod';
import { compareCodePoints } from '../corpus/formats/utf8';
import { parseStoredJson } from './stored-json';

/** Character id 0 pads short words (masked out of the CNN's max); id 1 is any character not in the set. */
export const CHAR_PAD_ID = 0;
export const CHAR_UNK_ID = 1;

/**
 * Longest word the character CNN sees. A longer one keeps its first and last halves: prefixes
 * and suffixes carry the part of speech, and a 10,000-character "word" must not widen a batch.
 */
export const MAX_WORD_CHARS = 24;

const CharacterVocabularyJsonSchema = z.object({
  /** The characters of ids 2, 3, ...; ids 0 and 1 are padding and unknown. */
  chars: z
    .array(
      z
        .string()
        .refine(
          (char) => char.length > 0 && [...char].length === 1,
          'each entry must be one character',
        ),
    )
    .refine((chars) => new Set(chars).size === chars.length, 'a character appears twice'),
});

export type CharacterVocabularyJson = z.infer<typeof CharacterVocabularyJsonSchema>;

/** The characters (Unicode code points of the NFC form; an emoji is one) of a character CNN. */
export class CharacterVocabulary {
  private readonly ids = new Map<string, number>();

  private constructor(private readonly chars: readonly string[]) {
    chars.forEach((char, index) => this.ids.set(char, index + 2));
  }

  /**
   * Keeps the characters that occur at least minCount times in the training words (each word
   * weighted by its count, so `countWords(sentences, false)` is the input), most frequent first.
   */
  static build(
    wordCounts: ReadonlyMap<string, number>,
    options: { minCount: number },
  ): CharacterVocabulary {
    const counts = new Map<string, number>();
    for (const [word, count] of wordCounts) {
      for (const char of word.normalize('NFC')) counts.set(char, (counts.get(char) ?? 0) + count);
    }
    const kept = [...counts].filter(([, count]) => count >= options.minCount);
    kept.sort(([a, countA], [b, countB]) => countB - countA || compareCodePoints(a, b));
    return new CharacterVocabulary(kept.map(([char]) => char));
  }

  static fromJSON(value: unknown, file: string): CharacterVocabulary {
    const json = parseStoredJson(
      CharacterVocabularyJsonSchema,
      value,
      file,
      'character vocabulary',
    );
    return new CharacterVocabulary(json.chars);
  }

  toJSON(): CharacterVocabularyJson {
    return { chars: [...this.chars] };
  }

  /** Number of ids, padding and unknown included (the model's chars.vocabSize). */
  get size(): number {
    return this.chars.length + 2;
  }

  /** The id of one character (a code point); CHAR_UNK_ID when it is not in the set. */
  id(char: string): number {
    return this.ids.get(char) ?? CHAR_UNK_ID;
  }

  char(id: number): string {
    if (id === CHAR_PAD_ID) return '';
    const char = this.chars[id - 2];
    if (id === CHAR_UNK_ID || char === undefined)
      throw new RangeError(`No character has id ${id}.`);
    return char;
  }
}

/**
 * The character ids of a word (NFC code points), at most MAX_WORD_CHARS of them (or into's
 * length when shorter): a longer word keeps its first and last halves. With `into` (one row of
 * a [tokens, charsPerToken] array), the ids are written at its start and the rest is set to
 * CHAR_PAD_ID; the ids written are returned (a view of `into`).
 */
export function charIdsOf(word: string, vocab: CharacterVocabulary, into?: Int32Array): Int32Array {
  const chars = Array.from(word.normalize('NFC'));
  const width = Math.min(MAX_WORD_CHARS, into ? into.length : MAX_WORD_CHARS);
  const kept =
    chars.length <= width
      ? chars
      : [
          ...chars.slice(0, Math.ceil(width / 2)),
          ...chars.slice(chars.length - Math.floor(width / 2)),
        ];
  const ids = into ?? new Int32Array(kept.length);
  kept.forEach((char, index) => (ids[index] = vocab.id(char)));
  if (into) into.fill(CHAR_PAD_ID, kept.length);
  return into ? into.subarray(0, kept.length) : ids;
}
