/**
 * Sequence pairs (`source<TAB>target` per line): the corpus format of sequence-to-sequence
 * tasks (spelling -> phones, sentence -> translation). Each side is read as tokens (split at
 * whitespace) or as characters (Unicode code points of the NFC form), as the corpus manifest's
 * `pairLevels` says. A source may come on several lines with different targets: they are all
 * references of that source (a word with several pronunciations).
 */
import { parseError } from './parse-error';
import { MAX_TEXT_LENGTH } from './tsv';
import { splitLines } from './utf8';

export interface SequencePair {
  source: string;
  target: string;
}

/** How a side of a pair is cut into symbols. */
export const PAIR_LEVELS = ['tokens', 'characters'] as const;
export type PairLevel = (typeof PAIR_LEVELS)[number];

export interface PairLevels {
  source: PairLevel;
  target: PairLevel;
}

/** Pairs of a corpus whose manifest does not say: tokens on both sides (sentence pairs). */
export const DEFAULT_PAIR_LEVELS: PairLevels = { source: 'tokens', target: 'tokens' };

/** Parses `source<TAB>target` lines; a line without a tab, or with an empty side, names the file and line. */
export function parsePairs(content: string, file: string): SequencePair[] {
  return splitLines(content).map((raw, index) => {
    const line = index + 1;
    const tab = raw.indexOf('\t');
    if (tab < 0) throw parseError(file, line, 'expected source<TAB>target (no tab on this line)');
    const source = raw.slice(0, tab);
    const target = raw.slice(tab + 1);
    if (target.includes('\t'))
      throw parseError(file, line, 'more than one tab: expected source<TAB>target');
    if (source.trim() === '') throw parseError(file, line, 'empty source');
    if (target.trim() === '') throw parseError(file, line, 'empty target');
    for (const side of [source, target])
      if (side.length > MAX_TEXT_LENGTH)
        throw parseError(
          file,
          line,
          `a side is ${side.length} characters long (at most ${MAX_TEXT_LENGTH})`,
        );
    return { source, target };
  });
}

export function formatPairs(pairs: readonly SequencePair[]): string {
  const clean = (text: string): string => text.replace(/[\t\r\n]+/g, ' ');
  return pairs.map((pair) => `${clean(pair.source)}\t${clean(pair.target)}\n`).join('');
}

/** The symbols of one side: whitespace-separated tokens, or the code points of its NFC form. */
export function symbolsOf(text: string, level: PairLevel): string[] {
  if (level === 'tokens') return text.split(/\s+/).filter((token) => token !== '');
  return [...text.normalize('NFC')];
}
