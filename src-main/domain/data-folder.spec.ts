import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDataFolder, prepareDataFolder } from './data-folder';

describe('data folder', () => {
  it('prefers --data, then UNFOLD_DATA, then the XDG data folder', () => {
    expect(chooseDataFolder('/a', { UNFOLD_DATA: '/b' })).toEqual({ dir: '/a', source: 'flag' });
    expect(chooseDataFolder(undefined, { UNFOLD_DATA: '/b' })).toEqual({
      dir: '/b',
      source: 'env',
    });
    const fallback = chooseDataFolder(undefined, {});
    expect(fallback.source).toBe('default');
    expect(fallback.dir).toMatch(/unfold$/);
  });

  it('creates the folder, and explains when it cannot be used', async () => {
    const base = await mkdtemp(join(tmpdir(), 'unfold-data-'));
    try {
      const nested = join(base, 'déjà vu', 'data');
      await expect(prepareDataFolder(nested)).resolves.toBe(nested);
      const file = join(base, 'a-file');
      await writeFile(file, 'x');
      await expect(prepareDataFolder(join(file, 'data'))).rejects.toMatchObject({
        code: 'DATA_FOLDER_UNUSABLE',
      });
      if (process.getuid?.() !== 0) {
        await chmod(nested, 0o500);
        await expect(prepareDataFolder(nested)).rejects.toMatchObject({
          code: 'DATA_FOLDER_UNUSABLE',
        });
      }
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
