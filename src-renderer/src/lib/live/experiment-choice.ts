/** Which experiments the Live view offers: only trained ones (a model to run). */
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';

/**
 * metrics.json gets its `training` summary only once the best model has been saved (and a
 * re-run removes it first), so its presence means `model/` holds a finished model.
 */
export function isTrained(experiment: ExperimentListItem): boolean {
  const training = experiment.metrics.training;
  return typeof training === 'object' && training !== null;
}

/** Trained experiments, newest first (then by name). */
export function trainedExperiments(list: readonly ExperimentListItem[]): ExperimentListItem[] {
  return list
    .filter(isTrained)
    .sort(
      (a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.name.localeCompare(b.name),
    );
}

export function taskLabel(task: ExperimentTask): string {
  return task === 'words' ? 'words' : 'phones';
}

/** What a session of this task shows, for the picker's hint. */
export function taskHint(task: ExperimentTask): string {
  return task === 'words'
    ? 'Word mode: each spoken word is cut by the voice detector and classified.'
    : 'Phone mode: per-frame phone probabilities scroll under the live spectrogram.';
}
