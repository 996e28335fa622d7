import { UnfoldError } from '../errors';

/** Counts[reference][predicted] over `labels.length` classes; rows are the truth. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many reference items have this label. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  total: number;
  correct: number;
  perClass: ClassScores[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
}

function checkLengths(reference: readonly unknown[], predicted: readonly unknown[]): void {
  if (reference.length !== predicted.length) {
    throw new UnfoldError(
      'METRIC_LENGTH_MISMATCH',
      `There are ${reference.length} references but ${predicted.length} predictions.`,
    );
  }
}

/** Fraction of positions where prediction equals reference; 0 for no items. */
export function accuracy<T>(reference: readonly T[], predicted: readonly T[]): number {
  checkLengths(reference, predicted);
  if (reference.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < reference.length; i++) if (reference[i] === predicted[i]) correct++;
  return correct / reference.length;
}

/**
 * Confusion matrix over the given label order. A label outside `labels` (a prediction of
 * "not sure", say) is appended as an extra class, so no item is silently dropped.
 */
export function confusionMatrix(
  reference: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): ConfusionMatrix {
  checkLengths(reference, predicted);
  const order = [...labels];
  const index = new Map(order.map((l, i) => [l, i]));
  const indexOf = (label: string): number => {
    let i = index.get(label);
    if (i === undefined) {
      i = order.length;
      order.push(label);
      index.set(label, i);
    }
    return i;
  };
  const pairs = reference.map((r, i) => [indexOf(r), indexOf(predicted[i] as string)] as const);
  const counts = order.map(() => new Array<number>(order.length).fill(0));
  for (const [r, p] of pairs) (counts[r] as number[])[p] = ((counts[r] as number[])[p] ?? 0) + 1;
  return { labels: order, counts };
}

/** Each row divided by its sum (the recall view: where each true class went); empty rows stay 0. */
export function normaliseRows(matrix: ConfusionMatrix): number[][] {
  return matrix.counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (sum > 0 ? c / sum : 0));
  });
}

/**
 * Per-class precision, recall and F1 from a confusion matrix, plus unweighted (macro) means
 * over the classes that occur in the reference or the predictions. Undefined ratios (0/0)
 * count as 0, as scikit-learn's `zero_division=0` does.
 */
export function classificationReport(matrix: ConfusionMatrix): ClassificationReport {
  const n = matrix.labels.length;
  let total = 0;
  let correct = 0;
  const perClass: ClassScores[] = [];
  const present: ClassScores[] = [];
  for (let k = 0; k < n; k++) {
    const row = matrix.counts[k] as number[];
    const tp = row[k] as number;
    const support = row.reduce((a, b) => a + b, 0);
    let predictedK = 0;
    for (let r = 0; r < n; r++) predictedK += (matrix.counts[r] as number[])[k] as number;
    const precision = predictedK > 0 ? tp / predictedK : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const scores = { label: matrix.labels[k] as string, precision, recall, f1, support };
    perClass.push(scores);
    if (support > 0 || predictedK > 0) present.push(scores);
    total += support;
    correct += tp;
  }
  const mean = (values: number[]): number =>
    values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  return {
    accuracy: total > 0 ? correct / total : 0,
    total,
    correct,
    perClass,
    macroPrecision: mean(present.map((s) => s.precision)),
    macroRecall: mean(present.map((s) => s.recall)),
    macroF1: mean(present.map((s) => s.f1)),
  };
}

export interface GroupAccuracy {
  group: string;
  correct: number;
  total: number;
  accuracy: number;
}

/** Accuracy per group (speaker), groups sorted by name. */
export function accuracyByGroup<T>(
  reference: readonly T[],
  predicted: readonly T[],
  groups: readonly string[],
): GroupAccuracy[] {
  checkLengths(reference, predicted);
  checkLengths(reference, groups);
  const tally = new Map<string, { correct: number; total: number }>();
  reference.forEach((r, i) => {
    const g = groups[i] as string;
    const t = tally.get(g) ?? { correct: 0, total: 0 };
    t.total += 1;
    if (r === predicted[i]) t.correct += 1;
    tally.set(g, t);
  });
  return [...tally.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, t]) => ({ group, ...t, accuracy: t.correct / t.total }));
}
