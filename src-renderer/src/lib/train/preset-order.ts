/**
 * Which tasks and presets the Train view offers for a corpus. A task is offered for the corpora
 * its view trains on (speech tasks for speech corpora, tagging for tagged text), and its presets
 * with it. Of the speech tasks, a corpus labelled with words, or without phone alignments,
 * trains words models first; one with phone alignments (and no word labels) phone models. The
 * first preset fills the form.
 */

import type { CorpusOverview, CorpusSummary } from '@api/corpus';
import type { TrainingCorpora } from '../tasks/task-view';
import { TASK_VIEWS } from '../tasks/task-views';
import { FORM_TASKS, type Task } from './key-settings';

/** What a corpus is, as the corpus list and its overview say. */
export type CorpusKindFacts = Pick<CorpusSummary, 'kind' | 'textFormat'>;
type CorpusTasks = Pick<CorpusOverview, 'tasks' | 'phoneSet'> & { summary: CorpusKindFacts };

/** Whether a task that trains on `corpora` trains on this corpus. */
export function trainsOn(corpora: TrainingCorpora, corpus: CorpusKindFacts): boolean {
  if (corpora.kind === 'speech') return corpus.kind === 'speech';
  return (
    corpus.kind === 'text' &&
    corpus.textFormat !== undefined &&
    corpora.formats.includes(corpus.textFormat)
  );
}

/** The tasks the form offers for a corpus, in the config union's order. */
export function tasksForCorpus(corpus: CorpusKindFacts): Task[] {
  return FORM_TASKS.filter((task) => trainsOn(TASK_VIEWS[task].train.corpora, corpus));
}

/** Whether the corpus declares phone alignments (the phones task needs them). */
export function hasPhoneAlignments(corpus: Pick<CorpusOverview, 'tasks' | 'phoneSet'>): boolean {
  return corpus.phoneSet !== null || corpus.tasks.includes('phone-recognition');
}

/** The task a corpus is made for, of those offered for it; null when none is. */
export function suitedTask(corpus: CorpusTasks): Task | null {
  const offered = tasksForCorpus(corpus.summary);
  const speechTask =
    corpus.tasks.includes('word-classification') || !hasPhoneAlignments(corpus)
      ? 'words'
      : 'phones';
  return offered.includes(speechTask) ? speechTask : (offered[0] ?? null);
}

/**
 * The presets of the tasks offered for the corpus, those of the task it is made for first, each
 * group in the order given (presets of other corpora's tasks, or of tasks trained from the
 * command line, are left out).
 */
export function presetsInOrder<T extends { task: string }>(
  presets: readonly T[],
  corpus: CorpusTasks,
): T[] {
  const task = suitedTask(corpus);
  const offered: readonly string[] = tasksForCorpus(corpus.summary);
  const editable = presets.filter((p) => offered.includes(p.task));
  return [...editable.filter((p) => p.task === task), ...editable.filter((p) => p.task !== task)];
}
