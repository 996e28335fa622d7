/**
 * A task written in the test folder against the task interface (tests/support/toy-task.ts)
 * trains, evaluates, resumes and is listed through the experiments module: a new task needs
 * no lifecycle code of its own.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { evaluateExperiment } from '../../src-main/domain/experiments/evaluate-experiment';
import {
  listExperiments,
  readExperimentEvaluation,
  readExperimentPage,
} from '../../src-main/domain/experiments/experiment-list';
import { taskRegistry } from '../../src-main/domain/experiments/experiment-task';
import { trainExperiment } from '../../src-main/domain/experiments/train-experiment';
import { letterZTask } from '../support/toy-task';

const tasks = taskRegistry([letterZTask]);
let dataDir: string;

const WORDS = [
  'apple',
  'lazy',
  'river',
  'zone',
  'stone',
  'quiz',
  'table',
  'fizz',
  'cloud',
  'zebra',
];
function lines(count: number, offset: number): { text: string; label: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const text = `${WORDS[(i + offset) % WORDS.length]} ${WORDS[(i * 3 + offset + 1) % WORDS.length]}`;
    return { text, label: text.includes('z') ? 'z' : 'none' };
  });
}

function config(name: string, epochs: number): Record<string, unknown> {
  return {
    name,
    task: 'letter-z',
    corpus: 'lines',
    data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
    model: { layers: [{ cell: 'gru', units: 12 }], pooling: 'max' },
    training: { epochs, batchSize: 8, optimizer: { kind: 'adam', learningRate: 0.05 } },
    seed: 3,
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-toy-task-'));
  const splits = new Map<string, TextSplit>([
    ['train', { format: 'tsv', items: lines(40, 0) }],
    ['test', { format: 'tsv', items: lines(12, 5) }],
  ]);
  await createTextCorpus(join(dataDir, 'corpora', 'lines'), splits, {
    name: 'lines',
    format: 'tsv',
    sourcePath: 'generated',
  });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function loggedTypes(log: string): string[] {
  return log
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { type: string }).type);
}

describe('a task written against the task interface alone', () => {
  it('trains, evaluates and is listed through the experiments module', async () => {
    const result = await trainExperiment(config('toy', 12), { dataDir, tasks });
    expect(result.config).toMatchObject({ task: 'letter-z', format: 'unfold-experiment' });
    expect(result.labels).toEqual(['no z', 'has z']);
    expect(result.training.history).toHaveLength(12);
    // The task's own evaluation came back; the model learned the letter.
    expect(result.evaluation).toEqual({ accuracy: result.headline });
    expect(result.headline).toBeGreaterThan(0.75);

    const dir = join(dataDir, 'experiments', 'toy');
    expect(loggedTypes(await readFile(join(dir, 'log.jsonl'), 'utf8'))).toEqual([
      'start',
      ...Array<string>(12).fill('epoch'),
      'end',
      'evaluation',
    ]);
    // The task's file was stored beside the model and read back by its evaluation.
    expect(await readFile(join(dir, 'model', 'alphabet.txt'), 'utf8')).toBe(
      'abcdefghijklmnopqrstuvwxyz ',
    );
    const page = await readExperimentPage(dir);
    expect(page.task).toBe('letter-z');
    expect(page.metrics.training).toMatchObject({ epochs: 12, trainLines: 40 });
    expect(page.evaluations).toEqual([{ corpus: null, split: 'test' }]);
    const stored = await readExperimentEvaluation(dir, { corpus: null, split: 'test' });
    expect(stored?.predictions).toHaveLength(12);
    expect(stored?.predictions[0]).toMatchObject({ id: 'test-0', text: expect.any(String) });
    expect(stored?.summary).toMatchObject({ accuracy: result.headline, lines: 12 });

    const listed = await listExperiments(dataDir);
    expect(listed.map((e) => [e.name, e.task, e.status, e.epochs])).toEqual([
      ['toy', 'letter-z', 'done', 12],
    ]);
  });

  it('keeps an evaluation on another split beside the test one', async () => {
    const evaluated = await evaluateExperiment('toy', { dataDir, tasks, split: 'train' });
    expect(evaluated.ref).toEqual({ corpus: null, split: 'train' });
    const page = await readExperimentPage(join(dataDir, 'experiments', 'toy'));
    expect(page.evaluations).toEqual([
      { corpus: null, split: 'test' },
      { corpus: null, split: 'train' },
    ]);
    expect(Object.keys(page.metrics.evaluations ?? {}).sort()).toEqual(['test', 'train']);
  });

  it('resumes a cancelled run from its last checkpoint', async () => {
    const controller = new AbortController();
    const cancelled = trainExperiment(config('toy-resume', 6), {
      dataDir,
      tasks,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.message === 'epoch 2/6 done') controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    const dir = join(dataDir, 'experiments', 'toy-resume');
    const before = loggedTypes(await readFile(join(dir, 'log.jsonl'), 'utf8'));
    expect(before[0]).toBe('start');
    expect(before.at(-1)).toBe('end');
    expect((await listExperiments(dataDir)).find((e) => e.name === 'toy-resume')?.status).toBe(
      'cancelled',
    );

    const resumed = await trainExperiment(config('toy-resume', 6), {
      dataDir,
      tasks,
      resume: true,
    });
    expect(resumed.training.history).toHaveLength(6);
    const log = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; epoch?: number });
    expect(log.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.some((l) => l.type === 'resume')).toBe(true);
  });

  it('is refused by a registry that does not offer it, before anything is written', async () => {
    await expect(
      trainExperiment(config('toy-unknown', 2), { dataDir, tasks: taskRegistry([]) }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_TASK' });
    expect((await listExperiments(dataDir)).map((e) => e.name)).not.toContain('toy-unknown');
  });
});
