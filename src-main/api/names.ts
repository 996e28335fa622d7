import { z } from 'zod';

/**
 * The names that become folders or files in the data folder (corpora, experiments, imported
 * recordings): checked here, once, for every client (API schemas and the CLI's bare names).
 * Plain zod, no Node imports: the renderer uses it too.
 *
 * A name is one path segment that means the same on every platform and in every layer: no
 * separators, no characters Windows forbids, no `%` (a name is never URL-decoded, so `%2e%2e`
 * must not look like one), no control characters (NUL cuts C strings), no leading dot (`.`,
 * `..`, hidden files) and no surrounding spaces. It resolves under the data folder through
 * `resolveInDataFolder` (domain/data-folder.ts), which also refuses symbolic links out.
 */

/** Longest name in UTF-8 bytes: file systems allow 255, and exports append a suffix. */
export const DATA_NAME_MAX_BYTES = 200;

const FORBIDDEN_CHARACTERS = /[/\\:*?"<>|%]/;

function hasControlCharacter(name: string): boolean {
  for (const character of name) {
    const code = character.charCodeAt(0);
    if (code < 32 || code === 127) return true;
  }
  return false;
}

function byteLength(name: string): number {
  return new TextEncoder().encode(name).length;
}

/** Why `name` cannot be a name in the data folder, or null when it can. */
export function dataNameProblem(name: string): string | null {
  if (name.length === 0) return 'a name cannot be empty';
  if (byteLength(name) > DATA_NAME_MAX_BYTES)
    return `a name is at most ${DATA_NAME_MAX_BYTES} bytes long (this one has ${byteLength(name)})`;
  if (hasControlCharacter(name)) return 'a name cannot contain control characters such as NUL';
  if (FORBIDDEN_CHARACTERS.test(name))
    return 'a name is not a path: it cannot contain / \\ : * ? " < > | or %';
  if (name.startsWith('.')) return 'a name cannot start with "." (so "." and ".." are not names)';
  if (name.trim() !== name) return 'a name cannot start or end with a space';
  return null;
}

/** One folder or file name inside the data folder; see the module comment for the rules. */
export const DataNameSchema = z.string().superRefine((name, context) => {
  const problem = dataNameProblem(name);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

/** A corpus: a folder in `<data>/corpora/`. */
export const CorpusNameSchema = DataNameSchema;

/** An experiment: a folder in `<data>/experiments/`. */
export const ExperimentNameSchema = DataNameSchema;

/**
 * A file of the data folder named by a client (a recording, an import): relative to the data
 * folder (or absolute inside it). The text is checked here; main resolves it with
 * `resolveExistingDataPath`, which refuses anything outside, symbolic links out included.
 */
export const DataPathSchema = z
  .string()
  .min(1)
  .max(1000)
  .refine((path) => !path.includes('\0'), 'a path cannot contain a NUL character')
  .refine(
    (path) => !path.split(/[\\/]+/).includes('..'),
    'a path in the data folder cannot contain ".." segments',
  );
