/**
 * Where a training run stands. The experiments list says what the folder says (its log's
 * last `end` line, or metrics.json: see ExperimentRunStatus); only the renderer knows which
 * experiments its active jobs are training, so it overrides the folder's word with 'training'.
 */

import type { ExperimentListItem, ExperimentRunStatus } from '@api/experiments';
import type { JobInfo } from '@api/jobs';

export type RunStatus = ExperimentRunStatus;

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  training: 'training…',
  done: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
  incomplete: 'incomplete',
};

/** The experiment an experiment-train job trains (its subject), null for any other job. */
export function trainedExperiment(job: Pick<JobInfo, 'kind' | 'subject'>): string | null {
  return job.kind === 'experiment-train' && job.subject?.kind === 'experiment'
    ? job.subject.name
    : null;
}

function isActive(job: Pick<JobInfo, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** The experiments that a queued or running training job of this session trains. */
export function activeTrainingExperiments(
  jobs: readonly Pick<JobInfo, 'kind' | 'subject' | 'state'>[],
): Set<string> {
  const names = new Set<string>();
  for (const job of jobs) {
    const name = isActive(job) ? trainedExperiment(job) : null;
    if (name !== null) names.add(name);
  }
  return names;
}

/** A row's status: an active job overrides the folder's word (a running run is 'incomplete' there). */
export function runStatus(item: Pick<ExperimentListItem, 'status'>, activeJob: boolean): RunStatus {
  return activeJob ? 'training' : item.status;
}
