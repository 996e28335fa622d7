/**
 * The confusion matrix as the Evaluate view shows it: rows normalised (or not), a colour per
 * cell, per-class precision/recall/F1, and the utterances behind a cell.
 */

import type { ConfusionMatrixData, EvaluationPrediction } from '@api/experiments';

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

/**
 * A colour for a value in 0..1: white through blue, so empty cells stay quiet and the
 * diagonal stands out. Returns `rgb(r, g, b)`. Values outside 0..1 are clamped.
 */
export function heatColour(fraction: number): string {
  const t = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const mix = (from: number, to: number): number => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 8)}, ${mix(255, 48)}, ${mix(255, 107)})`;
}

/** Text on a cell stays readable: white on the dark half of the scale. */
export function textColourFor(fraction: number): string {
  return fraction > 0.5 ? '#fff' : '#111';
}

export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall and F1 from the counts (0 where undefined). */
export function classScores(confusion: ConfusionMatrixData): ClassScore[] {
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

/**
 * The utterances behind a cell: word predictions whose reference and prediction are the
 * cell's labels. Phone predictions are frame-level confusions, so a phone cell lists the
 * utterances whose reference contains the row phone and whose decoding contains the column one.
 */
export function utterancesForCell(
  predictions: readonly EvaluationPrediction[],
  reference: string,
  predicted: string,
): EvaluationPrediction[] {
  return predictions.filter((p) => {
    if (typeof p.reference === 'string')
      return p.reference === reference && p.predicted === predicted;
    return p.reference.includes(reference) && (p.decoded ?? []).includes(predicted);
  });
}
