/**
 * The Sweeps section's table: one row per run of the plan, its state as the sweep last saved it
 * with the live progress of a running run (fraction, ETA), its varied values and its final
 * figures; sorted by any column; and the best run by the headline test figure.
 */
import type { SweepData, SweepRunStatus } from '@api/sweeps';

export interface SweepTableRow {
  index: number;
  experiment: string;
  status: SweepRunStatus;
  attempts: number;
  worker: string | null;
  /** 0..1 while running, 1 when done, null otherwise. */
  fraction: number | null;
  etaSeconds: number | null;
  message: string | null;
  values: Record<string, unknown>;
  /** The headline test figure, once the run is done. */
  metric: number | null;
  devLoss: number | null;
  devAccuracy: number | null;
  error: string | null;
}

/** Whether a smaller figure is better (losses, error rates, perplexity). */
export function lowerIsBetter(figure: string): boolean {
  return /loss|error|perplexity|bits|(^|\.)(per|wer|cer)$/i.test(figure);
}

/** The test figure a sweep is judged on: accuracy when the runs have it, else their first one. */
export function headlineFigure(sweep: Pick<SweepData, 'summary'>): string | null {
  const names: string[] = [];
  for (const run of sweep.summary?.runs ?? [])
    for (const name of Object.keys(run.figures?.test ?? {}))
      if (!names.includes(name)) names.push(name);
  return (
    names.find((n) => n === 'accuracy') ??
    names.find((n) => /accuracy/i.test(n)) ??
    names[0] ??
    null
  );
}

/** Seconds left from the time a run has taken and the fraction it has done. */
export function etaSeconds(
  startedAt: string | null,
  fraction: number | null,
  now: number,
): number | null {
  if (startedAt === null || fraction === null || !(fraction > 0) || fraction >= 1) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  return Number.isFinite(elapsed) && elapsed >= 0 ? (elapsed * (1 - fraction)) / fraction : null;
}

export function sweepTableRows(sweep: SweepData, now: number): SweepTableRow[] {
  const figure = headlineFigure(sweep);
  const states = new Map(sweep.states.map((s) => [s.experiment, s]));
  const summaries = new Map((sweep.summary?.runs ?? []).map((r) => [r.experiment, r]));
  const live = new Map((sweep.active?.runs ?? []).map((r) => [r.experiment, r]));
  return sweep.runs.map((run) => {
    const state = states.get(run.experiment);
    const summary = summaries.get(run.experiment);
    const progress = live.get(run.experiment);
    // A run the sweep no longer runs here is not running, whatever its last saved state says.
    const saved = state?.status ?? summary?.status ?? 'pending';
    const status: SweepRunStatus =
      saved === 'running' && sweep.active === null ? 'cancelled' : saved;
    const fraction =
      status === 'done' ? 1 : status === 'running' ? (progress?.progress.fraction ?? 0) : null;
    const figures = summary?.figures ?? null;
    return {
      index: run.index,
      experiment: run.experiment,
      status,
      attempts: state?.attempts ?? 0,
      worker: state?.worker ?? null,
      fraction,
      etaSeconds:
        status === 'running'
          ? etaSeconds(progress?.startedAt ?? state?.startedAt ?? null, fraction, now)
          : null,
      message: status === 'running' ? (progress?.progress.message ?? null) : null,
      values: run.values,
      metric: figure !== null ? (figures?.test[figure] ?? null) : null,
      devLoss: figures?.dev.loss ?? null,
      devAccuracy: figures?.dev.accuracy ?? null,
      error: state?.error?.message ?? summary?.error?.message ?? null,
    };
  });
}

/** A column to sort by: a fixed one, or a varied field (`field:model.cell`). */
export type SweepSortKey =
  'index' | 'status' | 'metric' | 'devLoss' | 'devAccuracy' | `field:${string}`;

function sortValue(row: SweepTableRow, key: SweepSortKey): number | string | null {
  if (key.startsWith('field:')) {
    const value = row.values[key.slice('field:'.length)];
    return typeof value === 'number' ? value : value === undefined ? null : JSON.stringify(value);
  }
  return row[key as Exclude<SweepSortKey, `field:${string}`>];
}

/** Rows sorted by a column; runs without a value go last either way, ties in plan order. */
export function sortSweepRows(
  rows: readonly SweepTableRow[],
  key: SweepSortKey,
  descending: boolean,
): SweepTableRow[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
    const order =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order === 0 ? a.index - b.index : descending ? -order : order;
  });
}

/** The finished run with the best headline figure (the first such in plan order on a tie). */
export function bestRun(
  rows: readonly SweepTableRow[],
  figure: string | null,
): SweepTableRow | null {
  if (figure === null) return null;
  const lower = lowerIsBetter(figure);
  let best: SweepTableRow | null = null;
  for (const row of rows) {
    if (row.status !== 'done' || row.metric === null) continue;
    if (
      best === null ||
      (lower ? row.metric < (best.metric as number) : row.metric > (best.metric as number))
    )
      best = row;
  }
  return best;
}

/** A varied value as the table shows it. */
export function formatFieldValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return JSON.stringify(value);
}
