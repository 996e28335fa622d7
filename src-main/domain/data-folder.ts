import { mkdir, access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
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
