import { describe, expect, it } from 'vitest';
import { colourCss, COLORMAPS } from './colormap';
import { levelRangeDb, PALETTES } from './palettes';

describe('palettes', () => {
  it('gives every quantity its own colour map', () => {
    const maps = Object.values(PALETTES).map((palette) => palette.colormap);
    expect(new Set(maps).size).toBe(maps.length);
    expect(PALETTES.level.colormap).toBe(COLORMAPS.magma);
    expect(PALETTES.level.unit).toBe('dB re peak');
    expect(PALETTES.probability.colormap).toBe(COLORMAPS.viridis);
  });

  it('converts a natural-log power range to dB below its top', () => {
    const db = levelRangeDb({ min: -6, max: 10 });
    expect(db.max).toBe(0);
    // ln(power) span 16 = 16 * 10 / ln 10 dB.
    expect(db.min).toBeCloseTo(-69.49, 2);
  });

  it('writes a table entry as CSS', () => {
    expect(colourCss(COLORMAPS.magma, 0)).toBe('rgb(0, 0, 4)');
    expect(colourCss(COLORMAPS.viridis, 300)).toBe('rgb(253, 231, 37)');
  });
});
