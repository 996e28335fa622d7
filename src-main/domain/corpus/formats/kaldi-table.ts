import { parseError } from './parse-error';
import { compareCodePoints, splitLines } from './utf8';

/** One line of a Kaldi two-column table (`wav.scp`, `text`, `utt2spk`, `spk2utt`, `segments`). */
export interface KaldiTableRow {
  key: string;
  /** Everything after the first run of spaces: the value may itself contain spaces. */
  value: string;
  line: number;
}

export interface ParseKaldiTableOptions {
  /** `text` may hold an empty transcript; the other tables may not. */
  allowEmptyValue?: boolean;
}

/** Parses a Kaldi table; throws with file and line on the first malformed line. */
export function parseKaldiTable(
  content: string,
  file: string,
  options: ParseKaldiTableOptions = {},
): KaldiTableRow[] {
  const rows: KaldiTableRow[] = [];
  splitLines(content).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') throw parseError(file, line, 'empty line');
    const match = /^(\S+)(?:[ \t]+(.*))?$/.exec(raw);
    if (!match || match[1] === undefined) {
      throw parseError(file, line, 'a line must start with an id (no leading space)');
    }
    const value = (match[2] ?? '').trimEnd();
    if (value === '' && !options.allowEmptyValue) {
      throw parseError(file, line, `"${match[1]}" has no value`);
    }
    rows.push({ key: match[1], value, line });
  });
  return rows;
}

/** First line whose key is not strictly after the previous one (unsorted or duplicate), if any. */
export function findUnsortedRow(
  rows: readonly KaldiTableRow[],
): { row: KaldiTableRow; duplicate: boolean } | null {
  for (let i = 1; i < rows.length; i++) {
    const previous = rows[i - 1];
    const row = rows[i];
    if (!previous || !row) continue;
    const order = compareCodePoints(previous.key, row.key);
    if (order >= 0) return { row, duplicate: order === 0 };
  }
  return null;
}

/** Formats rows sorted by key in byte order, one `key value` per line, LF-terminated. */
export function formatKaldiTable(entries: Iterable<readonly [string, string]>): string {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a[0], b[0]));
  return sorted.map(([key, value]) => (value === '' ? key : `${key} ${value}`) + '\n').join('');
}
