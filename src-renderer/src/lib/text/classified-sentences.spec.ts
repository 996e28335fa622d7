import { describe, expect, it } from 'vitest';
import type { EvaluationPrediction } from '@api/experiments';
import type { SentencePrediction } from '@api/sentiment';
import {
  asClassifiedSentence,
  classifiedSentences,
  mostConfidentlyWrong,
  percentText,
} from './classified-sentences';

/** A sentence as the sentiment task's evaluation writes it to predictions.json (scoreSentiment). */
function prediction(
  id: string,
  reference: string,
  predicted: string,
  probability: number,
  inTraining = false,
): EvaluationPrediction {
  const sentence: SentencePrediction = {
    utteranceId: id,
    text: `sentence ${id}`,
    tokens: ['sentence', id],
    reference,
    predicted,
    probability,
    top: [{ label: predicted, probability }],
    correct: reference === predicted,
    inTraining,
  };
  return { ...sentence };
}

const PREDICTIONS: EvaluationPrediction[] = [
  prediction('test-1', 'positive', 'negative', 0.71),
  prediction('test-2', 'positive', 'positive', 0.99),
  prediction('test-3', 'negative', 'positive', 0.93, true),
  prediction('test-4', 'negative', 'positive', 0.71),
  prediction('test-5', 'negative', 'negative', 0.6),
];

describe('classified sentences', () => {
  it('reads the sentences of a classifier evaluation, and nothing else', () => {
    expect(asClassifiedSentence(PREDICTIONS[2]!)).toEqual({
      utteranceId: 'test-3',
      text: 'sentence test-3',
      gold: 'negative',
      predicted: 'positive',
      probability: 0.93,
      correct: false,
      inTraining: true,
    });
    const word: EvaluationPrediction = {
      utteranceId: '3_jackson_12',
      speaker: 'jackson',
      reference: 'three',
      predicted: 'three',
      probability: 0.9,
    };
    const tagged: EvaluationPrediction = {
      utteranceId: 'dev-1',
      tokens: ['the', 'dog'],
      reference: ['DET', 'NOUN'],
      decoded: ['DET', 'NOUN'],
    };
    expect(asClassifiedSentence(word)).toBeNull();
    expect(asClassifiedSentence(tagged)).toBeNull();
    expect(classifiedSentences([word, ...PREDICTIONS, tagged]).map((s) => s.utteranceId)).toEqual([
      'test-1',
      'test-2',
      'test-3',
      'test-4',
      'test-5',
    ]);
  });

  it('lists the wrong ones, the most confident first, ties by id, at most the limit', () => {
    const sentences = classifiedSentences(PREDICTIONS);
    expect(mostConfidentlyWrong(sentences).map((s) => s.utteranceId)).toEqual([
      'test-3',
      'test-1',
      'test-4',
    ]);
    expect(mostConfidentlyWrong(sentences, 2).map((s) => s.utteranceId)).toEqual([
      'test-3',
      'test-1',
    ]);
    expect(mostConfidentlyWrong(sentences.filter((s) => s.correct))).toEqual([]);
  });

  it('writes a probability as a percentage', () => {
    expect(percentText(0.9312)).toBe('93.1%');
  });
});
