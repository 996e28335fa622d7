import { createHash } from 'node:crypto';
import { UnfoldError } from '../errors';
import type { FeatureKind } from './feature-choices';
import { DEFAULT_NUM_CEPS, FEATURE_KIND_DEFAULTS } from './feature-choices';

export type { FeatureKind } from './feature-choices';

/**
 * Feature settings. Names and defaults follow Kaldi's `compute-{spectrogram,fbank,mfcc}-feats`
 * (and torchaudio.compliance.kaldi, which copies them) except where marked; FEATURES.md
 * lists every convention.
 */
export type WindowType = 'hamming' | 'hanning' | 'povey' | 'rectangular' | 'blackman';

export interface FeatureConfig {
  kind: FeatureKind;
  /** The rate the audio must have; readAudioFile resamples to it. */
  sampleRate: number;
  frameLengthMs: number;
  frameShiftMs: number;
  /** Unfold default 'hamming' (the front end); Kaldi's default is 'povey'. */
  window: WindowType;
  /** x[i] -= preemphasis * x[i-1], applied after DC removal and before the window. 0 turns it off. */
  preemphasis: number;
  removeDcOffset: boolean;
  /** Standard deviation of Gaussian dither in sample units (after sampleScale). Unfold default 0, Kaldi 1. */
  dither: number;
  /** Seed of the dither noise, so dithered features are reproducible. */
  ditherSeed: number;
  /**
   * Samples in [-1, 1] are multiplied by this before anything else. 32768 makes the numbers
   * equal to Kaldi's, which reads 16-bit WAV samples as integers; 1 equals torchaudio fed with
   * a float waveform.
   */
  sampleScale: number;
  /** Mel bands: 40 for fbank (Unfold default), 23 for MFCC (Kaldi's default). */
  melBands: number;
  lowFreq: number;
  /** 0 means the Nyquist frequency; a negative value is an offset from it (Kaldi convention). */
  highFreq: number;
  /** MFCC only. */
  numCeps: number;
  /** MFCC only: c_i *= 1 + (L/2) sin(pi i / L); 0 turns liftering off. */
  cepstralLifter: number;
  /** MFCC: c0 is replaced by the log energy. fbank: the log energy is prepended as column 0. */
  useEnergy: boolean;
  /** Energy measured before pre-emphasis and windowing (Kaldi's raw_energy). */
  rawEnergy: boolean;
  /** 0: static features only; 1: + delta; 2: + delta + delta-delta (MFCC default: 13 x 3 = 39). */
  deltaOrder: 0 | 1 | 2;
  /** Half-width of the delta regression window (Kaldi add-deltas default 2). */
  deltaWindow: number;
}

const COMMON_DEFAULTS: Omit<FeatureConfig, 'kind' | 'melBands' | 'useEnergy' | 'deltaOrder'> = {
  sampleRate: 16_000,
  frameLengthMs: 25,
  frameShiftMs: 10,
  window: 'hamming',
  preemphasis: 0.97,
  removeDcOffset: true,
  dither: 0,
  ditherSeed: 1,
  sampleScale: 32_768,
  lowFreq: 20,
  highFreq: 0,
  numCeps: DEFAULT_NUM_CEPS,
  cepstralLifter: 22,
  rawEnergy: true,
  deltaWindow: 2,
};

export type FeatureConfigInput = Partial<FeatureConfig> & { kind: FeatureKind };

/** Fills in the defaults for the kind and checks that the settings make sense. */
export function resolveFeatureConfig(input: FeatureConfigInput): FeatureConfig {
  const config: FeatureConfig = {
    ...COMMON_DEFAULTS,
    ...FEATURE_KIND_DEFAULTS[input.kind],
    ...input,
  };
  const problems: string[] = [];
  const shape = frameShape(config);
  if (shape.frameLength < 2) problems.push('the frame is shorter than 2 samples');
  if (shape.frameShift < 1) problems.push('the frame shift is shorter than 1 sample');
  if (config.melBands < 1) problems.push('melBands must be at least 1');
  if (config.kind === 'mfcc' && (config.numCeps < 1 || config.numCeps > config.melBands)) {
    problems.push(`numCeps must be between 1 and melBands (${config.melBands})`);
  }
  const nyquist = config.sampleRate / 2;
  const high = config.highFreq > 0 ? config.highFreq : nyquist + config.highFreq;
  if (!(config.lowFreq >= 0 && config.lowFreq < high && high <= nyquist)) {
    problems.push(`the band ${config.lowFreq}..${high} Hz must lie within 0..${nyquist} Hz`);
  }
  if (![0, 1, 2].includes(config.deltaOrder)) problems.push('deltaOrder must be 0, 1 or 2');
  if (problems.length > 0) {
    throw new UnfoldError(
      'FEATURE_CONFIG_INVALID',
      `Invalid feature settings: ${problems.join('; ')}.`,
    );
  }
  return config;
}

export interface FrameShape {
  frameLength: number;
  frameShift: number;
  /** FFT size: the frame length rounded up to a power of two (Kaldi round_to_power_of_two). */
  fftSize: number;
}

export function frameShape(config: FeatureConfig): FrameShape {
  const frameLength = Math.round((config.sampleRate * config.frameLengthMs) / 1000);
  const frameShift = Math.round((config.sampleRate * config.frameShiftMs) / 1000);
  let fftSize = 1;
  while (fftSize < frameLength) fftSize *= 2;
  return { frameLength, frameShift, fftSize: Math.max(fftSize, 4) };
}

/** Dimensions of the static features (before deltas). */
export function staticDims(config: FeatureConfig): number {
  if (config.kind === 'spectrogram') return frameShape(config).fftSize / 2 + 1;
  if (config.kind === 'fbank') return config.melBands + (config.useEnergy ? 1 : 0);
  return config.numCeps;
}

export function featureDims(config: FeatureConfig): number {
  return staticDims(config) * (1 + config.deltaOrder);
}

/** Frames a batch extraction yields for `samples` samples (Kaldi snip_edges=true). */
export function frameCount(samples: number, config: FeatureConfig): number {
  const { frameLength, frameShift } = frameShape(config);
  return samples < frameLength ? 0 : 1 + Math.floor((samples - frameLength) / frameShift);
}

/**
 * Bumped whenever the numbers a configuration produces change (2: the fixed-size real FFT and the
 * native frame kernel, within 1e-6 relative of 1), so caches keyed by
 * configHash do not serve features computed by older code.
 */
export const FEATURE_CODE_VERSION = 2;

/** A stable hash of the exact configuration (keys sorted), for cache keys. */
export function configHash(config: FeatureConfig): string {
  const entries = Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
  const canonical = JSON.stringify({ version: FEATURE_CODE_VERSION, config: entries });
  return createHash('sha256').update(canonical).digest('hex');
}
