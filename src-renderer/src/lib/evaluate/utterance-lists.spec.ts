import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import {
  misrecognised,
  predictionText,
  topLabels,
  utterancesForCell,
  worstByFrameAccuracy,
} from './utterance-lists';

const word = (id: string, correct: boolean, probability: number): EvaluationPrediction => ({
  utteranceId: id,
  speaker: 's',
  audioPath: '/a.wav',
  reference: 'yes',
  predicted: correct ? 'yes' : 'no',
  probability,
  correct,
  top: [
    { label: correct ? 'yes' : 'no', probability },
    { label: correct ? 'no' : 'yes', probability: 1 - probability },
  ],
});

const phones = (id: string, frameAccuracy: number): EvaluationPrediction => ({
  utteranceId: id,
  speaker: 's',
  audioPath: '/a.wav',
  reference: ['k', 'ae', 't'],
  decoded: ['k', 'ah'],
  frameAccuracy,
});

describe('evaluation utterance lists', () => {
  it('lists the wrong words, least confident first', () => {
    const list = misrecognised([
      word('a', true, 0.9),
      word('b', false, 0.8),
      word('c', false, 0.4),
      phones('d', 0.1),
    ]);
    expect(list.map((p) => p.utteranceId)).toEqual(['c', 'b']);
  });

  it('lists phone utterances by frame accuracy, worst first, up to a limit', () => {
    const list = worstByFrameAccuracy(
      [phones('a', 0.7), phones('b', 0.2), phones('c', 0.5), word('w', false, 0.5)],
      2,
    );
    expect(list.map((p) => p.utteranceId)).toEqual(['b', 'c']);
  });

  it('shows references and outputs as text, and reads a stored top-k', () => {
    expect(predictionText(['k', 'ae'])).toBe('k ae');
    expect(predictionText('yes')).toBe('yes');
    expect(predictionText(undefined)).toBe('');
    expect(topLabels(word('a', false, 0.6))).toEqual([
      { label: 'no', probability: 0.6 },
      { label: 'yes', probability: 0.4 },
    ]);
    expect(topLabels(phones('d', 0.1))).toEqual([]);
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
