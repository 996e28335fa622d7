/**
 * The one table of which colour map shows which quantity, and in what unit, for every view:
 * a spectrogram is the same colours in Record, Live and Evaluate, and a probability is never
 * drawn in a spectrogram's colours. Views ask for a quantity, never for a map by name.
 */
import { COLORMAPS, type Colormap } from './colormap';
import { formatTickValue } from './ticks';

export type PlotQuantity =
  'level' | 'probability' | 'proportion' | 'standardScore' | 'probabilityChange';

export interface Palette {
  colormap: Colormap;
  /** The colour bar's caption: what the colours measure, with its unit. */
  unit: string;
  /** Decimals of a single value read out in that unit (a hover read-out). */
  decimals: number;
}

export const PALETTES: Readonly<Record<PlotQuantity, Palette>> = {
  /** Spectrogram level in dB below the loudest band: dark is quiet, bright is loud. */
  level: { colormap: COLORMAPS.magma, unit: 'dB re peak', decimals: 1 },
  /** A model's probability 0..1 (posteriorgrams). */
  probability: { colormap: COLORMAPS.viridis, unit: 'probability', decimals: 2 },
  /** A share of a row or total 0..1 (confusion matrices): white is none. */
  proportion: { colormap: COLORMAPS.blues, unit: 'proportion', decimals: 2 },
  /** Values standardised to zero mean and unit variance (MFCC heatmaps): zero is white. */
  standardScore: { colormap: COLORMAPS.blueWhiteRed, unit: 'σ from mean', decimals: 2 },
  /**
   * A change of a probability in percentage points, -100..100 (a token's part in a sentence's
   * label): zero is white, for orange against, purple for.
   */
  probabilityChange: {
    colormap: COLORMAPS.orangeWhitePurple,
    unit: 'points of probability',
    decimals: 1,
  },
};

/** Decibels per natural-log unit of power: the log-mel features are ln(power), so 10 log10(e). */
export const DB_PER_NEPER_OF_POWER = 10 / Math.LN10;

/**
 * A log-mel display range as the colour bar shows it: dB relative to the top of the range
 * (0 dB at the loudest colour), e.g. a natural-log span of 16 is about -69 dB .. 0 dB.
 */
export function levelRangeDb(range: { min: number; max: number }): { min: number; max: number } {
  return { min: levelDb(range.min, range.max), max: 0 };
}

/** One log-mel value (ln power) in dB relative to `peak`, the top of its display range. */
export function levelDb(value: number, peak: number): number {
  return (value - peak) * DB_PER_NEPER_OF_POWER;
}

/** A value as a read-out shows it: the palette's decimals, a true minus sign and its unit. */
export function formatInUnit(palette: Palette, value: number): string {
  return `${formatTickValue(value, palette.decimals)} ${palette.unit}`;
}

/**
 * Colours of categories that have no order (part-of-speech tags, sentence labels): Paul Tol's
 * discrete rainbow at 18 colours (personal.sron.nl/~pault, "Colour schemes and templates").
 * The usual colour-blind-safe qualitative schemes stop short of the 17 UPOS tags (Okabe–Ito has
 * 8 colours, Tol's muted 9); this one is made with colour-blind vision in mind and its colours
 * step in lightness as well as hue, so they stay apart when the red–green axis is lost. No 17
 * colours can all be told apart by everyone, so a view never shows a category by colour alone:
 * its name is written with it.
 */
export const CATEGORY_COLOURS: readonly string[] = [
  '#D1BBD7',
  '#BA8DB4',
  '#AA6F9E',
  '#994F88',
  '#882E72',
  '#1965B0',
  '#5289C7',
  '#7BAFDE',
  '#4EB265',
  '#90C987',
  '#CAE0AB',
  '#F7F056',
  '#F6C141',
  '#F1932D',
  '#E8601C',
  '#DC050C',
  '#A5170E',
  '#72190E',
];

/** WCAG relative luminance of a '#rrggbb' colour, 0 (black) .. 1 (white). */
export function relativeLuminance(hex: string): number {
  const linear = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = linear;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two '#rrggbb' colours, 1 .. 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Text written on a category colour: near-black or white, whichever contrasts more. */
export const CATEGORY_TEXT = { dark: '#111111', light: '#FFFFFF' } as const;

export function textOnCategoryColour(background: string): string {
  return contrastRatio(background, CATEGORY_TEXT.dark) >=
    contrastRatio(background, CATEGORY_TEXT.light)
    ? CATEGORY_TEXT.dark
    : CATEGORY_TEXT.light;
}
