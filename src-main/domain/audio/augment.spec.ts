import { describe, expect, it } from 'vitest';
import { createRng } from '../rnn/random';
import { maskFeatures, perturbAudio, perturbationLabel, speedPerturb } from './augment';
import { resolveFeatureConfig } from './feature-config';
import { extractFeatures } from './feature-extractor';
import type { FeatureMatrix } from './feature-matrix';
import { inverseMelScale, melScale } from './mel-filterbank';
import { sineWave, toneAmplitude } from './testing/signals';

const RATE = 16_000;

/** Index of the strongest fbank band, averaged over the frames. */
function peakBand(features: FeatureMatrix): number {
  const mean = new Float64Array(features.dims);
  for (let t = 0; t < features.frames; t++)
    for (let d = 0; d < features.dims; d++)
      mean[d] = (mean[d] as number) + (features.data[t * features.dims + d] as number);
  return mean.indexOf(Math.max(...mean));
}

/** Centre frequency of band b of Unfold's mel bank (edges equally spaced in mel, 20 Hz .. Nyquist). */
function bandCentre(b: number, bands: number): number {
  const low = melScale(20);
  const step = (melScale(RATE / 2) - low) / (bands + 1);
  return inverseMelScale(low + (b + 1) * step);
}

function nearestBand(frequency: number, bands: number): number {
  const distances = Array.from({ length: bands }, (_, b) =>
    Math.abs(bandCentre(b, bands) - frequency),
  );
  return distances.indexOf(Math.min(...distances));
}

describe('speedPerturb', () => {
  it.each([0.9, 1.1])('shortens the audio by the factor %s and moves a tone by it', async (f) => {
    const tone = sineWave(1000, RATE, 1);
    const fast = await speedPerturb(tone, f);
    expect(fast.length).toBe(Math.round(RATE / f));
    // Most of the energy is at 1000 x f Hz, none left at 1000 Hz.
    expect(toneAmplitude(fast, 1000 * f, RATE, 400)).toBeGreaterThan(0.45);
    expect(toneAmplitude(fast, 1000, RATE, 400)).toBeLessThan(0.02);
  });

  it('is the identity (a copy) for a factor of 1', async () => {
    const tone = sineWave(440, RATE, 0.1);
    const same = await speedPerturb(tone, 1);
    expect(same).toEqual(tone);
    expect(same).not.toBe(tone);
  });
});

describe('perturbAudio', () => {
  const fbank = resolveFeatureConfig({ kind: 'fbank', melBands: 40 });
  const tone = sineWave(1500, RATE, 1);

  it('warps frequencies but keeps the number of frames (VTLP-like)', async () => {
    const original = extractFeatures({ sampleRate: RATE, samples: tone }, fbank);
    for (const warp of [0.9, 1.1]) {
      const p = await perturbAudio(tone, fbank, { speed: 1, warp });
      const warped = extractFeatures({ sampleRate: RATE, samples: p.samples }, p.config);
      expect(p.timeScale).toBeCloseTo(warp, 12);
      expect(Math.abs(warped.frames - original.frames)).toBeLessThanOrEqual(1);
      // The energy moves to the band around 1500 x warp Hz.
      const expected = 1500 * warp;
      expect(peakBand(warped)).toBe(nearestBand(expected, 40));
      expect(peakBand(warped)).not.toBe(peakBand(original));
    }
  });

  it('speeds up: fewer frames by the factor, frequencies up by it', async () => {
    const original = extractFeatures({ sampleRate: RATE, samples: tone }, fbank);
    const p = await perturbAudio(tone, fbank, { speed: 1.1, warp: 1 });
    const fast = extractFeatures({ sampleRate: RATE, samples: p.samples }, p.config);
    expect(p.config).toEqual(fbank);
    expect(Math.abs(fast.frames - original.frames / 1.1)).toBeLessThan(2);
    expect(peakBand(fast)).toBe(nearestBand(1650, 40));
  });

  it('labels copies by their factors', () => {
    expect(perturbationLabel({ speed: 1.1, warp: 1 })).toBe('sp1.1');
    expect(perturbationLabel({ speed: 1, warp: 0.9 })).toBe('vw0.9');
    expect(perturbationLabel({ speed: 0.9, warp: 1.1 })).toBe('sp0.9vw1.1');
  });
});

describe('maskFeatures', () => {
  const ones: FeatureMatrix = { data: new Float32Array(50 * 10).fill(1), frames: 50, dims: 10 };

  it('masks whole bands and whole frames, no more than asked, and leaves the input alone', () => {
    const masked = maskFeatures(ones, createRng(3), {
      frequencyMasks: 1,
      maxFrequencyWidth: 3,
      timeMasks: 1,
      maxTimeWidth: 5,
      value: 0,
    });
    expect(ones.data.every((v) => v === 1)).toBe(true);
    const zeroDims = [...Array(10).keys()].filter((d) =>
      Array.from({ length: 50 }, (_, t) => masked.data[t * 10 + d]).every((v) => v === 0),
    );
    const zeroFrames = [...Array(50).keys()].filter((t) =>
      masked.data.subarray(t * 10, t * 10 + 10).every((v) => v === 0),
    );
    expect(zeroDims.length).toBeLessThanOrEqual(3);
    expect(zeroFrames.length).toBeLessThanOrEqual(5);
    // Every zero cell lies in a masked band or a masked frame.
    for (let t = 0; t < 50; t++)
      for (let d = 0; d < 10; d++)
        if (masked.data[t * 10 + d] === 0)
          expect(zeroDims.includes(d) || zeroFrames.includes(t)).toBe(true);
    // Bands and frames are contiguous runs.
    if (zeroDims.length > 0)
      expect((zeroDims.at(-1) as number) - (zeroDims[0] as number)).toBe(zeroDims.length - 1);
    if (zeroFrames.length > 0)
      expect((zeroFrames.at(-1) as number) - (zeroFrames[0] as number)).toBe(zeroFrames.length - 1);
  });

  it('is deterministic with a seed, and different seeds put masks elsewhere', () => {
    const options = { frequencyMasks: 2, maxFrequencyWidth: 4, timeMasks: 2, maxTimeWidth: 10 };
    const a = maskFeatures(ones, createRng(7), options);
    const b = maskFeatures(ones, createRng(7), options);
    expect(a.data).toEqual(b.data);
    const others = [8, 9, 10, 11].map((s) => maskFeatures(ones, createRng(s), options).data);
    expect(others.some((o) => o.some((v, i) => v !== a.data[i]))).toBe(true);
  });

  it('keeps frequency masks inside maskedDims', () => {
    const masked = maskFeatures(ones, createRng(1), {
      frequencyMasks: 5,
      maxFrequencyWidth: 4,
      timeMasks: 0,
      maxTimeWidth: 0,
      maskedDims: 4,
    });
    for (let t = 0; t < 50; t++)
      for (let d = 4; d < 10; d++) expect(masked.data[t * 10 + d]).toBe(1);
    expect(masked.data.some((v) => v === 0)).toBe(true);
  });
});
