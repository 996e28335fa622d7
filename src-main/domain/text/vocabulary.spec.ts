import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import {
  PAD_ID,
  PAD_TOKEN,
  UNK_ID,
  UNK_TOKEN,
  Vocabulary,
  countWords,
  wordDropoutProbability,
} from './vocabulary';

const sentences = [
  ['The', 'cat', 'sat', '.'],
  ['the', 'dog', 'sat', '.'],
  ['The', 'end', '.'],
];

describe('countWords', () => {
  it('counts words as they are or lower-cased', () => {
    expect(countWords(sentences, false).get('The')).toBe(2);
    expect(countWords(sentences, false).get('the')).toBe(1);
    expect(countWords(sentences, true).get('the')).toBe(3);
    expect(countWords(sentences, true).has('The')).toBe(false);
  });
});

describe('Vocabulary', () => {
  it('reserves PAD and UNK and orders words by count, then code point', () => {
    const vocab = Vocabulary.build(countWords(sentences, false), { minCount: 1, lowercase: false });
    expect(vocab.word(PAD_ID)).toBe(PAD_TOKEN);
    expect(vocab.word(UNK_ID)).toBe(UNK_TOKEN);
    expect([...Array(vocab.size).keys()].map((id) => vocab.word(id))).toEqual([
      '<pad>',
      '<unk>',
      '.',
      'The',
      'sat',
      'cat',
      'dog',
      'end',
      'the',
    ]);
    expect(vocab.id('sat')).toBe(4);
    expect(vocab.countOf('.')).toBe(3);
  });

  it('maps words below the cut-off to UNK', () => {
    const vocab = Vocabulary.build(countWords(sentences, false), { minCount: 2, lowercase: false });
    expect(vocab.size).toBe(5);
    expect(vocab.id('cat')).toBe(UNK_ID);
    expect(vocab.has('cat')).toBe(false);
    expect(vocab.has('The')).toBe(true);
    expect(vocab.countOf('cat')).toBe(0);
  });

  it('keeps at most maxSize ids, the most frequent words', () => {
    const vocab = Vocabulary.build(countWords(sentences, false), {
      minCount: 1,
      maxSize: 4,
      lowercase: false,
    });
    expect(vocab.size).toBe(4);
    expect(vocab.has('.')).toBe(true);
    expect(vocab.has('The')).toBe(true);
    expect(vocab.has('sat')).toBe(false);
    expect(() =>
      Vocabulary.build(new Map(), { minCount: 1, maxSize: 1, lowercase: false }),
    ).toThrow(UnfoldError);
  });

  it('lower-cases counts and look-ups when built so', () => {
    const vocab = Vocabulary.build(countWords(sentences, false), { minCount: 3, lowercase: true });
    expect(vocab.countOf('THE')).toBe(3);
    expect(vocab.id('The')).toBe(vocab.id('the'));
    expect(vocab.id('the')).not.toBe(UNK_ID);
  });

  it('keeps literal <pad> and <unk> words on the reserved ids', () => {
    const vocab = Vocabulary.build(
      new Map([
        ['<unk>', 50],
        ['a', 2],
      ]),
      { minCount: 1, lowercase: false },
    );
    expect(vocab.size).toBe(3);
    expect(vocab.id('<unk>')).toBe(UNK_ID);
    expect(vocab.id('a')).toBe(2);
  });

  it('round-trips through JSON', () => {
    const vocab = Vocabulary.build(countWords(sentences, false), { minCount: 1, lowercase: true });
    const copy = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)), 'vocab.json');
    expect(copy.toJSON()).toEqual(vocab.toJSON());
    expect(copy.lowercase).toBe(true);
    expect(copy.id('CAT')).toBe(vocab.id('cat'));
    expect(copy.countOf('sat')).toBe(2);
  });

  it.each([
    ['not an object', 'expected object'],
    [{ lowercase: false, words: ['<pad>', '<unk>', 'a'], counts: [0, 0] }, '3 words but 2 counts'],
    [{ lowercase: false, words: ['<unk>', '<pad>'], counts: [0, 0] }, 'first two words'],
    [{ lowercase: false, words: ['<pad>', '<unk>', 'a', 'a'], counts: [0, 0, 1, 1] }, 'twice'],
    [{ lowercase: 'no', words: ['<pad>', '<unk>'], counts: [0, 0] }, 'lowercase'],
  ])('fromJSON refuses %j naming the file', (value, problem) => {
    expect(() => Vocabulary.fromJSON(value, '/x/vocab.json')).toThrow(UnfoldError);
    expect(() => Vocabulary.fromJSON(value, '/x/vocab.json')).toThrow(
      /^\/x\/vocab\.json: not a valid vocabulary/,
    );
    expect(() => Vocabulary.fromJSON(value, '/x/vocab.json')).toThrow(problem);
  });

  it('refuses an id outside the vocabulary', () => {
    const vocab = Vocabulary.build(new Map(), { minCount: 1, lowercase: false });
    expect(() => vocab.word(2)).toThrow(RangeError);
  });
});

describe('wordDropoutProbability', () => {
  it('is alpha / (alpha + count)', () => {
    expect(wordDropoutProbability(1, 0.25)).toBeCloseTo(0.2);
    expect(wordDropoutProbability(0, 0.25)).toBe(1);
    expect(wordDropoutProbability(99, 1)).toBeCloseTo(0.01);
    expect(wordDropoutProbability(5, 0)).toBe(0);
  });
});
