import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../../errors';
import type { IntervalTier } from './textgrid';
import { formatTextGrid, parseTextGrid, parseTextGridWithLines, tierFromSpans } from './textgrid';

const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/corpus/', import.meta.url));
const SHORT = readFileSync(`${fixtures}textgrid/short-format.TextGrid`, 'utf8');
const LONG = formatTextGrid(parseTextGrid(SHORT, 'short.TextGrid'));

/** Replaces the `n`-th (1-based) line; the result keeps every other line where it was. */
function withLine(content: string, n: number, replacement: string): string {
  const lines = content.split('\n');
  lines[n - 1] = replacement;
  return lines.join('\n');
}

function withoutLine(content: string, n: number): string {
  return content
    .split('\n')
    .filter((_, k) => k !== n - 1)
    .join('\n');
}

/** 1-based number of the first line containing `text` after line `from`. */
function lineOf(content: string, text: string, from = 0): number {
  const index = content.split('\n').findIndex((line, k) => k >= from && line.includes(text));
  if (index < 0) throw new Error(`no line contains ${text}`);
  return index + 1;
}

function parseErrorOf(content: string): UnfoldError {
  try {
    parseTextGrid(content, 'bad.TextGrid');
  } catch (error) {
    if (error instanceof UnfoldError) return error;
    throw error;
  }
  throw new Error('the TextGrid was accepted');
}

// Long format: line 14 `intervals: size = 3`, interval 1 at lines 15-18, interval 2 at 19-22
// (`xmin = 0.1`, `xmax = 0.4`, `text = "café ""quoted"""`), interval 3 at 23-26, the second
// tier's class at 28 and its size at 32.
// Short format: line 12 the first tier's size (3), interval 2 at lines 16-18, the second tier
// from line 22, its size at line 26.
const ONE_TIER = formatTextGrid({
  xmin: 0,
  xmax: 1,
  tiers: [tierFromSpans('words', 0, 1, [{ xmin: 0.2, xmax: 0.5, text: 'hello' }])],
});

