/**
 * Sweeps on one machine, no Redis: `unfold sweep` runs a 2x2 grid of tiny sentiment CNNs on a
 * local pool of two job processes, every run an ordinary experiment whose figures fill the
 * summary and equal those of the same run made alone (training is a function of its seed); a
 * sweep stopped mid-run resumes, keeping its finished run and continuing the interrupted one
 * from its checkpoint.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSweepCommand } from '../../src-main/cli/commands/sweep-command';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { readMetrics } from '../../src-main/domain/experiments/experiment-metrics';
import { createLocalPool } from '../../src-main/domain/sweeps/local-pool';
import { parseSweepSpec } from '../../src-main/domain/sweeps/read-sweep-file';
import { resumeSweep, startSweep } from '../../src-main/domain/sweeps/run-sweep';
import { readRunState } from '../../src-main/domain/sweeps/sweep-folder';
import { expandSweep } from '../../src-main/domain/sweeps/sweep-plan';
import type { SweepSummary } from '../../src-main/domain/sweeps/sweep-summary';
import { forkWorker } from '../../src-main/server/worker-process';
import { runInProcessCli } from '../support/in-process-cli';
import { trainRunsAlone, trainedFigures } from '../support/sweep-runs';
import { toySentimentItems } from '../support/toy-sentiment';
import { TINY_SWEEP_RUN_CONFIG, tinySweepRunConfig } from '../support/tiny-sweep';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };

const config = TINY_SWEEP_RUN_CONFIG;

let base = '';
let dataDir = '';

async function logLines(experiment: string): Promise<Array<{ type: string }>> {
  const text = await readFile(join(dataDir, 'experiments', experiment, 'log.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });
}

describe('sweeps on a local pool', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'unfold-sweep-'));
    dataDir = join(base, 'data');
    await createTextCorpus(
      join(dataDir, 'corpora', 'reviews'),
      new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(90, 5) }]]),
      { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
    );
  });
  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('runs a grid as experiments over two processes and tables their figures', async () => {
    const file = join(base, 'cnn-sweep.json');
    await writeFile(
      file,
      JSON.stringify({
        corpus: 'reviews',
        config,
        grid: { 'model.filters': [2, 4], 'training.seed': [1, 2] },
      }),
    );
    const out = await runInProcessCli(
      (program) => registerSweepCommand(program, { worker }),
      ['sweep', file, '--out', 'cnn', '--workers', '2', '--data', dataDir, '--json'],
    );
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const { dir, summary } = JSON.parse(out.stdout) as { dir: string; summary: SweepSummary };
    expect(dir).toBe(join(dataDir, 'sweeps', 'cnn'));
    expect(summary.counts).toEqual({ runs: 4, done: 4, failed: 0 });
    expect(summary.runs.map((r) => [r.experiment, r.values])).toEqual([
      ['cnn-1', { 'model.filters': 2, 'training.seed': 1 }],
      ['cnn-2', { 'model.filters': 2, 'training.seed': 2 }],
      ['cnn-3', { 'model.filters': 4, 'training.seed': 1 }],
      ['cnn-4', { 'model.filters': 4, 'training.seed': 2 }],
    ]);
    // Each run is an ordinary experiment; the table's test figures are its metrics.json's.
    const csv = (await readFile(join(dir, 'summary.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toMatch(/^run,experiment,status,model\.filters,training\.seed,epochs,/);
    expect(csv).toHaveLength(5);
    for (const run of summary.runs) {
      const stored = JSON.parse(
        await readFile(join(dataDir, 'experiments', run.experiment, 'config.json'), 'utf8'),
      ) as { model: { filters: number }; training: { seed: number } };
      expect(stored.model.filters).toBe(run.values['model.filters']);
      expect(stored.training.seed).toBe(run.values['training.seed']);
      const metrics = await readMetrics(join(dataDir, 'experiments', run.experiment));
      const test = metrics.evaluations?.train as { accuracy: number };
      expect(run.figures?.test.accuracy).toBe(test.accuracy);
      expect(run.figures?.epochs).toBe(1);
    }
    // Two runs at once in processes of their own compute what each run computes alone.
    await trainRunsAlone(dir, { dataDir, outDir: join(base, 'alone') });
    for (const run of summary.runs)
      expect(await trainedFigures(join(dataDir, 'experiments', run.experiment))).toEqual(
        await trainedFigures(join(base, 'alone', run.experiment)),
      );

    // A sweep of that name is not started again by accident.
    const again = await runInProcessCli(
      (program) => registerSweepCommand(program, { worker }),
      ['sweep', file, '--out', 'cnn', '--data', dataDir],
    );
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('already holds a sweep. Continue it with --resume');
  });

  it('stops mid-run and resumes: the finished run kept, the interrupted one from its checkpoint', async () => {
    const spec = parseSweepSpec(
      {
        corpus: 'reviews',
        config: tinySweepRunConfig(6, 8),
        grid: { 'training.seed': [1, 2] },
      },
      'stop.json',
    );
    const plan = expandSweep(spec, {
      name: 'stop',
      tasks: EXPERIMENT_TASK_REGISTRY,
      source: { label: 'stop.json' },
    });
    const dir = join(dataDir, 'sweeps', 'stop');
    const controller = new AbortController();
    const pool = createLocalPool({ dataDir, workers: 1, spawnWorker: () => forkWorker(worker) });
    try {
      await expect(
        startSweep(plan, {
          dir,
          dataDir,
          tasks: EXPERIMENT_TASK_REGISTRY,
          executor: pool,
          signal: controller.signal,
          // Stop once run 2 is past its first epoch, whose checkpoint is then committed.
          onRunUpdate: ({ state, progress }) => {
            if (state.experiment === 'stop-2' && (progress?.metrics?.epoch ?? 0) >= 3)
              controller.abort();
          },
        }),
      ).rejects.toThrow('cancelled');
    } finally {
      await pool.dispose();
    }
    expect((await readRunState(dir, 'stop-1')).status).toBe('done');
    expect((await readRunState(dir, 'stop-2')).status).toBe('cancelled');
    const firstLog = await logLines('stop-1');

    const again = createLocalPool({ dataDir, workers: 1, spawnWorker: () => forkWorker(worker) });
    try {
      const resumed = await resumeSweep(dir, {
        dataDir,
        tasks: EXPERIMENT_TASK_REGISTRY,
        executor: again,
      });
      expect(resumed.summary.complete).toBe(true);
      expect(resumed.summary.runs.map((r) => r.attempts)).toEqual([1, 2]);
    } finally {
      await again.dispose();
    }
    expect(await logLines('stop-1')).toEqual(firstLog);
    const types = (await logLines('stop-2')).map((line) => line.type);
    expect(types[0]).toBe('start');
    expect(types).toContain('resume');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(6);
  });
});
