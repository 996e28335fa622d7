import { describe, expect, it } from 'vitest';
import { corpusBleu, corpusChrf, tokenize13a } from './translation-scores';

describe('13a tokenisation', () => {
  it('splits punctuation off, and full stops and commas unless between digits', () => {
    expect(tokenize13a('Hello, world! It costs 3.50 (1,000).')).toEqual([
      'Hello',
      ',',
      'world',
      '!',
      'It',
      'costs',
      '3.50',
      '(',
      '1,000',
      ')',
      '.',
    ]);
    expect(tokenize13a('a 5-year plan &amp; more')).toEqual([
      'a',
      '5',
      '-',
      'year',
      'plan',
      '&',
      'more',
    ]);
  });
});

describe('corpus BLEU (sacreBLEU defaults)', () => {
  it('is 100 for outputs equal to a reference', () => {
    const bleu = corpusBleu([
      { hypothesis: 'the cat sat on the mat', references: ['a dog', 'the cat sat on the mat'] },
    ]);
    expect(bleu.score).toBeCloseTo(100, 10);
    expect(bleu.brevityPenalty).toBe(1);
  });

  it('smooths an order without a match by 1 / (2 count) and takes the geometric mean', () => {
    // 1-grams 5/6, 2-grams 3/5, 3-grams 1/4, 4-grams 0/3 -> 1/(2*3).
    const bleu = corpusBleu([
      { hypothesis: 'the cat sat on the mat', references: ['the cat is on the mat'] },
    ]);
    expect(bleu.precisions.map((p) => Number(p.toFixed(3)))).toEqual([83.333, 60, 25, 16.667]);
    const expected = Math.exp(
      (Math.log(500 / 6) + Math.log(60) + Math.log(25) + Math.log(100 / 6)) / 4,
    );
    expect(bleu.score).toBeCloseTo(expected, 10);
    expect(bleu.score).toBeCloseTo(37.99, 2);
  });

  it('applies the brevity penalty with the closest reference length, summed over the corpus', () => {
    const bleu = corpusBleu([
      { hypothesis: 'a b c d', references: ['a b c d e f', 'a b c d e f g h'] },
      { hypothesis: 'w x y z', references: ['w x y z'] },
    ]);
    expect(bleu.hypothesisLength).toBe(8);
    expect(bleu.referenceLength).toBe(10);
    expect(bleu.brevityPenalty).toBeCloseTo(Math.exp(1 - 10 / 8), 12);
    expect(bleu.score).toBeCloseTo(100 * Math.exp(1 - 10 / 8), 8);
  });

  it('is 0 when nothing matches or the output is empty', () => {
    expect(corpusBleu([{ hypothesis: 'x y', references: ['a b'] }]).score).toBe(0);
    expect(corpusBleu([{ hypothesis: '', references: ['a b'] }]).score).toBe(0);
  });
});

describe('corpus chrF2', () => {
  it('averages character n-gram precision and recall over the orders both sides have', () => {
    // Orders 1 and 2 only: P = 1, R = (2/3 + 1/2) / 2; F2 = 5PR / (4P + R).
    const recall = (2 / 3 + 1 / 2) / 2;
    expect(corpusChrf([{ hypothesis: 'a b', references: ['abc'] }])).toBeCloseTo(
      (100 * 5 * recall) / (4 + recall),
      10,
    );
  });

  it('is 100 for an output equal to its best reference, and 0 with no shared character', () => {
    expect(corpusChrf([{ hypothesis: 'chat noir', references: ['xyz', 'chat noir'] }])).toBe(100);
    expect(corpusChrf([{ hypothesis: 'abc', references: ['xyz'] }])).toBe(0);
  });
});
