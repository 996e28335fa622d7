/**
 * A confusion matrix of any task (words, phones, later tags or sentence classes) as the views
 * show it: rows normalised or raw counts, a regular grid of cells coloured by the plot kit's
 * proportion palette, and per-class precision, recall and F1. What a cell's items are is the
 * caller's business: the matrix only knows labels and counts.
 */

import { colourCss, colourIndex } from '../plot/colormap';
import { PALETTES } from '../plot/palettes';

/** counts[reference][predicted] over `labels`, in both directions. */
export interface ConfusionCounts {
  labels: readonly string[];
  counts: readonly (readonly number[])[];
}

/** Each row divided by its sum (a row of zeros stays zeros): recall on the diagonal. */
export function normaliseRows(counts: readonly (readonly number[])[]): number[][] {
  return counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** The largest cell: the top of the colour scale for raw counts. */
export function maxCell(values: readonly (readonly number[])[]): number {
  let max = 0;
  for (const row of values) for (const v of row) if (v > max) max = v;
  return max;
}

/** The palette of confusion matrices (white for none), from the plot kit. */
export const CONFUSION_PALETTE = PALETTES.proportion;

/** The CSS colour of a value in 0..1 (clamped; NaN is 0). */
export function cellColour(fraction: number): string {
  const t = Number.isFinite(fraction) ? fraction : 0;
  return colourCss(CONFUSION_PALETTE.colormap, colourIndex(t, 0, 1));
}

/** Text on a cell stays readable: white on the dark half of the scale. */
export function textColourFor(fraction: number): string {
  return fraction > 0.5 ? '#fff' : '#111';
}

export interface ConfusionCell {
  row: number;
  column: number;
  reference: string;
  predicted: string;
  count: number;
  /** What the cell shows: the row share (normalised) or the count. */
  value: number;
  /** value on the colour scale, 0..1. */
  fraction: number;
  /** Top-left corner in CSS pixels, inside the cell area (headers excluded). */
  x: number;
  y: number;
}

export interface ConfusionGrid {
  cells: ConfusionCell[];
  /** Side of every cell in CSS pixels: all cells are the same size. */
  cellSize: number;
  /** Size of the cell area. */
  width: number;
  height: number;
  /** The value at the top of the colour scale (1 for shares, the largest count otherwise). */
  scaleMax: number;
  /** What the colours measure, for the legend. */
  unit: string;
}

/** Cells shrink as classes grow, so a 40-phone matrix fits beside its item list. */
export function cellSizeFor(classes: number, maxSide = 560, largest = 44, smallest = 14): number {
  if (classes <= 0) return largest;
  return Math.max(smallest, Math.min(largest, Math.floor(maxSide / classes)));
}

/** The matrix as a regular grid: one square cell per (reference, predicted) pair. */
export function confusionGrid(
  matrix: ConfusionCounts,
  options: { normalised: boolean; cellSize?: number },
): ConfusionGrid {
  const n = matrix.labels.length;
  const cellSize = options.cellSize ?? cellSizeFor(n);
  const values = options.normalised ? normaliseRows(matrix.counts) : matrix.counts;
  const scaleMax = options.normalised ? 1 : Math.max(1, maxCell(matrix.counts));
  const cells: ConfusionCell[] = [];
  matrix.labels.forEach((reference, row) =>
    matrix.labels.forEach((predicted, column) => {
      const value = values[row]?.[column] ?? 0;
      cells.push({
        row,
        column,
        reference,
        predicted,
        count: matrix.counts[row]?.[column] ?? 0,
        value,
        fraction: value / scaleMax,
        x: column * cellSize,
        y: row * cellSize,
      });
    }),
  );
  return {
    cells,
    cellSize,
    width: n * cellSize,
    height: n * cellSize,
    scaleMax,
    unit: options.normalised ? 'share of the row' : 'count',
  };
}

/** The text in a cell: a percentage of the row, or the count; nothing when the cell is small. */
export function cellText(cell: ConfusionCell, normalised: boolean, cellSize: number): string {
  if (cellSize < 26) return '';
  return normalised ? `${Math.round(cell.value * 100)}` : String(cell.count);
}

export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall and F1 from the counts (0 where undefined). */
export function classScores(confusion: ConfusionCounts): ClassScore[] {
  const { labels, counts } = confusion;
  return labels.map((label, i) => {
    const row = counts[i] ?? [];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((sum, r) => sum + (r[i] ?? 0), 0);
    const hits = row[i] ?? 0;
    const precision = predicted > 0 ? hits / predicted : 0;
    const recall = support > 0 ? hits / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}

/** Overall accuracy: the diagonal over the total. */
export function confusionAccuracy(counts: readonly (readonly number[])[]): number {
  let total = 0;
  let hits = 0;
  counts.forEach((row, i) =>
    row.forEach((v, j) => {
      total += v;
      if (i === j) hits += v;
    }),
  );
  return total > 0 ? hits / total : 0;
}
