import { describe, expect, it } from 'vitest';
import type { FoldResult } from './cross-validation-summary';
import { figuresOf, pooledConfusion, sampleSd, summariseFolds } from './cross-validation-summary';

const fold = (k: number, accuracy: number, extra: Record<string, number> = {}): FoldResult => ({
  fold: k,
  experiment: `cv-fold-${k}`,
  items: { train: 8, dev: 1, test: 1 },
  epochs: 2,
  bestEpoch: 2,
  figures: { accuracy, ...extra },
});

describe('cross-validation summaries', () => {
  it('take the numbers of an evaluation record, nested objects one level down', () => {
    expect(
      figuresOf({
        corpus: '/c',
        accuracy: 0.75,
        sentences: 40,
        majorityBaseline: { label: 'pos', accuracy: 0.5 },
        perClass: [{ label: 'pos', f1: 0.7 }],
        skipped: [],
        nan: Number.NaN,
      }),
    ).toEqual({ accuracy: 0.75, sentences: 40, 'majorityBaseline.accuracy': 0.5 });
  });

  it('use the sample standard deviation (n - 1), none for one value', () => {
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(sampleSd([0.5])).toBeNull();
  });

  it('pool confusion matrices by label name, whatever their order', () => {
    expect(
      pooledConfusion([
        {
          labels: ['neg', 'pos'],
          counts: [
            [3, 1],
            [2, 4],
          ],
        },
        {
          labels: ['pos', 'neg'],
          counts: [
            [5, 0],
            [1, 6],
          ],
        },
      ]),
    ).toEqual({
      labels: ['neg', 'pos'],
      counts: [
        [9, 2],
        [2, 9],
      ],
    });
  });

  it('summarise the finished folds in fold order, with figures every fold has', () => {
    const confusion = {
      labels: ['a', 'b'],
      counts: [
        [1, 0],
        [0, 1],
      ],
    };
    const summary = summariseFolds(
      [
        { result: fold(2, 0.5, { sentences: 10 }), confusion },
        { result: fold(1, 0.7), confusion },
      ],
      { task: 'sentiment', corpus: 'mr', folds: 3 },
    );
    expect(summary.results.map((r) => r.fold)).toEqual([1, 2]);
    expect(summary.complete).toBe(false);
    expect(summary.mean).toEqual({ accuracy: 0.6 });
    expect(summary.sd.accuracy).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(summary.confusion.counts).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });
});
