import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AudioAnalysis } from '../../api/audio';
import { AnalysisCache } from './analysis-cache';

const folder = mkdtempSync(join(tmpdir(), 'unfold-analysis-cache-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fakeAnalysis(name: string): AudioAnalysis {
  return { info: { name } } as AudioAnalysis;
}

describe('AnalysisCache', () => {
  it('reuses an analysis until the file changes, and evicts the least recently used', async () => {
    const files = ['a', 'b', 'c'].map((name) => {
      const path = join(folder, `${name}.wav`);
      writeFileSync(path, name);
      return path;
    });
    const cache = new AnalysisCache(2);
    let runs = 0;
    const analyse = (name: string) => () => {
      runs++;
      return Promise.resolve(fakeAnalysis(name));
    };
    expect((await cache.get(files[0]!, analyse('a'))).info.name).toBe('a');
    await cache.get(files[0]!, analyse('a'));
    expect(runs).toBe(1);
    await cache.get(files[1]!, analyse('b'));
    await cache.get(files[0]!, analyse('a')); // a is now the most recent
    await cache.get(files[2]!, analyse('c')); // evicts b
    expect(runs).toBe(3);
    await cache.get(files[0]!, analyse('a'));
    expect(runs).toBe(3);
    await cache.get(files[1]!, analyse('b'));
    expect(runs).toBe(4);
    // A changed file is analysed again.
    writeFileSync(files[1]!, 'bb');
    utimesSync(files[1]!, new Date(), new Date(Date.now() + 5000));
    await cache.get(files[1]!, analyse('b'));
    expect(runs).toBe(5);
  });

  it('does not keep failures', async () => {
    const path = join(folder, 'x.wav');
    writeFileSync(path, 'x');
    const cache = new AnalysisCache();
    await expect(cache.get(path, () => Promise.reject(new Error('corrupt')))).rejects.toThrow(
      'corrupt',
    );
    await expect(cache.get(path, () => Promise.resolve(fakeAnalysis('x')))).resolves.toMatchObject({
      info: { name: 'x' },
    });
  });
});
