/**
 * What the Train view reads about a cross-validation (`experiments:cross-validation`): its plan
 * (task, corpus, folds and the folds' experiments) and the summary of the folds finished so far.
 * The shapes mirror the domain's (experiments/cross-validation*.ts) structurally.
 */
import type { ConfusionMatrixData } from './experiments';

/** Items of a fold's held-out parts. */
export interface HeldOutSizesData {
  train: number;
  dev: number;
  test: number;
}

/** One finished fold. */
export interface FoldResultData {
  /** 1-based. */
  fold: number;
  /** The fold's experiment, listed with the others. */
  experiment: string;
  items: HeldOutSizesData | null;
  epochs: number | null;
  bestEpoch: number | null;
  /** The numbers of its test evaluation (nested ones as `outer.inner`), e.g. accuracy. */
  figures: Record<string, number>;
}

export interface CrossValidationSummaryData {
  task: string;
  corpus: string;
  folds: number;
  /** Every fold finished. */
  complete: boolean;
  results: FoldResultData[];
  /** Per figure every finished fold has: the mean over folds. */
  mean: Record<string, number>;
  /** Sample standard deviation (n - 1), null with one fold. */
  sd: Record<string, number | null>;
  /** The folds' test confusion matrices added up. */
  confusion: ConfusionMatrixData;
  /** ISO time the summary was written. */
  time: string;
}

export interface CrossValidationData {
  name: string;
  task: string;
  corpus: string;
  folds: number;
  /** The folds' experiments, in fold order. */
  experiments: string[];
  /** Null until the first fold finishes. */
  summary: CrossValidationSummaryData | null;
}
