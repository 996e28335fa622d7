/**
 * What a sweep reports: each run's varied fields, its state, and its final figures read from its
 * experiment's metrics.json (the last epoch's dev loss and accuracy, the best epoch, and every
 * number of its test evaluation), as summary.json and as a CSV table.
 */
import { HELD_OUT_SPLITS } from '../experiments/config/common-config';
import { figuresOf } from '../experiments/cross-validation-summary';
import { evaluationKey } from '../experiments/evaluation-ref';
import { readMetrics } from '../experiments/experiment-metrics';
import type { SweepRunFiguresData, SweepRunSummaryData, SweepSummaryData } from '../../api/sweeps';
import { readCommonConfig } from '../experiments/experiment-records';
import type { RunState } from './sweep-folder';
import type { SweepPlan } from './sweep-plan';

export const SWEEP_SUMMARY_FORMAT = 'unfold-sweep-summary';

/** A finished run's figures, a run's line and the summary: the shapes the Sweeps section reads. */
export type RunFigures = SweepRunFiguresData;
export type SweepRunSummary = SweepRunSummaryData;

export interface SweepSummary extends SweepSummaryData {
  format: typeof SWEEP_SUMMARY_FORMAT;
}

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The metrics key of an experiment's test evaluation on its own corpus. */
export function testEvaluationKey(config: {
  data: { test: { splits: string[] }; heldOut: unknown };
}): string {
  const split =
    config.data.heldOut !== null && config.data.heldOut !== undefined
      ? HELD_OUT_SPLITS.test
      : config.data.test.splits.join('+');
  return evaluationKey({ corpus: null, split });
}

/** A run's figures from its experiment, or null while it has no training summary and test evaluation. */
export async function storedRunFigures(experimentDir: string): Promise<RunFigures | null> {
  const config = await readCommonConfig(experimentDir).catch(() => null);
  if (!config) return null;
  const metrics = await readMetrics(experimentDir);
  const test = metrics.evaluations?.[testEvaluationKey(config)];
  if (!metrics.training || !test) return null;
  const final = (metrics.training.final ?? {}) as Record<string, unknown>;
  return {
    epochs: numberOr(metrics.training.epochs),
    bestEpoch: numberOr(metrics.training.bestEpoch),
    dev: { loss: numberOr(final.devLoss), accuracy: numberOr(final.devAccuracy) },
    test: figuresOf(test),
  };
}

/** The summary of a plan's runs as they stand. */
export function summariseSweep(
  plan: SweepPlan,
  states: ReadonlyMap<string, RunState>,
  figures: ReadonlyMap<string, RunFigures>,
): SweepSummary {
  const runs = plan.runs.map((run): SweepRunSummary => {
    const state = states.get(run.experiment);
    return {
      index: run.index,
      experiment: run.experiment,
      values: run.values,
      status: state?.status ?? 'pending',
      attempts: state?.attempts ?? 0,
      ...(state?.worker ? { worker: state.worker } : {}),
      ...(state?.error ? { error: state.error } : {}),
      figures: figures.get(run.experiment) ?? null,
    };
  });
  const done = runs.filter((r) => r.status === 'done').length;
  return {
    format: SWEEP_SUMMARY_FORMAT,
    name: plan.name,
    task: plan.task,
    corpus: plan.corpus,
    fields: plan.fields,
    counts: { runs: runs.length, done, failed: runs.filter((r) => r.status === 'failed').length },
    complete: done === runs.length,
    runs,
    time: new Date().toISOString(),
  };
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The test figures every table shows: their names in order of first appearance. */
export function testFigureNames(summary: SweepSummary): string[] {
  const names: string[] = [];
  for (const run of summary.runs)
    for (const name of Object.keys(run.figures?.test ?? {}))
      if (!names.includes(name)) names.push(name);
  return names;
}

/** The summary as rows of cells: a header, then one row per run in plan order. */
export function summaryRows(summary: SweepSummary): unknown[][] {
  const tests = testFigureNames(summary);
  const header = [
    'run',
    'experiment',
    'status',
    ...summary.fields,
    'epochs',
    'bestEpoch',
    'dev.loss',
    'dev.accuracy',
    ...tests.map((name) => `test.${name}`),
  ];
  const rows = summary.runs.map((run) => [
    run.index,
    run.experiment,
    run.status,
    ...summary.fields.map((field) => run.values[field]),
    run.figures?.epochs,
    run.figures?.bestEpoch,
    run.figures?.dev.loss,
    run.figures?.dev.accuracy,
    ...tests.map((name) => run.figures?.test[name]),
  ]);
  return [header, ...rows];
}

export function summaryCsv(summary: SweepSummary): string {
  return summaryRows(summary)
    .map((row) => row.map(csvCell).join(','))
    .join('\n')
    .concat('\n');
}
