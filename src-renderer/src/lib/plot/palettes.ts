/**
 * The one table of which colour map shows which quantity, and in what unit, for every view:
 * a spectrogram is the same colours in Record, Live and Evaluate, and a probability is never
 * drawn in a spectrogram's colours. Views ask for a quantity, never for a map by name.
 */
import { COLORMAPS, type Colormap } from './colormap';
import { formatTickValue } from './ticks';

export type PlotQuantity = 'level' | 'probability' | 'proportion' | 'standardScore';

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
