import writeFileAtomic from 'write-file-atomic';
import { UnfoldError } from '../errors';

/**
 * Writes a whole file so that readers see the old content or the new, never a mix:
 * temporary file in the same folder, fsync, rename (write-file-atomic does exactly that).
 * A full disk becomes a clear error and the old file is untouched.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(
      path,
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      { fsync: true },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new UnfoldError(
        'DISK_FULL',
        `The disk is full: could not write ${path}. Nothing was changed; free some space and try again.`,
      );
    }
    throw error;
  }
}

export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * write-file-atomic writes `<file>.<uint32 in decimal>` beside `<file>` and renames it over
 * `<file>`; a process killed in between leaves that temporary file. For such a name, the file
 * it was to become; null for any other name. The owners of folders (corpora, experiments)
 * decide which of these targets are theirs to clean up.
 */
export function atomicWriteTarget(fileName: string): string | null {
  return /^(.+)\.\d{1,10}$/.exec(fileName)?.[1] ?? null;
}
