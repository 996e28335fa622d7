import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import { GAP, translatedItems, worstItems, type TranslatedItem } from './translated-items';

type Step = { op: string; ref: string | null; hyp: string | null };

/** A prediction as score-seq2seq.ts writes it to predictions.json. */
function prediction(
  utteranceId: string,
  source: string,
  reference: string,
  predicted: string,
  alignment: Step[],
): EvaluationPrediction {
  const errors = alignment.filter((s) => s.op !== 'match').length;
  return {
    utteranceId,
    source,
    predicted,
    reference,
    references: 1,
    correct: errors === 0,
    errors,
    score: -0.5,
    unknownSymbols: [],
    alignment,
  };
}

const match = (s: string): Step => ({ op: 'match', ref: s, hyp: s });
const sub = (ref: string, hyp: string): Step => ({ op: 'substitution', ref, hyp });
const del = (ref: string): Step => ({ op: 'deletion', ref, hyp: null });
const ins = (hyp: string): Step => ({ op: 'insertion', ref: null, hyp });

const PREDICTIONS: EvaluationPrediction[] = [
  // 1 edit over 4 reference symbols.
  prediction('test:1', 'abcd', 'dcba', 'dcbb', [match('d'), match('c'), match('b'), sub('a', 'b')]),
  prediction('test:2', 'ab', 'ba', 'ba', [match('b'), match('a')]),
  // 2 edits over 2 reference symbols (an insertion adds no reference symbol).
  prediction('test:3', 'ca', 'ac', 'aac', [match('a'), ins('a'), sub('c', 'd')]),
  // 1 edit over 2 reference symbols.
  prediction('test:4', 'bd', 'db', 'd', [match('d'), del('b')]),
  // 1 edit over 2: ties with test:4, listed after it by id.
  prediction('test:0', 'dd', 'dd', 'da', [match('d'), sub('d', 'a')]),
];

describe('translated items', () => {
  it('reads the stored predictions with their aligned steps, a gap where a side has none', () => {
    const items = translatedItems(PREDICTIONS);
    expect(items).toHaveLength(5);
    const third = items[2] as TranslatedItem;
    expect(third).toMatchObject({
      utteranceId: 'test:3',
      source: 'ca',
      reference: 'ac',
      predicted: 'aac',
      correct: false,
      errors: 2,
      errorRate: 1,
    });
    expect(third.alignment).toEqual([
      { op: 'match', ref: 'a', hyp: 'a' },
      { op: 'insertion', ref: GAP, hyp: 'a' },
      { op: 'substitution', ref: 'c', hyp: 'd' },
    ]);
    expect(items[3]?.alignment[1]).toEqual({ op: 'deletion', ref: 'b', hyp: GAP });
  });

  it('leaves out predictions of other tasks and malformed alignments', () => {
    const tagging: EvaluationPrediction = {
      utteranceId: 'dev:1',
      tokens: ['a'],
      reference: ['DET'],
      decoded: ['DET'],
      errors: 0,
    };
    const broken = { ...PREDICTIONS[0]!, alignment: [{ op: 'match', ref: 3, hyp: 'a' }] };
    expect(translatedItems([tagging, broken, PREDICTIONS[1]!]).map((i) => i.utteranceId)).toEqual([
      'test:2',
    ]);
  });

  it('infers a missing op from the two sides', () => {
    const bare = {
      ...PREDICTIONS[3]!,
      alignment: [
        { ref: 'd', hyp: 'd' },
        { ref: 'b', hyp: null },
      ],
    };
    expect(translatedItems([bare])[0]?.alignment.map((s) => s.op)).toEqual(['match', 'deletion']);
  });

  it('lists the wrong items, most edits per reference symbol first, then most edits, then by id', () => {
    const items = translatedItems(PREDICTIONS);
    expect(worstItems(items).map((i) => i.utteranceId)).toEqual([
      'test:3',
      'test:0',
      'test:4',
      'test:1',
    ]);
    expect(worstItems(items, 2).map((i) => i.utteranceId)).toEqual(['test:3', 'test:0']);
    expect(worstItems(items.filter((i) => i.correct))).toEqual([]);
  });
});
