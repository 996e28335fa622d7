import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import type { LongOperationOptions } from '../jobs/progress';
import type { FeatureConfig, FeatureConfigInput } from './feature-config';
import { configHash, resolveFeatureConfig } from './feature-config';
import { extractFeatures } from './feature-extractor';
import type { FeatureMatrix } from './feature-matrix';
import { decodeNpy, encodeNpy } from './npy';
import type { MonoAudio } from './types';
import { decodeWav, readAudioBytes } from './wav';
import { mixToMono } from './mix';
import { resampleMono } from './resample';

/** Content hash of decoded audio (rate + samples), for audio that did not come from a file. */
export function audioContentHash(audio: MonoAudio): string {
  return createHash('sha256')
    .update(`${audio.sampleRate}:`)
    .update(
      new Uint8Array(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength),
    )
    .digest('hex');
}

export interface CachedFeatures {
  features: FeatureMatrix;
  /** True when served from disk, false when computed (and stored). */
  hit: boolean;
}

/**
 * Features on disk, keyed by a content hash of the audio and a hash of the exact
 * configuration (plus FEATURE_CODE_VERSION): `<dir>/<config hash>/<audio hash>.npy`, with the
 * configuration itself beside them in config.json for people. Renaming a file keeps its entry;
 * changing one sample or one setting misses. Entries are written atomically, so a crash never
 * leaves a half-written entry; an unreadable entry counts as a miss and is rewritten.
 */
export class FeatureCache {
  constructor(private readonly directory: string) {}

  pathFor(audioHash: string, config: FeatureConfig): string {
    return join(this.directory, configHash(config).slice(0, 32), `${audioHash}.npy`);
  }

  async get(audioHash: string, config: FeatureConfig): Promise<FeatureMatrix | null> {
    const path = this.pathFor(audioHash, config);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return decodeNpy(bytes, path);
    } catch {
      return null;
    }
  }

  async put(audioHash: string, config: FeatureConfig, features: FeatureMatrix): Promise<void> {
    const path = this.pathFor(audioHash, config);
    const folder = join(path, '..');
    await mkdir(folder, { recursive: true });
    const configPath = join(folder, 'config.json');
    await readFile(configPath).catch(() => writeJsonAtomically(configPath, config));
    await writeFileAtomically(path, encodeNpy(features));
  }

  /** Features of in-memory audio at config.sampleRate, from the cache or computed and stored. */
  async forAudio(
    audio: MonoAudio,
    configInput: FeatureConfig | FeatureConfigInput,
  ): Promise<CachedFeatures> {
    const config = resolveFeatureConfig(configInput);
    const hash = audioContentHash(audio);
    const cached = await this.get(hash, config);
    if (cached) return { features: cached, hit: true };
    const features = extractFeatures(audio, config);
    await this.put(hash, config, features);
    return { features, hit: false };
  }

  /**
   * Features of a WAV file. The key is the hash of the file's bytes, so a hit does not even
   * decode the audio; a miss reads, mixes to mono and resamples to config.sampleRate.
   */
  async forFile(
    path: string,
    configInput: FeatureConfig | FeatureConfigInput,
  ): Promise<CachedFeatures> {
    const config = resolveFeatureConfig(configInput);
    const bytes = await readAudioBytes(path);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const cached = await this.get(hash, config);
    if (cached) return { features: cached, hit: true };
    const decoded = decodeWav(bytes, path);
    let samples = mixToMono(decoded.channels);
    if (decoded.sampleRate !== config.sampleRate)
      samples = await resampleMono(samples, decoded.sampleRate, config.sampleRate);
    const features = extractFeatures({ sampleRate: config.sampleRate, samples }, config);
    await this.put(hash, config, features);
    return { features, hit: false };
  }

  /**
   * Features of many files (a corpus), in order, reporting progress after each file and
   * stopping with CANCELLED between files when the signal fires.
   */
  async forFiles(
    paths: readonly string[],
    configInput: FeatureConfig | FeatureConfigInput,
    options: LongOperationOptions = {},
  ): Promise<Map<string, FeatureMatrix>> {
    const config = resolveFeatureConfig(configInput);
    const result = new Map<string, FeatureMatrix>();
    let hits = 0;
    for (const [index, path] of paths.entries()) {
      throwIfAborted(options.signal);
      const { features, hit } = await this.forFile(path, config);
      if (hit) hits++;
      result.set(path, features);
      options.onProgress?.({
        fraction: (index + 1) / paths.length,
        message: `features: ${index + 1}/${paths.length}`,
        metrics: { cacheHits: hits },
      });
    }
    return result;
  }
}
