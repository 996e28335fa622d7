import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnfoldError } from '../../errors';
import { importCorpus } from '../import/import-corpus';
import type { SpeechCorpusData } from '../model';
import { CorpusSession } from '../session';
import { writeFsddLike } from '../testing/fixtures';
import { validateCorpus } from '../validate';
import type * as AtomicWrite from '../../fs/atomic-write';

/** Counts down the writes that still succeed; at zero every write fails as on a full disk. */
const disk = vi.hoisted(() => ({ writesLeft: Number.POSITIVE_INFINITY }));

vi.mock('../../fs/atomic-write', async (importOriginal) => {
  const original = await importOriginal<typeof AtomicWrite>();
  const guard = (path: string): void => {
    if (disk.writesLeft <= 0)
      throw new UnfoldError('DISK_FULL', `The disk is full: could not write ${path}.`);
    disk.writesLeft--;
  };
  return {
    writeFileAtomically: async (path: string, data: string | Uint8Array) => {
      guard(path);
      await original.writeFileAtomically(path, data);
    },
    writeJsonAtomically: async (path: string, value: unknown) => {
      guard(path);
      await original.writeJsonAtomically(path, value);
    },
  };
});

let work: string;
beforeEach(async () => {
  disk.writesLeft = Number.POSITIVE_INFINITY;
  work = await mkdtemp(join(tmpdir(), 'unfold-diskfull-'));
  await writeFsddLike(join(work, 'src'), ['ann', 'bob'], [1, 2], [0, 1]);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a full disk (simulated)', () => {
  it('during an import: a clear error, no corpus and no half-written folder left', async () => {
    disk.writesLeft = 3;
    await expect(
      importCorpus({
        format: 'pattern',
        source: join(work, 'src'),
        outDir: join(work, 'c'),
        pattern: '{label}_{speaker}_{take}.wav',
      }),
    ).rejects.toMatchObject({ code: 'DISK_FULL' });
    await expect(stat(join(work, 'c'))).rejects.toThrow();
    expect((await readdir(work)).sort()).toEqual(['src']);
  });

  it('during an edit: the session keeps its state, the corpus stays valid and recovery completes the commit', async () => {
    const dir = (
      await importCorpus({
        format: 'pattern',
        source: join(work, 'src'),
        outDir: join(work, 'c'),
        pattern: '{label}_{speaker}_{take}.wav',
      })
    ).corpus.dir;
    const session = await CorpusSession.open(dir);
    // The pending commit and one file land, then the disk fills up.
    disk.writesLeft = 2;
    await expect(
      session.apply({ type: 'set-utterance', id: 'ann-1_0', changes: { speaker: 'carl' } }),
    ).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(session.manifest.revision).toBe(0);
    expect(session.canUndo).toBe(false);
    disk.writesLeft = Number.POSITIVE_INFINITY;
    const report = await validateCorpus(dir);
    expect(report.problems).toEqual([]);
    const reloaded = await CorpusSession.open(dir);
    expect(reloaded.manifest.revision).toBe(1);
    expect((reloaded.data as SpeechCorpusData).utterances.some((u) => u.id === 'carl-1_0')).toBe(
      true,
    );
  });
});
