/** Which input the Inside view offers for an experiment: a sentence, or speech from the corpus or a WAV. */
import type { ExperimentListItem } from '@api/experiments';
import type { InsideAxis } from '@api/inside';
import { isTrained, newestFirst } from '../live/experiment-choice';
import { taskView } from '../tasks/task-views';

export type InsideReads = 'text' | 'audio';

/** A speech task's model reads audio; every other task's reads text. */
export function insideReads(task: string): InsideReads {
  return taskView(task)?.train.corpora.kind === 'speech' ? 'audio' : 'text';
}

/** Trained experiments, newest first. */
export function insideExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list.filter(isTrained).sort(newestFirst);
}

/** What step t of the axis is: its token, or its time in seconds. */
export function stepLabelOf(axis: InsideAxis): (step: number) => string {
  return axis.kind === 'tokens'
    ? (step) => axis.tokens[step] ?? ''
    : (step) => `${(step * axis.frameShiftSeconds).toFixed(2)} s`;
}
