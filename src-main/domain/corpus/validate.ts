import { stat } from 'node:fs/promises';
import { problemFromError } from './formats/parse-error';
import type { CorpusManifest } from './manifest';
import { MANIFEST_FILE, parseManifest } from './manifest';
import { recoverPendingCommit } from './store/commit';
import { removeStrayTempFiles } from './store/stray-temp-files';
import type { ValidateOptions, ValidationReport } from './validation/problems';
import { ProblemList, readText } from './validation/problems';
import { validateSpeech } from './validation/validate-speech';
import { validateText } from './validation/validate-text';

export type { ValidateOptions, ValidationReport } from './validation/problems';

/**
 * Checks every invariant of a corpus folder and names the first bad line of each problem.
 * Never throws for a bad corpus: the problems are the result.
 */
export async function validateCorpus(
  dir: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const problems = new ProblemList();
  const counts = { splits: 0, utterances: 0, recordings: 0, alignments: 0, sentences: 0 };
  if (options.recover !== false) {
    try {
      await recoverPendingCommit(dir);
      await removeStrayTempFiles(dir);
    } catch (error) {
      problems.items.push(problemFromError(error, '.unfold/pending-commit.json'));
    }
  }
  const isFolder = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    problems.add(dir, 0, 'no such folder');
    return { dir, ok: false, problems: problems.items, counts };
  }
  const manifestText = await readText(dir, MANIFEST_FILE, problems);
  let manifest: CorpusManifest | null = null;
  if (manifestText !== null) {
    try {
      manifest = parseManifest(manifestText, MANIFEST_FILE);
    } catch (error) {
      problems.items.push(problemFromError(error, MANIFEST_FILE));
    }
  }
  if (manifest) {
    counts.splits = manifest.splits.length;
    if (manifest.kind === 'speech') await validateSpeech(dir, manifest, options, problems, counts);
    else await validateText(dir, manifest, problems, counts);
  }
  return { dir, ok: problems.items.length === 0, problems: problems.items, counts };
}
