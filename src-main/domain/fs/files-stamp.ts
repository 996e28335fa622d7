import { stat } from 'node:fs/promises';

/**
 * Each file's inode, size and modification time ('missing' when it is gone), joined: changes
 * when any of them is rewritten (atomic writes replace a file, so its inode changes even within
 * one millisecond). What the caches of loaded models and prepared inputs compare.
 */
export async function filesStamp(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    paths.map((path) =>
      stat(path).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
        () => 'missing',
      ),
    ),
  );
  return parts.join('|');
}
