import { describe, expect, it } from 'vitest';
import {
  accuracy,
  accuracyByGroup,
  classificationReport,
  confusionMatrix,
  normaliseRows,
} from './classification';

describe('classification metrics', () => {
  const reference = ['a', 'a', 'a', 'b', 'b', 'c'];
  const predicted = ['a', 'a', 'b', 'b', 'c', 'c'];

  it('computes accuracy', () => {
    expect(accuracy(reference, predicted)).toBeCloseTo(4 / 6, 12);
    expect(accuracy([], [])).toBe(0);
    expect(() => accuracy(['a'], [])).toThrow(/1 references but 0/);
  });

  it('builds the confusion matrix with rows as the truth', () => {
    const m = confusionMatrix(reference, predicted, ['a', 'b', 'c']);
    expect(m.counts).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(normaliseRows(m)).toEqual([
      [2 / 3, 1 / 3, 0],
      [0, 0.5, 0.5],
      [0, 0, 1],
    ]);
  });

  it('appends labels outside the label set instead of dropping items', () => {
    const m = confusionMatrix(['a', 'b'], ['a', 'not sure'], ['a', 'b']);
    expect(m.labels).toEqual(['a', 'b', 'not sure']);
    expect(m.counts).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });

  it('computes per-class precision, recall, F1 and macro averages', () => {
    const r = classificationReport(confusionMatrix(reference, predicted, ['a', 'b', 'c', 'd']));
    const [a, b, c, d] = r.perClass;
    expect(a).toMatchObject({ label: 'a', precision: 1, recall: 2 / 3, support: 3 });
    expect(a?.f1).toBeCloseTo(0.8, 12);
    expect(b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
    expect(c?.f1).toBeCloseTo(2 / 3, 12);
    // A class that never occurs is listed but left out of the macro means.
    expect(d).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macroPrecision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(r.macroRecall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(r).toMatchObject({ accuracy: 4 / 6, total: 6, correct: 4 });
  });

  it('computes accuracy per speaker', () => {
    expect(accuracyByGroup(reference, predicted, ['s2', 's1', 's1', 's2', 's2', 's1'])).toEqual([
      { group: 's1', correct: 2, total: 3, accuracy: 2 / 3 },
      { group: 's2', correct: 2, total: 3, accuracy: 2 / 3 },
    ]);
  });
});
