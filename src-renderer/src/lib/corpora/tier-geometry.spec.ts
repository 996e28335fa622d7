import { describe, expect, it } from 'vitest';
import { clampBoundary, editableTiers, intervalAt, spanPercent } from './tier-geometry';

const intervals = [
  { xmin: 0, xmax: 0.2, text: '' },
  { xmin: 0.2, xmax: 0.5, text: 'yes' },
  { xmin: 0.5, xmax: 1, text: '' },
];

describe('tier geometry', () => {
  it('orders interval tiers words, phones, others and skips point tiers', () => {
    const grid = {
      xmin: 0,
      xmax: 1,
      tiers: [
        { kind: 'interval' as const, name: 'phones', xmin: 0, xmax: 1, intervals },
        { kind: 'point' as const, name: 'events', xmin: 0, xmax: 1, points: [] },
        { kind: 'interval' as const, name: 'words', xmin: 0, xmax: 1, intervals },
      ],
    };
    expect(editableTiers(grid).map((t) => t.name)).toEqual(['words', 'phones']);
    expect(editableTiers(null)).toEqual([]);
  });

  it('places spans in percent of the duration', () => {
    const span = spanPercent(0.2, 0.5, 1);
    expect(span.left).toBeCloseTo(20);
    expect(span.width).toBeCloseTo(30);
    expect(spanPercent(0, 1, 0)).toEqual({ left: 0, width: 0 });
  });

  it('finds the interval at a time', () => {
    expect(intervalAt(intervals, 0.3)).toBe(1);
    expect(intervalAt(intervals, 0.5)).toBe(2);
    expect(intervalAt(intervals, 2)).toBe(-1);
  });

  it('keeps a dragged boundary inside its two intervals', () => {
    expect(clampBoundary(intervals, 0, -1)).toBeCloseTo(0.005);
    expect(clampBoundary(intervals, 0, 0.9)).toBeCloseTo(0.495);
    expect(clampBoundary(intervals, 1, 0.7)).toBe(0.7);
  });
});
