import { describe, expect, it } from 'vitest';
import { specialWordLabels, wordLabelKind } from './word-classes';

describe('wordLabelKind', () => {
  it('recognises the usual silence spellings, ignoring case and spaces', () => {
    for (const label of ['_silence_', 'sil', '<sil>', 'SILENCE', ' _noise_ ', '_background_noise_'])
      expect(wordLabelKind(label), label).toBe('silence');
  });

  it('recognises the usual unknown-word spellings', () => {
    for (const label of ['_unknown_', '<UNK>', 'unknown'])
      expect(wordLabelKind(label), label).toBe('unknown');
  });

  it('leaves ordinary words, and words that merely contain the conventions, as words', () => {
    for (const label of ['yes', 'silent', 'sill', 'unknowns', '_yes_', 'noise', ''])
      expect(wordLabelKind(label), label).toBe('word');
  });
});

describe('specialWordLabels', () => {
  it('lists the silence and unknown classes of a label set in label order', () => {
    expect(specialWordLabels(['_silence_', '_unknown_', 'no', 'sil', 'yes'])).toEqual({
      silence: ['_silence_', 'sil'],
      unknown: ['_unknown_'],
    });
    expect(specialWordLabels(['no', 'yes'])).toEqual({ silence: [], unknown: [] });
  });
});
