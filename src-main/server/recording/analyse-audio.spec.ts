import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseAudioFile, minMaxPeaks } from './analyse-audio';

const fixtures = join(import.meta.dirname, '../../../tests/fixtures/audio');

describe('analysis for the Record view', () => {
  it('computes min/max peaks per bucket, the last bucket partial', () => {
    const peaks = minMaxPeaks(Float32Array.of(0.1, -0.5, 0.3, 0.9, -0.2), 2);
    expect(Array.from(peaks)).toEqual([0.1, -0.5, 0.9, 0.3, -0.2, -0.2].map(Math.fround));
  });

  it('puts a 1 kHz tone in the mel band whose centre is nearest 1 kHz', async () => {
    const analysis = await analyseAudioFile(join(fixtures, 'tone1k-16k.wav'), 'imports/tone.wav');
    const { data, frames, dims } = analysis.spectrogram;
    expect(dims).toBe(80);
    expect(analysis.mfcc.dims).toBe(13);
    expect(analysis.mfcc.frames).toBe(frames);
    expect(frames).toBe(1 + Math.floor((analysis.info.durationSeconds * 16_000 - 400) / 160));
    const middle = data.subarray(
      Math.floor(frames / 2) * dims,
      (Math.floor(frames / 2) + 1) * dims,
    );
    const loudest = middle.indexOf(Math.max(...middle));
    const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
    const step = (mel(8000) - mel(20)) / 81;
    const centres = Array.from({ length: 80 }, (_, b) => mel(20) + (b + 1) * step);
    const nearest = centres.reduce(
      (best, centre, b) =>
        Math.abs(centre - mel(1000)) < Math.abs((centres[best] as number) - mel(1000)) ? b : best,
      0,
    );
    expect(Math.abs(loudest - nearest)).toBeLessThanOrEqual(1);
    expect(analysis.info).toMatchObject({
      path: 'imports/tone.wav',
      sampleRate: 16_000,
      channels: 1,
    });
    expect(analysis.peaks.length).toBe(
      2 * Math.ceil((analysis.info.durationSeconds * 16_000) / 16),
    );
  });
});
