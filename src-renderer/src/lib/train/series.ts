import type { CurveSeries } from './curves';
import type { TrainingHistory } from './history';

/** The loss and accuracy series of one run, in the view's colours. */
export function lossSeries(history: TrainingHistory, withBatches: boolean): CurveSeries[] {
  return [
    ...(withBatches
      ? [{ label: 'batch', colour: '#9aa7b8', points: history.batchLoss, thin: true }]
      : []),
    { label: 'train', colour: '#2d5bd0', points: history.epochLoss },
    { label: 'dev', colour: '#c2410c', points: history.devLoss },
  ];
}

export function accuracySeries(history: TrainingHistory, withBatches: boolean): CurveSeries[] {
  return [
    ...(withBatches
      ? [{ label: 'batch', colour: '#9aa7b8', points: history.batchAccuracy, thin: true }]
      : []),
    { label: 'train', colour: '#2d5bd0', points: history.epochAccuracy },
    { label: 'dev', colour: '#c2410c', points: history.devAccuracy },
  ];
}

/**
 * One loss range for several runs (train and dev per-epoch points), so compared curves share
 * their y axis; undefined when no run has a point yet.
 */
export function sharedLossRange(
  histories: readonly TrainingHistory[],
): { min: number; max: number } | undefined {
  const values = histories.flatMap((h) => [...h.epochLoss, ...h.devLoss].map((p) => p.y));
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return max > min ? { min, max } : { min: min - 0.5, max: max + 0.5 };
}
