import FFT from 'fft.js';
import type { FeatureConfig, WindowType } from './feature-config';
import { frameShape, staticDims } from './feature-config';
import type { MelFilterBank } from './mel-filterbank';
import { createMelFilterBank } from './mel-filterbank';

/** Kaldi floors every log at FLT_EPSILON (std::numeric_limits<float>::epsilon()). */
export const LOG_FLOOR = 1.1920928955078125e-7;

/** Kaldi's window definitions (feature-window.cc), with a = 2 pi / (N - 1). */
export function createWindow(type: WindowType, length: number): Float64Array {
  const window = new Float64Array(length);
  const a = (2 * Math.PI) / (length - 1);
  for (let i = 0; i < length; i++) {
    const c = Math.cos(a * i);
    window[i] =
      type === 'hamming'
        ? 0.54 - 0.46 * c
        : type === 'hanning'
          ? 0.5 - 0.5 * c
          : type === 'povey'
            ? Math.pow(0.5 - 0.5 * c, 0.85)
            : type === 'blackman'
              ? 0.42 - 0.5 * c + 0.08 * Math.cos(2 * a * i)
              : 1;
  }
  return window;
}

/**
 * Kaldi's DCT-II (ComputeDctMatrix): orthonormal, row k = sqrt(2/N) cos(pi k (n + 0.5) / N),
 * row 0 scaled by sqrt(1/N). meyda's DCT is unnormalised; we follow Kaldi.
 */
export function createDctMatrix(numCeps: number, bands: number): Float64Array {
  const matrix = new Float64Array(numCeps * bands);
  for (let k = 0; k < numCeps; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / bands);
    for (let n = 0; n < bands; n++) {
      matrix[k * bands + n] = scale * Math.cos((Math.PI * k * (n + 0.5)) / bands);
    }
  }
  return matrix;
}

export function createLifter(numCeps: number, lifter: number): Float64Array {
  const coefficients = new Float64Array(numCeps).fill(1);
  if (lifter === 0) return coefficients;
  for (let i = 0; i < numCeps; i++)
    coefficients[i] = 1 + 0.5 * lifter * Math.sin((Math.PI * i) / lifter);
  return coefficients;
}

/** Seeded Gaussian noise (mulberry32 + Box-Muller) so dithered features are reproducible. */
class GaussianNoise {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  private uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  }
  next(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
}

/**
 * Computes the static features of one frame at a time with buffers allocated once.
 * Hand-written rather than calling meyda per frame: meyda's `extract` allocates and
 * re-validates on every call (about 4,000 frames/s here); this loop does the same maths with
 * fft.js and runs over 50,000 frames/s (see tests/bench/features.ts).
 */
export class FrameKernel {
  readonly dims: number;
  readonly frameLength: number;
  private readonly config: FeatureConfig;
  private readonly fftSize: number;
  private readonly fft: FFT;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;
  private readonly window: Float64Array;
  private readonly melBank: MelFilterBank | null;
  private readonly logMel: Float64Array;
  private readonly dct: Float64Array | null;
  private readonly lifter: Float64Array | null;
  private readonly noise: GaussianNoise;

  constructor(config: FeatureConfig) {
    this.config = config;
    const shape = frameShape(config);
    this.frameLength = shape.frameLength;
    this.fftSize = shape.fftSize;
    this.dims = staticDims(config);
    this.fft = new FFT(this.fftSize);
    // Zero beyond frameLength forever: only the first frameLength entries are ever written.
    this.frame = new Float64Array(this.fftSize);
    this.spectrum = new Float64Array(this.fftSize * 2);
    this.power = new Float64Array(this.fftSize / 2 + 1);
    this.window = createWindow(config.window, this.frameLength);
    const needsMel = config.kind !== 'spectrogram';
    this.melBank = needsMel
      ? createMelFilterBank(
          config.melBands,
          this.fftSize,
          config.sampleRate,
          config.lowFreq,
          config.highFreq,
        )
      : null;
    this.logMel = new Float64Array(config.melBands);
    this.dct = config.kind === 'mfcc' ? createDctMatrix(config.numCeps, config.melBands) : null;
    this.lifter =
      config.kind === 'mfcc' ? createLifter(config.numCeps, config.cepstralLifter) : null;
    this.noise = new GaussianNoise(config.ditherSeed);
  }

