import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importCorpus } from '../import/import-corpus';
import type { SpeechCorpusData } from '../model';
import { CorpusSession } from '../session';
import { splitCorpus } from '../split-corpus';
import { importFsddLike, writeFsddLike } from '../testing/fixtures';
import { validateCorpus } from '../validate';
import type WriteFileAtomic from 'write-file-atomic';

/** Counts down the writes that still succeed; at zero every write fails as on a full disk. */
const disk = vi.hoisted(() => ({ writesLeft: Number.POSITIVE_INFINITY }));

// The failure is injected below Unfold's atomic writer, as the file system reports it (ENOSPC),
// so the messages under test are the real ones.
vi.mock('write-file-atomic', async (importOriginal) => {
  const original = (await importOriginal<{ default: typeof WriteFileAtomic }>()).default;
  const write = async (...args: Parameters<typeof WriteFileAtomic>): Promise<void> => {
    if (disk.writesLeft <= 0)
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${args[0]}'`), {
        code: 'ENOSPC',
      });
    disk.writesLeft--;
    await original(...args);
  };
  return { default: write };
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

  it('during an edit: the session and the message agree that the decided change is kept, and recovery completes it', async () => {
    const dir = await importFsddLike(join(work, 'src'), join(work, 'c'));
    const session = await CorpusSession.open(dir);
    // The pending commit and one file land, then the disk fills up.
    disk.writesLeft = 2;
    const error = await session
      .apply({ type: 'set-utterance', id: 'ann-1_0', changes: { speaker: 'carl' } })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: 'DISK_FULL', details: { commitPending: true } });
    expect((error as Error).message).not.toMatch(/Nothing was changed/);
    expect(session.manifest.revision).toBe(1);
    expect(session.canUndo).toBe(true);
    disk.writesLeft = Number.POSITIVE_INFINITY;
    const report = await validateCorpus(dir);
    expect(report.problems).toEqual([]);
    const reloaded = await CorpusSession.open(dir);
    expect(reloaded.manifest.revision).toBe(1);
    expect((reloaded.data as SpeechCorpusData).utterances.some((u) => u.id === 'carl-1_0')).toBe(
      true,
    );
  });

  it('during `corpus split`, at every step of the commit: the message tells the truth about the state', async () => {
    const template = await importFsddLike(join(work, 'src'), join(work, 'template'));
    const request = { by: 'speaker', fractions: { train: 0.5, test: 0.5 }, seed: 1 } as const;
    // How many atomic writes a whole split commit makes (the pending plan, then each file).
    await cp(template, join(work, 'count'), { recursive: true });
    disk.writesLeft = 1000;
    await splitCorpus(join(work, 'count'), request);
    const steps = 1000 - disk.writesLeft;
    const splitOnDisk = (await CorpusSession.open(join(work, 'count'))).data as SpeechCorpusData;
    expect(steps).toBeGreaterThan(3);
    for (let step = 0; step < steps; step++) {
      const dir = join(work, `step-${step}`);
      await cp(template, dir, { recursive: true });
      const session = await CorpusSession.open(dir);
      disk.writesLeft = step;
      const error = await splitCorpus(dir, request, { session }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `step ${step}`).toMatchObject({ code: 'DISK_FULL' });
      const message = (error as Error).message;
      const pendingOnDisk = await stat(join(dir, '.unfold/pending-commit.json')).then(
        () => true,
        () => false,
      );
      if (step === 0) {
        // The plan itself could not be written: nothing changed, and that is what it says.
        expect(message).toMatch(/Nothing was changed/);
        expect(pendingOnDisk).toBe(false);
        expect(session.manifest.revision).toBe(0);
      } else {
        expect(message, `step ${step}`).toMatch(
          /could not write .*\. The change is saved in .*pending-commit\.json but not yet written to every file; it is completed the next time the corpus is opened or validated/,
        );
        expect(pendingOnDisk).toBe(true);
        expect(session.manifest.revision).toBe(1);
        // Still full: opening says the saved change could not be completed, and changes nothing.
        await expect(CorpusSession.open(dir)).rejects.toThrow(/could not be completed/);
      }
      disk.writesLeft = Number.POSITIVE_INFINITY;
      expect((await validateCorpus(dir)).problems, `step ${step}`).toEqual([]);
      const reopened = await CorpusSession.open(dir);
      expect(reopened.manifest.revision, `step ${step}`).toBe(step === 0 ? 0 : 1);
      const expected = step === 0 ? (await CorpusSession.open(template)).data : splitOnDisk;
      expect((reopened.data as SpeechCorpusData).utterances).toEqual(
        (expected as SpeechCorpusData).utterances,
      );
      if (step > 0) expect(reopened.data).toEqual(session.data);
    }
  });
});
