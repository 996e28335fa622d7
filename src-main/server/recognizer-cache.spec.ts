import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Recognizer } from '../domain/speech/recognizer';
import { trainedModelStamp as modelStamp } from '../domain/experiments/experiment-folder';
import { RecognizerCache } from './recognizer-cache';

describe('RecognizerCache', () => {
  let dir: string;
  let loaded: string[];
  let disposed: string[];

  const load = (d: string): Promise<Recognizer> => {
    const id = `${d.split('/').pop()}#${loaded.length}`;
    loaded.push(id);
    const fake = { dir: id, dispose: (): void => void disposed.push(id) };
    return Promise.resolve(fake as unknown as Recognizer);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unfold-recognizer-cache-'));
    await mkdir(join(dir, 'a', 'model'), { recursive: true });
    for (const f of ['config.json', 'labels.json', 'model/model.json', 'model/weights.bin'])
      await writeFile(join(dir, 'a', f), 'x');
    loaded = [];
    disposed = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads an experiment once, and again (disposing the old one) when its model changes', async () => {
    const cache = new RecognizerCache({ load });
    const first = await cache.get(join(dir, 'a'));
    expect(await cache.get(join(dir, 'a'))).toBe(first);
    expect(loaded).toEqual(['a#0']);
    const stamp = await modelStamp(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'model', 'weights.bin'), 'retrained');
    await utimes(join(dir, 'a', 'model', 'weights.bin'), new Date(), new Date(Date.now() + 5000));
    expect(await modelStamp(join(dir, 'a'))).not.toBe(stamp);
    const second = await cache.get(join(dir, 'a'));
    expect(second).not.toBe(first);
    expect(loaded).toEqual(['a#0', 'a#1']);
    await Promise.resolve();
    expect(disposed).toEqual(['a#0']);
  });

  it('disposes a recogniser replaced while leased only when the lease is released', async () => {
    let stamp = 'a';
    const cache = new RecognizerCache({ load, stamp: () => Promise.resolve(stamp) });
    const lease = await cache.acquire('/e/live');
    stamp = 'b';
    const fresh = await cache.get('/e/live');
    expect(fresh).not.toBe(lease.recognizer);
    await Promise.resolve();
    expect(disposed).toEqual([]);
    lease.release();
    lease.release();
    expect(disposed).toEqual(['live#0']);
  });

  it('keeps at most `capacity` recognisers and does not keep a failed load', async () => {
    const failing = new RecognizerCache({
      load: () => Promise.reject(new Error('not trained')),
      stamp: () => Promise.resolve('s'),
    });
    await expect(failing.get('/x')).rejects.toThrow('not trained');
    await expect(failing.get('/x')).rejects.toThrow('not trained');

    const cache = new RecognizerCache({ load, stamp: () => Promise.resolve('s'), capacity: 2 });
    await cache.get('/e/one');
    await cache.get('/e/two');
    await cache.get('/e/one');
    await cache.get('/e/three');
    await Promise.resolve();
    // 'two' was the least recently used.
    expect(disposed).toEqual(['two#1']);
    cache.dispose();
    await Promise.resolve();
    expect(disposed.sort()).toEqual(['one#0', 'three#2', 'two#1']);
  });
});
