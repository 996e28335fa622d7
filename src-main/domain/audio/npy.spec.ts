import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, encodeNpyArray } from './npy';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('npy', () => {
  const matrix = {
    data: Float32Array.from({ length: 3 * 5 }, (_, i) => i / 7 - 1),
    frames: 3,
    dims: 5,
  };

  it('writes a 64-byte-aligned version 1.0 header and round-trips', () => {
    const bytes = encodeNpy(matrix);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toMatch(
      /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 5\), \} *\n$/,
    );
    expect(decodeNpy(bytes, 'm.npy')).toEqual(matrix);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 4), 'm.npy')).toThrow(
      /m\.npy: the file is truncated/,
    );
  });

  it('writes any shape: a 3-D array, and a 1-D one with its Python comma', () => {
    const header = (bytes: Uint8Array): string =>
      new TextDecoder().decode(
        bytes.subarray(10, 10 + new DataView(bytes.buffer).getUint16(8, true)),
      );
    const cube = encodeNpyArray(
      Float32Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    expect(header(cube)).toContain("'shape': (2, 3, 4), }");
    expect(new DataView(cube.buffer).getFloat32(cube.length - 4, true)).toBe(23);
    expect(header(encodeNpyArray([1, 2], [2]))).toContain("'shape': (2,), }");
    expect(() => encodeNpyArray([1, 2, 3], [2, 2])).toThrow(
      /3 values do not fill the shape \[2, 2\]/,
    );
  });

  it.runIf(hasNumpy())('is read by numpy with the right shape and values', () => {
    const folder = mkdtempSync(join(tmpdir(), 'unfold-npy-'));
    try {
      writeFileSync(join(folder, 'm.npy'), encodeNpy(matrix));
      const out = execFileSync(
        'python3',
        [
          '-c',
          `import numpy as n; a = n.load(${JSON.stringify(join(folder, 'm.npy'))}); print(a.dtype, a.shape, repr(float(a[1, 3])))`,
        ],
        { encoding: 'utf8' },
      );
      expect(out.trim()).toBe(`float32 (3, 5) ${Math.fround(8 / 7 - 1)}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
