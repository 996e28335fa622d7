/**
 * The words of a heatmap's hover read-out: what the row under the pointer is (a frequency, a
 * coefficient, a phone) and its value in the unit its colour bar names. Each kind of heatmap
 * has one source here, used by every view that shows it.
 */
import type { ValueRange } from './heatmap';
import {
  heatmapCellAt,
  type HeatmapCell,
  type HeatmapLayout,
  type HeatmapValues,
} from './heatmap-hover';
import { melBandCentreHz } from './mel-scale';
import { formatInUnit, levelDb, PALETTES } from './palettes';

export interface HeatmapReadoutSource {
  values: HeatmapValues;
  layout: HeatmapLayout;
  /** What a matrix row is: its frequency, coefficient or phone. */
  rowLabel: (row: number) => string;
  /** A value as the colour bar names it, with its unit. */
  valueText: (value: number) => string;
}

export interface HeatmapReadout extends HeatmapCell {
  rowLabel: string;
  valueText: string;
}

/** The read-out at (x, y) CSS pixels from the heatmap's top left corner, or null off its frames. */
export function heatmapReadoutAt(
  source: HeatmapReadoutSource,
  x: number,
  y: number,
): HeatmapReadout | null {
  const cell = heatmapCellAt(source.values, source.layout, x, y);
  if (!cell) return null;
  return { ...cell, rowLabel: source.rowLabel(cell.row), valueText: source.valueText(cell.value) };
}

/** The band range of a log-mel spectrogram, as AudioAnalysis gives it. */
export interface MelBands {
  lowHz: number;
  highHz: number;
}

/**
 * A log-mel spectrogram (ln power, low bands first): a row is its band's centre frequency, a
 * value is dB below the top of the display `range` (the colour bar's 0 dB).
 */
export function spectrogramReadout(
  matrix: HeatmapValues,
  layout: HeatmapLayout,
  bands: MelBands,
  range: ValueRange,
): HeatmapReadoutSource {
  return {
    values: matrix,
    layout,
    rowLabel: (row) =>
      `${Math.round(melBandCentreHz(row, matrix.dims, bands.lowHz, bands.highHz))} Hz`,
    valueText: (value) => formatInUnit(PALETTES.level, levelDb(value, range.max)),
  };
}

/** Standardised MFCCs (standardiseColumns): a row is its coefficient c0, c1, ... */
export function mfccReadout(matrix: HeatmapValues, layout: HeatmapLayout): HeatmapReadoutSource {
  return {
    values: matrix,
    layout,
    rowLabel: (row) => `c${row}`,
    valueText: (value) => formatInUnit(PALETTES.standardScore, value),
  };
}

/** A posteriorgram: a row is the model's output phone, a value its probability. */
export function posteriorReadout(
  matrix: HeatmapValues,
  layout: HeatmapLayout,
  phones: readonly string[],
): HeatmapReadoutSource {
  return {
    values: matrix,
    layout,
    rowLabel: (row) => phones[row] ?? String(row),
    valueText: (value) => formatInUnit(PALETTES.probability, value),
  };
}
