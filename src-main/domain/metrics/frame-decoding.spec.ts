import { describe, expect, it } from 'vitest';
import {
  decodeFrameLabels,
  decodeFramePosteriors,
  frameAccuracy,
  frameArgmax,
  medianSmoothLabels,
  mergeRepeats,
} from './frame-decoding';

describe('frame decoding', () => {
  it('takes the argmax per frame', () => {
    const posteriors = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.0, 0.1, 0.9]);
    expect(Array.from(frameArgmax(posteriors, 3))).toEqual([1, 0, 2]);
    expect(() => frameArgmax(posteriors, 4)).toThrow(/not a whole number/);
  });

  it('median-smooths labels: one-frame flickers vanish, runs stay, ends are cut windows', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 0, 0, 2, 2, 2, 2, 0]);
    expect(Array.from(medianSmoothLabels(labels, 3))).toEqual([0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 0]);
    expect(Array.from(medianSmoothLabels(labels, 1))).toEqual(Array.from(labels));
  });

  it('keeps the centre label on a tie', () => {
    expect(Array.from(medianSmoothLabels(Int32Array.from([0, 1, 2]), 3))).toEqual([0, 1, 2]);
  });

  it('merges repeats', () => {
    expect(mergeRepeats(['a', 'a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a']);
    expect(mergeRepeats([])).toEqual([]);
  });

  it('decodes posteriors to a phone string without silence', () => {
    const phones = ['sil', 'k', 'ae', 't'];
    const ids = [0, 0, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 3, 3, 0, 0];
    const posteriors = new Float32Array(ids.length * 4);
    ids.forEach((k, t) => (posteriors[t * 4 + k] = 1));
    expect(
      decodeFramePosteriors(posteriors, phones, { medianWindow: 3, silence: ['sil'] }),
    ).toEqual(['k', 'ae', 't']);
    expect(decodeFrameLabels(Int32Array.from(ids), phones, { medianWindow: 1 })).toEqual([
      'sil',
      'k',
      't',
      'k',
      'ae',
      't',
      'sil',
    ]);
  });

  it('computes frame accuracy, ignoring negative references', () => {
    expect(frameAccuracy([0, 1, 2, -1], [0, 1, 0, 5])).toBeCloseTo(2 / 3, 12);
    expect(() => frameAccuracy([0], [0, 1])).toThrow(/1 reference frames/);
  });
});