const BAD_INPUTS: { name: string; content: string; line: number; message: RegExp }[] = [
  {
    // The report's case: the size's word was skipped, the next number (0) became the size,
    // and the grid was read with no intervals, the words silently dropped.
    name: 'long, one tier: intervals: size = two',
    content: withLine(ONE_TIER, 14, '        intervals: size = two '),
    line: 14,
    message: /expected the number of items of tier "words", found "two"/,
  },
  {
    name: 'long: intervals: size = two',
    content: withLine(LONG, 14, '        intervals: size = two '),
    line: 14,
    message: /expected the number of items of tier "words", found "two"/,
  },
  {
    name: 'short: a size written as a word',
    content: withLine(SHORT, 12, 'two'),
    line: 12,
    message: /found "two"/,
  },
  {
    name: 'long: an interval without its xmax',
    content: withoutLine(LONG, 21),
    line: 21,
    message:
      /the xmax of interval 2 of tier "words" is missing: expected "xmax = …", found "text = …"/,
  },
  {
    name: 'short: an interval without its xmax',
    content: withoutLine(SHORT, 17),
    line: 17,
    message: /expected the xmax of interval 2 of tier "words" \(a number\), found "café/,
  },
  {
    name: 'long: a text that is not quoted',
    content: withLine(LONG, 22, '            text = hello '),
    line: 22,
    message: /expected the text of interval 2 of tier "words", found "hello"/,
  },
  {
    name: 'short: a text that is not quoted',
    content: withLine(SHORT, 18, 'hello'),
    line: 18,
    message: /expected the text of interval 2 of tier "words", found "hello"/,
  },
  {
    name: 'long: fewer intervals than the size (the next tier starts)',
    content: withLine(LONG, 14, '        intervals: size = 4 '),
    line: 28,
    message: /tier "words" has 3 item\(s\), fewer than its size \(4, line 14\)/,
  },
  {
    name: 'short: fewer intervals than the size (the file ends)',
    content: withLine(SHORT, 26, '3'),
    line: 32,
    message: /tier "phones" has 2 item\(s\), fewer than its size \(3, line 26\)/,
  },
  {
    name: 'long: more intervals than the size (the next tier holds a number)',
    content: withLine(LONG, 14, '        intervals: size = 2 '),
    line: 24,
    message: /tier "words" has more items than its size \(2, line 14\)/,
  },
  {
    name: 'short: more intervals than the size of the last tier',
    content: withLine(SHORT, 26, '1'),
    line: 30,
    message: /tier "phones" has more items than its size \(1, line 26\)/,
  },
  {
    name: 'long: an interval with xmin > xmax',
    content: withLine(LONG, 21, '            xmax = 0.05 '),
    line: 21,
    message: /interval 2 of tier "words" ends \(xmax 0.05\) before it starts \(xmin 0.1\)/,
  },
  {
    name: 'short: an interval with xmin > xmax',
    content: withLine(SHORT, 17, '0.05'),
    line: 17,
    message: /interval 2 of tier "words" ends \(xmax 0.05\) before it starts/,
  },
  {
    name: 'long: a tier with xmin > xmax',
    content: withLine(LONG, 13, '        xmax = -1 '),
    line: 13,
    message: /tier "words" ends \(xmax -1\) before it starts/,
  },
  {
    name: 'long: a number with a unit',
    content: withLine(LONG, 21, '            xmax = 0.4s '),
    line: 21,
    message: /"0\.4s" is not a number/,
  },
  {
    name: 'short: two dots in a number',
    content: withLine(SHORT, 17, '0.4.1'),
    line: 17,
    message: /"0\.4\.1" is not a number/,
  },
  {
    name: 'long: a negative size',
    content: withLine(LONG, 14, '        intervals: size = -1 '),
    line: 14,
    message: /must be a whole number, not -1/,
  },
  {
    name: 'short: a fractional tier count',
    content: withLine(SHORT, 7, '1.5'),
    line: 7,
    message: /the number of tiers must be a whole number, not 1.5/,
  },
  {
    name: 'long: NaN as a time',
    content: withLine(LONG, 20, '            xmin = NaN '),
    line: 20,
    message: /found "NaN"/,
  },
  {
    name: 'long: an unterminated string',
    content: withLine(LONG, 22, '            text = "café '),
    line: 22,
    message: /unterminated string/,
  },
  {
    name: 'short: a huge size and too few intervals',
    content: withLine(SHORT, 26, '1000000000'),
    line: 32,
    message: /fewer than its size \(1000000000, line 26\)/,
  },
  {
    name: 'long: the tier count is larger than the tiers',
    content: withLine(LONG, 7, 'size = 3 '),
    line: lineOf(LONG, '"ae"'),
    message: /the file ends where the class of tier 3 was expected/,
  },
  {
    name: 'long: a stray word after the last tier',
    content: `${LONG}garbage\n`,
    line: LONG.split('\n').length,
    message: /unexpected "garbage" after the last tier/,
  },
];

describe('TextGrid: malformed input is refused with its file and line', () => {
  it.each(BAD_INPUTS)('$name', ({ content, line, message }) => {
    const error = parseErrorOf(content);
    expect(error.code).toBe('CORPUS_PARSE');
    expect(error.message).toMatch(new RegExp(`^bad\\.TextGrid:${line}: `));
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ file: 'bad.TextGrid', line });
  });

  it('the base files themselves parse (so each case above fails for its one change)', () => {
    expect(parseTextGrid(LONG, 'long.TextGrid')).toEqual(parseTextGrid(SHORT, 'short.TextGrid'));
    expect(LONG.split('\n')[13]).toBe('        intervals: size = 3 ');
    expect(SHORT.split('\n')[11]).toBe('3');
  });
});

describe('TextGrid lines', () => {
  it('gives the line of every tier and interval, in both formats', () => {
    const long = parseTextGridWithLines(LONG, 'long.TextGrid').lines;
    expect(long).toMatchObject({ xmin: 4, xmax: 5, size: 7 });
    expect(long.tiers[0]).toEqual({
      header: 10,
      xmin: 12,
      xmax: 13,
      size: 14,
      items: [16, 20, 24],
    });
    const short = parseTextGridWithLines(SHORT, 'short.TextGrid').lines;
    expect(short.tiers[1]).toEqual({ header: 22, xmin: 24, xmax: 25, size: 26, items: [27, 30] });
  });

  it('keeps reading labels that contain key words and newlines', () => {
    const grid = {
      xmin: 0,
      xmax: 1,
      tiers: [tierFromSpans('words', 0, 1, [{ xmin: 0.2, xmax: 0.5, text: 'xmax size\ntext' }])],
    };
    const parsed = parseTextGrid(formatTextGrid(grid), 'x.TextGrid');
    expect((parsed.tiers[0] as IntervalTier).intervals[1]?.text).toBe('xmax size\ntext');
  });
});
