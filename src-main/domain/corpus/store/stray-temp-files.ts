import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteTarget } from '../../fs/atomic-write';
import { withCorpusLock } from './commit';
import {
  ALIGNMENTS_DIR,
  AUDIO_DIR,
  DATA_DIR,
  STATE_DIR,
  TEXT_DIR,
  isAtomicallyWrittenCorpusFile,
} from './layout';

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}

/** Relative paths of leftover temporary files of the corpus's own atomically written files. */
async function findStrayTempFiles(dir: string): Promise<string[]> {
  const folders = ['', STATE_DIR, ALIGNMENTS_DIR, TEXT_DIR, AUDIO_DIR];
  for (const split of await names(join(dir, DATA_DIR))) folders.push(`${DATA_DIR}/${split}`);
  const stray: string[] = [];
  for (const folder of folders) {
    for (const name of await names(join(dir, folder))) {
      const target = atomicWriteTarget(name);
      const relative = folder ? `${folder}/${name}` : name;
      if (target && isAtomicallyWrittenCorpusFile(folder ? `${folder}/${target}` : target))
        stray.push(relative);
    }
  }
  return stray.sort();
}

/**
 * Removes temporary files left beside the corpus's files by a writer that was killed (only
 * `<owned file>.<digits>`, never anything else). Every such writer holds the corpus lock, so
 * under the lock no temporary file belongs to a live writer. Returns what was removed.
 */
export async function removeStrayTempFiles(dir: string): Promise<string[]> {
  // The common case, nothing to clean, costs a few readdirs and takes no lock.
  if ((await findStrayTempFiles(dir)).length === 0) return [];
  return withCorpusLock(dir, async () => {
    const stray = await findStrayTempFiles(dir);
    for (const relative of stray) await rm(join(dir, relative), { force: true });
    return stray;
  });
}
