/**
 * UD English EWT for the text benches and evals: only its train and dev files (the test file is
 * kept back on purpose), found in a folder and imported as a corpus.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { importCorpus } from '../../src-main/domain/corpus';

/** The train and dev files in `folder`, or the reason a script should skip. */
export function ewtFiles(folder: string): { train: string; dev: string } | { skipped: string } {
  const source = resolve(folder);
  const train = join(source, 'en_ewt-ud-train.conllu');
  const dev = join(source, 'en_ewt-ud-dev.conllu');
  if (!existsSync(train) || !existsSync(dev))
    return { skipped: `UD English EWT train/dev not found in ${source}` };
  return { train, dev };
}

/** Imports the two files (copied into `<dataDir>/source`, so nothing else is read) as corpus `name`. */
export async function importEwt(
  files: { train: string; dev: string },
  dataDir: string,
  name: string,
): Promise<string> {
  const corpusDir = join(dataDir, 'corpora', name);
  const sourceCopy = join(dataDir, 'source');
  await mkdir(sourceCopy, { recursive: true });
  for (const file of [files.train, files.dev])
    await copyFile(file, join(sourceCopy, basename(file)));
  await importCorpus({ format: 'conllu', source: sourceCopy, outDir: corpusDir, name });
  return corpusDir;
}
