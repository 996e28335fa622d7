import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  resolveDataPath,
  resolveExistingDataPath,
  safeFileName,
  toDataRelative,
} from './data-paths';

const dataDir = mkdtempSync(join(tmpdir(), 'unfold-paths-'));
mkdirSync(join(dataDir, 'recordings'));
writeFileSync(join(dataDir, 'recordings', 'a.wav'), 'x');
const outsideDir = mkdtempSync(join(tmpdir(), 'unfold-outside-'));
writeFileSync(join(outsideDir, 'secret.wav'), 'x');
symlinkSync(join(outsideDir, 'secret.wav'), join(dataDir, 'recordings', 'link.wav'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outsideDir, { recursive: true, force: true });
});

describe('path confinement to the data folder', () => {
  it('resolves relative paths and absolute paths inside the folder', () => {
    expect(resolveDataPath(dataDir, 'recordings/a.wav')).toBe(join(dataDir, 'recordings', 'a.wav'));
    expect(resolveDataPath(dataDir, join(dataDir, 'imports', 'b.wav'))).toBe(
      join(dataDir, 'imports', 'b.wav'),
    );
    expect(toDataRelative(dataDir, join(dataDir, 'recordings', 'a.wav'))).toBe('recordings/a.wav');
  });

  it('rejects .. segments even when they would land inside', () => {
    expect(() => resolveDataPath(dataDir, '../etc/passwd')).toThrow(/"\.\." is not allowed/);
    expect(() => resolveDataPath(dataDir, 'recordings/../recordings/a.wav')).toThrow(
      expect.objectContaining({ code: 'PATH_OUTSIDE_DATA' }),
    );
    expect(() => resolveDataPath(dataDir, 'recordings\\..\\..\\x.wav')).toThrow(/not allowed/);
  });

  it('rejects absolute paths outside, the folder itself and NUL bytes', () => {
    expect(() => resolveDataPath(dataDir, '/etc/passwd')).toThrow(/outside the data folder/);
    expect(() => resolveDataPath(dataDir, `${dataDir}-other/a.wav`)).toThrow(/outside/);
    expect(() => resolveDataPath(dataDir, dataDir)).toThrow(/outside/);
    expect(() => resolveDataPath(dataDir, 'a\0.wav')).toThrow(/NUL/);
  });

  it('follows symbolic links of existing files and rejects those leading outside', async () => {
    await expect(resolveExistingDataPath(dataDir, 'recordings/a.wav')).resolves.toBe(
      join(dataDir, 'recordings', 'a.wav'),
    );
    await expect(resolveExistingDataPath(dataDir, 'recordings/link.wav')).rejects.toThrow(
      /links outside/,
    );
    await expect(resolveExistingDataPath(dataDir, 'recordings/none.wav')).rejects.toMatchObject({
      code: 'AUDIO_NOT_FOUND',
    });
  });

  it('makes uploaded names safe file names', () => {
    expect(safeFileName('../../evil.wav')).toBe('evil.wav');
    expect(safeFileName('C:\\x\\take 1.WAV')).toBe('take 1.wav');
    expect(safeFileName('.hidden')).toBe('hidden.wav');
    expect(safeFileName('a<b>\u0001.wav')).toBe('a_b__.wav');
    expect(safeFileName('')).toBe('audio.wav');
  });
});
