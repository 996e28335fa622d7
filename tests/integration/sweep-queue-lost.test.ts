/**
 * The submitting side of a queue sweep never waits for ever: besides QueueEvents, the queue
 * executor re-reads its waited-for jobs from Redis when a connection comes back and every
 * `recheckMs`. A redis-server of its own (random loopback port, a password, no persistence), the
 * executor used directly (no worker processes): a job completed or failed by hand while the
 * executor was cut off from Redis and its events trimmed away, a job removed behind its back, and
 * a Redis restarted empty (for the executor alone, and for a sweep, whose run is then failed).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startUntil, stopChild } from '../support/child-processes';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { parseSweepSpec } from '../../src-main/domain/sweeps/read-sweep-file';
import type { RunOrder } from '../../src-main/domain/sweeps/run-sweep';
import { startSweep } from '../../src-main/domain/sweeps/run-sweep';
import { readRunState } from '../../src-main/domain/sweeps/sweep-folder';
import { expandSweep } from '../../src-main/domain/sweeps/sweep-plan';
import {
  SWEEP_QUEUE_NAME,
  parseQueueUrl,
  redisClient,
} from '../../src-main/domain/sweeps/queue/queue-connection';
import { createQueueExecutor } from '../../src-main/domain/sweeps/queue/queue-executor';
import type { QueueExecutor } from '../../src-main/domain/sweeps/queue/queue-executor';
import { toySentimentItems } from '../support/toy-sentiment';
import { TINY_SWEEP_RUN_CONFIG } from '../support/tiny-sweep';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const PASSWORD = 'sweep-lost-secret';
/** Long enough that only a connection's return can explain a re-read within a test. */
const NEVER_MS = 3_600_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const order = (index: number): RunOrder => ({
  sweep: 'lost',
  index,
  experiment: `lost-${index}`,
  config: {} as RunOrder['config'],
  mode: 'train',
});

/** A TCP relay to Redis that can be cut (every connection dropped, none taken) and restored. */
async function startRelay(
  target: number,
): Promise<{ port: number; cut: () => Promise<void>; restore: () => Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const cut = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen();
  return { port, cut, restore: listen };
}

