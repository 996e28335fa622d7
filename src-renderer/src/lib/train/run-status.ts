/**
 * Where a training run stands, from its log.jsonl: the last `end` line after the last `start`
 * or `resume` says done, cancelled or failed; a start without an end is a run still going (or
 * one whose process died). A job of this session that is still active overrides the log.
 */

import type { ExperimentLogEntry } from '@api/experiments';

export type RunStatus = 'training' | 'done' | 'cancelled' | 'failed' | 'incomplete';

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  training: 'training…',
  done: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
  incomplete: 'incomplete',
};

export function runStatusFromLog(log: readonly ExperimentLogEntry[]): RunStatus {
  let status: RunStatus = 'incomplete';
  for (const entry of log) {
    if (entry.type === 'start' || entry.type === 'resume') status = 'incomplete';
    else if (entry.type === 'end') {
      status =
        entry.status === 'done' ? 'done' : entry.status === 'cancelled' ? 'cancelled' : 'failed';
    }
  }
  return status;
}

/**
 * The status of a list row: finished training is in metrics.json (no log needed); otherwise
 * the log decides, or 'incomplete' while it has not been read.
 */
export function runStatus(
  metrics: Readonly<Record<string, unknown>>,
  log: readonly ExperimentLogEntry[] | null,
  activeJob: boolean,
): RunStatus {
  if (activeJob) return 'training';
  if (log) return runStatusFromLog(log);
  return metrics.training !== undefined ? 'done' : 'incomplete';
}

/**
 * The experiment a speech-train job trains, from its title (jobTitle in @api/jobs writes
 * "Train experiment NAME" or "Resume training experiment NAME"); JobInfo carries no params.
 */
export function experimentOfJobTitle(title: string): string | null {
  const match = /^(?:Train|Resume training) experiment (.+)$/.exec(title);
  return match?.[1] ?? null;
}
