/**
 * Labelled texts as folders of files: `<label>/<file>.txt` (one `train` split) or
 * `<split>/<label>/<file>.txt` (IMDb's aclImdb layout: train/pos, train/neg, test/...). Each
 * file is one item, its text with line breaks and tabs turned into single spaces (a TSV item
 * holds one line).
 */
import { join } from 'node:path';
import { throwIfAborted } from '../../errors';
import { parseError } from '../formats/parse-error';
import type { LabelledText } from '../formats/tsv';
import type { Corpus, TextSplit } from '../model';
import { createTextCorpus, readUtf8File, splitFromFileName } from './text-import';
import type { TextImportOptions } from './text-import';
import { listFiles } from './walk';

/** Where a file sits: its split and label, from its folders. */
function placeOf(relativePath: string, depth: number): { split: string; label: string } {
  const parts = relativePath.split('/');
  return depth === 2
    ? { split: 'train', label: parts[0] as string }
    : { split: splitFromFileName(parts[0] as string), label: parts[1] as string };
}

export async function importTextFolders(
  source: string,
  outDir: string,
  options: TextImportOptions,
): Promise<Corpus> {
  const files = await listFiles(source, ['.txt']);
  if (files.length === 0)
    throw parseError(
      source,
      0,
      'no .txt files (expected <label>/<file>.txt or <split>/<label>/<file>.txt)',
    );
  const depth = files[0]?.split('/').length ?? 0;
  for (const file of files) {
    const fileDepth = file.split('/').length;
    if (fileDepth !== depth || fileDepth < 2 || fileDepth > 3)
      throw parseError(
        join(source, file),
        0,
        `is not where a labelled text goes: every file must be <label>/<file>.txt or every file <split>/<label>/<file>.txt (${files[0]} sets the layout)`,
      );
  }
  const itemsBySplit = new Map<string, LabelledText[]>();
  for (const [index, file] of files.entries()) {
    throwIfAborted(options.signal);
    if (index % 100 === 0)
      options.onProgress?.({ fraction: index / files.length, message: `Reading ${file}` });
    const path = join(source, file);
    const text = (await readUtf8File(path)).replace(/\s+/g, ' ').trim();
    if (text === '') throw parseError(path, 0, 'no text (the file is empty or blank)');
    const { split, label } = placeOf(file, depth);
    const items = itemsBySplit.get(split) ?? [];
    items.push({ label, text });
    itemsBySplit.set(split, items);
  }
  const splits = new Map<string, TextSplit>(
    [...itemsBySplit].map(([split, items]) => [split, { format: 'tsv', items }]),
  );
  return createTextCorpus(outDir, splits, options);
}
