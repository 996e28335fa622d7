import { describe, expect, it } from 'vitest';
import { resolveFeatureConfig } from '../audio/feature-config';
import type { IntervalTier } from '../corpus/formats/textgrid';
import {
  firstFrameFrom,
  frameCentreSeconds,
  frameLabelsFromTier,
  frameStartSeconds,
  tierPhones,
} from './frame-labels';

const config = resolveFeatureConfig({ kind: 'fbank' });
const tier: IntervalTier = {
  kind: 'interval',
  name: 'phones',
  xmin: 0,
  xmax: 0.1,
  intervals: [
    { xmin: 0, xmax: 0.03, text: 'pau' },
    { xmin: 0.03, xmax: 0.0525, text: 'k' },
    { xmin: 0.0525, xmax: 0.07, text: '' },
    { xmin: 0.07, xmax: 0.1, text: 'ae' },
  ],
};
const index = new Map([
  ['ae', 0],
  ['k', 1],
  ['pau', 2],
]);

describe('frame labels from a phones tier', () => {
  it('puts frame centres at 12.5 ms + 10 ms steps (25 ms frames, 10 ms hop)', () => {
    expect(frameCentreSeconds(0, config)).toBeCloseTo(0.0125, 12);
    expect(frameCentreSeconds(3, config)).toBeCloseTo(0.0425, 12);
  });

  it('labels each frame with the interval covering its centre; gaps and the end are pau', () => {
    // centres: 12.5 22.5 32.5 42.5 52.5 62.5 72.5 82.5 92.5 102.5 ms
    const labels = frameLabelsFromTier(tier, 10, config, index);
    expect(Array.from(labels)).toEqual([2, 2, 1, 1, 2, 2, 0, 0, 0, 2]);
  });

  it('shifts by the segment offset and marks phones outside the set as -1', () => {
    const labels = frameLabelsFromTier(tier, 3, config, new Map([['ae', 0]]), 0.05);
    // centres 62.5 72.5 82.5 ms: a gap (pau, not in this set), then ae, ae.
    expect(Array.from(labels)).toEqual([-1, 0, 0]);
  });

  it('finds the first frame of a segment: the first whose centre is at or after its start', () => {
    expect(firstFrameFrom(0, config)).toBe(0);
    expect(firstFrameFrom(0.0125, config)).toBe(0);
    expect(firstFrameFrom(0.0126, config)).toBe(1);
    expect(firstFrameFrom(1, config)).toBe(99); // centre 0.9925 < 1 <= 1.0025
    for (const start of [0.03, 0.0525, 0.07, 0.3333, 12.345]) {
      const t = firstFrameFrom(start, config);
      expect(frameCentreSeconds(t, config)).toBeGreaterThanOrEqual(start);
      if (t > 0) expect(frameCentreSeconds(t - 1, config)).toBeLessThan(start);
    }
  });

  it('labels a segment cut from its recording exactly as the frames of the whole recording', () => {
    const whole = frameLabelsFromTier(tier, 10, config, index);
    for (const start of [0.02, 0.0301, 0.05]) {
      const first = firstFrameFrom(start, config);
      const cut = frameLabelsFromTier(
        tier,
        10 - first,
        config,
        index,
        frameStartSeconds(first, config),
      );
      expect(Array.from(cut)).toEqual(Array.from(whole.slice(first)));
    }
  });

  it('reads the reference phone string without gaps, optionally within a stretch', () => {
    expect(tierPhones(tier)).toEqual(['pau', 'k', 'ae']);
    expect(tierPhones(tier, 0.04, 0.08)).toEqual(['k', 'ae']);
  });
});
