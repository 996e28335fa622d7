import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src-main/api/jobs';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { createJobRunner, type JobRunner } from '../../src-main/domain/jobs/job-runner';
import { forkWorker } from '../../src-main/server/worker-process';
import { synthesiseTinyWords } from '../support/tiny-corpora';
import { tinyWordsConfig } from '../support/tiny-experiments';

// Training through the job runner: each run in its own process, cancelled and resumed from
// its last checkpoint, then evaluated as a job of its own.
const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const canSynthesise = await hasProgram('espeak-ng');

let base = '';
let dataDir = '';
let runner: JobRunner;

// Far more epochs than are trained before the cancel lands: a tiny epoch takes a few ms on a fast
// idle machine, so 40 could all be trained between two looks at the job (the run is cancelled,
// so the count costs nothing).
const EPOCHS = 400;
const config = tinyWordsConfig('job-words', 'words', {
  model: { layers: [{ cell: 'lstm', units: 16 }] },
  training: { epochs: EPOCHS },
  seed: 5,
});

async function logLines(): Promise<{ type: string; epoch?: number }[]> {
  const text = await readFile(join(dataDir, 'experiments', 'job-words', 'log.jsonl'), 'utf8').catch(
    () => '',
  );
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; epoch?: number });
}

describe.skipIf(!canSynthesise)('speech training as a job', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'unfold-experiment-jobs-'));
    dataDir = join(base, 'data');
    await synthesiseTinyWords(dataDir, { stretches: [1] });
    runner = createJobRunner({ dataDir, spawnWorker: () => forkWorker(worker) });
  });
  afterAll(async () => {
    await runner?.dispose();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('is cancelled after a checkpoint, resumes from it, finishes and is evaluated', async () => {
    const first = runner.start({ kind: 'experiment-train', params: { config, resume: false } });
    // Cancel once epoch 3 is under way, so epoch 2's checkpoint is on disk: the job's own
    // progress (in memory, every batch), not the log file read every 200 ms.
    await expect
      .poll(() => runner.get(first.id).progress.metrics?.epoch ?? 0, {
        timeout: 120_000,
        interval: 10,
      })
      .toBeGreaterThanOrEqual(3);
    runner.cancel(first.id);
    const cancelled = await runner.whenEnded(first.id);
    expect(cancelled.state).toBe('cancelled');
    const epochsBefore = (await logLines()).filter((line) => line.type === 'epoch');
    expect(epochsBefore.length).toBeGreaterThanOrEqual(2);
    expect(epochsBefore.length).toBeLessThan(EPOCHS);

    const shortened = {
      ...config,
      training: { ...config.training, epochs: epochsBefore.length + 2 },
    };
    const second = runner.start({
      kind: 'experiment-train',
      params: { config: shortened, resume: true },
    });
    const resumed: JobInfo = await runner.whenEnded(second.id);
    expect(resumed.error).toBeUndefined();
    expect(resumed.state).toBe('succeeded');
    const lines = await logLines();
    expect(lines.map((line) => line.type)).toContain('resume');
    const afterResume = lines.slice(lines.findIndex((line) => line.type === 'resume'));
    const resumedEpochs = afterResume.filter((line) => line.type === 'epoch');
    // It carried on from the checkpoint instead of starting again at epoch 1.
    expect(resumedEpochs.length).toBeGreaterThanOrEqual(1);
    expect(resumedEpochs.length).toBeLessThanOrEqual(3);
    expect(resumedEpochs[0]?.epoch).toBeGreaterThan(1);
    const result = resumed.result as { epochs: number; testMetric: number | null };
    expect(result.epochs).toBe(epochsBefore.length + 2);
    expect(result.testMetric).toBeGreaterThanOrEqual(0);

    const evaluation = runner.start({
      kind: 'experiment-evaluate',
      params: { experiment: 'job-words', split: 'test' },
    });
    const evaluated = await runner.whenEnded(evaluation.id);
    expect(evaluated.state).toBe('succeeded');
    expect((evaluated.result as { metric: number }).metric).toBeCloseTo(result.testMetric ?? -1, 6);
  });

  it('fails a job whose config is invalid, naming the field', async () => {
    const job = runner.start({
      kind: 'experiment-train',
      params: { config: { name: 'bad', task: 'dance', corpus: 'words' }, resume: false },
    });
    const ended = await runner.whenEnded(job.id);
    expect(ended.state).toBe('failed');
    expect(ended.error?.message).toMatch(/task/);
  });
});
