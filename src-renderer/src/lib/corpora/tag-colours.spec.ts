import { describe, expect, it } from 'vitest';
import { UPOS_TAG_NAMES } from '@api/corpus';
import { chipStyle, tagColours, tagHue } from './tag-colours';

describe('tag colours', () => {
  it('gives every UPOS tag its own hue, the same on every call', () => {
    const hues = UPOS_TAG_NAMES.map(tagHue);
    expect(new Set(hues).size).toBe(UPOS_TAG_NAMES.length);
    expect(tagHue('NOUN')).toBe(tagHue('NOUN'));
    // Hues are spread: no two tags closer than 5 degrees.
    const sorted = [...hues].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(5);
  });

  it('colours unknown tags by a hash and the empty tag in grey', () => {
    expect(tagHue('FOO')).toBe(tagHue('FOO'));
    expect(tagHue('FOO')).toBeGreaterThanOrEqual(0);
    expect(tagColours('_', false).background).toMatch(/^hsl\(220 /);
  });

  it('writes both themes into the chip style', () => {
    const style = chipStyle('VERB');
    expect(style).toContain(`--chip-bg:hsl(${tagHue('VERB')} 80% 93%)`);
    expect(style).toContain(`--chip-bg-dark:hsl(${tagHue('VERB')} 45% 22%)`);
  });
});
