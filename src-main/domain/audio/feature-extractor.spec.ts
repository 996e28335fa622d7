import { describe, expect, it } from 'vitest';
import { resolveFeatureConfig, featureDims, frameCount, configHash } from './feature-config';
import { addDeltas, extractFeatures } from './feature-extractor';
import { featureRow } from './feature-matrix';
import { LOG_FLOOR, createDctMatrix } from './frame-kernel';
import { createMelFilterBank, inverseMelScale, melScale } from './mel-filterbank';
import { StreamingFeatureExtractor } from './streaming-features';
import { noise, sineWave } from './testing/signals';

const RATE = 16_000;

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

describe('conventions', () => {
  it('uses the Kaldi mel scale 1127 ln(1 + f/700)', () => {
    expect(melScale(700)).toBeCloseTo(1127 * Math.log(2), 9);
    expect(melScale(1000)).toBeCloseTo(2595 * Math.log10(1 + 1000 / 700), 1);
    expect(inverseMelScale(melScale(3456))).toBeCloseTo(3456, 9);
  });

  it('builds triangles that peak at 1 at the band centres, 20 Hz to Nyquist', () => {
    const bank = createMelFilterBank(40, 512, RATE, 20, 0);
    expect(bank.centerHz[0]).toBeGreaterThan(20);
    expect(bank.centerHz[39]).toBeLessThan(8000);
    for (let b = 0; b < 40; b++) {
      const weights = bank.weights.subarray(
        bank.offset[b],
        (bank.offset[b] as number) + (bank.width[b] as number),
      );
      expect(Math.max(...weights)).toBeLessThanOrEqual(1);
      expect(Math.max(...weights)).toBeGreaterThan(0.4);
    }
  });

  it('uses an orthonormal DCT-II', () => {
    const n = 23;
    const dct = createDctMatrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += (dct[a * n + k] as number) * (dct[b * n + k] as number);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 9);
      }
    }
  });

  it('has the documented dimensions and frame count (snip edges)', () => {
    expect(featureDims(resolveFeatureConfig({ kind: 'mfcc' }))).toBe(39);
    expect(featureDims(resolveFeatureConfig({ kind: 'fbank' }))).toBe(40);
    expect(featureDims(resolveFeatureConfig({ kind: 'spectrogram' }))).toBe(257);
    const config = resolveFeatureConfig({ kind: 'mfcc' });
    expect(frameCount(399, config)).toBe(0);
    expect(frameCount(400, config)).toBe(1);
    expect(frameCount(16_000, config)).toBe(98);
  });

  it('rejects impossible settings with a clear error', () => {
    expect(() => resolveFeatureConfig({ kind: 'mfcc', numCeps: 30 })).toThrow(/numCeps/);
    expect(() => resolveFeatureConfig({ kind: 'fbank', highFreq: 9000 })).toThrow(/band/);
  });

  it('hashes configurations stably and distinctly', () => {
    const a = resolveFeatureConfig({ kind: 'mfcc' });
    expect(configHash(a)).toBe(configHash({ ...a }));
    expect(configHash(a)).not.toBe(configHash({ ...a, preemphasis: 0.95 }));
  });
});

