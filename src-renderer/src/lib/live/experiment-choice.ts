/** Which experiments the Live view offers: trained ones (a model to run) of tasks with a live mode. */
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';
import type { LiveMode } from '@api/live';
import { taskLabel, taskView } from '../tasks/task-views';

/**
 * metrics.json gets its `training` summary only once the best model has been saved (and a
 * re-run removes it first), so its presence means `model/` holds a finished model.
 */
export function isTrained(experiment: ExperimentListItem): boolean {
  const training = experiment.metrics.training;
  return typeof training === 'object' && training !== null;
}

/** The live session an experiment of this task runs, null if the task has none. */
export function liveMode(task: ExperimentTask): LiveMode | null {
  return taskView(task)?.live?.mode ?? null;
}

/** Pickers list experiments newest first (then by name). */
export function newestFirst(a: ExperimentListItem, b: ExperimentListItem): number {
  return (b.created ?? '').localeCompare(a.created ?? '') || a.name.localeCompare(b.name);
}

/** Trained experiments a live session can run, newest first (then by name). */
export function liveExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list
    .filter((experiment) => isTrained(experiment) && liveMode(experiment.task) !== null)
    .sort(newestFirst);
}

/** What a session of this task shows, for the picker's hint. */
export function taskHint(task: ExperimentTask): string {
  return taskView(task)?.live?.hint ?? `The ${taskLabel(task)} task has no live mode.`;
}
