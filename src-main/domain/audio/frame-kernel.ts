import type { FeatureConfig, WindowType } from './feature-config';
import { frameShape, staticDims } from './feature-config';
import type { MelFilterBank } from './mel-filterbank';
import { createMelFilterBank } from './mel-filterbank';
import type { NativeFrameKernel } from './native-frames';
import { createNativeFrameKernel } from './native-frames';
import { RealPowerSpectrum } from './real-fft';

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
 * re-validates on every call (about 4,000 frames/s here). The per-frame work is fused into a
 * few passes over float64 buffers: scale (+ dither) and sum; DC removal, raw energy,
 * pre-emphasis and window in one backward pass; the power spectrum (RealPowerSpectrum, a
 * fixed-size real FFT); the sparse mel filter bank; log; DCT and lifter.
 * When the native addon has its FeatureKernel (native-frames.ts) and there is no dither, the
 * same maths runs in C++ on these tables instead, for every frame of this kernel (so batch and
 * streaming extraction keep agreeing bit for bit); `implementation` says which.
 * `tests/bench/features.ts --side-by-side` times it against torchaudio.
 */
export class FrameKernel {
  readonly dims: number;
  readonly frameLength: number;
  readonly implementation: 'native' | 'js';
  private readonly native: NativeFrameKernel | null;
  private readonly kind: FeatureConfig['kind'];
  private readonly scale: number;
  private readonly dither: number;
  private readonly removeDcOffset: boolean;
  private readonly rawEnergy: boolean;
  private readonly preemphasis: number;
  private readonly useEnergy: boolean;
  private readonly fftSize: number;
  private readonly spectrum: RealPowerSpectrum;
  /**
   * The frame after scaling, then after DC removal, pre-emphasis and window; fftSize long, and
   * zero beyond frameLength forever (only the first frameLength entries are ever written).
   */
  private readonly frame: Float64Array;
  private readonly power: Float64Array;
  private readonly window: Float64Array;
  private readonly melBank: MelFilterBank | null;
  private readonly logMel: Float64Array;
  private readonly numCeps: number;
  private readonly dct: Float64Array | null;
  private readonly lifter: Float64Array | null;
  private readonly noise: GaussianNoise;

  /** `allowNative: false` keeps the TypeScript path (the parity tests compare the two). */
  constructor(config: FeatureConfig, options: { allowNative?: boolean } = {}) {
    const shape = frameShape(config);
    this.kind = config.kind;
    this.scale = config.sampleScale;
    this.dither = config.dither;
    this.removeDcOffset = config.removeDcOffset;
    this.rawEnergy = config.rawEnergy;
    this.preemphasis = config.preemphasis;
    this.useEnergy = config.useEnergy;
    this.frameLength = shape.frameLength;
    this.fftSize = shape.fftSize;
    this.dims = staticDims(config);
    this.spectrum = new RealPowerSpectrum(this.fftSize);
    this.frame = new Float64Array(this.fftSize);
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
    this.numCeps = config.numCeps;
    this.dct = config.kind === 'mfcc' ? createDctMatrix(config.numCeps, config.melBands) : null;
    this.lifter =
      config.kind === 'mfcc' ? createLifter(config.numCeps, config.cepstralLifter) : null;
    this.noise = new GaussianNoise(config.ditherSeed);
    // Dither needs this file's seeded noise: those configurations stay in TypeScript.
    this.native =
      config.dither === 0 && options.allowNative !== false
        ? createNativeFrameKernel({
            kind: config.kind === 'spectrogram' ? 0 : config.kind === 'fbank' ? 1 : 2,
            frameLength: this.frameLength,
            fftSize: this.fftSize,
            sampleScale: config.sampleScale,
            preemphasis: config.preemphasis,
            removeDcOffset: config.removeDcOffset,
            rawEnergy: config.rawEnergy,
            useEnergy: config.useEnergy,
            melBands: config.melBands,
            numCeps: config.numCeps,
            window: this.window,
            melFirst: this.melBank?.firstBin ?? new Int32Array(0),
            melWidth: this.melBank?.width ?? new Int32Array(0),
            melOffset: this.melBank?.offset ?? new Int32Array(0),
            melWeights: this.melBank?.weights ?? new Float64Array(0),
            dct: this.dct ?? new Float64Array(0),
            lifter: this.lifter ?? new Float64Array(0),
          })
        : null;
    this.implementation = this.native ? 'native' : 'js';
  }

  /**
   * Writes `frames` frames, frame f from samples[start + f * shift], at out[outOffset + f * dims].
   */
  computeFrames(
    samples: Float32Array,
    start: number,
    frames: number,
    shift: number,
    out: Float32Array,
    outOffset: number,
  ): void {
    if (this.native) {
      this.native.compute(samples, start, frames, shift, out, outOffset);
      return;
    }
    for (let f = 0; f < frames; f++)
      this.computeInJs(samples, start + f * shift, out, outOffset + f * this.dims);
  }

