import { describe, expect, it } from 'vitest';
import { formatSeconds, topCounts, validityText } from './format-corpus';

describe('corpus formatting', () => {
  it('formats durations at a useful scale', () => {
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(3 * 3600 + 120)).toBe('3 h 2 min');
  });

  it('sorts counts largest first with fractions of the largest', () => {
    expect(topCounts({ a: 1, b: 4, c: 2 }, 2)).toEqual([
      { key: 'b', count: 4, fraction: 1 },
      { key: 'c', count: 2, fraction: 0.5 },
    ]);
  });

  it('names the validity states', () => {
    expect(validityText({ state: 'invalid', problems: 1 })).toBe('1 problem');
    expect(validityText({ state: 'unchecked', problems: 0 })).toBe('Not validated');
  });
});
