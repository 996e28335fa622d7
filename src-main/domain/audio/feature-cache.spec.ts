import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureCache, audioContentHash } from './feature-cache';
import { resolveFeatureConfig } from './feature-config';
import { extractFeatures } from './feature-extractor';
import { noise } from './testing/signals';
import { encodeWav } from './wav';

describe('FeatureCache', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold-feature-cache-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const audio = { sampleRate: 16_000, samples: noise(4000, 0.3, 9) };
  const config = resolveFeatureConfig({ kind: 'mfcc' });

  it('computes once, then serves identical features, also from a new instance (a restart)', async () => {
    const first = await new FeatureCache(folder).forAudio(audio, config);
    expect(first.hit).toBe(false);
    expect(first.features).toEqual(extractFeatures(audio, config));
    const second = await new FeatureCache(folder).forAudio(audio, config);
    expect(second.hit).toBe(true);
    expect(second.features).toEqual(first.features);
  });

  it('misses when one sample or one setting changes', async () => {
    const cache = new FeatureCache(folder);
    await cache.forAudio(audio, config);
    const changed = audio.samples.slice();
    changed[100] = (changed[100] as number) + 1e-6;
    expect(audioContentHash({ sampleRate: 16_000, samples: changed })).not.toBe(
      audioContentHash(audio),
    );
    expect((await cache.forAudio({ sampleRate: 16_000, samples: changed }, config)).hit).toBe(
      false,
    );
    const otherConfig = { ...config, cepstralLifter: 0 };
    const other = await cache.forAudio(audio, otherConfig);
    expect(other.hit).toBe(false);
    expect(other.features.data).not.toEqual(extractFeatures(audio, config).data);
  });

  it('keys files by content (a renamed copy hits) and rewrites a damaged entry', async () => {
    const cache = new FeatureCache(folder);
    const a = join(folder, 'a.wav');
    const b = join(folder, 'b.wav');
    const bytes = encodeWav({ sampleRate: 8000, samples: noise(2000, 0.3, 4) });
    await writeFile(a, bytes);
    await writeFile(b, bytes);
    const first = await cache.forFile(a, config);
    expect(first.hit).toBe(false);
    expect(first.features.frames).toBe(1 + Math.floor((4000 - 400) / 160));
    expect((await cache.forFile(b, config)).hit).toBe(true);
    const [configFolder] = (await readdir(folder)).filter((name) => !name.endsWith('.wav'));
    const entries = await readdir(join(folder, configFolder as string));
    expect(entries.sort()).toHaveLength(2); // config.json + one .npy
    expect(
      JSON.parse(await readFile(join(folder, configFolder as string, 'config.json'), 'utf8')),
    ).toEqual(config);
    const entry = entries.find((name) => name.endsWith('.npy')) as string;
    await writeFile(join(folder, configFolder as string, entry), 'garbage');
    const repaired = await cache.forFile(a, config);
    expect(repaired.hit).toBe(false);
    expect(repaired.features).toEqual(first.features);
  });

  it('featurises a list of files with progress, counting cache hits, and can be cancelled', async () => {
    const cache = new FeatureCache(folder);
    const paths = [0, 1, 2].map((i) => join(folder, `f${i}.wav`));
    for (const [i, path] of paths.entries()) {
      await writeFile(path, encodeWav({ sampleRate: 16_000, samples: noise(1600, 0.3, 20 + i) }));
    }
    await cache.forFile(paths[1] as string, config);
    const fractions: number[] = [];
    let hits = 0;
    const result = await cache.forFiles(paths, config, {
      onProgress: (progress) => {
        fractions.push(progress.fraction ?? -1);
        hits = progress.metrics?.cacheHits ?? -1;
      },
    });
    expect([...result.keys()]).toEqual(paths);
    expect(fractions).toEqual([1 / 3, 2 / 3, 1]);
    expect(hits).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      cache.forFiles(paths, config, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});
