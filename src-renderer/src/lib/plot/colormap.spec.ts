import { describe, expect, it } from 'vitest';
import { buildColormap, colourIndex, COLORMAPS, writeColour } from './colormap';

describe('colour maps', () => {
  it('interpolates stops into 256 opaque entries, first and last exact', () => {
    const map = buildColormap([
      [0, 0, 0],
      [255, 100, 0],
    ]);
    expect(map.length).toBe(1024);
    expect(Array.from(map.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(map.subarray(1020, 1024))).toEqual([255, 100, 0, 255]);
    expect(map[128 * 4]).toBe(128);
  });

  it('makes viridis brighter as values grow', () => {
    const luminance = (i: number): number => {
      const m = COLORMAPS.viridis;
      return 0.2126 * m[i * 4]! + 0.7152 * m[i * 4 + 1]! + 0.0722 * m[i * 4 + 2]!;
    };
    for (let i = 16; i < 256; i += 16) expect(luminance(i)).toBeGreaterThan(luminance(i - 16));
  });

  it('maps values to indices, clamping and treating NaN and -Infinity as the floor', () => {
    expect(colourIndex(0, 0, 10)).toBe(0);
    expect(colourIndex(10, 0, 10)).toBe(255);
    expect(colourIndex(5, 0, 10)).toBe(127);
    expect(colourIndex(-3, 0, 10)).toBe(0);
    expect(colourIndex(99, 0, 10)).toBe(255);
    expect(colourIndex(Number.NaN, 0, 10)).toBe(0);
    expect(colourIndex(-Infinity, 0, 10)).toBe(0);
  });

  it('writes the table colour into a pixel array', () => {
    const pixels = new Uint8ClampedArray(8);
    writeColour(pixels, 4, COLORMAPS.magma, 1, 0, 1);
    expect(Array.from(pixels.subarray(4))).toEqual(Array.from(COLORMAPS.magma.subarray(1020)));
    expect(Array.from(pixels.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });
});
