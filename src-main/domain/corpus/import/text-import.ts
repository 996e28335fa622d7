import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UnfoldError, throwIfAborted } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import { conlluWords, parseConllu } from '../formats/conllu';
import { parseError } from '../formats/parse-error';
import { DEFAULT_PAIR_LEVELS, parsePairs } from '../formats/pairs';
import type { PairLevels } from '../formats/pairs';
import { parsePlainText, parseTsv } from '../formats/tsv';
import type { LabelledText } from '../formats/tsv';
import { compareCodePoints, decodeUtf8, splitLines } from '../formats/utf8';
import type { CorpusManifest } from '../manifest';
import { newManifest } from '../manifest';
import type { Corpus, TextCorpusData, TextSplit } from '../model';
import { createCorpusAtomically } from '../store/create-corpus';
import { listFiles } from './walk';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function readUtf8File(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UnfoldError('IMPORT_READ', `${path}: cannot read it (${(error as Error).message}).`);
  }
  return decodeUtf8(bytes, path);
}

/** Split name from a UD-style file name: `en_ewt-ud-train.conllu` -> train. */
export function splitFromFileName(name: string): string {
  const stem = basename(name)
    .replace(/\.[^.]+$/, '')
    .toLowerCase();
  if (/(^|[-_.])(dev|valid|validation)$/.test(stem)) return 'dev';
  if (/(^|[-_.])test$/.test(stem)) return 'test';
  if (/(^|[-_.])train$/.test(stem)) return 'train';
  return stem.replace(/[^a-z0-9_.]/g, '_') || 'train';
}

function labelsOf(splits: Map<string, TextSplit>): string[] {
  const labels = new Set<string>();
  for (const split of splits.values()) {
    if (split.format === 'conllu')
      for (const s of split.sentences)
        for (const w of conlluWords(s)) if (w.upos !== '_') labels.add(w.upos);
    if (split.format === 'tsv') for (const item of split.items) labels.add(item.label);
  }
  return [...labels].sort(compareCodePoints);
}

export interface TextImportOptions extends LongOperationOptions {
  name: string;
  format: string;
  sourcePath: string;
  /** Pairs corpora: how each side is cut into symbols (kept in the manifest). */
  pairLevels?: PairLevels;
}

/** Writes a text corpus atomically from parsed splits. */
export async function createTextCorpus(
  outDir: string,
  splits: Map<string, TextSplit>,
  options: TextImportOptions,
): Promise<Corpus> {
  if (splits.size === 0)
    throw new UnfoldError(
      'IMPORT_EMPTY',
      `${options.sourcePath}: nothing to import (no ${options.format} files found).`,
    );
  const first = [...splits.values()][0] as TextSplit;
  const textFormat = first.format;
  const tasks: CorpusManifest['tasks'] =
    textFormat === 'conllu'
      ? ['pos-tagging']
      : textFormat === 'tsv'
        ? ['sentence-classification']
        : textFormat === 'pairs'
          ? ['sequence-to-sequence']
          : ['language-modelling'];
  const sortedSplits = new Map([...splits].sort((a, b) => compareCodePoints(a[0], b[0])));
  const data: TextCorpusData = { kind: 'text', splits: sortedSplits };
  const manifest = newManifest({
    name: options.name,
    kind: 'text',
    textFormat,
    tasks,
    labels: labelsOf(sortedSplits),
    phoneSet: null,
    splits: [...sortedSplits.keys()],
    split: { method: 'given' },
    source: { format: options.format, path: options.sourcePath },
    ...(textFormat === 'pairs' ? { pairLevels: options.pairLevels ?? DEFAULT_PAIR_LEVELS } : {}),
  });
  options.onProgress?.({ fraction: 1, message: 'Writing the corpus files' });
  return createCorpusAtomically(outDir, async () => ({ manifest, data }));
}

async function filesOf(source: string, extensions: string[]): Promise<string[]> {
  const info = await stat(source);
  if (info.isFile()) return [source];
  return (await listFiles(source, extensions)).map((f) => join(source, f));
}

