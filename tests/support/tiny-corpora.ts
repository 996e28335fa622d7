import { join } from 'node:path';
import { synthesiseSentences, synthesiseWords } from '../../src-main/domain/corpus';
import type { ImportReport } from '../../src-main/domain/corpus/import/speech-import';
import type { SynthSentencesOptions } from '../../src-main/domain/corpus/synth/synth-sentences';
import type { SynthWordsOptions } from '../../src-main/domain/corpus/synth/synth-words';

/**
 * Tiny synthesised corpora for integration tests, written where `unfold serve` and the speech
 * code look for them: `<dataDir>/corpora/<name>`. Every split is by voice, so the test voices
 * are never heard in training.
 */

/**
 * yes/no from three espeak-ng voices (two thirds of them train). The fields that the
 * corpus-synth-words job takes under the same names, for e2e tests that synthesise through it.
 */
export const TINY_WORDS = {
  words: ['yes', 'no'],
  engines: ['espeak-ng' as const],
  voices: ['en-us', 'en-us+f3', 'en+m3'],
  fractions: { train: 0.67, test: 0.33 },
  seed: 1,
};

/** Two sentences from two flite voices with phone alignments, kal16 and slt, a split each. */
export const TINY_SENTENCES = {
  sentences: ['She had your dark suit.', "Don't ask me to carry an oily rag."],
  engines: ['flite' as const],
  voices: ['kal16', 'slt'],
  fractions: { train: 0.5, test: 0.5 },
  seed: 1,
};

/** TINY_WORDS at two pitches. */
export function synthesiseTinyWords(
  dataDir: string,
  overrides: Partial<SynthWordsOptions> = {},
): Promise<ImportReport> {
  const options: SynthWordsOptions = {
    name: 'words',
    ...TINY_WORDS,
    pitchCents: [0, 200],
    ...overrides,
  };
  return synthesiseWords(join(dataDir, 'corpora', options.name), options);
}

export function synthesiseTinySentences(
  dataDir: string,
  overrides: Partial<SynthSentencesOptions> = {},
): Promise<ImportReport> {
  const options: SynthSentencesOptions = { name: 'sentences', ...TINY_SENTENCES, ...overrides };
  return synthesiseSentences(join(dataDir, 'corpora', options.name), options);
}
