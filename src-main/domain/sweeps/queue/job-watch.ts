/**
 * How the submitting side learns that a queued job ended. QueueEvents tell it, but the event
 * stream lives in Redis and is capped (~10,000 entries): a submitter cut off for longer than the
 * stream spans, or a Redis restarted empty, would wait for ever. So besides the events the watch
 * re-reads every waited-for job from Redis whenever a connection comes back after a break, and
 * every `recheckMs` as a safety net. Each wait settles once, whichever of them sees the end first.
 */
import type { Job, JobState, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

/** The safety net's period: every waited-for job re-read (two Redis commands each). */
export const JOB_RECHECK_MS = 30_000;

/** ioredis's events for a connection lost (it reconnects by itself, then says 'ready'). */
const BREAKS = ['close', 'end', 'reconnecting'] as const;

export type JobEnd =
  | { kind: 'completed' }
  | { kind: 'failed'; reason: string }
  /** Not in Redis any more: removed by someone else, or Redis lost its data. */
  | { kind: 'lost' };

/** A job as read from Redis (undefined: no such job): its end, or null while it is on its way. */
export function jobEnd(
  job: { state: JobState | 'unknown'; failedReason?: string } | undefined,
): JobEnd | null {
  // 'unknown': the job's hash is there but it is in none of the queue's lists (half-deleted).
  if (job === undefined || job.state === 'unknown') return { kind: 'lost' };
  if (job.state === 'completed') return { kind: 'completed' };
  // BullMQ moves a job to failed only when no try is left: a retry waits as delayed or waiting.
  if (job.state === 'failed')
    return { kind: 'failed', reason: job.failedReason || 'no reason given' };
  return null;
}

export interface JobWatch {
  /** The job's end (call it once the job is added): by its event or a re-read, whichever first. */
  wait(jobId: string): Promise<JobEnd>;
  /** Stops waiting for a job (a cancelled run): its wait never settles. */
  forget(jobId: string): void;
  /** Stops the timer and the listeners; waits still pending reject with `reason`. */
  close(reason: Error): void;
}

export function createJobWatch({
  queue,
  events,
  clients,
  recheckMs = JOB_RECHECK_MS,
}: {
  queue: Queue;
  events: QueueEvents;
  /** The connections whose return after a break calls for a re-read. */
  clients: readonly Redis[];
  recheckMs?: number;
}): JobWatch {
  const waiting = new Map<string, { resolve: (end: JobEnd) => void; reject: (e: Error) => void }>();
  let timer: NodeJS.Timeout | undefined;

  const forget = (jobId: string): void => {
    waiting.delete(jobId);
    if (waiting.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const settle = (jobId: string, end: JobEnd | null): void => {
    const waiter = waiting.get(jobId);
    if (end === null || waiter === undefined) return;
    forget(jobId);
    waiter.resolve(end);
  };

  const onCompleted = ({ jobId }: { jobId: string }): void => settle(jobId, { kind: 'completed' });
  const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }): void =>
    settle(jobId, { kind: 'failed', reason: failedReason });
  events.on('completed', onCompleted);
  events.on('failed', onFailed);

  const reread = async (jobId: string): Promise<void> => {
    const job = (await queue.getJob(jobId)) as Job | undefined;
    const state = job ? await job.getState() : 'unknown';
    settle(jobId, jobEnd(job && { state, failedReason: job.failedReason }));
  };
  // One pass at a time: while Redis is away the reads wait in ioredis's offline queue.
  let checking = false;
  let again = false;
  const checkAll = (): void => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    const reads = [...waiting.keys()].map((jobId) => reread(jobId).catch(() => undefined));
    void Promise.all(reads).then(() => {
      checking = false;
      const wanted = again && waiting.size > 0;
      again = false;
      if (wanted) checkAll();
    });
  };

  // A connection back after a break (ioredis: 'ready' after 'close', 'end' or 'reconnecting').
  const hooks = clients.map((client) => {
    let broken = false;
    const onBreak = (): void => {
      broken = true;
    };
    const onReady = (): void => {
      if (!broken) return;
      broken = false;
      checkAll();
    };
    return { client, onBreak, onReady };
  });
  for (const { client, onBreak, onReady } of hooks) {
    for (const event of BREAKS) client.on(event, onBreak);
    client.on('ready', onReady);
  }

  return {
    wait(jobId) {
      const ended = new Promise<JobEnd>((resolve, reject) => {
        waiting.set(jobId, { resolve, reject });
      });
      timer ??= setInterval(checkAll, recheckMs);
      // The event may have come before the wait: read the job once now.
      reread(jobId).catch(() => undefined);
      return ended;
    },
    forget,
    close(reason) {
      clearInterval(timer);
      timer = undefined;
      events.off('completed', onCompleted);
      events.off('failed', onFailed);
      for (const { client, onBreak, onReady } of hooks) {
        for (const event of BREAKS) client.off(event, onBreak);
        client.off('ready', onReady);
      }
      for (const [jobId, waiter] of waiting) {
        waiting.delete(jobId);
        waiter.reject(reason);
      }
    },
  };
}
