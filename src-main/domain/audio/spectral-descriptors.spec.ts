import { describe, expect, it } from 'vitest';
import { extractSpectralDescriptors } from './spectral-descriptors';
import { noise, sineWave } from './testing/signals';

describe('extractSpectralDescriptors (meyda definitions)', () => {
  it('puts a tone’s centroid at its FFT bin and orders rolloffs by frequency', () => {
    const audio = { sampleRate: 16_000, samples: sineWave(2000, 16_000, 0.2) };
    const result = extractSpectralDescriptors(audio, {
      names: ['spectralCentroid', 'spectralRolloff'],
    });
    expect(result.dims).toBe(2);
    expect(result.frames).toBe(1 + Math.floor((3200 - 400) / 160));
    // Bin 64; the window's side lobes (weighted by amplitude, over more bins above than below)
    // pull meyda's amplitude-weighted centroid up by about one bin.
    expect(Math.abs((result.data[0] as number) - (2000 * 512) / 16_000)).toBeLessThan(1.5);
    // meyda's rolloff sums amplitudes (not energy) to 99 %: side lobes push it well above the
    // tone, but it still orders tones by frequency.
    const low = extractSpectralDescriptors(
      { sampleRate: 16_000, samples: sineWave(500, 16_000, 0.2) },
      { names: ['spectralRolloff'] },
    );
    expect(result.data[1]).toBeGreaterThan(2000);
    expect(result.data[1]).toBeGreaterThan((low.data[0] as number) + 1000);
  });

  it('finds noise flatter than a tone', () => {
    const tone = extractSpectralDescriptors(
      { sampleRate: 16_000, samples: sineWave(1000, 16_000, 0.1) },
      { names: ['spectralFlatness'] },
    );
    const hiss = extractSpectralDescriptors(
      { sampleRate: 16_000, samples: noise(1600, 0.5, 3) },
      { names: ['spectralFlatness'] },
    );
    expect(hiss.data[2]).toBeGreaterThan(0.3);
    expect(tone.data[2]).toBeLessThan(0.05);
  });

  it('rejects unknown names', () => {
    expect(() =>
      extractSpectralDescriptors(
        { sampleRate: 16_000, samples: new Float32Array(800) },
        { names: ['loudness' as 'rms'] },
      ),
    ).toThrow(/Unknown spectral descriptor "loudness"/);
  });
});
