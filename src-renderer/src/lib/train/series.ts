import {
  BATCH_COLOUR,
  LEARNING_RATE_COLOUR,
  seriesColour,
  type ChartLine,
  type CurvePoint,
} from '../plot/line-chart';
import type { LossFigure } from '../tasks/task-view';
import type { TrainingHistory } from './history';
import { LOSS_FIGURE_SPECS } from './loss-figures';

/** A run's name and points, for charts that overlay several runs. */
export interface NamedHistory {
  name: string;
  history: TrainingHistory;
}

/** Dev curves are dashed, the learning rate dotted: the same in every training chart. */
const DEV_DASH = [6, 4];
const RATE_DASH = [2, 3];

/** One run's loss chart: batch points, train and dev per epoch, the learning rate on its axis. */
export function lossLines(history: TrainingHistory, withBatches: boolean): ChartLine[] {
  return [
    ...(withBatches
      ? [{ label: 'batch', colour: BATCH_COLOUR, points: history.batchLoss, thin: true }]
      : []),
    { label: 'train', colour: seriesColour(0), points: history.epochLoss, markers: true },
    {
      label: 'dev',
      colour: seriesColour(1),
      points: history.devLoss,
      dash: DEV_DASH,
      markers: true,
    },
    {
      label: 'learning rate',
      colour: LEARNING_RATE_COLOUR,
      points: history.learningRate,
      scale: 'lr',
      dash: RATE_DASH,
      thin: true,
    },
  ];
}

export function accuracyLines(history: TrainingHistory, withBatches: boolean): ChartLine[] {
  return [
    ...(withBatches
      ? [{ label: 'batch', colour: BATCH_COLOUR, points: history.batchAccuracy, thin: true }]
      : []),
    { label: 'train', colour: seriesColour(0), points: history.epochAccuracy, markers: true },
    {
      label: 'dev',
      colour: seriesColour(1),
      points: history.devAccuracy,
      dash: DEV_DASH,
      markers: true,
    },
  ];
}

/**
 * Several runs' loss on one chart (TensorBoard-style): each run its own colour, train solid, dev
 * dashed, the learning rate dotted on its own axis; the legend names the run. Lines a run has no
 * points for (no dev set, a log from before learning rates were logged) are left out.
 */
export function comparedLossLines(runs: readonly NamedHistory[]): ChartLine[] {
  return runs.flatMap(({ name, history }, i): ChartLine[] => {
    const colour = seriesColour(i);
    return [
      { label: `${name} train`, colour, points: history.epochLoss, markers: true },
      { label: `${name} dev`, colour, points: history.devLoss, dash: DEV_DASH, markers: true },
      {
        label: `${name} learning rate`,
        colour,
        points: history.learningRate,
        scale: 'lr' as const,
        dash: RATE_DASH,
        thin: true,
      },
    ].filter((line) => line.points.length > 0);
  });
}

export function comparedAccuracyLines(runs: readonly NamedHistory[]): ChartLine[] {
  return runs.flatMap(({ name, history }, i): ChartLine[] => {
    const colour = seriesColour(i);
    return [
      { label: `${name} train`, colour, points: history.epochAccuracy, markers: true },
      {
        label: `${name} dev`,
        colour,
        points: history.devAccuracy,
        dash: DEV_DASH,
        markers: true,
      },
    ].filter((line) => line.points.length > 0);
  });
}

/** The x extent every chart of these runs shows: from 0 to the longest run (or the plan). */
export function epochExtent(
  histories: readonly TrainingHistory[],
  plannedEpochs = 1,
): { min: number; max: number } {
  const last = histories.map((h) => h.epochLoss[h.epochLoss.length - 1]?.x ?? 0);
  return { min: 0, max: Math.max(1, plannedEpochs, ...last) };
}

const figureOf = (points: readonly CurvePoint[], figure: LossFigure): CurvePoint[] =>
  points.map((p) => ({ x: p.x, y: LOSS_FIGURE_SPECS[figure].ofLoss(p.y) }));

/**
 * One run's chart of a figure of the loss (a language model's perplexity or bits per
 * character): the batch (or truncated-BPTT window) points, train and dev per epoch.
 */
export function lossFigureLines(
  history: TrainingHistory,
  figure: LossFigure,
  withBatches: boolean,
): ChartLine[] {
  return [
    ...(withBatches
      ? [
          {
            label: 'batch',
            colour: BATCH_COLOUR,
            points: figureOf(history.batchLoss, figure),
            thin: true,
          },
        ]
      : []),
    {
      label: 'train',
      colour: seriesColour(0),
      points: figureOf(history.epochLoss, figure),
      markers: true,
    },
    {
      label: 'dev',
      colour: seriesColour(1),
      points: figureOf(history.devLoss, figure),
      dash: DEV_DASH,
      markers: true,
    },
  ];
}

/** Several runs' figure of the loss on one chart, as comparedAccuracyLines draws accuracy. */
export function comparedLossFigureLines(
  runs: readonly NamedHistory[],
  figure: LossFigure,
): ChartLine[] {
  return runs.flatMap(({ name, history }, i): ChartLine[] => {
    const colour = seriesColour(i);
    return [
      {
        label: `${name} train`,
        colour,
        points: figureOf(history.epochLoss, figure),
        markers: true,
      },
      {
        label: `${name} dev`,
        colour,
        points: figureOf(history.devLoss, figure),
        dash: DEV_DASH,
        markers: true,
      },
    ].filter((line) => line.points.length > 0);
  });
}