/** Whether a promise has settled yet, without waiting for it. */
function tracked<T>(promise: Promise<T>): { settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

describe.skipIf(!hasRedis)(
  `a queue sweep's runs when their events are missed${hasRedis ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let base = '';
    let redis: ChildProcess | undefined;
    let port = 0;
    let direct: Redis | undefined;
    let queue: Queue | undefined;

    /** Redis with no persistence (a restart starts empty), or with an append-only file. */
    const startRedis = async (persist = false): Promise<void> => {
      ({ child: redis } = await startUntil(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD],
          ...['--save', '', '--dir', base],
          ...(persist
            ? ['--appendonly', 'yes', '--appendfsync', 'always']
            : ['--appendonly', 'no']),
        ],
        /Ready to accept connections/,
        process.env,
      ));
    };
    const connection = (to: number): ReturnType<typeof parseQueueUrl> =>
      parseQueueUrl(`redis://127.0.0.1:${to}`, PASSWORD);
    const executorOn = (to: number, recheckMs: number, attempts = 3): Promise<QueueExecutor> =>
      createQueueExecutor({
        connection: connection(to),
        corpus: 'reviews',
        transport: { kind: 'shared' },
        attempts,
        recheckMs,
      });
    /** The id of the waiting job of run `experiment`, once it is in the queue. */
    const waitingJob = async (experiment: string): Promise<string> => {
      for (;;) {
        const jobs = await (queue as Queue).getJobs(['waiting']);
        const job = jobs.find((j) => (j.data as RunOrder).experiment === experiment);
        if (job?.id) return job.id;
        await sleep(50);
      }
    };
    /** A worker of the test's own, on a direct connection, that ends the given job by hand. */
    const endByHand = async (jobId: string, how: 'complete' | 'fail'): Promise<void> => {
      const client = redisClient(connection(port));
      const worker = new Worker(
        SWEEP_QUEUE_NAME,
        async () => {
          if (how === 'fail') throw new UnrecoverableError('the bundle was bad');
          return { done: true };
        },
        { connection: client },
      );
      worker.on('error', () => undefined);
      const ended = new Promise<void>((resolve) => {
        const onEnd = (job: Job | undefined): void => {
          if (job?.id === jobId) resolve();
        };
        if (how === 'complete') worker.on('completed', onEnd);
        else worker.on('failed', onEnd);
      });
      await ended;
      await worker.close();
      client.disconnect();
    };
    /** Drops every entry of the queue's event stream, as a long cut-off outlived its window. */
    const trimEvents = async (): Promise<void> => {
      await (direct as Redis).xtrim(`bull:${SWEEP_QUEUE_NAME}:events`, 'MAXLEN', 0);
    };

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), 'unfold-sweep-lost-'));
      port = await freePort();
      await startRedis();
      direct = redisClient(connection(port));
      queue = new Queue(SWEEP_QUEUE_NAME, { connection: direct });
      queue.on('error', () => undefined);
    }, 60_000);

    afterAll(async () => {
      await queue?.close();
      direct?.disconnect();
      await stopChild(redis);
      if (base) await rm(base, { recursive: true, force: true });
    });

    it('finishes a run completed while the submitter was cut off and its events trimmed away, once Redis is back', async () => {
      const relay = await startRelay(port);
      const executor = await executorOn(relay.port, NEVER_MS);
      try {
        const run = executor.run(order(1), {});
        const state = tracked(run);
        const jobId = await waitingJob('lost-1');
        await relay.cut();
        await endByHand(jobId, 'complete');
        await trimEvents();
        expect(await (queue as Queue).getJobState(jobId)).toBe('completed');
        expect(state.settled()).toBe(false);
        await relay.restore();
        await expect(run).resolves.toBeUndefined();
      } finally {
        await executor.close();
      }
    });

    it("fails a run failed meanwhile with its job's reason", async () => {
      const relay = await startRelay(port);
      const executor = await executorOn(relay.port, NEVER_MS, 1);
      try {
        const run = executor.run(order(2), {});
        const jobId = await waitingJob('lost-2');
        await relay.cut();
        await endByHand(jobId, 'fail');
        await trimEvents();
        await relay.restore();
        await expect(run).rejects.toMatchObject({
          code: 'SWEEP_RUN_FAILED',
          message: 'Run 2 (lost-2) failed after 1 attempts at most: the bundle was bad',
        });
      } finally {
        await executor.close();
      }
    });

    it('notices on its periodic re-read a job removed behind its back (no event says so)', async () => {
      const executor = await executorOn(port, 200);
      try {
        const run = executor.run(order(3), {});
        const jobId = await waitingJob('lost-3');
        expect(await (queue as Queue).remove(jobId)).toBe(1);
        await expect(run).rejects.toMatchObject({ code: 'SWEEP_RUN_LOST' });
      } finally {
        await executor.close();
      }
    });

    it('keeps waiting when Redis restarts with its data, and finishes the run later', async () => {
      await stopChild(redis);
      await startRedis(true);
      const executor = await executorOn(port, 100);
      try {
        const run = executor.run(order(5), {});
        const state = tracked(run);
        const jobId = await waitingJob('lost-5');
        await stopChild(redis);
        await startRedis(true);
        // Re-read after the reconnection and a few times since: the job is still there, waiting.
        await sleep(500);
        expect(await (queue as Queue).getJobState(jobId)).toBe('waiting');
        expect(state.settled()).toBe(false);
        await endByHand(jobId, 'complete');
        await expect(run).resolves.toBeUndefined();
      } finally {
        await executor.close();
        // The next tests want a Redis that forgets on restart.
        await stopChild(redis);
        await rm(join(base, 'appendonlydir'), { recursive: true, force: true });
        await startRedis();
      }
    });

    it('says the queue lost a run when Redis restarts empty, and how to continue', async () => {
      const executor = await executorOn(port, NEVER_MS);
      try {
        const run = executor.run(order(4), {});
        const state = tracked(run);
        await waitingJob('lost-4');
        await stopChild(redis);
        await startRedis();
        await expect(run).rejects.toMatchObject({
          code: 'SWEEP_RUN_LOST',
          message:
            'The queue lost run 4 (lost-4): its job is no longer in Redis (Redis restarted without its data?). `unfold sweep --out lost --resume` (with the same --queue) continues it.',
        });
        expect(state.settled()).toBe(true);
      } finally {
        await executor.close();
      }
    });

    it('closes while Redis is away: a reader waiting to reconnect is dropped, not waited for', async () => {
      const executor = await executorOn(port, NEVER_MS);
      await stopChild(redis);
      try {
        // BullMQ's reader retries after a second at the soonest: it is waiting to reconnect now.
        await sleep(300);
        await executor.close();
      } finally {
        await startRedis();
      }
    }, 30_000);

    it("fails a sweep's run whose job Redis lost, with the message, and the sweep ends", async () => {
      const dataDir = join(base, 'data');
      await createTextCorpus(
        join(dataDir, 'corpora', 'reviews'),
        new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(30, 5) }]]),
        { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
      );
      const config = TINY_SWEEP_RUN_CONFIG;
      const spec = parseSweepSpec({ corpus: 'reviews', config, grid: { seed: [1] } }, 'gone.json');
      const plan = expandSweep(spec, {
        name: 'gone',
        tasks: EXPERIMENT_TASK_REGISTRY,
        source: { label: 'gone.json' },
      });
      const dir = join(dataDir, 'sweeps', 'gone');
      const executor = await executorOn(port, NEVER_MS);
      try {
        const sweep = startSweep(plan, { dir, dataDir, tasks: EXPERIMENT_TASK_REGISTRY, executor });
        await waitingJob('gone-1');
        await stopChild(redis);
        await startRedis();
        const { summary } = await sweep;
        expect(summary.counts).toEqual({ runs: 1, done: 0, failed: 1 });
        const state = await readRunState(dir, 'gone-1');
        expect(state.status).toBe('failed');
        expect(state.error?.code).toBe('SWEEP_RUN_LOST');
        expect(state.error?.message).toContain(
          'The queue lost run 1 (gone-1): its job is no longer in Redis (Redis restarted without its data?). `unfold sweep --out gone --resume`',
        );
      } finally {
        await executor.close();
      }
    });
  },
);
