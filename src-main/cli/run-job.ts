import type { JobInfo, JobSpec } from '../api/jobs';
import { createJobRunner } from '../domain/jobs/job-runner';
import { forkWorker, type WorkerEntry } from '../server/worker-process';
import { createCliProgressBar } from './progress-bar';

export interface CliJobOptions {
  dataDir: string;
  worker: WorkerEntry;
  /** Machine-readable output: no progress bar. */
  json: boolean;
}

function formatMetrics(metrics: Record<string, number> | undefined): string {
  if (!metrics) return '';
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toPrecision(4)}`)
    .join(', ');
}

/**
 * Runs one job headless in its own process, as the app would, with a progress bar on stderr.
 * Ctrl-C cancels the job cleanly instead of killing it mid-write.
 */
export async function runJobFromCli(spec: JobSpec, options: CliJobOptions): Promise<JobInfo> {
  const bar = createCliProgressBar(options.json);
  const runner = createJobRunner({
    dataDir: options.dataDir,
    spawnWorker: () => forkWorker(options.worker),
    onUpdate: (job) => {
      if (job.state !== 'running') return;
      const message = [job.progress.message, formatMetrics(job.progress.metrics)]
        .filter(Boolean)
        .join(' | ');
      bar.update(job.progress.fraction, message);
    },
  });
  const job = runner.start(spec);
  const cancel = (): void => {
    process.stderr.write('\nCancelling…\n');
    runner.cancel(job.id);
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    return await runner.whenEnded(job.id);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    bar.stop();
    await runner.dispose();
  }
}
