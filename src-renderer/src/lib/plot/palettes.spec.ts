import { describe, expect, it } from 'vitest';
import { colourCss, COLORMAPS } from './colormap';
import {
  CATEGORY_COLOURS,
  CATEGORY_TEXT,
  contrastRatio,
  levelRangeDb,
  PALETTES,
  relativeLuminance,
  textOnCategoryColour,
} from './palettes';

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

describe('category colours', () => {
  it('has 18 distinct colours, enough for the 17 UPOS tags', () => {
    expect(CATEGORY_COLOURS.length).toBeGreaterThanOrEqual(17);
    expect(new Set(CATEGORY_COLOURS).size).toBe(CATEGORY_COLOURS.length);
  });

  it('measures WCAG luminance and contrast', () => {
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 6);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 6);
    expect(contrastRatio('#FFFFFF', '#000000')).toBeCloseTo(21, 6);
  });

  it('writes dark text on light colours and white on dark ones', () => {
    expect(textOnCategoryColour('#F7F056')).toBe(CATEGORY_TEXT.dark);
    expect(textOnCategoryColour('#1965B0')).toBe(CATEGORY_TEXT.light);
    for (const colour of CATEGORY_COLOURS)
      expect(contrastRatio(colour, textOnCategoryColour(colour))).toBeGreaterThanOrEqual(4.5);
  });
});
