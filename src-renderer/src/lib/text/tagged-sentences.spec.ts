import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import type { TaggedSentencePrediction } from '@api/text';
import {
  ALL_SENTENCES,
  asTaggedSentence,
  confusionOf,
  filterForCell,
  filterSentences,
  sentencesWithErrors,
  taggedSentences,
  tokenMarks,
} from './tagged-sentences';

function sentence(
  utteranceId: string,
  tokens: string[],
  reference: string[],
  decoded: string[],
  unseen: boolean[] = tokens.map(() => false),
): TaggedSentencePrediction {
  const errors = reference.filter((t, i) => decoded[i] !== t).length;
  return { utteranceId, tokens, reference, decoded, unseen, errors, correct: errors === 0 };
}

const RIGHT = sentence(
  'dev-1',
  ['the', 'dog', 'runs'],
  ['DET', 'NOUN', 'VERB'],
  ['DET', 'NOUN', 'VERB'],
);
const NOUN_AS_VERB = sentence(
  'dev-2',
  ['dogs', 'bark', 'loudly'],
  ['NOUN', 'VERB', 'ADV'],
  ['VERB', 'VERB', 'ADJ'],
  [false, false, true],
);
const TWO_ERRORS_ELSEWHERE = sentence(
  'dev-3',
  ['fish', 'swim'],
  ['NOUN', 'VERB'],
  ['VERB', 'NOUN'],
);
const SENTENCES = [RIGHT, NOUN_AS_VERB, TWO_ERRORS_ELSEWHERE];

describe('tagged sentences', () => {
  it('reads a tagging prediction and recounts its errors', () => {
    const stored: EvaluationPrediction = { ...NOUN_AS_VERB, errors: 0, correct: true };
    expect(asTaggedSentence(stored)).toEqual(NOUN_AS_VERB);
  });

  it('refuses speech items and sentences whose arrays disagree', () => {
    const word: EvaluationPrediction = {
      utteranceId: '3_jackson_12',
      speaker: 'jackson',
      audioPath: 'corpora/fsdd/audio/3_jackson_12.wav',
      reference: 'three',
      predicted: 'three',
    };
    const phones: EvaluationPrediction = {
      utteranceId: 'kal-sa1',
      reference: ['sh', 'iy'],
      decoded: ['sh'],
    };
    const short: EvaluationPrediction = { ...RIGHT, decoded: ['DET'] };
    expect(asTaggedSentence(word)).toBeNull();
    expect(asTaggedSentence(phones)).toBeNull();
    expect(asTaggedSentence(short)).toBeNull();
    expect(taggedSentences([word, { ...RIGHT }, short]).map((s) => s.utteranceId)).toEqual([
      'dev-1',
    ]);
  });

  it('takes missing unseen flags as seen', () => {
    const { unseen: _unseen, ...withoutUnseen } = RIGHT;
    expect(asTaggedSentence(withoutUnseen)?.unseen).toEqual([false, false, false]);
  });

  it('filters to all sentences, those with errors, or those with a chosen confusion', () => {
    const ids = (list: TaggedSentencePrediction[]): string[] => list.map((s) => s.utteranceId);
    expect(ids(filterSentences(SENTENCES, ALL_SENTENCES))).toEqual(['dev-1', 'dev-2', 'dev-3']);
    expect(ids(filterSentences(SENTENCES, { kind: 'errors' }))).toEqual(['dev-2', 'dev-3']);
    const nounAsVerb = {
      kind: 'confusion',
      confusion: { gold: 'NOUN', predicted: 'VERB' },
    } as const;
    expect(ids(filterSentences(SENTENCES, nounAsVerb))).toEqual(['dev-2', 'dev-3']);
    const advAsAdj = { kind: 'confusion', confusion: { gold: 'ADV', predicted: 'ADJ' } } as const;
    expect(ids(filterSentences(SENTENCES, advAsAdj))).toEqual(['dev-2']);
    // The same tags at different places are no confusion: dev-1 has a NOUN and a VERB, both right.
    const detAsNoun = { kind: 'confusion', confusion: { gold: 'DET', predicted: 'NOUN' } } as const;
    expect(filterSentences(SENTENCES, detAsNoun)).toEqual([]);
  });

  it('turns a confusion cell into a filter, and a closed cell back into the fallback', () => {
    const filter = filterForCell({ reference: 'NOUN', predicted: 'VERB' });
    expect(filter).toEqual({ kind: 'confusion', confusion: { gold: 'NOUN', predicted: 'VERB' } });
    expect(confusionOf(filter)).toEqual({ gold: 'NOUN', predicted: 'VERB' });
    expect(filterForCell(null, { kind: 'errors' })).toEqual({ kind: 'errors' });
    expect(confusionOf({ kind: 'errors' })).toBeNull();
  });

  it('marks mismatches, the confused tokens and unseen words', () => {
    const marks = tokenMarks(NOUN_AS_VERB, { gold: 'NOUN', predicted: 'VERB' });
    expect(marks).toEqual([
      {
        word: 'dogs',
        gold: 'NOUN',
        predicted: 'VERB',
        mismatch: true,
        highlighted: true,
        unseen: false,
      },
      {
        word: 'bark',
        gold: 'VERB',
        predicted: 'VERB',
        mismatch: false,
        highlighted: false,
        unseen: false,
      },
      {
        word: 'loudly',
        gold: 'ADV',
        predicted: 'ADJ',
        mismatch: true,
        highlighted: false,
        unseen: true,
      },
    ]);
    expect(tokenMarks(NOUN_AS_VERB).some((m) => m.highlighted)).toBe(false);
  });

  it('lists sentences with errors, most errors first', () => {
    expect(sentencesWithErrors(SENTENCES).map((s) => [s.utteranceId, s.errors])).toEqual([
      ['dev-2', 2],
      ['dev-3', 2],
    ]);
    const worse = sentence('dev-0', ['a', 'b', 'c'], ['X', 'X', 'X'], ['Y', 'Y', 'Y']);
    expect(sentencesWithErrors([...SENTENCES, worse])[0]?.utteranceId).toBe('dev-0');
  });
});
