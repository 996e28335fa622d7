import { describe, expect, it } from 'vitest';
import { mulberry32 } from './seeded-random';

describe('mulberry32', () => {
  it('keeps its sequence: every seeded split, corpus and model depends on it', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()].map((x) => Math.round(x * 4294967296))).toEqual([
      2693262067, 11749833, 2265367787,
    ]);
  });

  it('repeats for the same seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(c()).not.toBe(first[0]);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(1);
  });
});
