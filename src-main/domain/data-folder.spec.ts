import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDataFolder, prepareDataFolder, resolveInDataFolder } from './data-folder';

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

describe('resolveInDataFolder', () => {
  it('resolves names inside the data folder and refuses ways out, links included', async () => {
    const base = await mkdtemp(join(tmpdir(), 'unfold-resolve-'));
    try {
      const data = join(base, 'data');
      await mkdir(join(data, 'corpora'), { recursive: true });
      await symlink(base, join(data, 'corpora', 'out'));
      await symlink(join(base, 'nowhere'), join(data, 'corpora', 'gone'));
      await expect(resolveInDataFolder(data, 'corpora', 'fsdd')).resolves.toBe(
        join(data, 'corpora', 'fsdd'),
      );
      await expect(resolveInDataFolder(base, 'data', 'corpora', 'new', 'deeper')).resolves.toBe(
        join(data, 'corpora', 'new', 'deeper'),
      );
      for (const segments of [
        ['corpora', 'out'],
        ['corpora', 'out', 'x'],
        ['corpora', 'gone'],
        ['..'],
        ['corpora', '/etc'],
      ])
        await expect(
          resolveInDataFolder(data, ...segments),
          segments.join('/'),
        ).rejects.toMatchObject({
          code: 'PATH_OUTSIDE_DATA',
        });
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
