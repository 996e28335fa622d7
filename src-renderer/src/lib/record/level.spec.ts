import { describe, expect, it } from 'vitest';
import { formatDbfs, formatElapsed, meterFraction } from './level';

describe('level meter helpers', () => {
  it('maps dBFS onto the meter', () => {
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(-30)).toBe(0.5);
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(-Infinity)).toBe(0);
    expect(meterFraction(3)).toBe(1);
  });

  it('formats levels and elapsed time', () => {
    expect(formatDbfs(-12.345)).toBe('-12.3 dBFS');
    expect(formatDbfs(-Infinity)).toBe('−∞ dBFS');
    expect(formatElapsed(0)).toBe('0:00.0');
    expect(formatElapsed(2.06)).toBe('0:02.0');
    expect(formatElapsed(75.35)).toBe('1:15.3');
  });
});
