/**
 * Cross-validation as a job of the job runner (its own process, as the app runs it): the
 * result names the folds' experiments and the mean and sd of their figures; a resumed job
 * keeps the finished folds; a resume with other folds is refused.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentCrossValidateResult } from '../../src-main/api/jobs';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import type { CrossValidationSummary } from '../../src-main/domain/experiments/cross-validation-summary';
import { createJobRunner, type JobRunner } from '../../src-main/domain/jobs/job-runner';
import { forkWorker } from '../../src-main/server/worker-process';
import { toySentimentItems } from '../support/toy-sentiment';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };

let base = '';
let runner: JobRunner;

const config = {
  name: 'job-cv',
  task: 'sentiment',
  corpus: 'reviews',
  data: { train: { splits: ['train'] }, dev: null, test: { splits: ['train'] } },
  words: { embeddingSize: 8, wordDropout: 0 },
  model: { kind: 'cnn', widths: [2], filters: 4 },
  training: { epochs: 1, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
};

describe('cross-validation as a job', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'unfold-cross-validation-job-'));
    const dataDir = join(base, 'data');
    await createTextCorpus(
      join(dataDir, 'corpora', 'reviews'),
      new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(90, 5) }]]),
      { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
    );
    runner = createJobRunner({ dataDir, spawnWorker: () => forkWorker(worker) });
  });
  afterAll(async () => {
    await runner?.dispose();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('runs every fold, reports their mean and sd, and resumes keeping them', async () => {
    const job = runner.start({
      kind: 'experiment-cross-validate',
      params: {
        config: { ...config, data: { ...config.data, heldOut: null } },
        folds: 2,
        resume: false,
      },
    });
    expect(job.title).toBe('Cross-validate job-cv (2 folds)');
    expect(job.subject).toEqual({ kind: 'experiment', name: 'job-cv' });
    const ended = await runner.whenEnded(job.id);
    expect(ended.error).toBeUndefined();
    const result = ended.result as ExperimentCrossValidateResult;
    expect(result.experiments).toEqual(['job-cv-fold-1', 'job-cv-fold-2']);
    const summary = JSON.parse(
      await readFile(join(base, 'data', 'experiments', 'job-cv', 'summary.json'), 'utf8'),
    ) as CrossValidationSummary;
    expect(result.mean).toEqual(summary.mean);
    expect(result.sd).toEqual(summary.sd);
    expect(summary.results.map((r) => r.items?.dev)).toEqual([0, 0]);

    const refused = await runner.whenEnded(
      runner.start({
        kind: 'experiment-cross-validate',
        params: { config, folds: 3, resume: true },
      }).id,
    );
    expect(refused.state).toBe('failed');
    expect(refused.error?.message).toContain('is a cross-validation of 2 folds, not 3');

    const resumed = await runner.whenEnded(
      runner.start({
        kind: 'experiment-cross-validate',
        params: { config, folds: 2, resume: true },
      }).id,
    );
    expect(resumed.state).toBe('succeeded');
    const again = JSON.parse(
      await readFile(join(base, 'data', 'experiments', 'job-cv', 'summary.json'), 'utf8'),
    ) as CrossValidationSummary;
    expect(again.results).toEqual(summary.results);
  });
});
