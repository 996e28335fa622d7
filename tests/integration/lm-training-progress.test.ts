/**
 * A language model's epoch is one batch of streams walked in truncated-BPTT windows: its
 * training reports progress after every window (rising fraction, `window w/W`, the running loss)
 * and a cancel stops it after the window being trained, not at the end of the epoch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import type { Progress } from '../../src-main/domain/jobs/progress';
import { trainExperiment } from '../support/builtin-experiments';

let dataDir: string;
const LINES = Array.from({ length: 40 }, () => 'one two three four five six');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-lm-progress-'));
  const splits = new Map<string, TextSplit>(
    Object.entries({ train: LINES, dev: LINES.slice(0, 4), test: LINES.slice(0, 4) }).map(
      ([split, lines]) => [split, { format: 'plain', lines }],
    ),
  );
  await createTextCorpus(join(dataDir, 'corpora', 'counting'), splits, {
    name: 'counting',
    format: 'plain',
    sourcePath: 'generated',
  });
}, 60_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const config = (name: string): Record<string, unknown> => ({
  name,
  task: 'lm',
  corpus: 'counting',
  data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
  words: { embeddingSize: 8, minCount: 1 },
  model: { layers: [{ cell: 'lstm', units: 8 }] },
  // 40 sentences of 7 units and a leading end of sentence: 4 streams of 70 steps, 6 windows.
  training: {
    epochs: 2,
    batchSize: 4,
    optimizer: { kind: 'adam', learningRate: 0.03 },
    bptt: { kind: 'truncated', window: 12 },
  },
  baseline: null,
  seed: 5,
});

const windowReports = (seen: readonly Progress[]): Progress[] =>
  seen.filter((p) => p.metrics?.window !== undefined);

describe('language-model training progress', () => {
  it('reports every window of the epoch with a rising fraction and the running loss', async () => {
    const seen: Progress[] = [];
    await trainExperiment(config('lm-progress'), {
      dataDir,
      outDir: join(dataDir, 'experiments', 'lm-progress'),
      onProgress: (p) => seen.push(p),
    });
    const windows = windowReports(seen);
    expect(windows.map((p) => p.message)).toEqual(
      [1, 2].flatMap((epoch) => [1, 2, 3, 4, 5].map((w) => `epoch ${epoch}/2, window ${w}/6`)),
    );
    const fractions = windows.map((p) => p.fraction ?? NaN);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]).toBeGreaterThan(fractions[i - 1] as number);
    for (const p of windows) expect(p.metrics?.loss).toBeGreaterThan(0);
  }, 120_000);

  it('stops within one window of a cancel', async () => {
    const controller = new AbortController();
    const seen: Progress[] = [];
    const run = trainExperiment(config('lm-cancelled'), {
      dataDir,
      outDir: join(dataDir, 'experiments', 'lm-cancelled'),
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.metrics?.window === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    // Nothing was trained after the window during which the cancel came.
    expect(windowReports(seen).map((p) => p.message)).toEqual([
      'epoch 1/2, window 1/6',
      'epoch 1/2, window 2/6',
    ]);
    expect(seen.some((p) => p.message?.includes('done'))).toBe(false);
  }, 120_000);
});
