import { describe, expect, it } from 'vitest';
import { cmudictPairs } from './cmudict';

const DICT = [
  ';;; a comment line',
  'A  AH0',
  'A(1)  EY1',
  "A'S  EY1 Z",
  'A.  EY1',
  'A42128  EY1 F AO1 R',
  'READ  R EH1 D',
  'READ(1)  R IY1 D',
  'TOMATO  T AH0 M EY1 T OW2',
  'TOMATO(1)  T AH0 M EY2 T OW2',
].join('\n');

describe('the CMUdict G2P pairs', () => {
  it('keeps every pronunciation of a word as a pair, spelling lower-cased, stress removed', () => {
    const { pairs, skippedWords } = cmudictPairs(DICT, 'dict.txt', 'remove');
    expect(pairs).toEqual([
      { source: 'a', target: 'AH' },
      { source: 'a', target: 'EY' },
      { source: "a's", target: 'EY Z' },
      { source: 'read', target: 'R EH D' },
      { source: 'read', target: 'R IY D' },
      // The two variants differ only in stress: one pronunciation without it.
      { source: 'tomato', target: 'T AH M EY T OW' },
    ]);
    // "a." and "a42128" are not letters and apostrophes only.
    expect(skippedWords).toBe(2);
  });

  it('keeps the stress digits when asked', () => {
    const { pairs } = cmudictPairs(DICT, 'dict.txt', 'keep');
    expect(pairs.filter((p) => p.source === 'tomato').map((p) => p.target)).toEqual([
      'T AH0 M EY1 T OW2',
      'T AH0 M EY2 T OW2',
    ]);
  });

  it('names the line of an entry without phones', () => {
    expect(() => cmudictPairs('A  AH0\nB\n', 'dict.txt', 'remove')).toThrow(
      'dict.txt:2: expected WORD<SPACES>PHONES',
    );
  });
});
