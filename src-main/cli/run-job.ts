import cliProgress from 'cli-progress';
import type { JobInfo, JobSpec } from '../api/jobs';
import { createJobRunner } from '../domain/jobs/job-runner';
import { forkWorker, type WorkerEntry } from '../server/worker-process';

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
  const showBar = !options.json && process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {message}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const runner = createJobRunner({
    dataDir: options.dataDir,
    spawnWorker: () => forkWorker(options.worker),
    onUpdate: (job) => {
      if (!showBar || job.state !== 'running') return;
      const message = [job.progress.message, formatMetrics(job.progress.metrics)]
        .filter(Boolean)
        .join(' | ');
      const value = Math.round((job.progress.fraction ?? 0) * 1000);
      if (!barStarted) {
        bar.start(1000, value, { message });
        barStarted = true;
      } else bar.update(value, { message });
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
    if (barStarted) bar.stop();
    await runner.dispose();
  }
}