  /**
   * Writes the static features of samples[start .. start + frameLength) into out[outOffset ..].
   * Samples that are not a Float32Array take the TypeScript path (the streaming extractor keeps
   * a Float32Array, as the batch extractor gets, so both take the same path).
   */
  compute(samples: ArrayLike<number>, start: number, out: Float32Array, outOffset: number): void {
    if (this.native && samples instanceof Float32Array)
      this.native.compute(samples, start, 1, 1, out, outOffset);
    else this.computeInJs(samples, start, out, outOffset);
  }

  private computeInJs(
    samples: ArrayLike<number>,
    start: number,
    out: Float32Array,
    outOffset: number,
  ): void {
    const { frame, frameLength, window } = this;
    // The samples are read twice rather than copied: once for the mean, once (scaled) by the
    // backward pass. With dither, the dithered frame is built first and read instead.
    let source: ArrayLike<number> = samples;
    let base = start;
    let scale = this.scale;
    // Sums and energies in two interleaved partial sums: one chain of additions waits on each
    // step's result, two chains overlap.
    let sum = 0;
    let sumOdd = 0;
    if (this.dither === 0) {
      let i = 0;
      for (; i + 1 < frameLength; i += 2) {
        sum += (samples[start + i] as number) * scale;
        sumOdd += (samples[start + i + 1] as number) * scale;
      }
      if (i < frameLength) sum += (samples[start + i] as number) * scale;
    } else {
      const dither = this.dither;
      for (let i = 0; i < frameLength; i++) {
        const value = (samples[start + i] as number) * scale + dither * this.noise.next();
        frame[i] = value;
        sum += value;
      }
      source = frame;
      base = 0;
      scale = 1;
    }
    const mean = this.removeDcOffset ? (sum + sumOdd) / frameLength : 0;
    // DC removal, energy, pre-emphasis and window in one backward pass, two samples a step,
    // into frame. The energy is of the DC-free frame (raw) or of the windowed one.
    const p = this.preemphasis;
    const raw = this.rawEnergy;
    let energy = 0;
    let energyOdd = 0;
    let next = (source[base + frameLength - 1] as number) * scale - mean;
    let i = frameLength - 1;
    for (; i > 1; i -= 2) {
      const current = next;
      const previous = (source[base + i - 1] as number) * scale - mean;
      next = (source[base + i - 2] as number) * scale - mean;
      const windowed = (current - p * previous) * (window[i] as number);
      const windowedPrevious = (previous - p * next) * (window[i - 1] as number);
      frame[i] = windowed;
      frame[i - 1] = windowedPrevious;
      if (raw) {
        energy += current * current;
        energyOdd += previous * previous;
      } else {
        energy += windowed * windowed;
        energyOdd += windowedPrevious * windowedPrevious;
      }
    }
    if (i === 1) {
      const current = next;
      next = (source[base] as number) * scale - mean;
      const windowed = (current - p * next) * (window[1] as number);
      frame[1] = windowed;
      energy += raw ? current * current : windowed * windowed;
    }
    const first = next * (1 - p) * (window[0] as number);
    frame[0] = first;
    energy += (raw ? next * next : first * first) + energyOdd;
    const logEnergy = Math.log(Math.max(energy, LOG_FLOOR));

    const power = this.power;
    this.spectrum.compute(frame, power);

    if (this.kind === 'spectrogram') {
      const bins = this.fftSize / 2 + 1;
      for (let k = 0; k < bins; k++)
        out[outOffset + k] = Math.log(Math.max(power[k] as number, LOG_FLOOR));
      // Kaldi (and torchaudio) put the log energy in place of the DC bin.
      out[outOffset] = logEnergy;
      return;
    }
    this.logMelEnergies(power);
    const logMel = this.logMel;
    const bands = logMel.length;
    if (this.kind === 'fbank') {
      let o = outOffset;
      if (this.useEnergy) out[o++] = logEnergy;
      for (let b = 0; b < bands; b++) out[o++] = logMel[b] as number;
      return;
    }
    const dct = this.dct as Float64Array;
    const lifter = this.lifter as Float64Array;
    const numCeps = this.numCeps;
    for (let c = 0; c < numCeps; c++) {
      let cepstrum = 0;
      const row = c * bands;
      for (let b = 0; b < bands; b++) cepstrum += (dct[row + b] as number) * (logMel[b] as number);
      out[outOffset + c] = cepstrum * (lifter[c] as number);
    }
    // Kaldi replaces c0 after liftering (the lifter leaves c0 unchanged anyway).
    if (this.useEnergy) out[outOffset] = logEnergy;
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
      // Two partial sums: the additions of one chain wait on each other, two chains overlap.
      let odd = 0;
      let k = first;
      for (; k + 1 < end; k += 2) {
        sum += (weights[base + k] as number) * (power[k] as number);
        odd += (weights[base + k + 1] as number) * (power[k + 1] as number);
      }
      if (k < end) sum += (weights[base + k] as number) * (power[k] as number);
      logMel[b] = Math.log(Math.max(sum + odd, LOG_FLOOR));
    }
  }
}
