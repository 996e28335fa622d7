import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UnfoldError } from '../../errors';
import type { CorpusManifest } from '../manifest';
import type { Corpus, CorpusData } from '../model';
import { writeNewCorpusFiles } from './commit';
import { serializeCorpus } from './serialize';
import { syncTree } from './durable-files';

const PARTIAL_MARK = '.partial-';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes half-built folders of `outDir` left by imports that were killed. */
async function removeAbandonedPartials(outDir: string): Promise<void> {
  const prefix = `.${basename(outDir)}${PARTIAL_MARK}`;
  const names = await readdir(dirname(outDir)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && !isProcessAlive(pid))
      await rm(join(dirname(outDir), name), { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Builds a new corpus in a hidden sibling folder and renames it into place only when it is
 * complete, so a crash, a kill or a cancellation never leaves a half corpus under `outDir`.
 * `build` writes audio into the staging folder and returns the manifest and data.
 */
export async function createCorpusAtomically(
  outDir: string,
  build: (stagingDir: string) => Promise<{ manifest: CorpusManifest; data: CorpusData }>,
): Promise<Corpus> {
  if (await exists(outDir)) {
    throw new UnfoldError(
      'CORPUS_EXISTS',
      `${outDir} already exists; choose another name or delete it first.`,
    );
  }
  await mkdir(dirname(outDir), { recursive: true });
  await removeAbandonedPartials(outDir);
  const staging = join(
    dirname(outDir),
    `.${basename(outDir)}${PARTIAL_MARK}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  await mkdir(staging, { recursive: true });
  try {
    const { manifest, data } = await build(staging);
    await writeNewCorpusFiles(staging, serializeCorpus(manifest, data));
    // Everything is on disk before the rename makes the corpus visible.
    await syncTree(staging);
    if (await exists(outDir)) {
      throw new UnfoldError(
        'CORPUS_EXISTS',
        `${outDir} was created by someone else during the import.`,
      );
    }
    await rename(staging, outDir);
    return { dir: outDir, manifest, data };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
