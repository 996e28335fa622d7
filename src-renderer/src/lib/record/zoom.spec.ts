import { describe, expect, it } from 'vitest';
import { MAX_PX_PER_SECOND, sliderToPxPerSecond, splitPeaks } from './zoom';

describe('zoom and peaks', () => {
  it('maps the slider from fit to the maximum on a log scale', () => {
    expect(sliderToPxPerSecond(0, 20)).toBeCloseTo(20, 9);
    expect(sliderToPxPerSecond(100, 20)).toBeCloseTo(MAX_PX_PER_SECOND, 9);
    expect(sliderToPxPerSecond(50, 20)).toBeCloseTo(200, 6);
    expect(sliderToPxPerSecond(-5, 20)).toBeCloseTo(20, 9);
    // A short file that already fits at more than the maximum stays at the maximum.
    expect(sliderToPxPerSecond(30, 5000)).toBeCloseTo(MAX_PX_PER_SECOND, 9);
  });

  it('splits interleaved peaks into max and min rows', () => {
    const [max, min] = splitPeaks(Float32Array.of(0.5, -0.25, 1, -1));
    expect(Array.from(max)).toEqual([0.5, 1]);
    expect(Array.from(min)).toEqual([-0.25, -1]);
  });
});
