import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UnfoldError } from '../../domain/errors';

/** The folders of the data folder the audio API reads and writes. */
export const RECORDINGS_FOLDER = 'recordings';
export const IMPORTS_FOLDER = 'imports';

function outside(path: string, why: string): UnfoldError {
  return new UnfoldError(
    'PATH_OUTSIDE_DATA',
    `"${path}" is not a file in Unfold's data folder (${why}). Open files from disk with "Open WAV…" instead.`,
  );
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Resolves a path the renderer sent (relative to the data folder, or absolute inside it) and
 * refuses everything else: `..` segments, absolute paths elsewhere, and the folder itself.
 * Checked on the text, so nothing outside is ever touched.
 */
export function resolveDataPath(dataDir: string, path: string): string {
  if (path.includes('\0')) throw outside(path, 'it contains a NUL character');
  const segments = path.split(/[\\/]+/);
  if (segments.includes('..')) throw outside(path, '".." is not allowed');
  const root = resolve(dataDir);
  const full = isAbsolute(path) ? resolve(path) : resolve(root, path);
  if (!isInside(root, full)) throw outside(path, 'it lies outside the data folder');
  return full;
}

/**
 * Like resolveDataPath, and also follows symbolic links of an existing file, so a link inside
 * the data folder cannot lead outside it.
 */
export async function resolveExistingDataPath(dataDir: string, path: string): Promise<string> {
  const full = resolveDataPath(dataDir, path);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(full), realpath(resolve(dataDir))]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UnfoldError('AUDIO_NOT_FOUND', `${path}: no such file in the data folder.`);
    }
    throw error;
  }
  if (!isInside(realRoot, real)) throw outside(path, 'it links outside the data folder');
  return full;
}

/** The path as the renderer sees it: relative to the data folder, with forward slashes. */
export function toDataRelative(dataDir: string, full: string): string {
  return relative(resolve(dataDir), full).split(sep).join('/');
}

/** A file name safe to create: no folders, no control or reserved characters, keeps `.wav`. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '');
  const stem = cleaned.replace(/\.wav$/i, '').slice(0, 120) || 'audio';
  return `${stem}.wav`;
}
