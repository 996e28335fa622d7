import { parseError } from './parse-error';
import { splitLines } from './utf8';

/** Class labels are names, not text: longer than this is almost surely a column mix-up. */
export const MAX_LABEL_LENGTH = 256;

/** Longest transcript or sentence kept: longer lines are almost surely a broken file. */
export const MAX_TEXT_LENGTH = 10_000;

export interface LabelledText {
  label: string;
  text: string;
}

export function checkLabel(label: string, file: string, line: number): void {
  if (label === '') throw parseError(file, line, 'empty label');
  if (label.length > MAX_LABEL_LENGTH) {
    throw parseError(
      file,
      line,
      `label is ${label.length} characters long (at most ${MAX_LABEL_LENGTH}); is a text in the label column?`,
    );
  }
  if (/[\t\n\r]/.test(label)) throw parseError(file, line, 'label contains a tab or newline');
}

/** Parses `label<TAB>text` lines; the text may itself contain tabs after the first one. */
export function parseTsv(content: string, file: string): LabelledText[] {
  return splitLines(content).map((raw, index) => {
    const line = index + 1;
    const tab = raw.indexOf('\t');
    if (tab < 0) throw parseError(file, line, 'expected label<TAB>text');
    const label = raw.slice(0, tab);
    const text = raw.slice(tab + 1);
    checkLabel(label, file, line);
    if (text.trim() === '') throw parseError(file, line, 'empty text');
    if (text.length > MAX_TEXT_LENGTH) {
      throw parseError(
        file,
        line,
        `text is ${text.length} characters long (at most ${MAX_TEXT_LENGTH})`,
      );
    }
    return { label, text };
  });
}

export function formatTsv(items: readonly LabelledText[]): string {
  return items.map((item) => `${item.label}\t${item.text.replace(/[\r\n]+/g, ' ')}\n`).join('');
}

/** Plain text for language modelling: one sentence or paragraph per line, blank lines dropped. */
export function parsePlainText(content: string): string[] {
  return splitLines(content).filter((line) => line.trim() !== '');
}

export function formatPlainText(lines: readonly string[]): string {
  return lines.map((line) => line.replace(/[\r\n]+/g, ' ') + '\n').join('');
}
