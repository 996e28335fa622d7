/**
 * Sweeps over a queue: a redis-server of its own (random loopback port, a password, an
 * append-only file so that a restart keeps the queue), two `unfold worker` processes, each with
 * a data folder of its own, and `unfold sweep --queue` of four tiny runs: the workers fetch the
 * corpus from the submitting process and send the experiments back, so they arrive in the
 * sweep's data folder, with the figures of the same runs made one at a time on the local pool
 * (no Redis). Redis restarted mid-sweep: the sweep goes on. A wrong password is a clear error.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startUntil, stopChild } from '../support/child-processes';
import { registerSweepCommand } from '../../src-main/cli/commands/sweep-command';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { readMetrics } from '../../src-main/domain/experiments/experiment-metrics';
import { readRunState } from '../../src-main/domain/sweeps/sweep-folder';
import type { SweepSummary } from '../../src-main/domain/sweeps/sweep-summary';
import { runInProcessCli } from '../support/in-process-cli';
import { trainRunsAlone, trainedFigures } from '../support/sweep-runs';
import { toySentimentItems } from '../support/toy-sentiment';
import { queueWorkerArgs, tinySweepRunConfig } from '../support/tiny-sweep';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const PASSWORD = 'sweep-test-secret';

/** Every child this file started, stopped at the end whatever happened. */
const started: ChildProcess[] = [];
const startTracked = (
  command: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; output: () => string }> =>
  startUntil(command, args, ready, env, (child) => started.push(child));

/** `unfold worker` in a process of its own, with its own data folder. */
function startWorker(
  url: string,
  dataDir: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; output: () => string }> {
  return startTracked(
    process.execPath,
    queueWorkerArgs(url, { concurrency: 1, dataDir, extra }),
    /taking runs from/,
    { ...process.env, UNFOLD_REDIS_PASSWORD: PASSWORD },
  );
}

