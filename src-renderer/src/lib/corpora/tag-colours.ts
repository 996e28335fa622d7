import { UPOS_TAG_NAMES } from '@api/corpus';

/**
 * A stable colour per Universal POS tag: each of the 17 tags owns a hue spaced around the
 * colour wheel (so neighbours in the list differ), and any other tag gets a hue from a hash
 * of its name. Lightness follows the theme so chips stay readable in light and dark.
 */
const GOLDEN_ANGLE = 137.508;

export function tagHue(tag: string): number {
  const index = (UPOS_TAG_NAMES as readonly string[]).indexOf(tag);
  if (index >= 0) return Math.round((index * GOLDEN_ANGLE) % 360);
  let hash = 2166136261;
  for (let i = 0; i < tag.length; i++) hash = Math.imul(hash ^ tag.charCodeAt(i), 16777619);
  return (hash >>> 0) % 360;
}

export interface ChipColours {
  background: string;
  border: string;
  text: string;
}

export function tagColours(tag: string, dark: boolean): ChipColours {
  if (tag === '_' || tag === '') {
    return dark
      ? { background: 'hsl(220 8% 22%)', border: 'hsl(220 8% 40%)', text: 'hsl(220 10% 85%)' }
      : { background: 'hsl(220 10% 93%)', border: 'hsl(220 8% 70%)', text: 'hsl(220 15% 25%)' };
  }
  const hue = tagHue(tag);
  return dark
    ? {
        background: `hsl(${hue} 45% 22%)`,
        border: `hsl(${hue} 55% 50%)`,
        text: `hsl(${hue} 70% 85%)`,
      }
    : {
        background: `hsl(${hue} 80% 93%)`,
        border: `hsl(${hue} 50% 60%)`,
        text: `hsl(${hue} 60% 22%)`,
      };
}

/** CSS custom properties for a chip, so one `style` attribute carries both themes. */
export function chipStyle(tag: string): string {
  const light = tagColours(tag, false);
  const dark = tagColours(tag, true);
  return [
    `--chip-bg:${light.background}`,
    `--chip-border:${light.border}`,
    `--chip-text:${light.text}`,
    `--chip-bg-dark:${dark.background}`,
    `--chip-border-dark:${dark.border}`,
    `--chip-text-dark:${dark.text}`,
  ].join(';');
}
