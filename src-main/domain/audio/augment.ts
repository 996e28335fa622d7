import type { FeatureConfig } from './feature-config';
import type { FeatureMatrix } from './feature-matrix';
import { resampleMono } from './resample';

/**
 * Training-data augmentation that makes new "speakers" out of recorded ones.
 *
 * - `speed` is Kaldi's speed perturbation (Ko et al. 2015): the audio is resampled so that it
 *   plays `speed` times faster, which shortens it by that factor and moves every frequency
 *   (pitch and formants) up by the same factor.
 * - `warp` moves every frequency up by `warp` but keeps the duration: the audio is resampled by
 *   `speed * warp` and analysed with frames `warp` times shorter and closer together, so each
 *   frame covers the same stretch of speech as before. It is a frequency warp of the whole
 *   spectrum like VTLP's (Jaitly and Hinton 2013), done on the waveform so that every feature
 *   kind (spectrogram, fbank, MFCC, deltas) gets it without touching the front end.
 */
export interface Perturbation {
  speed: number;
  warp: number;
}

/** Short stable name, used in utterance ids of augmented copies ("sp1.1", "vw0.9", "sp0.9vw1.1"). */
export function perturbationLabel(p: Perturbation): string {
  const parts = [
    ...(p.speed !== 1 ? [`sp${p.speed}`] : []),
    ...(p.warp !== 1 ? [`vw${p.warp}`] : []),
  ];
  return parts.length > 0 ? parts.join('') : 'orig';
}

/**
 * Speed perturbation: the samples played `factor` times faster at the same sample rate
 * (round(n / factor) samples; band-limited resampling, so nothing aliases when speeding up).
 */
export async function speedPerturb(samples: Float32Array, factor: number): Promise<Float32Array> {
  if (!(factor > 0)) throw new RangeError(`speed factor must be positive, got ${factor}`);
  if (factor === 1) return samples.slice();
  // Only the ratio of the two rates matters; 10 kHz gives a resolution of 1e-4 in the factor.
  return resampleMono(samples, Math.round(10_000 * factor), 10_000);
}

/** The analysis settings for audio resampled by a warp: frames `warp` times shorter and closer. */
export function warpedAnalysisConfig(config: FeatureConfig, warp: number): FeatureConfig {
  if (warp === 1) return config;
  return {
    ...config,
    frameLengthMs: config.frameLengthMs / warp,
    frameShiftMs: config.frameShiftMs / warp,
  };
}

/**
 * The audio and analysis settings of one perturbation: features of `samples` with `config`
 * are the perturbed utterance. Times in the perturbed audio are the original times divided by
 * `timeScale` (= speed x warp).
 */
export async function perturbAudio(
  samples: Float32Array,
  config: FeatureConfig,
  p: Perturbation,
): Promise<{ samples: Float32Array; config: FeatureConfig; timeScale: number }> {
  const timeScale = p.speed * p.warp;
  return {
    samples: await speedPerturb(samples, timeScale),
    config: warpedAnalysisConfig(config, p.warp),
    timeScale,
  };
}

/**
 * SpecAugment-style masks (Park et al. 2019) applied to a feature matrix. Not used by
 * experiments yet: masks must be drawn afresh every epoch, and the engine's trainModel takes a
 * fixed list of examples; it needs a per-batch hook (e.g. a `transform(example, rng)` in
 * TrainConfig) before this can be an experiment setting.
 */
export interface FeatureMaskOptions {
  /** Bands of consecutive feature dimensions set to the mask value. */
  frequencyMasks: number;
  /** Widest band, in dimensions (each band's width is uniform in 0..max). */
  maxFrequencyWidth: number;
  timeMasks: number;
  /** Widest run of frames, capped at `maxTimeFraction` of the utterance. */
  maxTimeWidth: number;
  maxTimeFraction?: number;
  /** Dimensions masked by frequency masks: the first `maskedDims` (e.g. the static part). */
  maskedDims?: number;
  /** What masked cells become: 0 is the mean of CMVN-normalised features. */
  value?: number;
}

export interface MaskRng {
  next(): number;
}

/** A masked copy of the features; the generator fixes where the masks fall. */
export function maskFeatures(
  features: FeatureMatrix,
  rng: MaskRng,
  options: FeatureMaskOptions,
): FeatureMatrix {
  const { frames, dims } = features;
  const data = features.data.slice();
  const value = options.value ?? 0;
  const maskedDims = Math.min(options.maskedDims ?? dims, dims);
  const draw = (max: number): number => Math.floor(rng.next() * (max + 1));
  for (let m = 0; m < options.frequencyMasks; m++) {
    const width = Math.min(draw(options.maxFrequencyWidth), maskedDims);
    const start = draw(maskedDims - width);
    for (let t = 0; t < frames; t++) data.fill(value, t * dims + start, t * dims + start + width);
  }
  const maxTime = Math.min(
    options.maxTimeWidth,
    Math.floor(frames * (options.maxTimeFraction ?? 1)),
  );
  for (let m = 0; m < options.timeMasks; m++) {
    const width = draw(maxTime);
    const start = draw(frames - width);
    data.fill(value, start * dims, (start + width) * dims);
  }
  return { data, frames, dims };
}
