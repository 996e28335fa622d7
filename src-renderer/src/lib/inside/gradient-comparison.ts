/**
 * The gradient through time of a model beside its Elman, LSTM and GRU siblings (cellComparison):
 * where each sibling stands (trained, training, to train), the jobs that train the missing ones,
 * and the chart's lines. Pure: GradientPanel.svelte fetches and shows.
 */
import {
  COMPARISON_CELL_NAMES,
  type CellSibling,
  type ComparisonCell,
} from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';
import type { InsideLayer } from '@api/inside';
import type { JobInfo, JobSpecInput } from '@api/jobs';
import { isTrained } from '../live/experiment-choice';
import { seriesColour, type ChartLine } from '../plot/line-chart';
import { layerSequence } from './trace-sequences';

/**
 * trained: its model can be looked inside; training: a train job for it is queued or running;
 * unfinished: its folder exists without a finished model (the Train view resumes or redoes it,
 * a new job would be refused); missing: nothing yet, the button trains it.
 */
export type SiblingState = 'trained' | 'training' | 'unfinished' | 'missing';

export const SIBLING_STATE_TEXT: Readonly<Record<SiblingState, string>> = {
  trained: 'trained',
  training: 'training…',
  unfinished: 'exists without a finished model (resume it in Train)',
  missing: 'not trained yet',
};

function isActiveTrainJobOf(job: JobInfo, name: string): boolean {
  return (
    job.kind === 'experiment-train' &&
    (job.state === 'queued' || job.state === 'running') &&
    job.subject?.kind === 'experiment' &&
    job.subject.name === name
  );
}

export function siblingState(
  name: string,
  experiments: readonly ExperimentListItem[],
  jobs: readonly JobInfo[],
): SiblingState {
  if (jobs.some((job) => isActiveTrainJobOf(job, name))) return 'training';
  const experiment = experiments.find((e) => e.name === name);
  if (!experiment) return 'missing';
  return isTrained(experiment) ? 'trained' : 'unfinished';
}

/** The ordinary train job of a sibling, as the Train view starts one. */
export function siblingTrainJob(sibling: CellSibling): JobSpecInput {
  return { kind: 'experiment-train', params: { config: sibling.config, resume: false } };
}

/** One model's gradient norms in the chart: the model at hand or a sibling. */
export interface GradientModel {
  /** The legend's name: the cell, then the experiment. */
  label: string;
  layers: readonly InsideLayer[];
  /**
   * An encoder-decoder's: the step at which its target's layers start on the chart's one time
   * line (its source's steps, which come first); absent: 0.
   */
  targetOffset?: number;
}

/** The chart's offset of an encoder-decoder's target steps: its source's steps; 0 for other traces. */
export function targetOffsetOf(trace: { steps: number; target?: unknown }): number {
  return trace.target ? trace.steps : 0;
}

/** "LSTM · tiny" for a comparison cell; the cells themselves ("peephole · x") otherwise. */
export function modelLabel(
  experiment: string,
  cell: ComparisonCell | null,
  layers: readonly InsideLayer[],
): string {
  const cells = cell
    ? COMPARISON_CELL_NAMES[cell].label
    : [...new Set(layers.map((l) => l.cell))].join('+');
  return `${cells} · ${experiment}`;
}

/** Dashes that tell the layer directions of one model apart when models are overlaid. */
const LAYER_DASHES: readonly (number[] | undefined)[] = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];

/** A layer's norms against the chart's steps: an encoder-decoder's decoder after its encoder. */
function pointsOf(layer: InsideLayer, model: GradientModel): { x: number; y: number }[] {
  const offset = layerSequence(layer) === 'target' ? (model.targetOffset ?? 0) : 0;
  return Array.from(layer.gradNorm, (y, x) => ({ x: offset + x, y }));
}

/**
 * Alone, one line per layer direction in the series colours. With siblings, one colour per model
 * (the legend names its cell) and one dash per layer direction, so the cells compare at a glance.
 */
export function gradientLines(own: GradientModel, compared: readonly GradientModel[]): ChartLine[] {
  const markers = (layer: InsideLayer): boolean => layer.gradNorm.length <= 60;
  if (compared.length === 0)
    return own.layers.map((layer, i) => ({
      label: layer.key,
      colour: seriesColour(i),
      markers: markers(layer),
      points: pointsOf(layer, own),
    }));
  return [own, ...compared].flatMap((model, m) =>
    model.layers.map((layer, i) => {
      const dash = LAYER_DASHES[i % LAYER_DASHES.length];
      return {
        label: model.layers.length === 1 ? model.label : `${model.label} ${layer.key}`,
        colour: seriesColour(m),
        markers: markers(layer),
        points: pointsOf(layer, model),
        ...(dash ? { dash } : {}),
      };
    }),
  );
}
