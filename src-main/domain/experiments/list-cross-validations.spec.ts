import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_VALIDATION_FORMAT, listCrossValidations } from './cross-validation';
import { CROSS_VALIDATION_FILES, EXPERIMENTS_DIR } from './experiment-folder';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-cv-list-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function writeFolder(name: string, files: Record<string, unknown>): Promise<void> {
  const dir = join(dataDir, EXPERIMENTS_DIR, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files))
    await writeFile(join(dir, file), JSON.stringify(content));
}

const plan = (name: string, folds: number): Record<string, unknown> => ({
  format: CROSS_VALIDATION_FORMAT,
  version: 1,
  name,
  task: 'sentiment',
  corpus: 'mr',
  folds,
  config: { name, task: 'sentiment', corpus: 'mr' },
  experiments: Array.from({ length: folds }, (_, i) => `${name}-fold-${i + 1}`),
});

describe('listCrossValidations', () => {
  it('is empty without an experiments folder', async () => {
    expect(await listCrossValidations(join(dataDir, 'nothing-here'))).toEqual([]);
  });

  it('lists the cross-validations by name with their summaries, and nothing else', async () => {
    const summary = { task: 'sentiment', corpus: 'mr', folds: 2, complete: true, results: [] };
    await writeFolder('b-cv', {
      [CROSS_VALIDATION_FILES.plan]: plan('b-cv', 2),
      [CROSS_VALIDATION_FILES.summary]: summary,
    });
    await writeFolder('a-cv', { [CROSS_VALIDATION_FILES.plan]: plan('a-cv', 3) });
    // A fold's experiment, an unrelated folder and a plan of something else are left out.
    await writeFolder('b-cv-fold-1', { 'config.json': { name: 'b-cv-fold-1' } });
    await writeFolder('notes', {});
    await writeFolder('odd', { [CROSS_VALIDATION_FILES.plan]: { format: 'other' } });
    const listed = await listCrossValidations(dataDir);
    expect(listed.map((cv) => [cv.name, cv.plan.folds, cv.summary])).toEqual([
      ['a-cv', 3, null],
      ['b-cv', 2, summary],
    ]);
  });
});
