import { describe, expect, it } from 'vitest';
import {
  checkSamplingSettings,
  chooseNextId,
  drawId,
  greedyId,
  rankedIds,
  samplingDistribution,
} from './next-unit-choice';

const logProbs = Float64Array.from([0.05, 0.4, 0.3, 0.15, 0.1], Math.log);
const NO_PADDING = new Set([0]);

describe('choosing the next unit', () => {
  it('is greedy at temperature 0 and never picks an excluded id', () => {
    expect(greedyId(logProbs, NO_PADDING)).toBe(1);
    expect(greedyId(logProbs, new Set([0, 1]))).toBe(2);
    const settings = { temperature: 0, topK: null, topP: null };
    for (const u of [0, 0.5, 0.99]) expect(chooseNextId(logProbs, settings, NO_PADDING, u)).toBe(1);
  });

  it('samples from the renormalised distribution without the excluded ids at temperature 1', () => {
    const p = samplingDistribution(
      logProbs,
      { temperature: 1, topK: null, topP: null },
      NO_PADDING,
    );
    expect(p?.[0]).toBe(0);
    expect(p?.[1]).toBeCloseTo(0.4 / 0.95, 12);
    expect([...(p ?? [])].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('sharpens with a low temperature and flattens with a high one', () => {
    const cold = samplingDistribution(
      logProbs,
      { temperature: 0.5, topK: null, topP: null },
      NO_PADDING,
    );
    const hot = samplingDistribution(
      logProbs,
      { temperature: 5, topK: null, topP: null },
      NO_PADDING,
    );
    expect(cold?.[1]).toBeGreaterThan(0.4 / 0.95);
    expect(hot?.[1]).toBeLessThan(0.4 / 0.95);
  });

  it('keeps the k most probable ids (top-k) or the smallest set reaching p (top-p)', () => {
    const topK = samplingDistribution(
      logProbs,
      { temperature: 1, topK: 2, topP: null },
      NO_PADDING,
    );
    expect([...(topK ?? [])].map((v) => Number(v.toFixed(6)))).toEqual([
      0,
      Number((0.4 / 0.7).toFixed(6)),
      Number((0.3 / 0.7).toFixed(6)),
      0,
      0,
    ]);
    // 0.4 / 0.95 = 0.42 < 0.6, then + 0.3 / 0.95 = 0.74 >= 0.6: the two most probable.
    const topP = samplingDistribution(
      logProbs,
      { temperature: 1, topK: null, topP: 0.6 },
      NO_PADDING,
    );
    expect(topP?.[1]).toBeCloseTo(0.4 / 0.7, 12);
    expect(topP?.[3]).toBe(0);
  });

  it('draws the id a uniform number falls on', () => {
    const p = Float64Array.from([0, 0.5, 0.25, 0.25]);
    expect(drawId(p, 0)).toBe(1);
    expect(drawId(p, 0.6)).toBe(2);
    expect(drawId(p, 0.9999)).toBe(3);
  });

  it('refuses a negative temperature and clamps top-k to the vocabulary with a note', () => {
    expect(() => checkSamplingSettings({ temperature: -0.1, topK: null, topP: null }, 4)).toThrow(
      /temperature must be 0 \(greedy\) or more/,
    );
    expect(() => checkSamplingSettings({ temperature: 1, topK: 0, topP: null }, 4)).toThrow(
      /top-k/,
    );
    expect(() => checkSamplingSettings({ temperature: 1, topK: null, topP: 1.5 }, 4)).toThrow(
      /top-p/,
    );
    const checked = checkSamplingSettings({ temperature: 1, topK: 10, topP: null }, 4);
    expect(checked.settings.topK).toBe(4);
    expect(checked.notes).toEqual([
      'top-k 10 is more than the 4 units the model can produce: all of them are kept.',
    ]);
  });
});

describe('ranking the next units', () => {
  it('lists the ids that are not excluded, most probable first, ties by id', () => {
    expect(rankedIds(logProbs, NO_PADDING)).toEqual([1, 2, 3, 4]);
    expect(rankedIds(Float64Array.from([0, -1, -1, -0.5]), new Set([0]))).toEqual([3, 1, 2]);
  });
});
