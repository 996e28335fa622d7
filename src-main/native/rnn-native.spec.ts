import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRnnNative, loadRnnNativeFrom } from './rnn-native';

const scratch = mkdtempSync(join(tmpdir(), 'unfold-rnn-native-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loading the native RNN kernel', () => {
  it('returns null with a reason when the addon was not built', () => {
    const load = loadRnnNativeFrom([join(scratch, 'missing.node')], { parallel: 1, blas: 1 });
    expect(load.addon).toBeNull();
    expect(load.reason).toMatch(/^not built/);
  });

  it('returns null with a reason when the file is not a loadable addon (e.g. wrong platform)', () => {
    const bogus = join(scratch, 'bogus.node');
    writeFileSync(bogus, 'not an ELF file');
    const load = loadRnnNativeFrom([bogus], { parallel: 1, blas: 1 });
    expect(load.addon).toBeNull();
    expect(load.reason).toMatch(/^failed to load .*bogus\.node/);
  });

  const built = loadRnnNative();
  it.skipIf(!built.addon)('loads the built addon with its BLAS threads set', () => {
    expect(built.reason).toBeNull();
    expect(built.threads).toBeGreaterThanOrEqual(1);
    expect(built.addon?.info().blas).toMatch(/OpenBLAS/);
    expect(built.addon?.setParallel(1)).toBe(1);
    expect(built.addon?.setParallel(built.threads)).toBe(built.threads);
    expect(built.addon?.info().parallel).toBe(built.threads);
  });
});
