/**
 * Held-out parts and k-fold cross-validation through the experiments module, on a toy
 * sentiment corpus that comes as one `train` split (as the polarity importer writes MR): the
 * declared default division, k fold experiments and their summary, cancel and resume.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import {
  DEFAULT_HELD_OUT,
  HELD_OUT_SPLITS,
} from '../../src-main/domain/experiments/config/common-config';
import {
  crossValidate,
  readCrossValidation,
  resumeCrossValidation,
} from '../../src-main/domain/experiments/cross-validation';
import type { CrossValidationSummary } from '../../src-main/domain/experiments/cross-validation-summary';
import { sampleSd } from '../../src-main/domain/experiments/cross-validation-summary';
import { evaluateExperiment } from '../../src-main/domain/experiments/evaluate-experiment';
import { listExperiments } from '../../src-main/domain/experiments/experiment-list';
import type { Progress } from '../../src-main/domain/jobs/progress';
import { trainExperiment } from '../support/builtin-experiments';
import { toySentimentItems } from '../support/toy-sentiment';

let dataDir = '';
const ITEMS = 150;

/** A tiny classifier, asking for dev and test splits the corpus does not have. */
function tinyClassifier(name: string): Record<string, unknown> {
  return {
    name,
    task: 'sentiment',
    corpus: 'toy',
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    words: { embeddingSize: 8, wordDropout: 0 },
    model: { layers: [{ cell: 'gru', units: 8 }], pooling: 'max' },
    training: { epochs: 2, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
    seed: 3,
  };
}

const experiments = (): string => join(dataDir, 'experiments');

async function json<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

interface FoldMetrics {
  training: { heldOut: { items: { train: number; dev: number; test: number } } };
  evaluations: Record<string, { accuracy: number; sentences: number; macroF1: number }>;
}

const options = () => ({ dataDir, tasks: EXPERIMENT_TASK_REGISTRY });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-cross-validation-'));
  await createTextCorpus(
    join(dataDir, 'corpora', 'toy'),
    new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(ITEMS, 31) }]]),
    { name: 'toy', format: 'tsv', sourcePath: 'generated' },
  );
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a corpus with one split', () => {
  it('is divided by the declared default, recorded in config.json, sized in metrics.json and tested on its held-out part', async () => {
    const result = await trainExperiment(tinyClassifier('fixed'), { dataDir });
    const dir = join(experiments(), 'fixed');
    const config = await json<{ data: unknown }>(join(dir, 'config.json'));
    expect(config.data).toEqual({
      train: { splits: ['train'] },
      dev: { splits: ['train'] },
      test: { splits: ['train'] },
      heldOut: DEFAULT_HELD_OUT,
    });
    const metrics = await json<FoldMetrics>(join(dir, 'metrics.json'));
    const { items } = metrics.training.heldOut;
    expect(items.train + items.dev + items.test).toBe(ITEMS);
    expect(Object.keys(metrics.evaluations)).toEqual([HELD_OUT_SPLITS.test]);
    expect(metrics.evaluations[HELD_OUT_SPLITS.test]?.sentences).toBe(items.test);
    // The held-out parts of 150 toy sentences are small: the run says so.
    expect(items.dev).toBeLessThan(30);
    expect(result.warnings).toContain(
      `the held-out dev part has ${items.dev} items: one error moves its accuracy by ${(100 / items.dev).toFixed(1)} points, and the best epoch is chosen by that accuracy`,
    );
    expect(result.warnings).toEqual(
      (await json<{ training: { warnings: string[] } }>(join(dir, 'metrics.json'))).training
        .warnings,
    );
    // Evaluating again without a split, or naming the held-out part, tests the same sentences;
    // naming the corpus's split tests all of it.
    const again = await evaluateExperiment(dir, options());
    expect(again.ref).toEqual({ corpus: null, split: HELD_OUT_SPLITS.test });
    const named = await evaluateExperiment(dir, { ...options(), split: HELD_OUT_SPLITS.test });
    expect(named.ref).toEqual(again.ref);
    const whole = await evaluateExperiment(dir, { ...options(), split: 'train' });
    expect(whole.ref).toEqual({ corpus: null, split: 'train' });
    expect((whole.result as { sentences: number }).sentences).toBe(ITEMS);
  });
});

