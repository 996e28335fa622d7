/**
 * What a cross-validation reports: each fold's figures (from its own test evaluation), their
 * mean and sample standard deviation, and the confusion matrix pooled over the folds. Plain
 * arithmetic on stored records, whatever the task.
 */
import type { ConfusionMatrix } from '../metrics/classification';
import type { HeldOutSizes } from './config-splits';

export interface FoldResult {
  /** 1-based. */
  fold: number;
  /** The fold's experiment (a name beside the cross-validation's folder). */
  experiment: string;
  /** Items of the fold's held-out parts. */
  items: HeldOutSizes | null;
  epochs: number | null;
  bestEpoch: number | null;
  /** The numbers of its test evaluation's record in metrics.json (nested ones as `outer.inner`). */
  figures: Record<string, number>;
}

export interface CrossValidationSummary {
  format: 'unfold-cross-validation-summary';
  task: string;
  corpus: string;
  folds: number;
  /** Every fold finished (else the summary of those that did, while the job runs or after a stop). */
  complete: boolean;
  results: FoldResult[];
  /** Per figure that every finished fold has: the mean over folds. */
  mean: Record<string, number>;
  /** Sample standard deviation (n - 1), null with one fold. */
  sd: Record<string, number | null>;
  /** The folds' test confusion matrices added up (every item is tested once). */
  confusion: ConfusionMatrix;
  time: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The numbers of an evaluation record, nested objects one level down as `outer.inner`. */
export function figuresOf(record: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (isRecord(value))
      for (const [inner, nested] of Object.entries(value))
        if (typeof nested === 'number' && Number.isFinite(nested)) out[`${key}.${inner}`] = nested;
  }
  return out;
}

export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The sample standard deviation (divides by n - 1), null for fewer than two values. */
export function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = meanOf(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
}

/** Confusion matrices added cell by cell, labels aligned by name (in order of first appearance). */
export function pooledConfusion(matrices: readonly ConfusionMatrix[]): ConfusionMatrix {
  const labels: string[] = [];
  for (const matrix of matrices)
    for (const label of matrix.labels) if (!labels.includes(label)) labels.push(label);
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const matrix of matrices)
    matrix.counts.forEach((row, r) =>
      row.forEach((count, p) => {
        const from = index.get(matrix.labels[r] as string) as number;
        const to = index.get(matrix.labels[p] as string) as number;
        (counts[from] as number[])[to] = ((counts[from] as number[])[to] as number) + count;
      }),
    );
  return { labels, counts };
}

/** The summary of the finished folds (sorted by fold). */
export function summariseFolds(
  finished: readonly { result: FoldResult; confusion: ConfusionMatrix }[],
  about: { task: string; corpus: string; folds: number },
): CrossValidationSummary {
  const sorted = [...finished].sort((a, b) => a.result.fold - b.result.fold);
  const results = sorted.map((f) => f.result);
  const names = Object.keys(results[0]?.figures ?? {}).filter((name) =>
    results.every((r) => name in r.figures),
  );
  const mean: Record<string, number> = {};
  const sd: Record<string, number | null> = {};
  for (const name of names) {
    const values = results.map((r) => r.figures[name] as number);
    mean[name] = meanOf(values);
    sd[name] = sampleSd(values);
  }
  return {
    format: 'unfold-cross-validation-summary',
    ...about,
    complete: results.length === about.folds,
    results,
    mean,
    sd,
    confusion: pooledConfusion(sorted.map((f) => f.confusion)),
    time: new Date().toISOString(),
  };
}
