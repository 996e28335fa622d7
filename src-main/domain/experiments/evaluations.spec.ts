import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvaluationRef } from './evaluations';
import { listEvaluations, readEvaluation, readItemOutput, storeEvaluation } from './evaluations';
import { removeStrayTempFiles } from './experiment-folder';
import { readMetrics } from './experiment-metrics';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-evaluations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function evaluation(accuracy: number, corpusDir: string) {
  return {
    corpusDir,
    summary: { accuracy },
    details: { perClass: [{ label: 'yes', f1: accuracy }] },
    skipped: [],
    predictions: [{ id: 'u1', correct: accuracy > 0.5 }],
    confusion: {
      labels: ['yes', 'no'],
      counts: [
        [1, 0],
        [0, 1],
      ],
    },
    itemOutputs: {
      folder: 'outputs',
      extension: '.bin',
      items: [{ id: 'u1', bytes: new Uint8Array([Math.round(accuracy * 100)]) }],
    },
  };
}

describe('evaluations kept per corpus and split', () => {
  const ownTrain: EvaluationRef = { corpus: null, split: 'train' };
  const otherTrain: EvaluationRef = { corpus: 'other', split: 'train' };

  it('keeps an evaluation on another corpus beside the one on the own corpus', async () => {
    await storeEvaluation(dir, ownTrain, evaluation(0.9, '/data/corpora/own'));
    await storeEvaluation(dir, otherTrain, evaluation(0.4, '/data/corpora/other'));

    expect(await listEvaluations(dir)).toEqual([ownTrain, otherTrain]);
    const own = await readEvaluation(dir, ownTrain);
    const other = await readEvaluation(dir, otherTrain);
    expect(own?.corpus).toBe('/data/corpora/own');
    expect(own?.summary).toMatchObject({ accuracy: 0.9, split: 'train', perClass: [{ f1: 0.9 }] });
    expect(other?.corpus).toBe('/data/corpora/other');
    expect(other?.summary).toMatchObject({ accuracy: 0.4 });
    expect(other?.predictions).toEqual([{ id: 'u1', correct: false }]);
    expect(Object.keys((await readMetrics(dir)).evaluations ?? {})).toEqual([
      'train',
      'other/train',
    ]);
    const output = { folder: 'outputs', extension: '.bin', id: 'u1' };
    expect([...((await readItemOutput(dir, ownTrain, output))?.bytes ?? [])]).toEqual([90]);
    expect([...((await readItemOutput(dir, otherTrain, output))?.bytes ?? [])]).toEqual([40]);
    // The log has one brief line per evaluation, without the longer tables.
    const log = (await readFile(join(dir, 'log.jsonl'), 'utf8')).trim().split('\n');
    expect(log.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ type: 'evaluation', split: 'train', accuracy: 0.9 }),
      expect.objectContaining({ type: 'evaluation', split: 'train', accuracy: 0.4 }),
    ]);
    expect(log.some((l) => l.includes('perClass'))).toBe(false);
  });

  it('says there is none for a corpus and split never evaluated', async () => {
    await storeEvaluation(dir, ownTrain, evaluation(0.9, '/c'));
    expect(await readEvaluation(dir, { corpus: 'other', split: 'train' })).toBeNull();
    expect(await readEvaluation(dir, { corpus: null, split: 'test' })).toBeNull();
  });

  it("removes leftovers of killed writes in other corpora's evaluations too", async () => {
    await storeEvaluation(dir, otherTrain, evaluation(0.4, '/c'));
    const folder = join(dir, 'eval-on', 'other', 'train');
    const stray = [join(folder, 'predictions.json.17'), join(folder, 'outputs', 'u2.bin.3')];
    for (const file of stray) await writeFile(file, 'x');
    const old = new Date(Date.now() - 3_600_000);
    for (const file of stray) await utimes(file, old, old);
    const removed = await removeStrayTempFiles(dir, { olderThanMs: 60_000 });
    expect(removed.sort()).toEqual([
      join('eval-on', 'other', 'train', 'outputs', 'u2.bin.3'),
      join('eval-on', 'other', 'train', 'predictions.json.17'),
    ]);
    for (const file of stray) expect(existsSync(file)).toBe(false);
    expect(existsSync(join(folder, 'predictions.json'))).toBe(true);
  });
});
