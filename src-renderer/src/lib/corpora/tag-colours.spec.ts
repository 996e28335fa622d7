import { describe, expect, it } from 'vitest';
import { UPOS_TAG_NAMES } from '@api/corpus';
import { CATEGORY_COLOURS, contrastRatio } from '../plot/palettes';
import { chipStyle, tagColourIndex, tagColours, UNTAGGED_COLOUR } from './tag-colours';

describe('tag colours', () => {
  it('gives every UPOS tag its own palette colour, whatever the model', () => {
    const colours = UPOS_TAG_NAMES.map((tag) => tagColours(tag).background);
    expect(new Set(colours).size).toBe(UPOS_TAG_NAMES.length);
    for (const colour of colours) expect(CATEGORY_COLOURS).toContain(colour);
    expect(tagColours('NOUN', ['VERB', 'NOUN'])).toEqual(tagColours('NOUN'));
  });

  it("gives other tags the palette in the tag set's order, repeating past its end", () => {
    const brown = Array.from({ length: 20 }, (_, i) => `T${i}`);
    expect(tagColourIndex('T0', brown)).toBe(0);
    expect(tagColourIndex('T5', brown)).toBe(5);
    expect(tagColourIndex('T19', brown)).toBe(19 % CATEGORY_COLOURS.length);
    // A UPOS tag in a mixed set keeps its own colour and takes no slot from the others.
    expect(tagColourIndex('NN', ['NOUN', 'NN'])).toBe(0);
  });

  it('colours a tag outside any set by a stable hash, and no tag in grey', () => {
    expect(tagColourIndex('FOO')).toBe(tagColourIndex('FOO'));
    expect(tagColourIndex('FOO')).toBeLessThan(CATEGORY_COLOURS.length);
    expect(tagColours('_').background).toBe(UNTAGGED_COLOUR);
  });

  it('writes chip text that stays readable on every colour (WCAG AA, 4.5:1)', () => {
    for (const tag of [...UPOS_TAG_NAMES, '_']) {
      const { background, text } = tagColours(tag);
      expect(contrastRatio(background, text)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('puts the colours into the chip style', () => {
    const { background, text } = tagColours('VERB');
    expect(chipStyle('VERB')).toBe(`--chip-bg:${background};--chip-text:${text}`);
  });
});
