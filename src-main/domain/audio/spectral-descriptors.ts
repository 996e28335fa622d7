import FFT from 'fft.js';
import Meyda from 'meyda';
import { UnfoldError } from '../errors';
import type { FeatureMatrix } from './feature-matrix';
import type { WindowType } from './feature-config';
import { createWindow } from './frame-kernel';
import type { MonoAudio } from './types';

/**
 * meyda's scalar descriptors, with meyda's own definitions and units:
 * rms and zcr of the windowed frame; spectralCentroid and spectralSpread in FFT bins;
 * spectralRolloff in Hz (the frequency below which 99 % of the summed *amplitude* lies); spectralFlatness in 0..1; spectralSlope
 * per Hz; spectralCrest, spectralSkewness, spectralKurtosis dimensionless.
 */
export const SPECTRAL_DESCRIPTORS = [
  'rms',
  'zcr',
  'spectralCentroid',
  'spectralSpread',
  'spectralRolloff',
  'spectralFlatness',
  'spectralSlope',
  'spectralCrest',
  'spectralSkewness',
  'spectralKurtosis',
] as const;

export type SpectralDescriptor = (typeof SPECTRAL_DESCRIPTORS)[number];

interface MeydaExtractorArgs {
  signal: Float32Array;
  ampSpectrum: Float32Array;
  sampleRate: number;
  bufferSize: number;
}

type MeydaExtractor = (args: MeydaExtractorArgs) => number;

/** meyda's typings declare featureExtractors as `any`; these are the ones used here. */
const extractors = (
  Meyda as unknown as { featureExtractors: Record<SpectralDescriptor, MeydaExtractor> }
).featureExtractors;

export interface SpectralDescriptorOptions {
  names?: readonly SpectralDescriptor[];
  frameLengthMs?: number;
  frameShiftMs?: number;
  window?: WindowType;
}

/**
 * One row per frame, one column per descriptor (in `names` order). Calls meyda's extractor
 * functions directly with a spectrum computed once per frame by fft.js, instead of
 * `Meyda.extract`, which recomputes the spectrum and re-validates on every call.
 */
export function extractSpectralDescriptors(
  audio: MonoAudio,
  options: SpectralDescriptorOptions = {},
): FeatureMatrix & { names: SpectralDescriptor[] } {
  const names = [...(options.names ?? SPECTRAL_DESCRIPTORS)];
  for (const name of names) {
    if (!SPECTRAL_DESCRIPTORS.includes(name)) {
      throw new UnfoldError('FEATURE_CONFIG_INVALID', `Unknown spectral descriptor "${name}".`);
    }
  }
  const frameLength = Math.round((audio.sampleRate * (options.frameLengthMs ?? 25)) / 1000);
  const frameShift = Math.round((audio.sampleRate * (options.frameShiftMs ?? 10)) / 1000);
  let bufferSize = 4;
  while (bufferSize < frameLength) bufferSize *= 2;
  const window = createWindow(options.window ?? 'hamming', frameLength);
  const fft = new FFT(bufferSize);
  const signal = new Float32Array(bufferSize);
  const input = new Float64Array(bufferSize);
  const spectrum = new Float64Array(bufferSize * 2);
  const ampSpectrum = new Float32Array(bufferSize / 2 + 1);
  const args: MeydaExtractorArgs = {
    signal,
    ampSpectrum,
    sampleRate: audio.sampleRate,
    bufferSize,
  };
  const frames =
    audio.samples.length < frameLength
      ? 0
      : 1 + Math.floor((audio.samples.length - frameLength) / frameShift);
  const data = new Float32Array(frames * names.length);
  for (let t = 0; t < frames; t++) {
    const start = t * frameShift;
    for (let i = 0; i < frameLength; i++) {
      const value = (audio.samples[start + i] as number) * (window[i] as number);
      signal[i] = value;
      input[i] = value;
    }
    fft.realTransform(spectrum, input);
    for (let k = 0; k < ampSpectrum.length; k++) {
      ampSpectrum[k] = Math.hypot(spectrum[2 * k] as number, spectrum[2 * k + 1] as number);
    }
    names.forEach((name, d) => {
      data[t * names.length + d] = extractors[name](args);
    });
  }
  return { data, frames, dims: names.length, names };
}
