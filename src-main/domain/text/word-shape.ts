/**
 * The case class of a word, an input beside the word itself: lower-casing a vocabulary loses
 * "Apple" vs "apple", and unknown words keep their shape (Reimers & Gurevych 2017 use the same
 * kind of casing feature for tagging).
 */
export const CASE_CLASSES = [
  'lower', // "the", "n't"
  'upper', // "NASA", "I", "U.S."
  'title', // "John", "Paris"
  'mixed', // "iPhone", "McDonald"
  'numeric', // "1990", "3.14", "10,000", "9:30"
  'has-digit', // "5pm", "A4", "2nd"
  'other', // punctuation, symbols, emoji, scripts without case
] as const;

export type CaseClass = (typeof CASE_CLASSES)[number];

const NUMERIC = /^[+-]?\p{Nd}[\p{Nd}.,:/-]*$/u;
const DIGIT = /\p{Nd}/u;
const LETTER = /\p{L}/u;

/** The index in CASE_CLASSES of the word's case class. */
export function caseClassOf(word: string): number {
  return CASE_CLASSES.indexOf(caseClassName(word));
}

function caseClassName(word: string): CaseClass {
  if (NUMERIC.test(word)) return 'numeric';
  if (DIGIT.test(word)) return 'has-digit';
  const lower = word.toLowerCase();
  const upper = word.toUpperCase();
  if (lower === upper) return 'other';
  if (word === lower) return 'lower';
  if (word === upper) return 'upper';
  // Title: the first letter upper case, everything after it lower case ("'Tis" too).
  const firstLetter = LETTER.exec(word)!;
  const first = firstLetter[0];
  const rest = word.slice(firstLetter.index + first.length);
  if (first !== first.toLowerCase() && rest === rest.toLowerCase()) return 'title';
  return 'mixed';
}
