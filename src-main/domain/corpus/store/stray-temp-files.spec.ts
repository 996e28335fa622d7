import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFsddLike, writeFsddLike } from '../testing/fixtures';
import { validateCorpus } from '../validate';
import { readCorpus } from './read-corpus';

let work: string;
let dir: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-stray-'));
  await writeFsddLike(join(work, 'src'), ['ann'], [1], [0, 1]);
  dir = await importFsddLike(join(work, 'src'), join(work, 'c'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What a writer killed between writing its temporary file and the rename leaves behind. */
const STRAY = [
  'data/train/wav.scp.2234094470',
  'corpus.json.17',
  'audio/ann-1_0.wav.4000000000',
  '.unfold/pending-commit.json.99',
  'alignments/ann-1_0.TextGrid.123456',
];
/** Look alike but are not the atomic writer's temporary files of corpus files: kept. */
const KEPT = ['notes.txt.123', 'data/train/wav.scp.bak', 'audio/ann-1_0.wav', 'corpus.json.x1'];

async function plant(): Promise<void> {
  for (const path of [...STRAY, ...KEPT.filter((p) => p !== 'audio/ann-1_0.wav')]) {
    const folder = join(dir, path, '..');
    await mkdir(folder, { recursive: true });
    await writeFile(join(dir, path), 'partial');
  }
}

async function tree(): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((p) => p.replaceAll('\\', '/')).sort();
}

describe('stray temporary files of a killed writer', () => {
  it('are removed when the corpus is next opened; look-alike files are kept', async () => {
    await plant();
    await readCorpus(dir);
    const files = await tree();
    for (const path of STRAY) expect(files).not.toContain(path);
    for (const path of KEPT) expect(files).toContain(path);
  });

  it('are removed by validate, which then reports the corpus valid', async () => {
    await plant();
    const report = await validateCorpus(dir);
    expect(report.problems).toEqual([]);
    const files = await tree();
    for (const path of STRAY) expect(files).not.toContain(path);
    for (const path of KEPT) expect(files).toContain(path);
  });
});