/** Universal Dependencies files; `*-train/dev/test.conllu` become those splits. */
export async function importConllu(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const splits = new Map<string, TextSplit>();
  const files = await filesOf(source, ['.conllu']);
  for (const [index, file] of files.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: index / files.length, message: `Reading ${file}` });
    const split = splitFromFileName(file);
    const sentences = parseConllu(await readUtf8File(file), file);
    if (sentences.length === 0) throw parseError(file, 0, 'no sentences (the file is empty)');
    const existing = splits.get(split);
    if (existing?.format === 'conllu') existing.sentences.push(...sentences);
    else splits.set(split, { format: 'conllu', sentences });
  }
  return createTextCorpus(outDir, splits, options);
}

/** `label<TAB>text` files; file names give the splits. */
export async function importTsv(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const splits = new Map<string, TextSplit>();
  for (const file of await filesOf(source, ['.tsv'])) {
    throwIfAborted(options.signal);
    const items = parseTsv(await readUtf8File(file), file);
    if (items.length === 0)
      throw parseError(file, 0, 'no lines (expected label<TAB>text lines; the file is empty)');
    splits.set(splitFromFileName(file), { format: 'tsv', items });
  }
  return createTextCorpus(outDir, splits, options);
}

/** `source<TAB>target` files (`.tsv` or `.txt`); file names give the splits. */
export async function importPairs(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const splits = new Map<string, TextSplit>();
  for (const file of await filesOf(source, ['.tsv', '.txt'])) {
    throwIfAborted(options.signal);
    const pairs = parsePairs(await readUtf8File(file), file);
    if (pairs.length === 0)
      throw parseError(file, 0, 'no lines (expected source<TAB>target lines; the file is empty)');
    const split = splitFromFileName(file);
    const existing = splits.get(split);
    if (existing?.format === 'pairs') existing.pairs.push(...pairs);
    else splits.set(split, { format: 'pairs', pairs });
  }
  return createTextCorpus(outDir, splits, options);
}

/** Plain UTF-8 text for language modelling, one sentence or paragraph per line. */
export async function importPlainText(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const splits = new Map<string, TextSplit>();
  for (const file of await filesOf(source, ['.txt'])) {
    throwIfAborted(options.signal);
    const lines = parsePlainText(await readUtf8File(file));
    if (lines.length === 0) throw parseError(file, 0, 'no text (the file is empty or blank)');
    splits.set(splitFromFileName(file), { format: 'plain', lines });
  }
  return createTextCorpus(outDir, splits, options);
}

/**
 * Pang & Lee sentence polarity: a folder with `rt-polarity.pos` / `rt-polarity.neg` (or any
 * `*.pos` and `*.neg` pair), one sentence per line. The original files are Latin-1, not
 * UTF-8; they are decoded as such when they are not valid UTF-8.
 */
export async function importPolarity(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const files = await listFiles(source, ['.pos', '.neg']);
  const pos = files.find((f) => f.endsWith('.pos'));
  const neg = files.find((f) => f.endsWith('.neg'));
  if (!pos || !neg)
    throw new UnfoldError(
      'IMPORT_EMPTY',
      `${source} needs a .pos and a .neg file of sentences (the Pang & Lee format).`,
    );
  const items: LabelledText[] = [];
  for (const [file, label] of [
    [pos, 'positive'],
    [neg, 'negative'],
  ] as const) {
    const bytes = await readFile(join(source, file));
    let text: string;
    try {
      text = decodeUtf8(bytes, file);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
    const sentences = splitLines(text).filter((line) => line.trim() !== '');
    if (sentences.length === 0)
      throw parseError(join(source, file), 0, `no sentences (the ${label} file is empty)`);
    for (const line of sentences) items.push({ label, text: line.trim() });
  }
  return createTextCorpus(outDir, new Map([['train', { format: 'tsv', items }]]), options);
}