describe('extractFeatures on signals with known answers', () => {
  it.each([300, 1000, 2500, 6000])(
    'puts a %i Hz tone in the mel band centred nearest to it',
    (hz) => {
      const config = resolveFeatureConfig({ kind: 'fbank' });
      const bank = createMelFilterBank(40, 512, RATE, 20, 0);
      const features = extractFeatures(
        { sampleRate: RATE, samples: sineWave(hz, RATE, 0.2, 0.5) },
        config,
      );
      let nearest = 0;
      for (let b = 1; b < 40; b++) {
        if (
          Math.abs(melScale(bank.centerHz[b] as number) - melScale(hz)) <
          Math.abs(melScale(bank.centerHz[nearest] as number) - melScale(hz))
        )
          nearest = b;
      }
      for (const t of [0, 5, features.frames - 1])
        expect(argmax(featureRow(features, t))).toBe(nearest);
    },
  );

  it('puts a tone in the right spectrogram bin (f * 512 / 16000)', () => {
    const features = extractFeatures(
      { sampleRate: RATE, samples: sineWave(1500, RATE, 0.1) },
      { kind: 'spectrogram' },
    );
    const row = featureRow(features, 3).slice(1); // bin 0 holds the log energy (Kaldi)
    expect(argmax(row) + 1).toBe(48);
  });

  it('gives the log floor for digital silence', () => {
    const silence = { sampleRate: RATE, samples: new Float32Array(8000) };
    const fbank = extractFeatures(silence, { kind: 'fbank' });
    expect(fbank.frames).toBe(48);
    expect(new Set(fbank.data)).toEqual(new Set([Math.fround(Math.log(LOG_FLOOR))]));
    const mfcc = extractFeatures(silence, { kind: 'mfcc' });
    // c0 = log energy floor; c1.. = DCT of a constant vector = 0; deltas of constants = 0.
    expect(mfcc.data[0]).toBeCloseTo(Math.log(LOG_FLOOR), 5);
    const row = featureRow(mfcc, 10);
    for (let c = 1; c < 39; c++) expect(Math.abs(row[c] as number)).toBeLessThan(1e-4);
  });

  it('shifts frames when the audio is shifted by whole hops', () => {
    const samples = noise(16_000, 0.3, 7);
    const shifted = new Float32Array(16_000 + 3 * 160);
    shifted.set(samples, 3 * 160);
    const config = resolveFeatureConfig({ kind: 'mfcc', deltaOrder: 0 });
    const a = extractFeatures({ sampleRate: RATE, samples }, config);
    const b = extractFeatures({ sampleRate: RATE, samples: shifted }, config);
    expect(b.frames).toBe(a.frames + 3);
    expect(b.data.subarray(3 * 13)).toEqual(a.data);
  });

  it('makes louder audio raise c0 and the log energy by 2 ln(gain) and leave the shape alone', () => {
    const samples = noise(4000, 0.1, 3);
    const louder = samples.map((value) => value * 4);
    const config = resolveFeatureConfig({ kind: 'mfcc', deltaOrder: 0 });
    const a = extractFeatures({ sampleRate: RATE, samples }, config);
    const b = extractFeatures({ sampleRate: RATE, samples: louder }, config);
    expect((b.data[0] as number) - (a.data[0] as number)).toBeCloseTo(2 * Math.log(4), 4);
    expect(b.data[5]).toBeCloseTo(a.data[5] as number, 3);
  });

  it('computes Kaldi deltas: a linear ramp has delta = slope and delta-delta = 0 away from the edges', () => {
    const frames = 20;
    const statics = {
      data: Float32Array.from({ length: frames }, (_, t) => 3 * t),
      frames,
      dims: 1,
    };
    const withDeltas = addDeltas(statics, 2, 2);
    expect(withDeltas.dims).toBe(3);
    const middle = featureRow(withDeltas, 10);
    expect(middle[1]).toBeCloseTo(3, 5);
    expect(middle[2]).toBeCloseTo(0, 5);
    // At the edges frames are replicated, so the slope estimate shrinks.
    expect(featureRow(withDeltas, 0)[1]).toBeCloseTo((3 * (1 * 1 + 2 * 2)) / 10, 5);
  });

  it('rejects audio at the wrong rate', () => {
    expect(() =>
      extractFeatures({ sampleRate: 8000, samples: new Float32Array(800) }, { kind: 'mfcc' }),
    ).toThrow(/8000 Hz but the features expect 16000 Hz/);
  });
});

describe('StreamingFeatureExtractor', () => {
  it.each(['mfcc', 'fbank', 'spectrogram'] as const)(
    'equals the batch extractor for random chunk sizes (%s)',
    (kind) => {
      const samples = noise(RATE * 1.3, 0.4, 11);
      const config = resolveFeatureConfig({
        kind,
        deltaOrder: kind === 'spectrogram' ? 0 : 2,
        dither: 1,
        ditherSeed: 5,
      });
      const batch = extractFeatures({ sampleRate: RATE, samples }, config);
      let state = 42;
      for (let trial = 0; trial < 3; trial++) {
        const extractor = new StreamingFeatureExtractor(config);
        const emitted: Float32Array[] = [];
        let next = 0;
        extractor.on('frames', (b) => {
          expect(b.startFrame).toBe(next);
          next += b.frames;
          emitted.push(b.data);
        });
        let position = 0;
        while (position < samples.length) {
          state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
          const size = trial === 0 ? 1 + (state % 7) : 1 + (state % 3000);
          extractor.push(samples.subarray(position, position + size));
          position += size;
        }
        extractor.flush();
        const joined = new Float32Array(emitted.reduce((n, d) => n + d.length, 0));
        let offset = 0;
        for (const d of emitted) {
          joined.set(d, offset);
          offset += d.length;
        }
        expect(next).toBe(batch.frames);
        expect(joined).toEqual(batch.data);
      }
    },
  );

  it('emits a frame as soon as its samples and delta look-ahead have arrived', () => {
    const extractor = new StreamingFeatureExtractor({ kind: 'mfcc' });
    // 39-dim MFCC: frame 0 needs static frames 0..4, i.e. 400 + 4 * 160 samples.
    expect(extractor.push(new Float32Array(1039)).frames).toBe(0);
    expect(extractor.push(new Float32Array(1)).frames).toBe(1);
    const ints = new Int16Array(160).fill(1000);
    expect(extractor.push(ints).frames).toBe(1);
  });
});
