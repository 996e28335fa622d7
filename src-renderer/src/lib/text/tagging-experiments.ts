/** Which experiments the Text view offers: trained ones of a task that tags text. */
import type { ExperimentListItem } from '@api/experiments';
import { isTrained } from '../live/experiment-choice';
import { taskView } from '../tasks/task-views';

/** Trained tagging experiments, newest first (then by name). */
export function taggingExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list
    .filter((e) => isTrained(e) && taskView(e.task)?.text === 'tagging')
    .sort(
      (a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.name.localeCompare(b.name),
    );
}
