import { describe, expect, it } from 'vitest';
import { formatPairs, parsePairs, symbolsOf } from './pairs';

describe('sequence pairs (source<TAB>target)', () => {
  it('reads pairs, one per line, and writes them back the same', () => {
    const text = 'read\tR EH D\nread\tR IY D\nJ’ai faim.\tI am hungry.\n';
    const pairs = parsePairs(text, 'p.tsv');
    expect(pairs).toEqual([
      { source: 'read', target: 'R EH D' },
      { source: 'read', target: 'R IY D' },
      { source: 'J’ai faim.', target: 'I am hungry.' },
    ]);
    expect(formatPairs(pairs)).toBe(text);
  });

  it('names the file and line of a line without a tab, with two tabs, or with an empty side', () => {
    expect(() => parsePairs('a\tb\nab\n', 'x/p.tsv')).toThrow(
      'x/p.tsv:2: expected source<TAB>target (no tab on this line)',
    );
    expect(() => parsePairs('a\tb\tc\n', 'p.tsv')).toThrow('p.tsv:1: more than one tab');
    expect(() => parsePairs('a\t \n', 'p.tsv')).toThrow('p.tsv:1: empty target');
    expect(() => parsePairs('\tb\n', 'p.tsv')).toThrow('p.tsv:1: empty source');
  });

  it('cuts a side into whitespace-separated tokens or into the characters of its NFC form', () => {
    expect(symbolsOf('  R  EH D ', 'tokens')).toEqual(['R', 'EH', 'D']);
    expect(symbolsOf('cafe\u0301 ok', 'characters')).toEqual(['c', 'a', 'f', 'é', ' ', 'o', 'k']);
    expect(symbolsOf('a👍', 'characters')).toEqual(['a', '👍']);
  });
});
