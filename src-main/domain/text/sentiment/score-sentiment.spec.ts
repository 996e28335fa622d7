import { describe, expect, it } from 'vitest';
import { majorityLabel, scoreSentiment } from './score-sentiment';
import type { ScoredSentence } from './score-sentiment';

const LABELS = ['negative', 'positive'];

function sentence(
  id: string,
  gold: string,
  positive: number,
  inTraining = false,
  text = `text of ${id}`,
): ScoredSentence {
  return {
    id,
    text,
    words: text.split(' '),
    gold,
    probabilities: Float32Array.from([1 - positive, positive]),
    inTraining,
  };
}

describe('scoreSentiment', () => {
  // Gold: 3 positive, 2 negative. Predicted positive for a, b, d; negative for c, e.
  const scored = scoreSentiment(
    [
      sentence('a', 'positive', 0.9),
      sentence('b', 'positive', 0.7),
      sentence('c', 'positive', 0.2),
      sentence('d', 'negative', 0.6),
      sentence('e', 'negative', 0.1),
    ],
    LABELS,
    { negative: 10, positive: 30 },
  );

  it('gives accuracy, per-class precision/recall/F1 and the confusion matrix with its items', () => {
    expect(scored.accuracy).toBeCloseTo(3 / 5);
    const [neg, pos] = scored.report.perClass;
    // negative: predicted c, e (one right), gold d, e (one found).
    expect(neg).toMatchObject({ label: 'negative', support: 2, precision: 0.5, recall: 0.5 });
    expect(neg?.f1).toBeCloseTo(0.5);
    // positive: predicted a, b, d (two right), gold a, b, c (two found).
    expect(pos).toMatchObject({ label: 'positive', support: 3 });
    expect(pos?.precision).toBeCloseTo(2 / 3);
    expect(pos?.recall).toBeCloseTo(2 / 3);
    expect(pos?.f1).toBeCloseTo(2 / 3);
    expect(scored.confusion).toEqual({
      labels: LABELS,
      counts: [
        [1, 1],
        [1, 2],
      ],
    });
    expect(scored.cells).toEqual(
      expect.arrayContaining([
        { reference: 'positive', predicted: 'positive', ids: ['a', 'b'] },
        { reference: 'positive', predicted: 'negative', ids: ['c'] },
        { reference: 'negative', predicted: 'positive', ids: ['d'] },
        { reference: 'negative', predicted: 'negative', ids: ['e'] },
      ]),
    );
    // What the Text view lists of a wrong sentence: its text, gold, answer and its probability.
    expect(scored.predictions[2]).toMatchObject({
      utteranceId: 'c',
      text: 'text of c',
      reference: 'positive',
      predicted: 'negative',
      probability: expect.closeTo(0.8) as number,
      correct: false,
      top: [
        { label: 'negative', probability: expect.closeTo(0.8) as number },
        { label: 'positive', probability: expect.closeTo(0.2) as number },
      ],
    });
  });

  it("puts the majority baseline beside accuracy: training's most frequent label on these sentences", () => {
    expect(scored.majorityBaseline).toEqual({ label: 'positive', accuracy: 3 / 5 });
    expect(majorityLabel(LABELS, { negative: 4, positive: 4 })).toBe('negative');
    expect(majorityLabel(LABELS, {})).toBeNull();
  });

  it('counts and shows the evaluated sentences that training saw too', () => {
    const result = scoreSentiment(
      [
        sentence('x', 'positive', 0.9, true, 'a fine film'),
        sentence('y', 'negative', 0.1, false),
        sentence('z', 'negative', 0.2, true, 'dull'),
      ],
      LABELS,
      { negative: 1, positive: 1 },
    );
    expect(result.duplicatesOfTraining).toEqual({
      count: 2,
      examples: ['x: a fine film', 'z: dull'],
    });
    expect(result.predictions.map((p) => p.inTraining)).toEqual([true, false, true]);
  });

  it('counts a gold label the model lacks as wrong and lists it, without a crash', () => {
    const result = scoreSentiment(
      [sentence('p', 'positive', 0.9), sentence('n', 'neutral', 0.6)],
      LABELS,
      { negative: 1, positive: 2 },
    );
    expect(result.goldLabelsOutsideModel).toEqual({ neutral: 1 });
    expect(result.accuracy).toBe(0.5);
    expect(result.confusion.labels).toEqual(['negative', 'positive', 'neutral']);
    expect(result.confusion.counts[2]).toEqual([0, 1, 0]);
  });
});
