import { describe, expect, it } from 'vitest';
import { formatTickValue, linearTicks, niceStep, spaceTicks, stepDecimals } from './ticks';

describe('nice tick steps', () => {
  it('rounds a raw step up to 1, 2 or 5 times a power of ten', () => {
    expect([0.03, 0.1, 0.11, 0.3, 0.7, 1.5, 3, 20, 21, 4500].map(niceStep)).toEqual([
      0.05, 0.1, 0.2, 0.5, 1, 2, 5, 20, 50, 5000,
    ]);
    expect(niceStep(0)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });

  it('shows just the decimals a step needs, with a true minus sign', () => {
    expect([10, 1, 0.2, 0.25, 0.05].map(stepDecimals)).toEqual([0, 0, 1, 2, 2]);
    expect(formatTickValue(-20, 0)).toBe('\u221220');
    expect(formatTickValue(0.5, 1)).toBe('0.5');
    expect(formatTickValue(-0.00001, 1)).toBe('0.0');
  });
});

describe('linear ticks', () => {
  it('puts the maximum at the top and steps down in nice values', () => {
    const ticks = linearTicks(0, 1, 100, 18);
    expect(ticks.map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(ticks.map((t) => Math.round(t.y * 1e6) / 1e6)).toEqual([100, 80, 60, 40, 20, 0]);
  });

  it('keeps ticks at least the minimum spacing apart at any length', () => {
    for (const [min, max] of [
      [-69.5, 0],
      [0, 1],
      [-2.5, 2.5],
      [3, 1234],
    ] as const) {
      for (const length of [20, 64, 104, 160, 420]) {
        const ticks = linearTicks(min, max, length, 16);
        for (let i = 1; i < ticks.length; i++)
          expect(Math.abs(ticks[i]!.y - ticks[i - 1]!.y)).toBeGreaterThanOrEqual(16 - 1e-9);
        for (const tick of ticks) {
          expect(tick.value).toBeGreaterThanOrEqual(min);
          expect(tick.value).toBeLessThanOrEqual(max);
        }
        // Every label distinct: no two ticks round to the same text.
        expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
      }
    }
  });

  it('labels a spectrogram range in whole decibels', () => {
    expect(linearTicks(-69.5, 0, 160, 16).map((t) => t.label)).toEqual([
      '\u221260',
      '\u221250',
      '\u221240',
      '\u221230',
      '\u221220',
      '\u221210',
      '0',
    ]);
  });

  it('gives nothing for an empty or broken range', () => {
    expect(linearTicks(1, 1, 100)).toEqual([]);
    expect(linearTicks(0, 1, 0)).toEqual([]);
    expect(linearTicks(Number.NEGATIVE_INFINITY, 0, 100)).toEqual([]);
  });
});

describe('spacing ticks by priority', () => {
  it('keeps the first of two close ticks and returns them top to bottom', () => {
    const kept = spaceTicks(
      [
        { y: 50, name: 'a' },
        { y: 10, name: 'b' },
        { y: 55, name: 'c' },
        { y: 30, name: 'd' },
      ],
      12,
    );
    expect(kept.map((t) => t.name)).toEqual(['b', 'd', 'a']);
  });
});
