import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Corpus } from '../corpus/model';
import { CorpusCache } from './corpus-cache';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'unfold-pg-cache-'));
  for (const name of ['a', 'b', 'c']) {
    await mkdir(join(root, name, 'model'), { recursive: true });
    await writeFile(join(root, name, 'model', 'model.json'), '{}');
    await writeFile(join(root, name, 'corpus.json'), '{"revision":1}');
  }
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('corpus cache', () => {
  it('reads a corpus once until its manifest changes', async () => {
    let reads = 0;
    const read = vi.fn((dir: string) =>
      Promise.resolve({ dir, read: ++reads } as unknown as Corpus),
    );
    const cache = new CorpusCache(read);
    const first = await cache.get(join(root, 'a'));
    expect(await cache.get(join(root, 'a'))).toBe(first);
    expect(read).toHaveBeenCalledTimes(1);
    await rm(join(root, 'a', 'corpus.json'));
    await writeFile(join(root, 'a', 'corpus.json'), '{"revision":2}');
    const second = await cache.get(join(root, 'a'));
    expect(second).not.toBe(first);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
