import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png-encoder';

describe('encodePng', () => {
  it('writes the signature, the size in IHDR and the pixels row by row behind filter bytes', () => {
    const data = Uint8ClampedArray.from([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 128,
    ]);
    const png = encodePng({ data, width: 2, height: 2 });
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([2, 2, 8, 6]);
    const idatLength = view.getUint32(33);
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    expect(Array.from(rows)).toEqual([0, ...data.subarray(0, 8), 0, ...data.subarray(8)]);
    expect(String.fromCharCode(...png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  });
});
