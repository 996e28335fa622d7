import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../../errors';
import { conlluWords, formatConllu, parseConllu } from './conllu';
import { findUnsortedRow, formatKaldiTable, parseKaldiTable } from './kaldi-table';
import { formatTextGrid, intervalTierProblems, parseTextGrid, tierFromSpans } from './textgrid';
import type { IntervalTier } from './textgrid';
import { MAX_LABEL_LENGTH, parseTsv } from './tsv';
import { compareCodePoints, decodeUtf8 } from './utf8';

const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/corpus/', import.meta.url));

function errorOf(action: () => unknown): UnfoldError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnfoldError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('TextGrid', () => {
  it('reads the short text format, including doubled quotes and non-ASCII labels', () => {
    const grid = parseTextGrid(
      readFileSync(`${fixtures}textgrid/short-format.TextGrid`, 'utf8'),
      'short.TextGrid',
    );
    expect(grid.xmax).toBe(0.5);
    expect(grid.tiers.map((t) => t.name)).toEqual(['words', 'phones']);
    const words = grid.tiers[0] as IntervalTier;
    expect(words.intervals[1]).toEqual({ xmin: 0.1, xmax: 0.4, text: 'café "quoted"' });
  });

  it('writes the long format and reads it back identically', () => {
    const grid = parseTextGrid(
      readFileSync(`${fixtures}textgrid/short-format.TextGrid`, 'utf8'),
      'short.TextGrid',
    );
    const long = formatTextGrid(grid);
    expect(long).toContain('intervals [2]:');
    expect(long).toContain('text = "café ""quoted""" ');
    expect(parseTextGrid(long, 'long.TextGrid')).toEqual(grid);
  });

  it('names the line of a malformed value', () => {
    const bad = formatTextGrid({
      xmin: 0,
      xmax: 1,
      tiers: [tierFromSpans('words', 0, 1, [{ xmin: 0.2, xmax: 0.5, text: 'a' }])],
    }).replace('xmax = 0.5 ', 'xmax = "oops" ');
    const error = errorOf(() => parseTextGrid(bad, 'bad.TextGrid'));
    expect(error.code).toBe('CORPUS_PARSE');
    expect(error.message).toMatch(/^bad\.TextGrid:\d+: expected the xmax of interval 2/);
    const line = Number(/:(\d+):/.exec(error.message)?.[1]);
    expect(bad.split('\n')[line - 1]).toContain('"oops"');
  });

  it('finds gaps and overlaps in interval tiers', () => {
    const tier: IntervalTier = {
      kind: 'interval',
      name: 'phones',
      xmin: 0,
      xmax: 1,
      intervals: [
        { xmin: 0, xmax: 0.5, text: 'a' },
        { xmin: 0.4, xmax: 0.8, text: 'b' },
        { xmin: 0.9, xmax: 1, text: 'c' },
      ],
    };
    const problems = intervalTierProblems(tier);
    expect(problems.map((p) => [p.kind, p.interval])).toEqual([
      ['overlap', 1],
      ['gap', 2],
    ]);
    expect(problems[0]?.message).toMatch(/overlapping interval 1/);
    expect(problems[1]?.message).toMatch(/gap from 0.8 to 0.9/);
    expect(
      intervalTierProblems(tierFromSpans('w', 0, 1, [{ xmin: 0.2, xmax: 0.3, text: 'x' }])),
    ).toEqual([]);
  });
});

describe('CoNLL-U', () => {
  const train = readFileSync(`${fixtures}ud-ewt/en_ewt-sample-train.conllu`, 'utf8');

  it('reads UD EWT with multiword tokens and empty nodes, and writes it back byte for byte', () => {
    const sentences = parseConllu(train, 'train.conllu');
    expect(sentences).toHaveLength(3);
    expect(formatConllu(sentences)).toBe(train);
  });

  it('tags syntactic words only: not the multiword token, not the empty node (the UD way)', () => {
    const [, letUs, reported] = parseConllu(train, 'train.conllu');
    expect(letUs?.tokens[0]?.id).toBe('1-2');
    expect(
      conlluWords(letUs!)
        .slice(0, 2)
        .map((w) => [w.form, w.upos]),
    ).toEqual([
      ['Let', 'VERB'],
      ["'s", 'PRON'],
    ]);
    expect(reported?.tokens.some((t) => t.id === '8.1')).toBe(true);
    expect(conlluWords(reported!).map((w) => w.id)).toEqual(
      Array.from({ length: 13 }, (_, k) => String(k + 1)),
    );
  });

  it('names the first bad line: wrong column count, bad UPOS, out-of-sequence ids', () => {
    const lines = train.split('\n');
    const tokenLine = lines.findIndex((l) => l.startsWith('5\tAmerican'));
    const withNineColumns = [...lines];
    withNineColumns[tokenLine] = (lines[tokenLine] ?? '').split('\t').slice(0, 9).join('\t');
    expect(errorOf(() => parseConllu(withNineColumns.join('\n'), 'x.conllu')).message).toBe(
      `x.conllu:${tokenLine + 1}: expected 10 tab-separated columns, found 9`,
    );
    const badTag = [...lines];
    badTag[tokenLine] = (lines[tokenLine] ?? '').replace('\tADJ\t', '\tADJECTIVE\t');
    expect(errorOf(() => parseConllu(badTag.join('\n'), 'x.conllu')).message).toContain(
      `x.conllu:${tokenLine + 1}: UPOS "ADJECTIVE"`,
    );
    const skipped = lines.filter((_, k) => k !== tokenLine);
    expect(errorOf(() => parseConllu(skipped.join('\n'), 'x.conllu')).message).toBe(
      `x.conllu:${tokenLine + 1}: word ID 6 out of sequence (expected 5)`,
    );
  });
});

describe('Kaldi tables, TSV and UTF-8', () => {
  it('sorts in byte order and finds the first unsorted or duplicate line', () => {
    expect(
      formatKaldiTable([
        ['b', '2'],
        ['a-1', 'x y'],
        ['a', '1'],
      ]),
    ).toBe('a 1\na-1 x y\nb 2\n');
    const rows = parseKaldiTable('a 1\nc 2\nb 3\n', 'text');
    expect(findUnsortedRow(rows)).toEqual({
      row: { key: 'b', value: '3', line: 3 },
      duplicate: false,
    });
    expect(findUnsortedRow(parseKaldiTable('a 1\na 2\n', 'text'))?.duplicate).toBe(true);
    expect(errorOf(() => parseKaldiTable('a 1\n\nb 2\n', 'wav.scp')).message).toBe(
      'wav.scp:2: empty line',
    );
    expect(compareCodePoints('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
  });

  it('rejects invalid UTF-8 and names its line', () => {
    const bytes = new Uint8Array([...Buffer.from('ok\nfine\nbad '), 0xc3, 0x28, 0x0a]);
    expect(errorOf(() => decodeUtf8(bytes, 'text')).message).toBe(
      'text:3: invalid UTF-8 (the file must be UTF-8 text)',
    );
  });

  it('parses label<TAB>text and refuses huge labels', () => {
    expect(parseTsv('pos\tgreat film\tindeed\n', 'a.tsv')).toEqual([
      { label: 'pos', text: 'great film\tindeed' },
    ]);
    const huge = 'x'.repeat(MAX_LABEL_LENGTH + 1);
    expect(errorOf(() => parseTsv(`pos\tok\n${huge}\ttext\n`, 'a.tsv')).message).toMatch(
      /^a\.tsv:2: label is 257 characters long/,
    );
  });
});
