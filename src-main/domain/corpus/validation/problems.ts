import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LongOperationOptions } from '../../jobs/progress';
import type { KaldiTableRow } from '../formats/kaldi-table';
import { findUnsortedRow, parseKaldiTable } from '../formats/kaldi-table';
import type { FileProblem } from '../formats/parse-error';
import { problemFromError } from '../formats/parse-error';
import { decodeUtf8 } from '../formats/utf8';

export interface ValidationReport {
  dir: string;
  ok: boolean;
  problems: FileProblem[];
  counts: {
    splits: number;
    utterances: number;
    recordings: number;
    alignments: number;
    sentences: number;
  };
}

export interface ValidateOptions extends LongOperationOptions {
  /** Decode every WAV (the default); off skips the slowest check for a quick look. */
  checkAudio?: boolean;
  /** Complete a commit interrupted by a crash before checking (the default). */
  recover?: boolean;
}

/** Alignment and duration tolerance: one 16 kHz sample is 62.5 us; labels are kept to 0.1 ms. */
export const DURATION_TOLERANCE = 0.001;

export class ProblemList {
  readonly items: FileProblem[] = [];
  add(file: string, line: number, message: string): void {
    this.items.push({ file, line, message });
  }
}

export async function readText(
  dir: string,
  relative: string,
  problems: ProblemList,
  optional = false,
): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(dir, relative));
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    problems.add(
      relative,
      0,
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'missing file'
        : (error as Error).message,
    );
    return null;
  }
  try {
    return decodeUtf8(bytes, relative);
  } catch (error) {
    problems.items.push(problemFromError(error, relative));
    return null;
  }
}

export function table(
  content: string | null,
  file: string,
  problems: ProblemList,
  allowEmptyValue = false,
): KaldiTableRow[] | null {
  if (content === null) return null;
  let rows: KaldiTableRow[];
  try {
    rows = parseKaldiTable(content, file, { allowEmptyValue });
  } catch (error) {
    problems.items.push(problemFromError(error, file));
    return null;
  }
  const unsorted = findUnsortedRow(rows);
  if (unsorted) {
    problems.add(
      file,
      unsorted.row.line,
      unsorted.duplicate
        ? `duplicate id "${unsorted.row.key}"`
        : `"${unsorted.row.key}" is out of order (files must be sorted as by LC_ALL=C sort)`,
    );
  }
  return rows;
}
