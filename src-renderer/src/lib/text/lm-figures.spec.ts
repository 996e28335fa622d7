import { describe, expect, it } from 'vitest';
import { lmEvaluationRows } from './lm-figures';

describe("a language model's evaluation figures", () => {
  it('lists its own test, then dev, then other splits, then other corpora, with the baselines', () => {
    const rows = lmEvaluationRows({
      training: { epochs: 3 },
      evaluations: {
        train: { split: 'train', perplexity: 5, units: 900 },
        'brown/test': { split: 'test', perplexity: 300, units: 50, unknownUnits: 7 },
        dev: { split: 'dev', perplexity: 40.5, unigramPerplexity: 120 },
        test: {
          split: 'test',
          perplexity: 42,
          bitsPerCharacter: 1.5,
          unigramPerplexity: 130,
          kneserNeyOrder: 5,
          kneserNeyPerplexity: 60,
          units: 100,
          unknownUnits: 0,
        },
        broken: 'not a record',
        speech: { split: 'test', accuracy: 0.9 },
      },
    });
    expect(rows.map((r) => r.evaluated)).toEqual(['test', 'dev', 'train', 'test of brown']);
    expect(rows[0]).toEqual({
      key: 'test',
      evaluated: 'test',
      perplexity: 42,
      bitsPerCharacter: 1.5,
      unigramPerplexity: 130,
      kneserNey: { order: 5, perplexity: 60 },
      units: 100,
      unknownUnits: 0,
    });
    expect(rows[1]?.kneserNey).toBeNull();
    expect(rows[3]?.unknownUnits).toBe(7);
  });

  it('has no rows before an evaluation', () => {
    expect(lmEvaluationRows({})).toEqual([]);
    expect(lmEvaluationRows({ evaluations: [] })).toEqual([]);
  });
});
