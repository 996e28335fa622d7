import type { JobInfo, JobState, SelftestResult } from '@api/jobs';
import { formatMetricValue, formatNumber, metricLabel } from '../format/format';
import { summarizeCorpusJob } from '../corpora/corpus-job-summary';

export interface FormattedMetric {
  key: string;
  label: string;
  value: string;
}

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function stateLabel(state: JobState): string {
  return STATE_LABELS[state];
}

/** The job's latest metrics, labelled and formatted, in the order the job reported them. */
export function jobMetrics(job: JobInfo): FormattedMetric[] {
  return Object.entries(job.progress.metrics ?? {}).map(([key, value]) => ({
    key,
    label: metricLabel(key),
    value: formatMetricValue(key, value),
  }));
}

function summarizeSelftest(result: SelftestResult): string {
  return (
    `${formatNumber(result.steps)} steps on ${result.backend} at ` +
    `${formatNumber(result.stepsPerSecond)} steps/s; ` +
    `loss ${formatNumber(result.firstLoss)} → ${formatNumber(result.lastLoss)}`
  );
}

/** One line that says what a succeeded job produced; null while it has no result. */
export function summarizeResult(job: JobInfo): string | null {
  if (job.state !== 'succeeded' || !job.result) return null;
  switch (job.kind) {
    case 'selftest':
      return summarizeSelftest(job.result as SelftestResult);
    default:
      return summarizeCorpusJob(job.kind, job.result);
  }
}

/** What a screen reader hears when a job changes state. */
export function announcement(job: JobInfo): string {
  const base = `${job.title}: ${stateLabel(job.state).toLowerCase()}`;
  if (job.state === 'failed' && job.error) return `${base}. ${job.error.message}`;
  const summary = summarizeResult(job);
  return summary ? `${base}. ${summary}` : base;
}
