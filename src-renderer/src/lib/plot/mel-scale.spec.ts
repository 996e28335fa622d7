import { describe, expect, it } from 'vitest';
import { hzToMel, melTicks, melToHz } from './mel-scale';

describe('mel axis labels', () => {
  it('uses the HTK/Kaldi mel formula', () => {
    expect(hzToMel(700)).toBeCloseTo(1127 * Math.log(2), 9);
    expect(melToHz(hzToMel(1234))).toBeCloseTo(1234, 9);
  });

  it('puts higher frequencies higher up, inside the plot', () => {
    const ticks = melTicks(80, 20, 8000, 200);
    expect(ticks.map((t) => t.label)).toEqual(['100', '250', '500', '1k', '2k', '4k']);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.y).toBeLessThan(ticks[i - 1]!.y);
    for (const tick of ticks) expect(tick.y).toBeGreaterThan(0);
    for (const tick of ticks) expect(tick.y).toBeLessThan(200);
  });

  it('places a band centre exactly at its row', () => {
    // With 3 bands from mel 0, centres are at 1/4, 2/4, 3/4 of the mel range: band 1 is the middle row.
    const high = melToHz(4000);
    const middle = melToHz(2000);
    expect(middle).toBeGreaterThan(1000);
    const ticks = melTicks(3, 0, high, 30);
    for (const tick of ticks) {
      const band = (hzToMel(tick.hz) / 4000) * 4 - 1;
      expect(tick.y).toBeCloseTo(30 - ((band + 0.5) / 3) * 30, 9);
    }
  });
});
