/**
 * How a text model reads words: word ids from a vocabulary (with word dropout in training),
 * character ids for the character CNN and a case class per word. Built from the training
 * sentences, kept beside the model (word-encoder.json) and read back to run it on new text.
 * The one place where a word becomes the engine's token inputs, for every text task.
 */
import { z } from 'zod';
import { UnfoldError } from '../errors';
import type { WordInput } from '../experiments/config/text-config';
import type { ModelConfigInput } from '../rnn/model-config';
import type { SequenceExample } from '../rnn/batching';
import { CharacterVocabulary, MAX_WORD_CHARS, charIdsOf } from './characters';
import { parseStoredJson } from './stored-json';
import { UNK_ID, Vocabulary, countWords, wordDropoutProbability } from './vocabulary';
import { CASE_CLASSES, caseClassOf } from './word-shape';

export const WORD_ENCODER_FILE = 'word-encoder.json';
const FORMAT = 'unfold-word-encoder';

const WordEncoderJsonSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  vocabulary: z.unknown(),
  characters: z.unknown().nullable(),
  /** The character CNN's width: the narrowest a word's row of character ids may be. */
  charWidth: z.number().int().positive().nullable(),
  caseFeatures: z.boolean(),
  wordDropout: z.number().min(0),
  /** Every word form of the training data, cut-off or not: what "unseen in training" means. */
  trainingWords: z.array(z.string()),
});

/** A sentence's token inputs, as SequenceExample fields. */
export type EncodedWords = Pick<
  SequenceExample,
  'inputs' | 'chars' | 'charsPerToken' | 'cases' | 'tokenDropout'
>;

/**
 * The word encoder stored beside a trained model (`bytes` as read, null when the file is
 * missing); `code` and `where` ("The experiment", its folder) name the task and the model in
 * the error.
 */
export function storedWordEncoder(
  bytes: Uint8Array | null,
  code: string,
  where: string,
): WordEncoder {
  if (!bytes)
    throw new UnfoldError(
      code,
      `${where} has no ${WORD_ENCODER_FILE} beside its model: train it again.`,
    );
  return WordEncoder.fromBytes(bytes, WORD_ENCODER_FILE);
}

export class WordEncoder {
  private readonly seen: ReadonlySet<string>;

  private constructor(
    readonly vocabulary: Vocabulary,
    private readonly characters: CharacterVocabulary | null,
    private readonly charWidth: number | null,
    private readonly caseFeatures: boolean,
    private readonly wordDropout: number,
    trainingWords: Iterable<string>,
  ) {
    this.seen = new Set(trainingWords);
  }

  static fromTraining(sentences: string[][], input: WordInput): WordEncoder {
    const exact = countWords(sentences, false);
    const vocabulary = Vocabulary.build(exact, {
      minCount: input.minCount,
      maxSize: input.maxVocabulary,
      lowercase: input.lowercase,
    });
    const characters = input.chars ? CharacterVocabulary.build(exact, { minCount: 1 }) : null;
    return new WordEncoder(
      vocabulary,
      characters,
      input.chars?.width ?? null,
      input.caseFeatures,
      input.wordDropout,
      exact.keys(),
    );
  }

  static fromBytes(bytes: Uint8Array, file: string): WordEncoder {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new UnfoldError(
        'TEXT_ENCODER_FILE',
        `${file}: not JSON (${(error as Error).message}).`,
      );
    }
    const json = parseStoredJson(WordEncoderJsonSchema, value, file, 'word encoder');
    return new WordEncoder(
      Vocabulary.fromJSON(json.vocabulary, file),
      json.characters == null ? null : CharacterVocabulary.fromJSON(json.characters, file),
      json.charWidth,
      json.caseFeatures,
      json.wordDropout,
      json.trainingWords,
    );
  }

  toBytes(): Uint8Array {
    const json: z.infer<typeof WordEncoderJsonSchema> = {
      format: FORMAT,
      version: 1,
      vocabulary: this.vocabulary.toJSON(),
      characters: this.characters?.toJSON() ?? null,
      charWidth: this.charWidth,
      caseFeatures: this.caseFeatures,
      wordDropout: this.wordDropout,
      trainingWords: [...this.seen],
    };
    return new TextEncoder().encode(JSON.stringify(json));
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  get characterCount(): number {
    return this.characters?.size ?? 0;
  }

  /** Whether training never saw this word form (its vector then comes from its characters and case). */
  isUnseen(word: string): boolean {
    return !this.seen.has(word);
  }

  /** The engine's token input for this encoder and config. */
  modelInput(input: WordInput): ModelConfigInput['input'] {
    return {
      kind: 'tokens',
      vocabSize: this.vocabulary.size,
      embeddingSize: input.embeddingSize,
      embeddingInitRange: input.embeddingInitRange,
      unknownId: UNK_ID,
      freezeEmbeddings: input.pretrained?.freeze ?? false,
      ...(this.characters && input.chars
        ? {
            chars: {
              vocabSize: this.characters.size,
              embeddingSize: input.chars.embeddingSize,
              filters: input.chars.filters,
              width: input.chars.width,
            },
          }
        : {}),
      ...(this.caseFeatures
        ? { cases: { count: CASE_CLASSES.length, embeddingSize: input.caseEmbeddingSize } }
        : {}),
    };
  }

  /** One sentence's inputs; `training` adds the word-dropout probability of each word. */
  encode(words: readonly string[], { training }: { training: boolean }): EncodedWords {
    const inputs = Int32Array.from(words, (word) => this.vocabulary.id(word));
    const encoded: EncodedWords = { inputs };
    if (this.characters) {
      const longest = words.reduce((n, word) => Math.max(n, Array.from(word).length), 0);
      const charsPerToken = Math.max(this.charWidth ?? 1, Math.min(MAX_WORD_CHARS, longest));
      const chars = new Int32Array(words.length * charsPerToken);
      words.forEach((word, t) =>
        charIdsOf(
          word,
          this.characters as CharacterVocabulary,
          chars.subarray(t * charsPerToken, (t + 1) * charsPerToken),
        ),
      );
      encoded.chars = chars;
      encoded.charsPerToken = charsPerToken;
    }
    if (this.caseFeatures) encoded.cases = Int32Array.from(words, (word) => caseClassOf(word));
    if (training && this.wordDropout > 0)
      encoded.tokenDropout = Float32Array.from(words, (word, t) =>
        inputs[t] === UNK_ID
          ? 0
          : wordDropoutProbability(this.vocabulary.countOf(word), this.wordDropout),
      );
    return encoded;
  }
}
