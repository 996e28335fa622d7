import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveFeatureConfig } from '../../src-main/domain/audio/feature-config';
import { extractFeatures } from '../../src-main/domain/audio/feature-extractor';
import { readAudioFile } from '../../src-main/domain/audio/wav';

export interface FolderResult {
  frames: number;
  audioSeconds: number;
  seconds: number;
  /** Time spent in feature extraction only (not reading or resampling). */
  featureSeconds: number;
}

/** Reads every file at 16 kHz and extracts 39-dim MFCC+deltas, timing the whole and the features. */
export async function extractFolder(folder: string, files: string[]): Promise<FolderResult> {
  const config = resolveFeatureConfig({ kind: 'mfcc' });
  let frames = 0;
  let audioSeconds = 0;
  let featureSeconds = 0;
  const start = performance.now();
  for (const file of files) {
    const audio = await readAudioFile(join(folder, file), { sampleRate: 16_000 });
    audioSeconds += audio.samples.length / audio.sampleRate;
    const t0 = performance.now();
    frames += extractFeatures(audio, config).frames;
    featureSeconds += (performance.now() - t0) / 1000;
  }
  return { frames, audioSeconds, seconds: (performance.now() - start) / 1000, featureSeconds };
}
