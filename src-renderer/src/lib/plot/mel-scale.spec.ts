import { describe, expect, it } from 'vitest';
import { hzToMel, melTicks, melToHz } from './mel-scale';

/** Round frequencies: one significant digit (100, 300, 2000, ...). */
function isRound(hz: number): boolean {
  const power = 10 ** Math.floor(Math.log10(hz));
  return Number.isInteger(hz / power);
}

describe('mel axis labels', () => {
  it('uses the HTK/Kaldi mel formula', () => {
    expect(hzToMel(700)).toBeCloseTo(1127 * Math.log(2), 9);
    expect(melToHz(hzToMel(1234))).toBeCloseTo(1234, 9);
  });

  it('puts higher frequencies higher up, inside the plot', () => {
    const ticks = melTicks(80, 20, 8000, 200);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    // Listed from the top: frequencies fall as y grows.
    for (let i = 1; i < ticks.length; i++) {
      expect(ticks[i]!.y).toBeGreaterThan(ticks[i - 1]!.y);
      expect(ticks[i]!.hz).toBeLessThan(ticks[i - 1]!.hz);
    }
    for (const tick of ticks) expect(tick.y).toBeGreaterThanOrEqual(4);
    for (const tick of ticks) expect(tick.y).toBeLessThanOrEqual(196);
  });

  it('keeps labels apart on the 128 px spectrogram of the inspectors (they piled up at the bottom)', () => {
    const ticks = melTicks(80, 20, 8000, 128);
    expect(ticks.map((t) => t.label)).toEqual(['5k', '3k', '2k', '1k', '500', '100']);
    for (let i = 1; i < ticks.length; i++)
      expect(ticks[i]!.y - ticks[i - 1]!.y).toBeGreaterThanOrEqual(14);
  });

  it('labels only round frequencies, at any height and spacing', () => {
    for (const height of [40, 64, 104, 128, 160, 300, 600]) {
      for (const spacing of [10, 14, 24]) {
        const ticks = melTicks(80, 20, 8000, height, spacing);
        for (const tick of ticks) expect(isRound(tick.hz)).toBe(true);
        for (let i = 1; i < ticks.length; i++)
          expect(ticks[i]!.y - ticks[i - 1]!.y).toBeGreaterThanOrEqual(spacing);
      }
    }
  });

  it('labels more frequencies on a taller plot, 1 kHz first', () => {
    const short = melTicks(80, 20, 8000, 30).map((t) => t.label);
    expect(short).toContain('1k');
    expect(short.length).toBeLessThanOrEqual(2);
    const tall = melTicks(80, 20, 8000, 600);
    expect(tall.length).toBeGreaterThan(melTicks(80, 20, 8000, 128).length);
    expect(tall.map((t) => t.label)).toEqual(
      expect.arrayContaining(['100', '500', '1k', '4k', '6k']),
    );
  });

  it('places a band centre exactly at its row', () => {
    // With 3 bands from mel 0, centres are at 1/4, 2/4, 3/4 of the mel range: band 1 is the middle row.
    const high = melToHz(4000);
    const middle = melToHz(2000);
    expect(middle).toBeGreaterThan(1000);
    const ticks = melTicks(3, 0, high, 30, 1, 0);
    expect(ticks.length).toBeGreaterThan(0);
    for (const tick of ticks) {
      const band = (hzToMel(tick.hz) / 4000) * 4 - 1;
      expect(tick.y).toBeCloseTo(30 - ((band + 0.5) / 3) * 30, 9);
    }
  });

  it('gives no ticks for an empty plot', () => {
    expect(melTicks(0, 20, 8000, 128)).toEqual([]);
    expect(melTicks(80, 20, 8000, 0)).toEqual([]);
  });
});
