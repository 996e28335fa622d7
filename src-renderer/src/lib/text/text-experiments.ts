/** Which experiments the Text view offers: trained ones of a task that reads text, and how. */
import type { ExperimentListItem } from '@api/experiments';
import { isTrained, newestFirst } from '../live/experiment-choice';
import type { TextMode } from '../tasks/task-view';
import { taskView } from '../tasks/task-views';

/** What the Text view does with an experiment's task, or null when it does not offer it. */
export function textModeOf(task: string): TextMode | null {
  return taskView(task)?.text ?? null;
}

/** Trained experiments the Text view runs (taggers and classifiers), newest first (then by name). */
export function textExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list.filter((e) => isTrained(e) && textModeOf(e.task) !== null).sort(newestFirst);
}
