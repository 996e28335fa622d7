import { mkdir, access, constants, lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import envPaths from 'env-paths';
import { UnfoldError } from './errors';

export interface DataFolderChoice {
  dir: string;
  source: 'flag' | 'env' | 'default';
}

/** The data folder: `--data`, else `UNFOLD_DATA`, else the platform's (XDG data dir on Linux). */
export function chooseDataFolder(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DataFolderChoice {
  if (flag) return { dir: resolve(flag), source: 'flag' };
  if (env.UNFOLD_DATA) return { dir: resolve(env.UNFOLD_DATA), source: 'env' };
  return { dir: envPaths('unfold', { suffix: '' }).data, source: 'default' };
}

/** Creates the folder if needed and checks that the app can write there. */
export async function prepareDataFolder(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UnfoldError(
      'DATA_FOLDER_UNUSABLE',
      `Unfold cannot write to its data folder ${dir} (${(error as Error).message}). Choose another with --data or UNFOLD_DATA.`,
    );
  }
  return dir;
}

/** True when `candidate` is `root` itself or lies below it (both already absolute). */
export function isWithin(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function outsideDataFolder(path: string, why: string): UnfoldError {
  return new UnfoldError(
    'PATH_OUTSIDE_DATA',
    `${path} is not inside Unfold's data folder (${why}). Names given to Unfold's API always stay in the data folder.`,
  );
}

async function realpathOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The one way a name from a client becomes a path: `<dataDir>/<segments...>`, refused (nothing
 * touched) when it would leave the data folder, textually or through a symbolic link. The
 * segments are names already checked by the API schemas (api/names.ts); the deepest part of
 * the path that exists is resolved with realpath and must still be inside the data folder, so
 * a link `<data>/experiments/x -> /home/me` (or a dangling one) cannot lead writes out.
 */
export async function resolveInDataFolder(dataDir: string, ...segments: string[]): Promise<string> {
  const root = resolve(dataDir);
  const full = resolve(root, ...segments);
  if (full === root || !isWithin(root, full))
    throw outsideDataFolder(join(...segments), 'it names a place outside it');
  const realRoot = (await realpathOrNull(root)) ?? root;
  for (let path = full; isWithin(root, path); path = dirname(path)) {
    const exists = await lstat(path).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const real = await realpathOrNull(path);
    if (real === null) throw outsideDataFolder(full, 'it is a symbolic link that leads nowhere');
    if (!isWithin(realRoot, real))
      throw outsideDataFolder(full, `a symbolic link leads to ${real}`);
    break;
  }
  return full;
}
