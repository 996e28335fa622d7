import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobInfo } from '../../src-main/api/jobs';
import { createJobRunner } from '../../src-main/domain/jobs/job-runner';
import { forkWorker } from '../../src-main/server/worker-process';
import { expectedBackend } from '../support/expected-backend';

const root = join(import.meta.dirname, '..', '..');
const realWorker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const misbehaving = join(root, 'tests/fixtures/jobs/misbehaving-worker.mjs');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-jobs-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function misbehavingRunner(
  mode: string,
  extra: { maxHeapMb?: number; cancelGraceMs?: number } = {},
) {
  const updates: JobInfo[] = [];
  const runner = createJobRunner({
    dataDir,
    cancelGraceMs: extra.cancelGraceMs ?? 500,
    spawnWorker: () =>
      fork(misbehaving, [], {
        env: { ...process.env, MISBEHAVE: mode },
        execArgv: extra.maxHeapMb ? [`--max-old-space-size=${extra.maxHeapMb}`] : [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      }),
    onUpdate: (job) => updates.push(job),
  });
  return { runner, updates };
}

describe('job runner', () => {
  it('runs the selftest in its own process to success, with progress and a result', async () => {
    const updates: JobInfo[] = [];
    const runner = createJobRunner({
      dataDir,
      spawnWorker: () => forkWorker(realWorker),
      onUpdate: (j) => updates.push(j),
    });
    const job = runner.start({
      kind: 'selftest',
      params: { steps: 40, units: 8, timeSteps: 10, batch: 8, seed: 1 },
    });
    expect(job.state).toBe('running');
    const ended = await runner.whenEnded(job.id);
    expect(ended.error).toBeUndefined();
    expect(ended.state).toBe('succeeded');
    expect(ended.result).toMatchObject({ backend: await expectedBackend(), steps: 40 });
    const result = ended.result as { stepsPerSecond: number; firstLoss: number; lastLoss: number };
    expect(result.stepsPerSecond).toBeGreaterThan(0);
    expect(result.lastLoss).toBeLessThan(result.firstLoss);
    expect(updates[0]?.state).toBe('queued');
    expect(updates.map((u) => u.state)).toContain('running');
    expect(updates.some((u) => u.progress.metrics?.loss !== undefined)).toBe(true);
    expect(runner.list()).toHaveLength(1);
  });

  it('cancels a running selftest cooperatively and a queued one at once', async () => {
    const runner = createJobRunner({
      dataDir,
      spawnWorker: () => forkWorker(realWorker),
      maxConcurrent: 1,
    });
    const long = runner.start({
      kind: 'selftest',
      params: { steps: 1_000_000, units: 8, timeSteps: 5, batch: 4, seed: 1 },
    });
    const queued = runner.start({
      kind: 'selftest',
      params: { steps: 10, units: 8, timeSteps: 5, batch: 4, seed: 1 },
    });
    expect(runner.cancel(queued.id).state).toBe('cancelled');
    // Wait until the long job has really started training before cancelling it.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (runner.get(long.id).progress.metrics?.loss !== undefined) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    runner.cancel(long.id);
    const ended = await runner.whenEnded(long.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.endedAt).toBeDefined();
  });

  it('reports a crashed job process as failed and keeps going', async () => {
    const { runner } = misbehavingRunner('crash');
    const job = runner.start({
      kind: 'selftest',
      params: { steps: 1, units: 1, timeSteps: 1, batch: 1, seed: 1 },
    });
    const ended = await runner.whenEnded(job.id);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('JOB_CRASHED');
    expect(ended.error?.message).toContain('exited with code 3');
  });

  it('kills a job that ignores cancellation after the grace period', async () => {
    const { runner } = misbehavingRunner('ignore-cancel', { cancelGraceMs: 300 });
    const job = runner.start({
      kind: 'selftest',
      params: { steps: 1, units: 1, timeSteps: 1, batch: 1, seed: 1 },
    });
    // Running, past the point where a cooperative job would have stopped.
    await vi.waitFor(() => expect(runner.get(job.id).state).toBe('running'), { timeout: 30_000 });
    runner.cancel(job.id);
    const ended = await runner.whenEnded(job.id);
    expect(ended.state).toBe('cancelled');
  });

  it('names an out-of-memory job as such', async () => {
    const { runner } = misbehavingRunner('oom', { maxHeapMb: 64 });
    const job = runner.start({
      kind: 'selftest',
      params: { steps: 1, units: 1, timeSteps: 1, batch: 1, seed: 1 },
    });
    const ended = await runner.whenEnded(job.id);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('JOB_OUT_OF_MEMORY');
  });

  it('says what each job works on, from its start to its end', async () => {
    const { runner, updates } = misbehavingRunner('crash');
    const job = runner.start({
      kind: 'corpus-validate',
      params: { corpus: 'digits', checkAudio: false },
    });
    expect(job.subject).toEqual({ kind: 'corpus', name: 'digits' });
    const ended = await runner.whenEnded(job.id);
    expect(ended.subject).toEqual({ kind: 'corpus', name: 'digits' });
    expect(updates.every((u) => u.subject?.name === 'digits')).toBe(true);
  });

  it('refuses unknown job ids with a clear error', () => {
    const { runner } = misbehavingRunner('crash');
    expect(() => runner.cancel('job-nope')).toThrow(/no job with id job-nope/);
  });
});