describe('cross-validation', () => {
  it('trains k fold experiments and a summary whose mean and sd are those of the folds own evaluations', async () => {
    const messages: string[] = [];
    const result = await crossValidate(tinyClassifier('cv'), {
      ...options(),
      folds: 3,
      onProgress: (p: Progress) => {
        if (p.message) messages.push(p.message);
      },
    });
    expect(result.dir).toBe(join(experiments(), 'cv'));
    expect(result.plan.experiments).toEqual(['cv-fold-1', 'cv-fold-2', 'cv-fold-3']);
    const accuracies: number[] = [];
    let tested = 0;
    for (const [k, name] of result.plan.experiments.entries()) {
      const dir = join(experiments(), name);
      const config = await json<{ data: { heldOut: unknown } }>(join(dir, 'config.json'));
      expect(config.data.heldOut).toEqual({ folds: 3, testFold: k + 1, devShare: 0.1, seed: 1 });
      const metrics = await json<FoldMetrics>(join(dir, 'metrics.json'));
      const evaluation = metrics.evaluations[HELD_OUT_SPLITS.test];
      accuracies.push(evaluation?.accuracy ?? Number.NaN);
      tested += metrics.training.heldOut.items.test;
      expect(result.summary.results[k]?.figures.accuracy).toBe(evaluation?.accuracy);
      expect(result.summary.results[k]?.items).toEqual(metrics.training.heldOut.items);
    }
    // The folds partition the corpus: every sentence is tested once.
    expect(tested).toBe(ITEMS);
    const summary = await json<CrossValidationSummary>(join(result.dir, 'summary.json'));
    expect(summary).toEqual(result.summary);
    expect(summary.complete).toBe(true);
    expect(summary.mean.accuracy).toBeCloseTo(
      accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
      12,
    );
    expect(summary.sd.accuracy).toBeCloseTo(sampleSd(accuracies) as number, 12);
    const pooled = summary.confusion.counts.flat().reduce((a, b) => a + b, 0);
    expect(pooled).toBe(ITEMS);
    expect(messages.some((m) => m.startsWith('fold 2/3: epoch 1/2'))).toBe(true);
    // The list shows the folds as the experiments they are; the summary's folder is no experiment.
    const listed = (await listExperiments(dataDir)).map((e) => e.name);
    expect(listed).toEqual(expect.arrayContaining(['cv-fold-1', 'cv-fold-2', 'cv-fold-3']));
    expect(listed).not.toContain('cv');
    // Starting it again needs `replace`, which drops the folds the new plan does not have.
    await expect(crossValidate(tinyClassifier('cv'), { ...options(), folds: 3 })).rejects.toThrow(
      /already holds a cross-validation/,
    );
    const redone = await crossValidate(tinyClassifier('cv'), {
      ...options(),
      folds: 2,
      replace: true,
    });
    expect(redone.summary.results.map((r) => r.experiment)).toEqual(['cv-fold-1', 'cv-fold-2']);
    expect(existsSync(join(experiments(), 'cv-fold-3'))).toBe(false);
  });

  it('stops on its signal and resumes keeping the folds that finished', async () => {
    const controller = new AbortController();
    const stopped = crossValidate(tinyClassifier('stop'), {
      ...options(),
      folds: 3,
      signal: controller.signal,
      onProgress: (p: Progress) => {
        // After fold 2's first checkpoint: it resumes from there.
        if (p.message?.startsWith('fold 2/3: epoch 2/2')) controller.abort();
      },
    });
    await expect(stopped).rejects.toMatchObject({ code: 'CANCELLED' });
    const dir = join(experiments(), 'stop');
    const partial = await readCrossValidation(dir);
    expect(partial.summary?.results.map((r) => r.fold)).toEqual([1]);
    expect(partial.summary?.complete).toBe(false);
    expect(existsSync(join(experiments(), 'stop-fold-3'))).toBe(false);
    const firstModel = join(experiments(), 'stop-fold-1', 'model', 'model.json');
    const trainedAt = (await stat(firstModel)).mtimeMs;

    const messages: string[] = [];
    const resumed = await resumeCrossValidation('stop', {
      ...options(),
      onProgress: (p: Progress) => {
        if (p.message) messages.push(p.message);
      },
    });
    expect(messages).toContain('fold 1/3: finished before: kept');
    expect((await stat(firstModel)).mtimeMs).toBe(trainedAt);
    expect(resumed.summary.complete).toBe(true);
    expect(resumed.summary.results[0]).toEqual(partial.summary?.results[0]);
    expect(resumed.summary.results.map((r) => r.experiment)).toEqual([
      'stop-fold-1',
      'stop-fold-2',
      'stop-fold-3',
    ]);
    // Fold 2 continued from its checkpoint rather than starting over.
    const log = await readFile(join(experiments(), 'stop-fold-2', 'log.jsonl'), 'utf8');
    expect(log).toContain('"type":"resume"');
  });
});
