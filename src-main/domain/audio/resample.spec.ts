import { describe, expect, it } from 'vitest';
import { resampleMono } from './resample';
import { noise, rootMeanSquare, sineWave, toneAmplitude } from './testing/signals';

/** Frequency from upward zero crossings between the first and last one (exact for a clean tone). */
function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as number;
    const b = samples[i] as number;
    if (a < 0 && b >= 0) {
      const crossing = i - 1 + a / (a - b);
      if (first < 0) first = crossing;
      else count++;
      last = crossing;
    }
  }
  return (count * sampleRate) / (last - first);
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('resampleMono', () => {
  it.each([
    [44_100, 16_000, 1000],
    [48_000, 16_000, 6_400],
    [8_000, 16_000, 3_000],
    [22_050, 16_000, 440],
    [16_000, 44_100, 5_000],
  ])(
    'keeps a tone from %i Hz to %i Hz (%i Hz): same frequency, level within 0.05 dB',
    async (from, to, hz) => {
      const input = sineWave(hz, from, 1, 0.5);
      const output = await resampleMono(input, from, to);
      expect(output.length).toBe(Math.round(input.length * (to / from)));
      expect(Math.abs(zeroCrossingFrequency(output, to) / hz - 1)).toBeLessThan(1e-4);
      // The whole output, edges included: libsamplerate compensates its delay and flushes its tail.
      const amplitude = toneAmplitude(output.subarray(100, output.length - 100), hz, to, 0);
      expect(Math.abs(20 * Math.log10(amplitude / 0.5))).toBeLessThan(0.05);
      // The tone carries all the energy: no image or alias next to it.
      expect(
        Math.abs(
          rootMeanSquare(output.subarray(100, output.length - 100)) - amplitude / Math.SQRT2,
        ),
      ).toBeLessThan(0.001);
    },
  );

  it('removes content above the new Nyquist frequency instead of aliasing it', async () => {
    // 10 kHz at 44.1 kHz would fold to 6 kHz at 16 kHz without the anti-aliasing filter.
    const output = await resampleMono(sineWave(10_000, 44_100, 1, 0.5), 44_100, 16_000);
    expect(rootMeanSquare(output.subarray(1600, 14_400))).toBeLessThan(0.5 / Math.SQRT2 / 1e5); // > 100 dB down
  });

  it('streams long inputs (over the wrapper’s 1,008,000-sample buffer) without seams', async () => {
    const long = sineWave(1000, 48_000, 25, 0.5);
    const output = await resampleMono(long, 48_000, 16_000);
    expect(output.length).toBe(400_000);
    const expected = sineWave(1000, 16_000, 25, 0.5);
    expect(
      maxAbsDifference(output.subarray(100, 399_900), expected.subarray(100, 399_900)),
    ).toBeLessThan(2e-3);
  });

  it('starts every call from a fresh state', async () => {
    const input = noise(8000, 0.5, 5);
    const first = await resampleMono(input, 8000, 16_000);
    await resampleMono(noise(9000, 0.5, 6), 8000, 16_000);
    expect(await resampleMono(input, 8000, 16_000)).toEqual(first);
  });

  it('returns a copy for equal rates and rejects nonsense rates', async () => {
    const input = sineWave(100, 16_000, 0.01);
    const same = await resampleMono(input, 16_000, 16_000);
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
    await expect(resampleMono(input, 0, 16_000)).rejects.toThrow(/resample/);
  });
});
