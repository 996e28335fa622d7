/**
 * The app's sweeps on a queue (server/sweep-sessions.ts through the `sweeps:*` channels, with
 * `queue`): a redis-server of its own (random loopback port, a password), one `unfold worker`
 * process with a data folder of its own, and the app's main with the password in its
 * environment only. A 2-run sweep runs on the worker, which fetches the corpus from the app and
 * sends the experiments back; the runs show the worker's name; its end, and a stop, close the
 * endpoint. A password in the URL, a wrong password and no password come back as the request's
 * error, before anything is written.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseEnvelope } from '../../src-main/api/envelope';
import type { SweepData, SweepUpdatedData } from '../../src-main/api/sweeps';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { readMetrics } from '../../src-main/domain/experiments/experiment-metrics';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { freePort, startUntil, stopChild } from '../support/child-processes';
import { toySentimentItems } from '../support/toy-sentiment';
import { TINY_SWEEP_RUN_CONFIG, queueWorkerArgs, tinySweepRunConfig } from '../support/tiny-sweep';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const PASSWORD = 'sweep-sessions-secret';

const config = TINY_SWEEP_RUN_CONFIG;
const spec = { corpus: 'reviews', config, grid: { 'training.seed': [1, 2] } };

describe.skipIf(!hasRedis)(
  `the app's sweeps on a queue${hasRedis ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    /** Every child this file started, stopped at the end whatever happened. */
    const started: ChildProcess[] = [];
    const apps: UnfoldApp[] = [];
    const updates: SweepUpdatedData[] = [];
    let base = '';
    let dataDir = '';
    let url = '';
    let queueWorker: { child: ChildProcess; output: () => string } | undefined;

    /** An app whose main has `password` (or none) in its environment. */
    const appWith = (password: string | undefined): UnfoldApp => {
      const env = { ...process.env };
      delete env.UNFOLD_REDIS_PASSWORD;
      if (password !== undefined) env.UNFOLD_REDIS_PASSWORD = password;
      const app = createUnfoldApp({ dataDir, worker, version: 'test', env });
      apps.push(app);
      return app;
    };
    const sweepOf = (response: ResponseEnvelope): SweepData => {
      if (!response.ok) throw new Error(`[${response.error.code}] ${response.error.message}`);
      return response.result as SweepData;
    };

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), 'unfold-sweep-sessions-queue-'));
      dataDir = join(base, 'data');
      const port = await freePort();
      url = `redis://127.0.0.1:${port}`;
      const track = (child: ChildProcess): void => void started.push(child);
      await startUntil(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--save', ''],
        /Ready to accept connections/,
        process.env,
        track,
      );
      await createTextCorpus(
        join(dataDir, 'corpora', 'reviews'),
        new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(90, 5) }]]),
        { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
      );
      queueWorker = await startUntil(
        process.execPath,
        queueWorkerArgs(url, { concurrency: 2, dataDir: join(base, 'worker-data') }),
        /taking runs from/,
        { ...process.env, UNFOLD_REDIS_PASSWORD: PASSWORD },
        track,
      );
    }, 60_000);

    afterAll(async () => {
      for (const app of apps) await app.dispose();
      // The worker first, Redis last (the worker waits on it).
      for (const child of started.reverse()) await stopChild(child);
      if (base) await rm(base, { recursive: true, force: true });
    });

    it('gives a password in the URL, a wrong password and none as the request error, writing nothing', async () => {
      const app = appWith(PASSWORD);
      const withPassword = `redis://:${PASSWORD}@127.0.0.1:${new URL(url).port}`;
      expect(
        await app.dispatch('sweeps:start', { name: 'refused', spec, queue: { url: withPassword } }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'BAD_QUEUE_URL',
          message: expect.stringContaining('Do not put the password in the queue URL'),
        },
      });
      expect(
        await appWith('not-the-password').dispatch('sweeps:start', {
          name: 'refused',
          spec,
          queue: { url },
        }),
      ).toEqual({
        ok: false,
        error: {
          code: 'QUEUE_AUTH',
          message: `The queue at ${url} refused the password: check UNFOLD_REDIS_PASSWORD or --password-file (and the user in the URL).`,
        },
      });
      expect(
        await app.dispatch('sweeps:start', {
          name: 'refused',
          spec,
          queue: { url, passwordSource: 'none' },
        }),
      ).toMatchObject({ ok: false, error: { code: 'QUEUE_AUTH' } });
      expect(
        await app.dispatch('sweeps:start', { name: 'refused', spec, workers: 2, queue: { url } }),
      ).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
      expect(await app.dispatch('sweeps:list', undefined)).toEqual({ ok: true, result: [] });
    });

    it("runs 2 runs on the queue's worker, which sends their experiments back", async () => {
      const app = appWith(PASSWORD);
      app.events.subscribe((channel, payload) => {
        if (channel === 'sweeps:updated') updates.push(payload as SweepUpdatedData);
      });
      const sweep = sweepOf(
        await app.dispatch('sweeps:start', { name: 'queued', spec, queue: { url } }),
      );
      expect(sweep.runs.map((r) => r.experiment)).toEqual(['queued-1', 'queued-2']);
      expect(sweep.active?.workers).toBeNull();
      const served =
        /^queue redis:\/\/127\.0\.0\.1:\d+ \(data served at (http:\/\/127\.0\.0\.1:\d+)\)$/.exec(
          sweep.active?.executor ?? '',
        );
      expect(served, sweep.active?.executor).not.toBeNull();
      expect(sweep.active?.executor).toContain(url);

      const end = Date.now() + 120_000;
      while (!updates.some((u) => u.name === 'queued' && u.active === null)) {
        if (Date.now() > end) throw new Error(`no end of the sweep: ${queueWorker?.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const done = sweepOf(await app.dispatch('sweeps:get', { name: 'queued' }));
      expect(done.lastError, queueWorker?.output()).toBeNull();
      expect(done.active).toBeNull();
      expect(done.summary?.counts, JSON.stringify(done.states)).toEqual({
        runs: 2,
        done: 2,
        failed: 0,
      });

      // The worker's name as it reports it ("host pid N"), on each run and in the live updates.
      const name = /^(.+): taking runs/m.exec(queueWorker?.output() ?? '')?.[1];
      expect(name).toMatch(/ pid \d+$/);
      expect(done.states.map((s) => [s.status, s.worker])).toEqual([
        ['done', name],
        ['done', name],
      ]);
      for (const experiment of ['queued-1', 'queued-2'])
        expect(
          updates.some(
            (u) =>
              u.run?.experiment === experiment &&
              u.run.status === 'running' &&
              u.run.worker === name,
          ),
        ).toBe(true);

      // The experiments arrived whole in the app's data folder, trained and evaluated there.
      for (const run of done.summary?.runs ?? []) {
        const dir = join(dataDir, 'experiments', run.experiment);
        expect(await stat(join(dir, 'model', 'model.json'))).toBeTruthy();
        const metrics = await readMetrics(dir);
        expect(metrics.training?.epochs).toBe(1);
        expect(run.figures?.test.accuracy).toBe(
          (metrics.evaluations?.train as { accuracy: number }).accuracy,
        );
      }
      // The worker trained on its own copy of the corpus, fetched from the app.
      expect(
        await stat(join(base, 'worker-data', 'corpora', 'reviews', 'corpus.json')),
      ).toBeTruthy();
      // The sweep's end closed the endpoint it served the worker from.
      await expect(fetch(served?.[1] as string)).rejects.toThrow();
    });

    it('stops: the running run cancelled, the endpoint closed, the worker gives the run up', async () => {
      const app = appWith(PASSWORD);
      const seen: SweepUpdatedData[] = [];
      app.events.subscribe((channel, payload) => {
        if (channel === 'sweeps:updated') seen.push(payload as SweepUpdatedData);
      });
      const long = tinySweepRunConfig(2000, 8);
      const sweep = sweepOf(
        await app.dispatch('sweeps:start', {
          name: 'stopped',
          spec: { corpus: 'reviews', config: long, grid: { 'training.seed': [3] } },
          queue: { url },
        }),
      );
      const served = /data served at (http:\/\/[^)]+)\)/.exec(sweep.active?.executor ?? '')?.[1];
      expect(served).toBeDefined();
      // The endpoint answers (it wants the sweep's token) while the sweep runs.
      expect((await fetch(served as string)).status).toBe(401);
      const end = Date.now() + 60_000;
      while (!seen.some((u) => u.active?.runs.some((r) => (r.progress.fraction ?? 0) > 0.05))) {
        if (Date.now() > end) throw new Error(`no progress: ${queueWorker?.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const stopped = sweepOf(await app.dispatch('sweeps:stop', { name: 'stopped' }));
      expect(stopped.active).toBeNull();
      expect(stopped.lastError).toBeNull();
      expect(stopped.states.map((s) => s.status)).toEqual(['cancelled']);
      await expect(fetch(served as string)).rejects.toThrow();
      // The worker's next epoch upload finds no endpoint (twice): it gives the run up.
      await expect
        .poll(() => queueWorker?.output() ?? '', { timeout: 60_000, interval: 200 })
        .toMatch(/stopped-1 failed: Gave up stopped-1: its folder could not be sent back/);
    });
  },
);
