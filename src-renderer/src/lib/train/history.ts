/**
 * The points of a training run, gathered from job progress (live) or log.jsonl (finished
 * runs). The training engine reports per batch (with a `batch` number) and at each epoch's
 * end (without one, with dev figures).
 */

import type { ExperimentLogEntry } from '@api/experiments';
import type { CurvePoint } from '../plot/line-chart';

export interface TrainingHistory {
  batchLoss: CurvePoint[];
  batchAccuracy: CurvePoint[];
  epochLoss: CurvePoint[];
  epochAccuracy: CurvePoint[];
  devLoss: CurvePoint[];
  devAccuracy: CurvePoint[];
  /** The optimiser's learning rate, from batch reports (live) and epoch records. */
  learningRate: CurvePoint[];
}

export function emptyHistory(): TrainingHistory {
  return {
    batchLoss: [],
    batchAccuracy: [],
    epochLoss: [],
    epochAccuracy: [],
    devLoss: [],
    devAccuracy: [],
    learningRate: [],
  };
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Adds one progress report's metrics; returns the same history when nothing new came (so a
 * repeated event does not redraw). Batch points sit at epoch - 1 + batch / batches when the
 * batch count is known, else at the epoch. A batch walked in truncated-BPTT windows (a language
 * model's epoch is one batch) reports after each window too (`window` of `windows`): its points
 * sit within the batch's share of the epoch, the batch count then 1 when the message names none.
 */
export function addMetrics(
  history: TrainingHistory,
  metrics: Readonly<Record<string, unknown>>,
  batchesPerEpoch: number | null = null,
): TrainingHistory {
  const epoch = numberOf(metrics.epoch);
  if (epoch === null) return history;
  const loss = numberOf(metrics.loss);
  const accuracy = numberOf(metrics.accuracy);
  const batch = numberOf(metrics.batch);
  const learningRate = numberOf(metrics.learningRate);
  const withRate = (x: number): CurvePoint[] =>
    learningRate === null || history.learningRate[history.learningRate.length - 1]?.x === x
      ? history.learningRate
      : [...history.learningRate, { x, y: learningRate }];
  const window = numberOf(metrics.window);
  const windows = numberOf(metrics.windows);
  if (batch !== null) {
    const x =
      window !== null && windows
        ? epoch - 1 + (batch - 1 + window / windows) / (batchesPerEpoch ?? 1)
        : batchesPerEpoch
          ? epoch - 1 + batch / batchesPerEpoch
          : epoch;
    const last = history.batchLoss[history.batchLoss.length - 1];
    if (last && last.x === x) return history;
    return {
      ...history,
      batchLoss: loss === null ? history.batchLoss : [...history.batchLoss, { x, y: loss }],
      batchAccuracy:
        accuracy === null ? history.batchAccuracy : [...history.batchAccuracy, { x, y: accuracy }],
      learningRate: withRate(x),
    };
  }
  if (history.epochLoss.some((p) => p.x === epoch)) return history;
  const devLoss = numberOf(metrics.devLoss);
  const devAccuracy = numberOf(metrics.devAccuracy);
  const add = (points: CurvePoint[], y: number | null): CurvePoint[] =>
    y === null ? points : [...points, { x: epoch, y }];
  return {
    ...history,
    epochLoss: add(history.epochLoss, loss),
    epochAccuracy: add(history.epochAccuracy, accuracy),
    devLoss: add(history.devLoss, devLoss),
    devAccuracy: add(history.devAccuracy, devAccuracy),
    learningRate: withRate(epoch),
  };
}

/** A finished (or stopped) run's epochs from its log.jsonl. */
export function historyFromLog(log: readonly ExperimentLogEntry[]): TrainingHistory {
  let history = emptyHistory();
  for (const entry of log) {
    if (entry.type === 'epoch') history = addMetrics(history, { ...entry, batch: undefined });
  }
  return history;
}

/** The batch count per epoch from a progress message such as "epoch 1/3, batch 2/5". */
export function batchesFromMessage(message: string | undefined): number | null {
  const match = /batch \d+\/(\d+)/.exec(message ?? '');
  return match ? Number(match[1]) : null;
}
