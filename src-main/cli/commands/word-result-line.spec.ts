import { describe, expect, it } from 'vitest';
import { describeWord } from './word-result-line';

const top = [
  { label: 'yes', probability: 0.42 },
  { label: 'no', probability: 0.3 },
];

describe('describeWord', () => {
  it('prints a word with its probability', () => {
    expect(describeWord({ word: 'yes', probability: 0.91, kind: 'word', top })).toBe('yes (0.910)');
  });

  it('says what silence, unknown and rejected results are', () => {
    expect(describeWord({ word: '_silence_', probability: 0.8, kind: 'silence', top })).toBe(
      '(silence: _silence_, 0.800)',
    );
    expect(describeWord({ word: '<unk>', probability: 0.7, kind: 'unknown', top })).toBe(
      '(unknown word: <unk>, 0.700)',
    );
    expect(describeWord({ word: 'not sure', probability: 0.42, kind: 'not-sure', top })).toBe(
      'not sure (best yes 0.420)',
    );
  });
});
