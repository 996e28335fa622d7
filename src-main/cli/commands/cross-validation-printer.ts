/**
 * How `unfold train --folds` and `unfold eval` show a cross-validation, whatever its task: a
 * table of the folds (their held-out part sizes, epochs and every figure of their test
 * evaluations), mean ± sample standard deviation, and the pooled confusion matrix.
 */
import type { CrossValidationSummary } from '../../domain/experiments/cross-validation-summary';
import { confusionLines } from './text-evaluation-printers';

/** Counts as they are, other figures to 4 decimals (accuracy 0.7712). */
const figure = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? 'n/a'
    : Number.isInteger(value)
      ? String(value)
      : value.toFixed(4);

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  '));
}

export function crossValidationLines(summary: CrossValidationSummary): string[] {
  const names = Object.keys(summary.mean);
  const header = ['fold', 'experiment', 'train', 'dev', 'test', 'epochs (best)', ...names];
  const rows = summary.results.map((r) => [
    String(r.fold),
    r.experiment,
    figure(r.items?.train),
    figure(r.items?.dev),
    figure(r.items?.test),
    r.bestEpoch === null ? figure(r.epochs) : `${figure(r.epochs)} (${r.bestEpoch})`,
    ...names.map((name) => figure(r.figures[name])),
  ]);
  const lines = [
    `${summary.task} on ${summary.corpus}: ${summary.results.length} of ${summary.folds} folds finished`,
    ...table([header, ...rows]),
    `mean ± sd over ${summary.results.length} folds:`,
    ...names.map(
      (name) => `  ${name} ${figure(summary.mean[name])} ± ${figure(summary.sd[name] ?? null)}`,
    ),
  ];
  if (summary.confusion.labels.length > 0)
    lines.push(
      'confusion pooled over the folds (reference rows):',
      ...confusionLines(summary.confusion),
    );
  return lines;
}
