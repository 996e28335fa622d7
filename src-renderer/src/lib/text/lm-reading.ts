/**
 * What the Text view draws of a language model reading a typed text: each unit shaded by its
 * surprisal (-log2 of its probability given the text before it) on a white-to-blue scale, with
 * the same in words for its tooltip and the legend; the next units' probabilities as bars; the
 * part of the text the model reads while a word is still being typed; and the generated units
 * as text. Pure functions: the components only draw them.
 */
import type { LmNextUnit, LmReadUnit, LmTextLevel } from '@api/lm';
import { COLORMAPS, colourIndex } from '../plot/colormap';
import type { Palette } from '../plot/palettes';
import { textOnShade } from './attribution-shades';

/** The end of sentence in the model's vocabulary. */
export const END_OF_SENTENCE = '</s>';

/** Surprisal: white is expected (0 bits, probability 1), deep blue surprising. */
export const SURPRISAL_PALETTE: Palette = {
  colormap: COLORMAPS.blues,
  unit: 'bits of surprisal',
  decimals: 1,
};

/**
 * The ends of the shading scale, in bits: the smallest of these that holds the text's largest
 * surprisal (the last holds everything above it too). A fixed few, so a shade means about the
 * same from one edit to the next.
 */
export const SURPRISAL_SCALE_ENDS = [4, 8, 12, 16, 24] as const;

/** The scale's end (bits) for these units. */
export function surprisalScale(units: readonly Pick<LmReadUnit, 'surprisal'>[]): number {
  const largest = Math.max(0, ...units.map((u) => u.surprisal));
  return SURPRISAL_SCALE_ENDS.find((end) => largest <= end) ?? SURPRISAL_SCALE_ENDS.at(-1) ?? 24;
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** The background of a surprisal on a 0..end scale, as '#rrggbb'. */
export function surprisalColour(bits: number, end: number): string {
  const entry = colourIndex(bits, 0, end) * 4;
  const map = SURPRISAL_PALETTE.colormap;
  return `#${hex(map[entry] ?? 0)}${hex(map[entry + 1] ?? 0)}${hex(map[entry + 2] ?? 0)}`;
}

/** A unit as the view writes it: the end of sentence and blanks made visible. */
export function unitFace(text: string): string {
  if (text === END_OF_SENTENCE) return '¶ end';
  if (text === ' ') return '␣';
  if (text === '\t') return '⇥';
  return text;
}

/** "1 in 12" for a probability: what a surprisal means, in words. */
export function oneIn(probability: number): string {
  if (!(probability > 0)) return 'never';
  const odds = 1 / probability;
  if (odds < 10) return `1 in ${odds.toFixed(1)}`;
  return `1 in ${Math.round(odds).toLocaleString('en')}`;
}

export interface ShadedUnit {
  /** Its place in the text: a stable key. */
  key: string;
  unit: LmReadUnit;
  face: string;
  background: string;
  style: string;
  /** "3.2". */
  bits: string;
  description: string;
}

export function shadedUnits(units: readonly LmReadUnit[], end: number): ShadedUnit[] {
  return units.map((unit, i) => {
    const background = surprisalColour(unit.surprisal, end);
    const unknown = unit.unknown ? ' Not in the vocabulary: read as the unknown unit.' : '';
    return {
      key: `${i}:${unit.text}`,
      unit,
      face: unitFace(unit.text),
      background,
      style: `--chip-bg: ${background}; --chip-text: ${textOnShade(background)}`,
      bits: unit.surprisal.toFixed(1),
      description: `${unitFace(unit.text)}: ${unit.surprisal.toFixed(1)} bits of surprisal, probability ${(unit.probability * 100).toFixed(2)}% (${oneIn(unit.probability)}) after the text before it.${unknown}`,
    };
  });
}

/** The legend's sentences: what a shade means, and how it is measured. */
export function surprisalLegend(end: number, level: LmTextLevel): string[] {
  const unit = level === 'char' ? 'character' : 'word';
  return [
    `White: the model expected the ${unit} (probability near 1, 0 bits); the deeper the blue, the more it surprised the model, up to ${end} bits (a probability of 1 in ${(2 ** end).toLocaleString('en')}) at the end of the scale.`,
    `A ${unit}'s surprisal is −log₂ of its probability given the text before it, read from the start of a sentence: each bit halves the probability.`,
  ];
}

/** The mean surprisal in bits over the units, and the perplexity it makes (2 to that power). */
export function meanSurprisal(
  units: readonly Pick<LmReadUnit, 'surprisal'>[],
): { bits: number; perplexity: number } | null {
  if (units.length === 0) return null;
  const bits = units.reduce((sum, u) => sum + u.surprisal, 0) / units.length;
  return { bits, perplexity: 2 ** bits };
}

/**
 * The part of a typed text the model reads, and the word still being typed: a word-level model
 * reads whole words only, so "the ca" is read as "the " with "ca" being typed (the next-word
 * list then shows what may come at the cursor). A character model reads everything.
 */
export function typedContext(text: string, level: LmTextLevel): { read: string; typing: string } {
  if (level === 'char') return { read: text, typing: '' };
  const match = /\S+$/.exec(text);
  if (!match) return { read: text, typing: '' };
  return { read: text.slice(0, match.index), typing: match[0] };
}

export interface NextUnitBar {
  text: string;
  face: string;
  probability: number;
  percent: string;
  /** Whether it continues the word being typed. */
  matches: boolean;
}

export function nextUnitBars(next: readonly LmNextUnit[], typing: string): NextUnitBar[] {
  const prefix = typing.toLowerCase();
  return next.map((unit) => ({
    text: unit.text,
    face: unitFace(unit.text),
    probability: unit.probability,
    percent: `${(unit.probability * 100).toFixed(1)}%`,
    matches: prefix !== '' && unit.text.toLowerCase().startsWith(prefix),
  }));
}

/**
 * A generated unit as it follows the text so far: a word after a space (none at the start of a
 * line), a character as it is, the end of sentence as a new line.
 */
export function unitContinuation(textSoFar: string, unit: string, level: LmTextLevel): string {
  if (unit === END_OF_SENTENCE) return '\n';
  if (level === 'char' || textSoFar === '' || /\s$/.test(textSoFar)) return unit;
  return ` ${unit}`;
}

/** The generated units as they follow the prompt, one string per unit. */
export function continuations(
  prompt: string,
  units: readonly string[],
  level: LmTextLevel,
): string[] {
  let text = prompt;
  return units.map((unit) => {
    const piece = unitContinuation(text, unit, level);
    text += piece;
    return piece;
  });
}
