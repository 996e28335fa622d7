import { describe, expect, it } from 'vitest';
import { closestReference, sequenceErrorRates } from './error-rates';

describe('word and phone error rates with several references', () => {
  it('counts a word right when it matches any reference, and phone edits against the closest', () => {
    const { rates, closest } = sequenceErrorRates([
      // Matches the second pronunciation: no error.
      {
        references: [
          ['a', 'b', 'c'],
          ['a', 'b'],
        ],
        hypothesis: ['a', 'b'],
      },
      // One deletion in three phones.
      { references: [['x', 'y', 'z']], hypothesis: ['x', 'z'] },
      // A substitution and an insertion against a one-phone reference.
      { references: [['p']], hypothesis: ['q', 'r'] },
    ]);
    expect(rates.wordErrors).toBe(2);
    expect(rates.wordErrorRate).toBeCloseTo(2 / 3, 12);
    expect(rates.referencePhones).toBe(6);
    expect(rates.phoneErrors).toBe(3);
    expect(rates.phoneErrorRate).toBe(0.5);
    expect([rates.substitutions, rates.deletions, rates.insertions]).toEqual([1, 1, 1]);
    expect(closest[0]?.index).toBe(1);
    expect(closest[1]?.alignment.map((s) => s.op)).toEqual(['match', 'deletion', 'match']);
  });

  it('takes the first of equally close references', () => {
    const c = closestReference(
      [
        ['a', 'x'],
        ['a', 'y'],
      ],
      ['a', 'z'],
    );
    expect(c.index).toBe(0);
    expect(c.errors).toBe(1);
  });
});
