import { basename } from 'node:path';
import type { AudioAnalysis } from '../../api/audio';
import type { FeatureConfigInput } from '../../domain/audio/feature-config';
import { mixToMono } from '../../domain/audio/mix';
import { resampleMono } from '../../domain/audio/resample';
import { decodeWav, readAudioBytes, toDbfs } from '../../domain/audio/wav';
import { extractFeaturesInSlices } from './sliced-features';

/** The rate all analysis runs at: the working rate of the speech front end. */
export const ANALYSIS_RATE = 16_000;
/** Bands of the display spectrogram: finer than the 40 of the training front end. */
export const DISPLAY_MEL_BANDS = 80;
/**
 * Waveform resolution: 1,000 min/max pairs a second (one per 2 px at the view's highest zoom),
 * fewer for files over ~16 minutes so the overview stays under a million pairs (8 MB).
 */
const PEAKS_PER_SECOND = 1000;
const MAX_PEAKS = 1_000_000;

/** Log-mel settings of both the live and the post-recording spectrogram, so they look alike. */
export function displaySpectrogramConfig(sampleRate: number): FeatureConfigInput {
  return { kind: 'fbank', sampleRate, melBands: DISPLAY_MEL_BANDS, sampleScale: 32_768 };
}

/** Min/max of each bucket, interleaved as [max, min, ...] for wavesurfer's `peaks`. */
export function minMaxPeaks(samples: Float32Array, bucketSize: number): Float32Array {
  const buckets = Math.ceil(samples.length / bucketSize);
  const peaks = new Float32Array(buckets * 2);
  for (let b = 0; b < buckets; b++) {
    let max = -Infinity;
    let min = Infinity;
    const end = Math.min(samples.length, (b + 1) * bucketSize);
    for (let i = b * bucketSize; i < end; i++) {
      const value = samples[i] as number;
      if (value > max) max = value;
      if (value < min) min = value;
    }
    peaks[2 * b] = max;
    peaks[2 * b + 1] = min;
  }
  return peaks;
}

/**
 * Reads a WAV and computes what the Record view draws, in main so that a 10-minute file never
 * blocks the UI thread: peaks for the overview, an 80-band log-mel spectrogram and 13 MFCCs
 * (both 25 ms / 10 ms frames at 16 kHz, the Kaldi-compatible extractor of domain/audio, run in
 * slices so the event loop keeps turning).
 */
export async function analyseAudioFile(
  fullPath: string,
  displayPath: string,
): Promise<AudioAnalysis> {
  const decoded = decodeWav(await readAudioBytes(fullPath), basename(fullPath));
  const mono = mixToMono(decoded.channels);
  let peak = 0;
  let sumSquares = 0;
  for (let i = 0; i < mono.length; i++) {
    const value = mono[i] as number;
    if (Math.abs(value) > peak) peak = Math.abs(value);
    sumSquares += value * value;
  }
  const samples =
    decoded.sampleRate === ANALYSIS_RATE
      ? mono
      : await resampleMono(mono, decoded.sampleRate, ANALYSIS_RATE);
  const spectrogram = await extractFeaturesInSlices(
    samples,
    displaySpectrogramConfig(ANALYSIS_RATE),
  );
  const mfcc = await extractFeaturesInSlices(samples, {
    kind: 'mfcc',
    sampleRate: ANALYSIS_RATE,
    deltaOrder: 0,
  });
  const bucket = Math.max(
    1,
    Math.round(decoded.sampleRate / PEAKS_PER_SECOND),
    Math.ceil(mono.length / MAX_PEAKS),
  );
  return {
    info: {
      path: displayPath,
      name: basename(fullPath),
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      durationSeconds: mono.length / decoded.sampleRate,
      format: decoded.format.description,
      peakDbfs: toDbfs(peak),
      rmsDbfs: toDbfs(mono.length > 0 ? Math.sqrt(sumSquares / mono.length) : 0),
    },
    analysisRate: ANALYSIS_RATE,
    frameShiftSeconds: 0.01,
    frameLengthSeconds: 0.025,
    spectrogram,
    melBands: DISPLAY_MEL_BANDS,
    lowHz: 20,
    highHz: ANALYSIS_RATE / 2,
    mfcc,
    peaks: minMaxPeaks(mono, bucket),
    peaksPerSecond: decoded.sampleRate / bucket,
  };
}
