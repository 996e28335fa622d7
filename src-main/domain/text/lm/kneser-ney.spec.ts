import { describe, expect, it } from 'vitest';
import { KneserNeyModel, modifiedDiscounts } from './kneser-ney';

/** A stream over ids 1..8 (0 is padding and never predicted) with repeats and rare n-grams. */
const STREAM = Int32Array.from([
  2, 3, 4, 5, 2, 3, 4, 6, 2, 3, 7, 5, 2, 4, 4, 5, 2, 8, 3, 4, 5, 2, 3, 4, 5, 2, 6, 6, 1, 2,
]);
const IDS = [1, 2, 3, 4, 5, 6, 7, 8];

function sumOver(model: KneserNeyModel, history: number[]): number {
  return IDS.reduce((sum, id) => sum + model.probability(history, id), 0);
}

describe('interpolated modified Kneser-Ney', () => {
  it.each([2, 3, 4, 5])(
    'order %i: the probabilities of every tested context sum to 1 over the vocabulary',
    (order) => {
      const model = KneserNeyModel.train(STREAM, { order, outcomes: IDS.length });
      const contexts = [
        [],
        [2],
        [3],
        [1],
        [2, 3],
        [3, 4],
        [7, 7],
        [2, 3, 4],
        [8, 3, 4],
        [4, 4, 4],
        [5, 2, 3, 4],
        [1, 1, 1, 1],
        [6, 6, 1, 2],
      ];
      for (const context of contexts) expect(sumOver(model, context)).toBeCloseTo(1, 12);
    },
  );

  it('prefers what followed a context in training, and gives unseen ids a little', () => {
    const model = KneserNeyModel.train(STREAM, { order: 3, outcomes: IDS.length });
    const afterTwoThree = model.probability([2, 3], 4);
    for (const id of IDS.filter((id) => id !== 4))
      expect(model.probability([2, 3], id)).toBeLessThan(afterTwoThree);
    expect(model.probability([2, 3], 1)).toBeGreaterThan(0);
    expect(model.probability([2, 3], 1)).toBeLessThan(model.probability([2, 3], 7));
  });

  it('counts distinct n-grams per order', () => {
    const model = KneserNeyModel.train(Int32Array.from([1, 2, 1, 2, 1]), {
      order: 2,
      outcomes: 2,
    });
    // Bigrams (1 2) and (2 1); unigram continuation counts of 2 and 1.
    expect(model.sizes).toEqual([2, 2]);
    // Both bigrams occur twice (n1 = 0): D2 = 2 - 3 Y n3 / n2 = 2 takes all of (1 2)'s count, so
    // p(2 | 1) = gamma p1(2) = 1 x 1/2 (each id is preceded by one distinct id).
    expect(model.probability([1], 2)).toBeCloseTo(0.5, 12);
    expect(model.probability([1], 1)).toBeCloseTo(0.5, 12);
  });

  it('scores a stream: ln p of every id after the first', () => {
    const model = KneserNeyModel.train(STREAM, { order: 2, outcomes: IDS.length });
    const scores = model.scoreStream(Int32Array.from([2, 3, 4]));
    expect(scores).toHaveLength(2);
    expect(scores[0]).toBeCloseTo(Math.log(model.probability([2], 3)), 12);
    expect(scores[1]).toBeCloseTo(Math.log(model.probability([3], 4)), 12);
  });

  it('computes the modified discounts from counts of counts, and falls back when some are missing', () => {
    // n1 = 4, n2 = 2, n3 = 1, n4 = 1: Y = 4 / 8 = 0.5.
    const [d1, d2, d3] = modifiedDiscounts([1, 1, 1, 1, 2, 2, 3, 4]);
    expect(d1).toBeCloseTo(1 - 2 * 0.5 * (2 / 4), 12);
    expect(d2).toBeCloseTo(2 - 3 * 0.5 * (1 / 2), 12);
    expect(d3).toBeCloseTo(3 - 4 * 0.5 * (1 / 1), 12);
    expect(modifiedDiscounts([1, 1, 1])).toEqual([1, 1, 1.5]);
  });

  it('refuses orders outside 2 to 5', () => {
    expect(() => KneserNeyModel.train(STREAM, { order: 6, outcomes: 8 })).toThrow(/2 to 5/);
  });
});
