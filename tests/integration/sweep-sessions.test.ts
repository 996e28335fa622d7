/**
 * The app's sweeps (server/sweep-sessions.ts, behind the `sweeps:*` channels): a sweep given by
 * a client is checked before anything runs (a bad field, a config by path), runs on a local pool
 * of job processes with every change sent as `sweeps:updated`, stops with its finished run kept,
 * and resumes to the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepUpdatedData } from '../../src-main/api/sweeps';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { createEventHub } from '../../src-main/server/event-hub';
import { createSweepSessions, type SweepSessions } from '../../src-main/server/sweep-sessions';
import { forkWorker } from '../../src-main/server/worker-process';
import { toySentimentItems } from '../support/toy-sentiment';
import { TINY_SWEEP_RUN_CONFIG } from '../support/tiny-sweep';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };

const config = TINY_SWEEP_RUN_CONFIG;

let base = '';
let sessions: SweepSessions;
const updates: SweepUpdatedData[] = [];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'unfold-sweep-sessions-'));
  const dataDir = join(base, 'data');
  await createTextCorpus(
    join(dataDir, 'corpora', 'reviews'),
    new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(90, 5) }]]),
    { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
  );
  const events = createEventHub();
  events.subscribe((channel, payload) => {
    if (channel === 'sweeps:updated') updates.push(payload as SweepUpdatedData);
  });
  sessions = createSweepSessions({ dataDir, events, spawnJobProcess: () => forkWorker(worker) });
});

afterAll(async () => {
  await sessions?.dispose();
  if (base) await rm(base, { recursive: true, force: true });
});

const until = async (check: () => boolean, what: string, ms = 120_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the app sweeps', () => {
  it('refuses a field the config does not have, and a config given by path, before running', async () => {
    await expect(
      sessions.start({
        name: 'bad',
        spec: { corpus: 'reviews', config, grid: { 'training.learningRate': [0.1] } },
        replace: false,
      }),
    ).rejects.toMatchObject({
      code: 'BAD_SWEEP',
      message: expect.stringContaining('"training.learningRate"'),
    });
    await expect(
      sessions.start({
        name: 'bad',
        spec: {
          corpus: 'reviews',
          config: '../../etc/config.json',
          grid: { 'model.filters': [2] },
        },
        replace: false,
      }),
    ).rejects.toMatchObject({ code: 'BAD_SWEEP' });
    expect(await sessions.list()).toEqual([]);
  });

  it('runs, stops with the finished run kept, and resumes to the end', async () => {
    // The second run is long enough to be still training when the stop lands (12 tiny epochs
    // are a few tenths of a second on a fast idle machine).
    const started = await sessions.start({
      name: 'epochs',
      spec: { corpus: 'reviews', config, grid: { 'training.epochs': [1, 60] } },
      workers: 1,
      replace: false,
    });
    expect(started.runs.map((r) => r.experiment)).toEqual(['epochs-1', 'epochs-2']);
    expect(started.active?.workers).toBe(1);

    // The second run is caught training (after an epoch), then the sweep is stopped.
    await until(
      () =>
        updates.some((u) =>
          u.active?.runs.some(
            (r) => r.experiment === 'epochs-2' && (r.progress.fraction ?? 0) > 0.1,
          ),
        ),
      'the second run to train',
    );
    const stopped = await sessions.stop('epochs');
    expect(stopped.active).toBeNull();
    expect(stopped.states.map((s) => s.status)).toEqual(['done', 'cancelled']);
    expect(updates.some((u) => u.run?.experiment === 'epochs-1' && u.run.status === 'done')).toBe(
      true,
    );

    await sessions.resume({ name: 'epochs', workers: 1 });
    await until(
      () => updates.at(-1)?.name === 'epochs' && updates.at(-1)?.active === null,
      'the end',
    );
    const done = await sessions.get('epochs');
    expect(done.lastError).toBeNull();
    expect(done.states.map((s) => [s.status, s.attempts])).toEqual([
      ['done', 1],
      ['done', 2],
    ]);
    expect(done.summary?.complete).toBe(true);
    expect(done.summary?.runs.map((r) => r.figures?.epochs)).toEqual([1, 60]);
    expect((await sessions.list()).map((s) => s.name)).toEqual(['epochs']);
  });
});
