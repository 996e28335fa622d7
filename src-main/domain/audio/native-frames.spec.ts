import { describe, expect, it } from 'vitest';
import type { FeatureConfigInput } from './feature-config';
import { frameCount, frameShape, resolveFeatureConfig } from './feature-config';
import { extractFeatures } from './feature-extractor';
import { FrameKernel } from './frame-kernel';
import { createNativeFrameKernel, nativeFramesChoice } from './native-frames';
import { noise, sineWave } from './testing/signals';

const native = nativeFramesChoice().kernel === 'native';

function audio(rate: number, seconds: number): Float32Array {
  const tone = sineWave(440, rate, seconds, 0.4);
  const hiss = noise(tone.length, 0.05, 7);
  return tone.map((v, i) => v + (hiss[i] as number));
}

/** Every frame through one kernel's per-frame path. */
function staticsOf(kernel: FrameKernel, samples: Float32Array, configInput: FeatureConfigInput) {
  const config = resolveFeatureConfig(configInput);
  const { frameShift } = frameShape(config);
  const frames = frameCount(samples.length, config);
  const out = new Float32Array(frames * kernel.dims);
  kernel.computeFrames(samples, 0, frames, frameShift, out, 0);
  return out;
}

describe.skipIf(!native)('native feature kernel (the addon has FeatureKernel)', () => {
  const cases: Array<[string, FeatureConfigInput, number]> = [
    ['mfcc, Unfold defaults', { kind: 'mfcc' }, 16_000],
    ['mfcc, c0 kept, no lifter', { kind: 'mfcc', useEnergy: false, cepstralLifter: 0 }, 16_000],
    [
      'fbank + energy, povey, windowed energy',
      { kind: 'fbank', useEnergy: true, window: 'povey', rawEnergy: false },
      16_000,
    ],
    [
      'fbank, no DC removal or pre-emphasis',
      { kind: 'fbank', removeDcOffset: false, preemphasis: 0 },
      16_000,
    ],
    ['spectrogram, blackman', { kind: 'spectrogram', window: 'blackman' }, 16_000],
    // 8 kHz: 200-sample frames, FFT 256 (a radix-2 first stage); 44.1 kHz: FFT 2048.
    ['mfcc at 8 kHz', { kind: 'mfcc', sampleRate: 8000, melBands: 15 }, 8000],
    ['fbank at 44.1 kHz', { kind: 'fbank', sampleRate: 44_100 }, 44_100],
  ];

  it.each(cases)('%s: equals the TypeScript kernel up to float rounding', (_, input, rate) => {
    const samples = audio(rate, 0.5);
    const config = resolveFeatureConfig({ ...input, sampleRate: rate });
    const nativeKernel = new FrameKernel(config);
    const jsKernel = new FrameKernel(config, { allowNative: false });
    expect(nativeKernel.implementation).toBe('native');
    expect(jsKernel.implementation).toBe('js');
    const a = staticsOf(nativeKernel, samples, config);
    const b = staticsOf(jsKernel, samples, config);
    expect(a.length).toBe(b.length);
    expect(a.length).toBeGreaterThan(0);
    for (let i = 0; i < a.length; i++) {
      const scale = Math.max(1, Math.abs(b[i] as number));
      expect(Math.abs((a[i] as number) - (b[i] as number)) / scale).toBeLessThan(2e-6);
    }
  });

  it('computes digital silence as the log floor, like the TypeScript kernel', () => {
    const config = resolveFeatureConfig({ kind: 'fbank' });
    const silence = new Float32Array(4000);
    expect(staticsOf(new FrameKernel(config), silence, config)).toEqual(
      staticsOf(new FrameKernel(config, { allowNative: false }), silence, config),
    );
  });

  it('keeps dithered configurations in TypeScript (its seeded noise)', () => {
    const config = resolveFeatureConfig({ kind: 'mfcc', dither: 1 });
    expect(new FrameKernel(config).implementation).toBe('js');
  });

  it('gives one frame at a time the same numbers as a whole utterance', () => {
    const config = resolveFeatureConfig({ kind: 'mfcc' });
    const samples = audio(16_000, 0.3);
    const kernel = new FrameKernel(config);
    const whole = staticsOf(kernel, samples, config);
    const frames = frameCount(samples.length, config);
    const one = new Float32Array(frames * kernel.dims);
    for (let t = 0; t < frames; t++) kernel.compute(samples, t * 160, one, t * kernel.dims);
    expect(one).toEqual(whole);
    expect(
      extractFeatures({ sampleRate: 16_000, samples }, { kind: 'mfcc', deltaOrder: 0 }).data,
    ).toEqual(whole);
  });

  it('checks the ranges it is given', () => {
    const config = resolveFeatureConfig({ kind: 'mfcc' });
    const kernel = new FrameKernel(config);
    const samples = new Float32Array(1000);
    const out = new Float32Array(13 * 10);
    expect(() => kernel.computeFrames(samples, 0, 10, 160, out, 0)).toThrow(
      /past the end of samples/,
    );
    expect(() => kernel.computeFrames(samples, 0, 2, 160, new Float32Array(13), 0)).toThrow(
      /too short/,
    );
    const tables = {
      kind: 2 as const,
      frameLength: 400,
      fftSize: 512,
      sampleScale: 1,
      preemphasis: 0.97,
      removeDcOffset: true,
      rawEnergy: true,
      useEnergy: true,
      melBands: 2,
      numCeps: 1,
      window: new Float64Array(400),
      melFirst: Int32Array.of(0, 250),
      melWidth: Int32Array.of(3, 10),
      melOffset: Int32Array.of(0, 3),
      melWeights: new Float64Array(13),
      dct: new Float64Array(2),
      lifter: new Float64Array(1),
    };
    expect(() => createNativeFrameKernel(tables)).toThrow(/mel band 1 reaches outside/);
  });
});
