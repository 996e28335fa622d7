/**
 * Which presets the Train view offers first for a corpus: those of the task the corpus is made
 * for. A corpus labelled with words, or without phone alignments, trains words models; one with
 * phone alignments (and no word labels) trains phone models. The first preset fills the form.
 */

import type { CorpusOverview } from '@api/corpus';
import type { ExperimentTask } from '@api/experiments';

type CorpusTasks = Pick<CorpusOverview, 'tasks' | 'phoneSet'>;

/** Whether the corpus declares phone alignments (the phones task needs them). */
export function hasPhoneAlignments(corpus: CorpusTasks): boolean {
  return corpus.phoneSet !== null || corpus.tasks.includes('phone-recognition');
}

/** The task a corpus is made for. */
export function suitedTask(corpus: CorpusTasks): ExperimentTask {
  if (corpus.tasks.includes('word-classification')) return 'words';
  return hasPhoneAlignments(corpus) ? 'phones' : 'words';
}

/** The presets with those of the corpus's task first, each group in the order given. */
export function presetsInOrder<T extends { task: ExperimentTask }>(
  presets: readonly T[],
  corpus: CorpusTasks,
): T[] {
  const task = suitedTask(corpus);
  return [...presets.filter((p) => p.task === task), ...presets.filter((p) => p.task !== task)];
}
