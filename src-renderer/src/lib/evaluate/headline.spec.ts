import { describe, expect, it } from 'vitest';
import { HEADLINE_FIGURE_NAMES, headlineMetrics, speakerAccuracies } from './headline';

describe('headlineMetrics', () => {
  it('shows word accuracy', () => {
    expect(headlineMetrics({ accuracy: 0.875, utterances: 8 }, HEADLINE_FIGURE_NAMES)).toEqual([
      { label: 'Accuracy', value: '87.5%' },
      { label: 'Utterances', value: '8' },
    ]);
  });
  it('shows phone figures, PER from its record', () => {
    expect(
      headlineMetrics(
        { frameAccuracy: 0.5, phoneErrorRate: { rate: 0.25 } },
        HEADLINE_FIGURE_NAMES,
      ),
    ).toEqual([
      { label: 'Frame accuracy', value: '50.0%' },
      { label: 'PER', value: '25.0%' },
    ]);
    expect(headlineMetrics(null, HEADLINE_FIGURE_NAMES)).toEqual([]);
  });
  it('shows only the figures asked for, in their order', () => {
    const summary = { accuracy: 0.5, frameAccuracy: 0.25, utterances: 4 };
    expect(headlineMetrics(summary, ['utterances', 'frameAccuracy'])).toEqual([
      { label: 'Utterances', value: '4' },
      { label: 'Frame accuracy', value: '25.0%' },
    ]);
  });
});

describe('word accuracy with "not sure" rejections', () => {
  it('shows accuracy, rejection rate and accuracy among accepted side by side', () => {
    const summary = { accuracy: 0.75, utterances: 8, rejected: 2, acceptedAccuracy: 5 / 6 };
    expect(headlineMetrics(summary, HEADLINE_FIGURE_NAMES)).toEqual([
      { label: 'Accuracy', value: '75.0%' },
      { label: 'Rejected (not sure)', value: '25.0%' },
      { label: 'Accuracy among accepted', value: '83.3%' },
      { label: 'Utterances', value: '8' },
    ]);
    expect(
      headlineMetrics(
        { accuracy: 0, utterances: 2, rejected: 2, acceptedAccuracy: 0 },
        HEADLINE_FIGURE_NAMES,
      ),
    ).toContainEqual({ label: 'Accuracy among accepted', value: '—' });
  });
});

describe('speakerAccuracies', () => {
  it('reads the per-speaker table the evaluation stored, worst first', () => {
    const summary = {
      perSpeaker: [
        { group: 'alice', correct: 9, total: 10, accuracy: 0.9 },
        { group: 'bob', correct: 1, total: 4, accuracy: 0.25 },
        { junk: true },
      ],
    };
    expect(speakerAccuracies(summary, [])).toEqual([
      { speaker: 'bob', correct: 1, total: 4, accuracy: 0.25 },
      { speaker: 'alice', correct: 9, total: 10, accuracy: 0.9 },
    ]);
  });

  it('counts from the predictions when the summary has no table', () => {
    const predictions = [
      { speaker: 'a', correct: true },
      { speaker: 'a', correct: false },
      { speaker: 'b', correct: true },
      { speaker: 'c' },
    ];
    expect(speakerAccuracies(null, predictions)).toEqual([
      { speaker: 'a', correct: 1, total: 2, accuracy: 0.5 },
      { speaker: 'b', correct: 1, total: 1, accuracy: 1 },
    ]);
  });
});

describe('tagging headline figures', () => {
  const summary = {
    accuracy: 0.9512,
    unseenAccuracy: 0.7,
    unseenTokens: 40,
    sentenceAccuracy: 0.5,
    tokens: 1200,
    sentences: 80,
    macroF1: 0.9,
  };
  const figures = ['tokenAccuracy', 'unseenAccuracy', 'sentenceAccuracy', 'sentences'] as const;

  it('reads token, unseen-word and sentence accuracy from a tagging summary', () => {
    expect(headlineMetrics(summary, figures)).toEqual([
      { label: 'Token accuracy', value: '95.1%' },
      { label: 'Accuracy on unseen words', value: '70.0%' },
      { label: 'Sentence accuracy', value: '50.0%' },
      { label: 'Sentences', value: '80' },
    ]);
  });

  it('says there is no unseen-word accuracy when no word was unseen', () => {
    const none = { ...summary, unseenAccuracy: null, unseenTokens: 0 };
    expect(headlineMetrics(none, ['unseenAccuracy'])).toEqual([
      { label: 'Accuracy on unseen words', value: '—' },
    ]);
  });

  it('does not read a speech summary as token accuracy', () => {
    expect(headlineMetrics({ accuracy: 0.8, utterances: 5 }, ['tokenAccuracy'])).toEqual([]);
  });
});

describe('language-model figures', () => {
  it('leads with perplexity (lower is better), then the baselines, never an accuracy', () => {
    const summary = {
      perplexity: 12.3456,
      crossEntropy: 2.51,
      bitsPerCharacter: 1.23456,
      units: 40,
      sentences: 4,
      unigramPerplexity: 30.5,
      kneserNeyOrder: 5,
      kneserNeyPerplexity: 15.25,
    };
    expect(
      headlineMetrics(summary, [
        'perplexity',
        'bitsPerCharacter',
        'kneserNeyPerplexity',
        'unigramPerplexity',
        'sentences',
      ]),
    ).toEqual([
      { label: 'Perplexity (lower is better)', value: '12.35' },
      { label: 'Bits per character (lower is better)', value: '1.235' },
      { label: 'Kneser-Ney perplexity (baseline)', value: '15.25 (5-gram)' },
      { label: 'Unigram perplexity (baseline)', value: '30.50' },
      { label: 'Sentences', value: '4' },
    ]);
    // A word model has no bits per character, and a run without the baseline no Kneser-Ney.
    expect(
      headlineMetrics({ perplexity: 80, sentences: 2 }, [
        'perplexity',
        'bitsPerCharacter',
        'kneserNeyPerplexity',
      ]),
    ).toEqual([{ label: 'Perplexity (lower is better)', value: '80.00' }]);
  });
});
