/**
 * The queue executor: a sweep's runs as BullMQ jobs for `unfold worker` processes on any number
 * of machines. Every run is enqueued at once; each job is tried `attempts` times (a failure,
 * or a worker that died and left its job stalled: BullMQ moves it back to the queue, and the
 * next worker resumes it from its last checkpoint). Progress comes back through QueueEvents,
 * each run's end through them or a re-read of its job (`job-watch.ts`), so a submitter cut off
 * from Redis, or a Redis restarted empty, never waits for ever.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { UnfoldError } from '../../errors';
import type { Progress } from '../../jobs/progress';
import { MAX_SWEEP_RUNS } from '../sweep-spec';
import type { RunOrder, SweepExecutor } from '../run-sweep';
import type { JobEnd } from './job-watch';
import { JOB_RECHECK_MS, createJobWatch } from './job-watch';
import type { QueueConnection } from './queue-connection';
import { SWEEP_QUEUE_NAME, closeQueueEvents, redisClient } from './queue-connection';
import type { RunJobData, RunJobProgress, RunJobResult, RunTransport } from './run-job';

/** Tries of one run (failures and dead workers together) before the sweep marks it failed. */
export const DEFAULT_RUN_ATTEMPTS = 3;
/** The first retry waits this long; each next one twice as long. */
const RETRY_DELAY_MS = 2000;

export interface QueueExecutor extends SweepExecutor {
  close(): Promise<void>;
}

/** A run's error for how its job ended (null: finished). */
export function runEndError(order: RunOrder, end: JobEnd, attempts: number): UnfoldError | null {
  const run = `Run ${order.index} (${order.experiment})`;
  if (end.kind === 'failed')
    return new UnfoldError(
      'SWEEP_RUN_FAILED',
      `${run} failed after ${attempts} attempts at most: ${end.reason}`,
    );
  if (end.kind === 'lost')
    return new UnfoldError(
      'SWEEP_RUN_LOST',
      `The queue lost run ${order.index} (${order.experiment}): its job is no longer in Redis (Redis restarted without its data?). \`unfold sweep --out ${order.sweep} --resume\` (with the same --queue) continues it.`,
    );
  return null;
}

export async function createQueueExecutor({
  connection,
  corpus,
  transport,
  attempts = DEFAULT_RUN_ATTEMPTS,
  recheckMs = JOB_RECHECK_MS,
}: {
  connection: QueueConnection;
  corpus: string;
  transport: RunTransport;
  attempts?: number;
  /** How often every waited-for job is re-read from Redis besides its events. */
  recheckMs?: number;
}): Promise<QueueExecutor> {
  const clients = [redisClient(connection), redisClient(connection)] as const;
  const queue = new Queue<RunJobData, RunJobResult>(SWEEP_QUEUE_NAME, { connection: clients[0] });
  const events = new QueueEvents(SWEEP_QUEUE_NAME, { connection: clients[1] });
  // Errors reach the waiting runs through their jobs; an unhandled 'error' event would crash.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  await events.waitUntilReady();
  const watch = createJobWatch({ queue, events, clients, recheckMs });
  const listeners = new Map<string, (progress: RunJobProgress) => void>();
  events.on('progress', ({ jobId, data }) => {
    if (typeof data === 'object' && data !== null)
      listeners.get(jobId)?.(data as unknown as RunJobProgress);
  });
  // One submission's job ids never meet another's (a resumed sweep enqueues anew).
  const submission = randomUUID();

  return {
    concurrency: MAX_SWEEP_RUNS,
    async run(order, { onProgress, signal, onWorker }) {
      const jobId = `${submission}-${order.index}`;
      let worker = '';
      let stop = (): void => undefined;
      listeners.set(jobId, (progress) => {
        if (progress.worker !== worker) {
          worker = progress.worker;
          onWorker?.(worker);
        }
        const shown: Progress = {
          fraction: progress.fraction,
          ...(progress.message !== undefined ? { message: progress.message } : {}),
          ...(progress.metrics ? { metrics: progress.metrics } : {}),
        };
        onProgress?.(shown);
      });
      try {
        const job = await queue.add(
          'run',
          { ...order, corpus, transport },
          {
            jobId,
            attempts,
            backoff: { type: 'exponential', delay: RETRY_DELAY_MS },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        );
        const ended = watch.wait(jobId);
        const aborted = new Promise<never>((_, reject) => {
          stop = (): void => {
            // A run no worker has taken is withdrawn; a running one ends with its worker's next
            // upload failing, and a resumed sweep continues it from its last upload.
            watch.forget(jobId);
            job.remove().catch(() => undefined);
            reject(new UnfoldError('CANCELLED', 'The operation was cancelled.'));
          };
          if (signal?.aborted) stop();
          signal?.addEventListener('abort', stop, { once: true });
        });
        aborted.catch(() => undefined);
        const end = await Promise.race([ended, aborted]);
        const error = runEndError(order, end, attempts);
        if (error) throw error;
      } finally {
        listeners.delete(jobId);
        signal?.removeEventListener('abort', stop);
      }
    },
    async close() {
      watch.close(
        new UnfoldError(
          'QUEUE_CLOSED',
          'The sweep stopped waiting: its queue connection was closed.',
        ),
      );
      await closeQueueEvents(events);
      await queue.close();
      for (const client of clients) client.disconnect();
    },
  };
}
