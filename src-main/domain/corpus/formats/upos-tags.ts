/**
 * The 17 Universal POS tags (Universal Dependencies v2), in the order UD lists them. Plain data
 * with no imports: the API's schemas and the renderer's tag chips use it too.
 */
export const UPOS_TAG_NAMES = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
] as const;
export type UposTag = (typeof UPOS_TAG_NAMES)[number];
