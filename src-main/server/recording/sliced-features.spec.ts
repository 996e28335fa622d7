import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../domain/audio/feature-extractor';
import { extractFeaturesInSlices } from './sliced-features';

function noiseAndTone(length: number): Float32Array {
  let seed = 7;
  return Float32Array.from({ length }, (_, i) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16_000) + 0.05 * (seed / 2_147_483_648 - 0.5);
  });
}

describe('features computed in slices', () => {
  it('equal the batch extractor for log-mel and MFCC, whatever the slice size', async () => {
    const samples = noiseAndTone(16_000 * 3 + 123);
    const audio = { sampleRate: 16_000, samples };
    for (const config of [
      { kind: 'fbank' as const, melBands: 80 },
      { kind: 'mfcc' as const, deltaOrder: 0 as const },
    ]) {
      const batch = extractFeatures(audio, config);
      for (const slice of [1000, 16_000, 400_000]) {
        const sliced = await extractFeaturesInSlices(samples, config, slice);
        expect(sliced.frames).toBe(batch.frames);
        expect(sliced.dims).toBe(batch.dims);
        expect(sliced.data).toEqual(batch.data);
      }
    }
  });

  it('gives no frames for audio shorter than one frame', async () => {
    const sliced = await extractFeaturesInSlices(new Float32Array(100), { kind: 'fbank' });
    expect(sliced.frames).toBe(0);
    expect(sliced.data.length).toBe(0);
  });
});
