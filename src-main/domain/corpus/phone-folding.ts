import { readFile } from 'node:fs/promises';
import { resourcePath } from '../resources';
import { parseError } from './formats/parse-error';
import { decodeUtf8, splitLines } from './formats/utf8';

export const PHONE_FOLDING_FILE = resourcePath('phones-61-48-39.tsv');

/** Name of the copy kept in the folder of every corpus with a phone set. */
export const PHONE_FOLDING_NAME = 'phones-61-48-39.tsv';

export interface PhoneFolding {
  to48: Map<string, string>;
  to39: Map<string, string>;
}

/** Reads the TIMIT 61 -> 48 -> 39 table (Lee & Hon 1989) kept in resources/. */
export async function readPhoneFolding(path = PHONE_FOLDING_FILE): Promise<PhoneFolding> {
  return parsePhoneFolding(await readFile(path), path);
}

/** Parses a folding table's bytes; `source` names the file in errors. */
export function parsePhoneFolding(bytes: Uint8Array, source: string): PhoneFolding {
  const to48 = new Map<string, string>();
  const to39 = new Map<string, string>();
  splitLines(decodeUtf8(bytes, source)).forEach((line, index) => {
    if (line.startsWith('#') || line.startsWith('phone61\t') || line.trim() === '') return;
    const [p61, p48, p39] = line.split('\t');
    if (!p61 || !p48 || !p39)
      throw parseError(source, index + 1, 'expected phone61<TAB>phone48<TAB>phone39');
    to48.set(p61, p48);
    to39.set(p61, p39);
  });
  return { to48, to39 };
}

/** Folds a phone sequence for scoring; phones that fold to "-" (q) are dropped, unknown ones kept. */
export function foldPhones(
  phones: readonly string[],
  folding: PhoneFolding,
  target: 48 | 39,
): string[] {
  const table = target === 48 ? folding.to48 : folding.to39;
  return phones.map((p) => table.get(p) ?? p).filter((p) => p !== '-');
}
