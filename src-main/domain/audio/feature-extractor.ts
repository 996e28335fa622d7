import { UnfoldError } from '../errors';
import { deltaFilters, writeDeltaRows } from './deltas';
import type { FeatureConfig, FeatureConfigInput } from './feature-config';
import { featureDims, frameCount, frameShape, resolveFeatureConfig } from './feature-config';
import type { FeatureMatrix } from './feature-matrix';
import { FrameKernel } from './frame-kernel';
import type { MonoAudio } from './types';

export type { FeatureMatrix } from './feature-matrix';

/** Static features of every complete frame (no deltas). */
export function extractStaticFeatures(samples: Float32Array, config: FeatureConfig): FeatureMatrix {
  const kernel = new FrameKernel(config);
  const { frameShift } = frameShape(config);
  const frames = frameCount(samples.length, config);
  const data = new Float32Array(frames * kernel.dims);
  kernel.computeFrames(samples, 0, frames, frameShift, data, 0);
  return { data, frames, dims: kernel.dims };
}

/** Appends delta (and delta-delta) columns to static features. */
export function addDeltas(statics: FeatureMatrix, order: number, window: number): FeatureMatrix {
  if (order === 0) return statics;
  const filters = deltaFilters(order, window);
  const dims = statics.dims * (order + 1);
  const data = new Float32Array(statics.frames * dims);
  writeDeltaRows(statics.data, statics.frames, statics.dims, filters, data);
  return { data, frames: statics.frames, dims };
}

/**
 * The batch extractor: spectrogram, log-mel filter bank or MFCC (+ deltas) of a whole
 * utterance. The audio must already be at config.sampleRate (readAudioFile resamples).
 */
export function extractFeatures(
  audio: MonoAudio,
  configInput: FeatureConfig | FeatureConfigInput,
): FeatureMatrix {
  const config = resolveFeatureConfig(configInput);
  if (audio.sampleRate !== config.sampleRate) {
    throw new UnfoldError(
      'FEATURE_RATE_MISMATCH',
      `The audio is at ${audio.sampleRate} Hz but the features expect ${config.sampleRate} Hz: read it with readAudioFile(path, { sampleRate: ${config.sampleRate} }).`,
    );
  }
  const features = addDeltas(
    extractStaticFeatures(audio.samples, config),
    config.deltaOrder,
    config.deltaWindow,
  );
  if (features.dims !== featureDims(config))
    throw new Error('feature dimension bookkeeping is wrong');
  return features;
}
