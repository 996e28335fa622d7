/**
 * UD English EWT for the text benches and evals: only its train and dev files (the test file is
 * kept back on purpose), found in a folder and imported as a corpus.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
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

/**
 * Imports as corpus `name` the CoNLL-U files `fill` writes into a source folder of its own under
 * `dataDir` (the importer takes each file's split from its name), so nothing else is read.
 */
async function importFilled(
  dataDir: string,
  name: string,
  sourceFolder: string,
  fill: (folder: string) => Promise<void>,
): Promise<string> {
  const corpusDir = join(dataDir, 'corpora', name);
  const sourceCopy = join(dataDir, sourceFolder);
  await mkdir(sourceCopy, { recursive: true });
  await fill(sourceCopy);
  await importCorpus({ format: 'conllu', source: sourceCopy, outDir: corpusDir, name });
  return corpusDir;
}

/** Imports the two files (copied into `<dataDir>/source`, so nothing else is read) as corpus `name`. */
export async function importEwt(
  files: { train: string; dev: string },
  dataDir: string,
  name: string,
): Promise<string> {
  return importFilled(dataDir, name, 'source', async (folder) => {
    for (const file of [files.train, files.dev]) await copyFile(file, join(folder, basename(file)));
  });
}

/**
 * Imports EWT so that its dev file is never seen in training, not even to stop it: every k-th
 * sentence of the train file (about `stopSentences` of them, spread over its documents and
 * genres) becomes the corpus's dev split, the early-stopping and learning-rate set; the rest is
 * train; EWT's dev file becomes the corpus's test split, scored once at the end.
 */
export async function importEwtWithStopSet(
  files: { train: string; dev: string },
  dataDir: string,
  name: string,
  stopSentences: number,
): Promise<string> {
  const sentences = (await readFile(files.train, 'utf8'))
    .split(/\n[ \t]*\n/)
    .filter((block) => block.trim() !== '');
  const every = Math.max(2, Math.round(sentences.length / stopSentences));
  const isStop = (index: number): boolean => index % every === every - 1;
  const text = (blocks: string[]): string => blocks.map((b) => b.trim() + '\n').join('\n');
  return importFilled(dataDir, name, `source-${name}`, async (folder) => {
    await writeFile(join(folder, 'ewt-train.conllu'), text(sentences.filter((_, i) => !isStop(i))));
    await writeFile(join(folder, 'ewt-dev.conllu'), text(sentences.filter((_, i) => isStop(i))));
    await copyFile(files.dev, join(folder, 'ewt-test.conllu'));
  });
}

/**
 * Imports EWT for a run with no dev set at all: the whole train file is train, EWT's dev file
 * the corpus's test split, scored once at the end. The run needs a schedule fixed in advance.
 */
export async function importEwtWithoutDev(
  files: { train: string; dev: string },
  dataDir: string,
  name: string,
): Promise<string> {
  return importFilled(dataDir, name, `source-${name}`, async (folder) => {
    await copyFile(files.train, join(folder, 'ewt-train.conllu'));
    await copyFile(files.dev, join(folder, 'ewt-test.conllu'));
  });
}
