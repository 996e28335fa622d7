import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import {
  classScores,
  confusionAccuracy,
  heatColour,
  maxCell,
  normaliseRows,
  utterancesForCell,
} from './confusion';

const counts = [
  [3, 1],
  [0, 0],
];

describe('normaliseRows', () => {
  it('divides each row by its sum and keeps empty rows at zero', () => {
    expect(normaliseRows(counts)).toEqual([
      [0.75, 0.25],
      [0, 0],
    ]);
    expect(maxCell(counts)).toBe(3);
  });
});

describe('heatColour', () => {
  it('runs from white to dark blue and clamps', () => {
    expect(heatColour(0)).toBe('rgb(255, 255, 255)');
    expect(heatColour(1)).toBe('rgb(8, 48, 107)');
    expect(heatColour(2)).toBe(heatColour(1));
    expect(heatColour(Number.NaN)).toBe(heatColour(0));
    expect(heatColour(0.5)).toBe('rgb(132, 152, 181)');
  });
});

describe('classScores', () => {
  it('computes precision, recall and F1 per class from a hand-made matrix', () => {
    // yes: 2 right, 1 called no; no: 1 right, 1 called yes.
    const scores = classScores({
      labels: ['yes', 'no'],
      counts: [
        [2, 1],
        [1, 1],
      ],
    });
    expect(scores[0]).toMatchObject({ label: 'yes', support: 3 });
    expect(scores[0]?.precision).toBeCloseTo(2 / 3);
    expect(scores[0]?.recall).toBeCloseTo(2 / 3);
    expect(scores[1]?.precision).toBeCloseTo(1 / 2);
    expect(scores[1]?.f1).toBeCloseTo(0.5);
    expect(confusionAccuracy(counts)).toBe(0.75);
  });
});

describe('utterancesForCell', () => {
  const base = { speaker: 's', audioPath: 'a.wav' };
  const predictions: EvaluationPrediction[] = [
    { ...base, utteranceId: 'u1', reference: 'yes', predicted: 'yes' },
    { ...base, utteranceId: 'u2', reference: 'yes', predicted: 'no' },
    { ...base, utteranceId: 'u3', reference: ['a', 'b'], decoded: ['a', 'c'] },
  ];
  it('lists word utterances with that reference and prediction', () => {
    expect(utterancesForCell(predictions, 'yes', 'no').map((p) => p.utteranceId)).toEqual(['u2']);
  });
  it('lists phone utterances whose reference and decoding hold the two phones', () => {
    expect(utterancesForCell(predictions, 'b', 'c').map((p) => p.utteranceId)).toEqual(['u3']);
  });
});