  /** Writes the static features of samples[start .. start + frameLength) into out[outOffset ..]. */
  compute(samples: ArrayLike<number>, start: number, out: Float32Array, outOffset: number): void {
    const { config, frame, frameLength } = this;
    const scale = config.sampleScale;
    let sum = 0;
    if (config.dither === 0) {
      for (let i = 0; i < frameLength; i++) {
        const value = (samples[start + i] as number) * scale;
        frame[i] = value;
        sum += value;
      }
    } else {
      for (let i = 0; i < frameLength; i++) {
        const value = (samples[start + i] as number) * scale + config.dither * this.noise.next();
        frame[i] = value;
        sum += value;
      }
    }
    if (config.removeDcOffset) {
      const mean = sum / frameLength;
      for (let i = 0; i < frameLength; i++) frame[i] = (frame[i] as number) - mean;
    }
    let energy = 0;
    if (config.rawEnergy) energy = sumOfSquares(frame, frameLength);
    // Pre-emphasis and window in one backward pass: frame[i - 1] is still unmodified when
    // frame[i] is computed.
    const p = config.preemphasis;
    const window = this.window;
    for (let i = frameLength - 1; i > 0; i--) {
      frame[i] = ((frame[i] as number) - p * (frame[i - 1] as number)) * (window[i] as number);
    }
    frame[0] = (frame[0] as number) * (1 - p) * (window[0] as number);
    if (!config.rawEnergy) energy = sumOfSquares(frame, frameLength);
    const logEnergy = Math.log(Math.max(energy, LOG_FLOOR));

    this.fft.realTransform(this.spectrum, frame);
    const { power, spectrum } = this;
    const bins = this.fftSize / 2 + 1;
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k] as number;
      const im = spectrum[2 * k + 1] as number;
      power[k] = re * re + im * im;
    }

    if (config.kind === 'spectrogram') {
      for (let k = 0; k < bins; k++)
        out[outOffset + k] = Math.log(Math.max(power[k] as number, LOG_FLOOR));
      // Kaldi (and torchaudio) put the log energy in place of the DC bin.
      out[outOffset] = logEnergy;
      return;
    }
    this.logMelEnergies(power);
    const logMel = this.logMel;
    if (config.kind === 'fbank') {
      let o = outOffset;
      if (config.useEnergy) out[o++] = logEnergy;
      for (let b = 0; b < config.melBands; b++) out[o++] = logMel[b] as number;
      return;
    }
    const dct = this.dct as Float64Array;
    const lifter = this.lifter as Float64Array;
    const bands = config.melBands;
    for (let c = 0; c < config.numCeps; c++) {
      let sum = 0;
      const row = c * bands;
      for (let b = 0; b < bands; b++) sum += (dct[row + b] as number) * (logMel[b] as number);
      out[outOffset + c] = sum * (lifter[c] as number);
    }
    // Kaldi replaces c0 after liftering (the lifter leaves c0 unchanged anyway).
    if (config.useEnergy) out[outOffset] = logEnergy;
  }

  private logMelEnergies(power: Float64Array): void {
    const bank = this.melBank as MelFilterBank;
    const { firstBin, width, offset, weights } = bank;
    const logMel = this.logMel;
    for (let b = 0; b < bank.bands; b++) {
      let sum = 0;
      const first = firstBin[b] as number;
      const base = (offset[b] as number) - first;
      const end = first + (width[b] as number);
      for (let k = first; k < end; k++) sum += (weights[base + k] as number) * (power[k] as number);
      logMel[b] = Math.log(Math.max(sum, LOG_FLOOR));
    }
  }
}

function sumOfSquares(values: Float64Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (values[i] as number) ** 2;
  return sum;
}
