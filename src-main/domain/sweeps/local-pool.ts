/**
 * The local pool: a sweep's runs as ordinary experiment jobs (`experiment-train`,
 * `experiment-evaluate`) of a job runner that keeps up to N job processes at once, so a crash or
 * an out-of-memory ends one run and not the sweep. The default N keeps one core free for the UI.
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { JobSpec } from '../../api/jobs';
import { UnfoldError } from '../errors';
import { createJobRunner } from '../jobs/job-runner';
import type { Progress } from '../jobs/progress';
import type { RunOrder, SweepExecutor } from './run-sweep';

/** Worker processes a sweep runs at once by default: every core but one, at least one. */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** The job that takes a run up: training (new or resumed) or its test evaluation only. */
export function runJobSpec(order: RunOrder): JobSpec {
  return order.mode === 'evaluate'
    ? { kind: 'experiment-evaluate', params: { experiment: order.experiment } }
    : {
        kind: 'experiment-train',
        params: {
          config: order.config as Extract<
            JobSpec,
            { kind: 'experiment-train' }
          >['params']['config'],
          resume: order.mode === 'resume',
        },
      };
}

export interface LocalPool extends SweepExecutor {
  /** Kills any job process still running. */
  dispose(): Promise<void>;
}

export function createLocalPool({
  dataDir,
  workers,
  spawnWorker,
}: {
  dataDir: string;
  workers: number;
  spawnWorker: () => ChildProcess;
}): LocalPool {
  const listeners = new Map<string, (progress: Progress) => void>();
  const runner = createJobRunner({
    dataDir,
    spawnWorker,
    maxConcurrent: workers,
    onUpdate: (job) => {
      if (job.state === 'running') listeners.get(job.id)?.(job.progress);
    },
  });
  return {
    concurrency: workers,
    async run(order, { onProgress, signal, onWorker }) {
      const job = runner.start(runJobSpec(order));
      if (onProgress) listeners.set(job.id, onProgress);
      const cancel = (): void => void runner.cancel(job.id);
      signal?.addEventListener('abort', cancel, { once: true });
      onWorker?.('local');
      try {
        const ended = await runner.whenEnded(job.id);
        if (ended.state === 'cancelled')
          throw new UnfoldError('CANCELLED', 'The operation was cancelled.');
        if (ended.state === 'failed')
          throw new UnfoldError(
            ended.error?.code ?? 'JOB_FAILED',
            ended.error?.message ?? 'The run failed.',
          );
      } finally {
        listeners.delete(job.id);
        signal?.removeEventListener('abort', cancel);
      }
    },
    dispose: () => runner.dispose(),
  };
}
