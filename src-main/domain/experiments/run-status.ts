/** What the experiments list says of a run, as plain types (no Node import: the API re-exports them). */

/**
 * Where an experiment's training stands. The list says what the folder says (the `end` line
 * of the latest run in log.jsonl, else metrics.json): a run that started and has not ended is
 * 'incomplete', because the folder cannot tell a running job from one whose process died;
 * the renderer shows 'training' for the experiments of its active jobs.
 */
export type ExperimentRunStatus = 'done' | 'training' | 'cancelled' | 'failed' | 'incomplete';

/** One parsed line of log.jsonl (epoch, evaluation, start, resume or end). */
export interface ExperimentLogEntry {
  type: string;
  time: string;
  [key: string]: unknown;
}
