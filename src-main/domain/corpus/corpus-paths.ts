import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

/** Corpora live in `<data folder>/corpora/<name>` unless the user gives a path. */
export const CORPORA_DIR = 'corpora';

function looksLikePath(nameOrPath: string): boolean {
  return (
    isAbsolute(nameOrPath) ||
    nameOrPath.includes('/') ||
    nameOrPath.includes('\\') ||
    nameOrPath.startsWith('.')
  );
}

/** Where a new corpus goes: a path as given, or a bare name inside the data folder. */
export function corpusOutputDir(nameOrPath: string, dataDir: string): string {
  return looksLikePath(nameOrPath) ? resolve(nameOrPath) : join(dataDir, CORPORA_DIR, nameOrPath);
}

/** An existing corpus: a folder that exists as given, else a name inside the data folder. */
export async function findCorpusDir(nameOrPath: string, dataDir: string): Promise<string> {
  const asGiven = resolve(nameOrPath);
  if (
    looksLikePath(nameOrPath) ||
    (await stat(asGiven).then(
      () => true,
      () => false,
    ))
  )
    return asGiven;
  return join(dataDir, CORPORA_DIR, nameOrPath);
}
