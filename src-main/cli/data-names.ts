import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { dataNameProblem } from '../api/names';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { resolveInDataFolder } from '../domain/data-folder';
import { UnfoldError } from '../domain/errors';
import { EXPERIMENTS_DIR } from '../domain/experiments/experiment-folder';

/**
 * What the command line's corpus and experiment arguments mean. A path (absolute, or with a
 * slash, or starting with ".") is the user's own choice on their own command line and may point
 * anywhere; anything else is a name in the data folder, checked by the same rules as the API's
 * names (api/names.ts) and resolved inside the data folder (symbolic links out refused).
 */
export function looksLikePath(value: string): boolean {
  return isAbsolute(value) || value.includes('/') || value.includes('\\') || value.startsWith('.');
}

function shown(value: string): string {
  const printable = JSON.stringify(value);
  return printable.length > 60
    ? `${printable.slice(0, 50)}…" (${value.length} characters)`
    : printable;
}

function checkedName(value: string, what: 'corpus' | 'experiment', area: string): string {
  const problem = dataNameProblem(value);
  if (problem !== null)
    throw new UnfoldError(
      'BAD_NAME',
      `${shown(value)} is not a valid ${what} name: ${problem}. Give a name (a folder in ${area}/ of the data folder) or a path such as ./${what}.`,
    );
  return value;
}

/** An experiment folder from `--out EXP` or an `EXP` argument. */
export async function experimentFolderArg(value: string, dataDir: string): Promise<string> {
  if (looksLikePath(value)) return resolve(value);
  return resolveInDataFolder(
    dataDir,
    EXPERIMENTS_DIR,
    checkedName(value, 'experiment', EXPERIMENTS_DIR),
  );
}

/** A new corpus's folder from `--out NAME`. */
export async function newCorpusFolderArg(value: string, dataDir: string): Promise<string> {
  if (looksLikePath(value)) return resolve(value);
  return resolveInDataFolder(dataDir, CORPORA_DIR, checkedName(value, 'corpus', CORPORA_DIR));
}

/**
 * An existing corpus: a path, or a folder of that name in the current directory (as before),
 * else a corpus of the data folder.
 */
export async function corpusFolderArg(value: string, dataDir: string): Promise<string> {
  if (looksLikePath(value)) return resolve(value);
  const name = checkedName(value, 'corpus', CORPORA_DIR);
  const inCurrentFolder = await stat(resolve(name)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (inCurrentFolder) return resolve(name);
  return resolveInDataFolder(dataDir, CORPORA_DIR, name);
}
