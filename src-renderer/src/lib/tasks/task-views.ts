/**
 * Every task's view, keyed by task name: a task added to the config union is a compile error
 * here until it has one. The generic views look a task up here instead of asking which it is.
 */
import type { ExperimentTaskName } from '@api/experiment-config';
import { LM_VIEW } from './lm';
import { PHONES_VIEW } from './phones';
import { POS_VIEW } from './pos';
import { SENTIMENT_VIEW } from './sentiment';
import { SEQ2SEQ_VIEW } from './seq2seq';
import type { TaskColumn, TaskView } from './task-view';
import { WORDS_VIEW } from './words';

export const TASK_VIEWS: { readonly [T in ExperimentTaskName]: TaskView<T> } = {
  words: WORDS_VIEW,
  phones: PHONES_VIEW,
  pos: POS_VIEW,
  sentiment: SENTIMENT_VIEW,
  lm: LM_VIEW,
  seq2seq: SEQ2SEQ_VIEW,
};

/**
 * The view of a task as an experiment names it, or null for a task this build does not know
 * (the experiments list shows any folder whose config names a task).
 */
export function taskView(task: string): TaskView | null {
  return Object.hasOwn(TASK_VIEWS, task) ? TASK_VIEWS[task as ExperimentTaskName] : null;
}

/** The task as lists and pickers name it ('POS tagging', not 'pos'); a task unknown here keeps its name. */
export function taskLabel(task: string): string {
  return taskView(task)?.label ?? task;
}

/** The extra columns the experiments table shows for runs of these tasks. */
export function taskColumns(tasks: Iterable<string>): Set<TaskColumn> {
  const columns = new Set<TaskColumn>();
  for (const task of tasks)
    for (const column of taskView(task)?.tableColumns ?? []) columns.add(column);
  return columns;
}
