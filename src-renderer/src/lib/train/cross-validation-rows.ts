/**
 * A cross-validation as the Train view's panel shows it: one row per fold (its figure once it
 * has finished, else whether the job is training it, will train it or has stopped before it),
 * and the headline figure's mean ± sample standard deviation over the finished folds. The
 * figures come from the summary the domain writes; the running fold from the job's progress.
 */

import type { CrossValidationData, HeldOutSizesData } from '@api/cross-validation';
import type { JobInfo } from '@api/jobs';
import { percentText } from './headline-figures';

/** The figures a fold's row headlines, the first its evaluations have (as the experiments table). */
const HEADLINE_FIGURES = ['accuracy', 'frameAccuracy'] as const;

export type FoldStatus = 'done' | 'training' | 'waiting' | 'not run';

export interface FoldRow {
  fold: number;
  experiment: string;
  status: FoldStatus;
  /** The headline figure of its test evaluation, once finished. */
  figure: number | null;
  items: HeldOutSizesData | null;
  epochs: number | null;
  bestEpoch: number | null;
}

/** What the panel knows of the job that runs the cross-validation. */
export interface CrossValidationJob {
  active: boolean;
  /** The fold its last progress report was about. */
  fold: number | null;
}

/** The cross-validation an experiment-cross-validate job runs (its subject), null for any other job. */
export function crossValidationOf(job: Pick<JobInfo, 'kind' | 'subject'>): string | null {
  return job.kind === 'experiment-cross-validate' && job.subject?.kind === 'experiment'
    ? job.subject.name
    : null;
}

/** The job's state as the panel reads it: whether it runs, and the fold it reported last. */
export function crossValidationJob(job: Pick<JobInfo, 'state' | 'progress'>): CrossValidationJob {
  const fold = job.progress.metrics?.fold;
  return {
    active: job.state === 'queued' || job.state === 'running',
    fold: typeof fold === 'number' ? fold : null,
  };
}

/** The name of the figure the panel headlines: accuracy, else frame accuracy; null when none. */
export function headlineFigureName(
  summary: Pick<NonNullable<CrossValidationData['summary']>, 'mean'> | null,
): string | null {
  return HEADLINE_FIGURES.find((name) => summary !== null && name in summary.mean) ?? null;
}

/** One row per fold, in fold order. `job` is null when no job of this session runs it. */
export function foldRows(cv: CrossValidationData, job: CrossValidationJob | null): FoldRow[] {
  const figureName = headlineFigureName(cv.summary);
  return cv.experiments.map((experiment, index) => {
    const fold = index + 1;
    const result = cv.summary?.results.find((r) => r.fold === fold);
    const status: FoldStatus = result
      ? 'done'
      : job?.active
        ? job.fold === fold
          ? 'training'
          : 'waiting'
        : 'not run';
    return {
      fold,
      experiment,
      status,
      figure: result && figureName !== null ? (result.figures[figureName] ?? null) : null,
      items: result?.items ?? null,
      epochs: result?.epochs ?? null,
      bestEpoch: result?.bestEpoch ?? null,
    };
  });
}

/** "76.5% ± 1.2 points (sample sd over 10 folds)"; one finished fold has no sd. */
export function meanSdText(mean: number, sd: number | null, folds: number): string {
  if (sd === null) return `${percentText(mean)} (one fold: no spread yet)`;
  return `${percentText(mean)} ± ${(sd * 100).toFixed(1)} points (sample sd over ${folds} folds)`;
}

/** The mean ± sd line of the headline figure, null before the first fold finishes. */
export function crossValidationMean(cv: CrossValidationData): string | null {
  const name = headlineFigureName(cv.summary);
  if (cv.summary === null || name === null) return null;
  const mean = cv.summary.mean[name];
  if (mean === undefined) return null;
  return meanSdText(mean, cv.summary.sd[name] ?? null, cv.summary.results.length);
}

export const FOLD_STATUS_LABELS: Record<FoldStatus, string> = {
  done: 'done',
  training: 'training…',
  waiting: 'waiting',
  'not run': 'not run',
};

/** A cross-validation on disk as the Train view lists it, to open one in the panel. */
export interface SavedCrossValidationRow {
  name: string;
  task: string;
  corpus: string;
  folds: number;
  finished: number;
  complete: boolean;
  /** The headline figure's mean ± sd, null before a fold finishes. */
  mean: string | null;
  /** Whether the panel shows it now. */
  open: boolean;
}

/** One row per cross-validation of the data folder, in the server's (name) order. */
export function savedCrossValidationRows(
  list: readonly CrossValidationData[],
  openName: string | null,
): SavedCrossValidationRow[] {
  return list.map((cv) => ({
    name: cv.name,
    task: cv.task,
    corpus: cv.corpus,
    folds: cv.folds,
    finished: cv.summary?.results.length ?? 0,
    complete: cv.summary?.complete === true,
    mean: crossValidationMean(cv),
    open: cv.name === openName,
  }));
}
