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
