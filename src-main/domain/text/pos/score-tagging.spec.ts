import { describe, expect, it } from 'vitest';
import { scoreTagging } from './score-tagging';

describe('scoreTagging', () => {
  const tags = ['DET', 'NOUN', 'VERB'];
  const sentences = [
    // 3/3 right; "glorp" unseen and right.
    {
      id: 's1',
      words: ['the', 'glorp', 'runs'],
      gold: ['DET', 'NOUN', 'VERB'],
      predicted: ['DET', 'NOUN', 'VERB'],
      unseen: [false, true, false],
    },
    // 1/2 right; "blick" unseen and wrong (NOUN taken for VERB).
    {
      id: 's2',
      words: ['a', 'blick'],
      gold: ['DET', 'NOUN'],
      predicted: ['DET', 'VERB'],
      unseen: [false, true],
    },
    // A gold tag the model lacks: counted wrong, listed.
    { id: 's3', words: ['wow'], gold: ['INTJ'], predicted: ['NOUN'], unseen: [false] },
  ];
  const result = scoreTagging(sentences, tags);

  it('counts token, unseen-word and sentence accuracy', () => {
    expect(result.tokens).toBe(6);
    expect(result.correctTokens).toBe(4);
    expect(result.accuracy).toBeCloseTo(4 / 6);
    expect(result.unseenTokens).toBe(2);
    expect(result.unseenAccuracy).toBeCloseTo(0.5);
    expect(result.sentences).toBe(3);
    expect(result.sentenceAccuracy).toBeCloseTo(1 / 3);
  });

  it('keeps gold tags outside the model in the confusion matrix and lists them', () => {
    expect(result.goldTagsOutsideModel).toEqual({ INTJ: 1 });
    expect(result.confusion.labels).toEqual(['DET', 'NOUN', 'VERB', 'INTJ']);
    expect(result.confusion.counts).toEqual([
      [2, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
    ]);
  });

  it('gives per-tag precision, recall and F1', () => {
    const noun = result.report.perClass.find((c) => c.label === 'NOUN');
    // NOUN: 1 right of 2 gold, 1 right of 2 predicted.
    expect(noun).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    const verb = result.report.perClass.find((c) => c.label === 'VERB');
    expect(verb).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
  });

  it('records each sentence with its errors', () => {
    expect(result.predictions.map((p) => [p.utteranceId, p.errors, p.correct])).toEqual([
      ['s1', 0, true],
      ['s2', 1, false],
      ['s3', 1, false],
    ]);
    expect(result.predictions[1]).toMatchObject({
      tokens: ['a', 'blick'],
      reference: ['DET', 'NOUN'],
      decoded: ['DET', 'VERB'],
      unseen: [false, true],
    });
  });

  it('says n/a (null) for unseen-word accuracy when every word was seen', () => {
    const seen = scoreTagging(
      [{ id: 'a', words: ['x'], gold: ['NOUN'], predicted: ['NOUN'], unseen: [false] }],
      tags,
    );
    expect(seen.unseenAccuracy).toBeNull();
    expect(scoreTagging([], tags)).toMatchObject({ tokens: 0, accuracy: 0, sentenceAccuracy: 0 });
  });
});
