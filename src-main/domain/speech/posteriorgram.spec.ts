import { describe, expect, it } from 'vitest';
import type { TextGrid } from '../corpus/formats/textgrid';
import type { PhoneFolding } from '../corpus/phone-folding';
import { decodedPhoneTier, foldedFrameAccuracy, referenceTiers } from './posteriorgram';

const phones = ['aa', 'ao', 'k', 'pau'];

/** Row-major one-hot posteriors (0.7 on the given class, the rest spread) for class ids per frame. */
function posteriorsOf(classes: number[]): Float32Array {
  const out = new Float32Array(classes.length * phones.length).fill(0.1);
  classes.forEach((k, t) => (out[t * phones.length + k] = 0.7));
  return out;
}

describe('decoded phone tier', () => {
  it('smooths, merges runs into timed intervals and leaves silence as a gap', () => {
    // pau pau k k aa ao(a flicker) aa aa pau
    const posteriors = posteriorsOf([3, 3, 2, 2, 0, 1, 0, 0, 3]);
    const tier = decodedPhoneTier(
      posteriors,
      phones,
      { medianWindow: 3, silence: ['pau'] },
      { hopSeconds: 0.01, frameOffsetSeconds: 0.0125 },
    );
    expect(tier.name).toBe('decoded');
    expect(tier.intervals.map((i) => i.label)).toEqual(['k', 'aa']);
    // k: frames 2-3 -> from centre 2 - half a hop to centre 3 + half a hop.
    expect(tier.intervals[0]?.start).toBeCloseTo(0.0275, 9);
    expect(tier.intervals[0]?.end).toBeCloseTo(0.0475, 9);
    expect(tier.intervals[1]?.start).toBeCloseTo(0.0475, 9);
    expect(tier.intervals[1]?.end).toBeCloseTo(0.0875, 9);
  });

  it('keeps the flicker without smoothing and clips the first interval at 0', () => {
    const tier = decodedPhoneTier(
      posteriorsOf([2, 1, 0]),
      phones,
      { medianWindow: 1, silence: [] },
      { hopSeconds: 0.01, frameOffsetSeconds: 0.002 },
    );
    expect(tier.intervals.map((i) => i.label)).toEqual(['k', 'ao', 'aa']);
    expect(tier.intervals[0]?.start).toBe(0);
  });
});

describe('reference tiers', () => {
  const grid: TextGrid = {
    xmin: 0,
    xmax: 2,
    tiers: [
      {
        kind: 'interval',
        name: 'words',
        xmin: 0,
        xmax: 2,
        intervals: [
          { xmin: 0, xmax: 0.5, text: '' },
          { xmin: 0.5, xmax: 1.2, text: 'cat' },
          { xmin: 1.2, xmax: 2, text: 'sat ' },
        ],
      },
      { kind: 'point', name: 'beats', xmin: 0, xmax: 2, points: [{ time: 1, mark: 'x' }] },
    ],
  };

  it('drops gaps and point tiers for a whole recording', () => {
    expect(referenceTiers(grid, null)).toEqual([
      {
        name: 'words',
        intervals: [
          { start: 0.5, end: 1.2, label: 'cat' },
          { start: 1.2, end: 2, label: 'sat' },
        ],
      },
    ]);
  });

  it('shifts to the segment start and clips to the segment', () => {
    const [words] = referenceTiers(grid, { start: 1, end: 1.5 });
    expect(words?.intervals.map((i) => i.label)).toEqual(['cat', 'sat']);
    expect(words?.intervals[0]?.start).toBeCloseTo(0, 9);
    expect(words?.intervals[0]?.end).toBeCloseTo(0.2, 9);
    expect(words?.intervals[1]?.end).toBeCloseTo(0.5, 9);
  });
});

describe('frame accuracy of a posteriorgram', () => {
  const folding: PhoneFolding = {
    to48: new Map(),
    to39: new Map([
      ['ao', 'aa'],
      ['pau', 'sil'],
    ]),
  };

  it('scores on the 39-phone folding, ignoring frames without a reference', () => {
    const posteriors = posteriorsOf([0, 1, 2, 3]);
    const reference = Int32Array.from([1, 1, 3, -1]);
    // Frames: aa~ao (same after folding), ao=ao, k vs pau (wrong), unscored.
    expect(foldedFrameAccuracy(reference, posteriors, phones, folding)).toBeCloseTo(2 / 3, 9);
    expect(foldedFrameAccuracy(reference, posteriors, phones, null)).toBeCloseTo(1 / 3, 9);
    expect(foldedFrameAccuracy(Int32Array.from([-1, -1]), posteriors, phones, null)).toBeNull();
  });
});
