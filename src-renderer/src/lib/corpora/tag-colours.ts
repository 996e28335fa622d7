import { UPOS_TAG_NAMES, type UposTag } from '@api/corpus';
import { CATEGORY_COLOURS, textOnCategoryColour } from '../plot/palettes';

/**
 * The colour of a tag chip, from the plot kit's category palette (the one declaration of
 * category colours). A chip always writes its tag too: colour is never the only carrier.
 */

/**
 * Each of the 17 UPOS tags owns a palette colour, the same in every view and model. Tags that
 * often stand side by side (DET NOUN, ADJ NOUN, AUX VERB, PRON VERB, ADP DET) get colours of
 * different hue families and lightness; PROPN shares NOUN's blue family in a lighter shade.
 */
const UPOS_COLOUR_INDEX: Readonly<Record<UposTag, number>> = {
  NOUN: 5,
  PROPN: 7,
  VERB: 15,
  AUX: 1,
  ADJ: 8,
  ADV: 12,
  DET: 11,
  ADP: 3,
  PRON: 13,
  CCONJ: 10,
  SCONJ: 4,
  NUM: 14,
  PART: 2,
  PUNCT: 0,
  INTJ: 17,
  SYM: 16,
  X: 9,
};

/** The grey of "no tag" ('_' or empty), outside the palette. */
export const UNTAGGED_COLOUR = '#DDDDDD';

function isUpos(tag: string): tag is UposTag {
  return (UPOS_TAG_NAMES as readonly string[]).includes(tag);
}

function hashIndex(tag: string): number {
  let hash = 2166136261;
  for (let i = 0; i < tag.length; i++) hash = Math.imul(hash ^ tag.charCodeAt(i), 16777619);
  return (hash >>> 0) % CATEGORY_COLOURS.length;
}

/**
 * A tag's palette index: UPOS tags their own; another tag (XPOS, Brown, a sentence label) its
 * place among the non-UPOS tags of `tagSet` when given (so a model's tags take the palette in
 * order, repeating past 18), else a hash of its name.
 */
export function tagColourIndex(tag: string, tagSet: readonly string[] = []): number {
  if (isUpos(tag)) return UPOS_COLOUR_INDEX[tag];
  const others = tagSet.filter((t) => !isUpos(t));
  const at = others.indexOf(tag);
  return at >= 0 ? at % CATEGORY_COLOURS.length : hashIndex(tag);
}

export interface ChipColours {
  background: string;
  text: string;
}

export function tagColours(tag: string, tagSet: readonly string[] = []): ChipColours {
  const background =
    tag === '_' || tag === ''
      ? UNTAGGED_COLOUR
      : (CATEGORY_COLOURS[tagColourIndex(tag, tagSet)] ?? UNTAGGED_COLOUR);
  return { background, text: textOnCategoryColour(background) };
}

/** CSS custom properties for a chip (its style attribute); the same in light and dark themes. */
export function chipStyle(tag: string, tagSet: readonly string[] = []): string {
  const { background, text } = tagColours(tag, tagSet);
  return `--chip-bg:${background};--chip-text:${text}`;
}