/** Resolves once the child's output so far matches. */
async function outputMatches(
  started: { output: () => string },
  pattern: RegExp,
  what: string,
): Promise<void> {
  for (let waited = 0; !pattern.test(started.output()); waited += 100) {
    if (waited > 60_000) throw new Error(`no ${what} in: ${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const config = tinySweepRunConfig(2);

describe.skipIf(!hasRedis)(
  `sweeps over a queue${hasRedis ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let base = '';
    let redis: ChildProcess | undefined;
    let port = 0;
    let queueWorkers: Array<{ child: ChildProcess; output: () => string }> = [];
    let url = '';

    /**
     * Redis as a lab would run it for BullMQ: jobs, locks and event streams live only in Redis,
     * so it keeps them in an append-only file (fsync'd on every write) that a restart reads back.
     */
    const startRedis = async (): Promise<void> => {
      ({ child: redis } = await startTracked(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--requirepass',
          PASSWORD,
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          base,
        ],
        /Ready to accept connections/,
        process.env,
      ));
    };

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), 'unfold-sweep-queue-'));
      port = await freePort();
      url = `redis://127.0.0.1:${port}`;
      await startRedis();
      await createTextCorpus(
        join(base, 'data', 'corpora', 'reviews'),
        new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(90, 5) }]]),
        { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
      );
      queueWorkers = await Promise.all([
        startWorker(url, join(base, 'worker-1-data')),
        startWorker(url, join(base, 'worker-2-data')),
      ]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(started.filter((child) => child !== redis).map(stopChild));
      await stopChild(redis);
      delete process.env.UNFOLD_REDIS_PASSWORD;
      if (base) await rm(base, { recursive: true, force: true });
    });

    it('refuses a wrong password with a clear error', async () => {
      process.env.UNFOLD_REDIS_PASSWORD = 'not-the-password';
      const file = join(base, 'wrong.json');
      await writeFile(file, JSON.stringify({ corpus: 'reviews', config, grid: { seed: [1] } }));
      const out = await runInProcessCli(
        (program) => registerSweepCommand(program, { worker }),
        ['sweep', file, '--out', 'wrong', '--queue', url, '--data', join(base, 'data')],
      );
      expect(out.exitCode).toBe(1);
      expect(out.stderr).toContain(
        `error [QUEUE_AUTH]: The queue at ${url} refused the password: check UNFOLD_REDIS_PASSWORD`,
      );
    });

    it('runs 4 runs over 2 workers, each fetching the corpus and sending its experiments back, with the figures of the same runs made alone', async () => {
      process.env.UNFOLD_REDIS_PASSWORD = PASSWORD;
      const dataDir = join(base, 'data');
      const file = join(base, 'queued.json');
      await writeFile(
        file,
        JSON.stringify({ corpus: 'reviews', config, grid: { 'training.seed': [1, 2, 3, 4] } }),
      );
      const workerOutput = (): string => queueWorkers.map((w) => w.output()).join('\n');
      const out = await runInProcessCli(
        (program) => registerSweepCommand(program, { worker }),
        ['sweep', file, '--out', 'queued', '--queue', url, '--data', dataDir, '--json'],
      );
      expect(out.exitCode, `${out.stdout}\n${out.stderr}\n${workerOutput()}`).toBe(0);
      const { summary } = JSON.parse(out.stdout) as { summary: SweepSummary };
      expect(summary.counts).toEqual({ runs: 4, done: 4, failed: 0 });

      // The same runs made alone: each run's config as planned, trained in this process.
      await trainRunsAlone(join(dataDir, 'sweeps', 'queued'), {
        dataDir,
        outDir: join(base, 'alone'),
      });

      const workers = new Set<string>();
      for (const run of summary.runs) {
        // The experiment arrived whole in the submitter's data folder, trained on a worker.
        const dir = join(dataDir, 'experiments', run.experiment);
        const metrics = await readMetrics(dir);
        expect(metrics.training?.epochs).toBe(2);
        expect(run.figures?.test.accuracy).toBe(
          (metrics.evaluations?.train as { accuracy: number }).accuracy,
        );
        expect(await stat(join(dir, 'model', 'model.json'))).toBeTruthy();
        const state = await readRunState(join(dataDir, 'sweeps', 'queued'), run.experiment);
        expect(state.worker).toMatch(/ pid \d+$/);
        workers.add(state.worker as string);
        const log = await readFile(join(dir, 'log.jsonl'), 'utf8');
        expect(log).toContain('"status":"done"');
        // Training is a function of the seed: every loss and figure equals the run made alone.
        expect(await trainedFigures(dir)).toEqual(
          await trainedFigures(join(base, 'alone', run.experiment)),
        );
      }
      expect(workers.size).toBe(2);
      // Each worker trained on its own copy of the corpus, fetched by hash.
      for (const data of ['worker-1-data', 'worker-2-data'])
        expect(await stat(join(base, data, 'corpora', 'reviews', 'corpus.json'))).toBeTruthy();
    });

    it('goes on when Redis is restarted mid-sweep', async () => {
      process.env.UNFOLD_REDIS_PASSWORD = PASSWORD;
      const dataDir = join(base, 'data');
      const file = join(base, 'restart.json');
      // Enough epochs that neither run can finish (and print "done") between the upload seen
      // below and Redis's stop, however fast the machine.
      const epochs = 40;
      const long = tinySweepRunConfig(epochs, 8);
      await writeFile(
        file,
        JSON.stringify({ corpus: 'reviews', config: long, grid: { 'training.seed': [5, 6] } }),
      );
      const sweep = runInProcessCli(
        (program) => registerSweepCommand(program, { worker }),
        ['sweep', file, '--out', 'restart', '--queue', url, '--data', dataDir, '--json'],
      );
      const both = { output: () => queueWorkers.map((w) => w.output()).join('\n') };
      await outputMatches(both, /restart-\d sent: after epoch 2 /, 'upload after epoch 2');
      const stoppedAt = queueWorkers.map((w) => w.output().length);
      await stopChild(redis);
      await startRedis();
      const out = await sweep;
      expect(out.exitCode, `${out.stdout}\n${out.stderr}\n${both.output()}`).toBe(0);
      const { summary } = JSON.parse(out.stdout) as { summary: SweepSummary };
      expect(summary.counts).toEqual({ runs: 2, done: 2, failed: 0 });
      // Both runs were still going when Redis stopped: the restarted one carried their completions.
      const after = queueWorkers.map((w, i) => w.output().slice(stoppedAt[i])).join('\n');
      for (const run of summary.runs) {
        expect(after).toContain(`${run.experiment} done`);
        const dir = join(dataDir, 'experiments', run.experiment);
        expect((await trainedFigures(dir)).epochs.map((e) => e.epoch)).toEqual(
          Array.from({ length: epochs }, (_, i) => i + 1),
        );
        expect((await readMetrics(dir)).evaluations?.train).toBeTruthy();
      }
    });

    it('retries the run of a worker killed with -9 on another, resuming from its checkpoint', async () => {
      // Only workers that give up a dead worker's run after 2 s take part.
      await Promise.all(queueWorkers.map((w) => stopChild(w.child)));
      process.env.UNFOLD_REDIS_PASSWORD = PASSWORD;
      const dataDir = join(base, 'data');
      const file = join(base, 'killed.json');
      const long = tinySweepRunConfig(40, 8);
      await writeFile(
        file,
        JSON.stringify({ corpus: 'reviews', config: long, grid: { seed: [3] } }),
      );
      const doomed = await startWorker(url, join(base, 'doomed-data'), ['--stalled-after', '2']);
      let rescuer: { child: ChildProcess; output: () => string } | undefined;
      try {
        const sweep = runInProcessCli(
          (program) => registerSweepCommand(program, { worker }),
          ['sweep', file, '--out', 'killed', '--queue', url, '--data', dataDir, '--json'],
        );
        await outputMatches(doomed, /killed-1 sent: after epoch 2 /, 'upload after epoch 2');
        doomed.child.kill('SIGKILL');
        rescuer = await startWorker(url, join(base, 'rescuer-data'), ['--stalled-after', '2']);
        const out = await sweep;
        expect(out.exitCode, `${out.stdout}\n${out.stderr}\n${rescuer.output()}`).toBe(0);
        const { summary } = JSON.parse(out.stdout) as { summary: SweepSummary };
        expect(summary.counts.done).toBe(1);
        expect(rescuer.output()).toMatch(/killed-1 started: retried/);
        const state = await readRunState(join(dataDir, 'sweeps', 'killed'), 'killed-1');
        expect(state.worker).toBe(/^(.+): taking runs/m.exec(rescuer.output())?.[1]);
        const lines = (
          await readFile(join(dataDir, 'experiments', 'killed-1', 'log.jsonl'), 'utf8')
        )
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { type: string; epoch?: number });
        expect(lines[0]?.type).toBe('start');
        expect(lines.some((line) => line.type === 'resume')).toBe(true);
        expect(lines.filter((line) => line.type === 'epoch').map((line) => line.epoch)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
      } finally {
        await stopChild(doomed.child);
        await stopChild(rescuer?.child);
      }
    });
  },
);
