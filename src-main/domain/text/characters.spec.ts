import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import {
  CHAR_PAD_ID,
  CHAR_UNK_ID,
  CharacterVocabulary,
  MAX_WORD_CHARS,
  charIdsOf,
} from './characters';

const wordCounts = new Map([
  ['abc', 3],
  ['cab', 1],
  ['😀', 2],
  ['cafe\u0301', 1],
]);

describe('CharacterVocabulary', () => {
  it('orders characters by count with ids from 2, emoji and composed accents as one character', () => {
    const vocab = CharacterVocabulary.build(wordCounts, { minCount: 1 });
    // a: 4 + 1 (cafe), c: 4 + 1, b: 4, 😀: 2, e with acute: 1, f: 1
    expect(vocab.toJSON().chars).toEqual(['a', 'c', 'b', '😀', 'f', 'é']);
    expect(vocab.size).toBe(8);
    expect(vocab.id('a')).toBe(2);
    expect(vocab.id('😀')).toBe(5);
    expect(vocab.char(5)).toBe('😀');
    expect(vocab.id('z')).toBe(CHAR_UNK_ID);
  });

  it('leaves out characters below minCount', () => {
    const vocab = CharacterVocabulary.build(wordCounts, { minCount: 2 });
    expect(vocab.toJSON().chars).toEqual(['a', 'c', 'b', '😀']);
    expect(vocab.id('f')).toBe(CHAR_UNK_ID);
  });

  it('round-trips through JSON and names the file of a bad one', () => {
    const vocab = CharacterVocabulary.build(wordCounts, { minCount: 1 });
    const copy = CharacterVocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)), 'vocab.json');
    expect(copy.toJSON()).toEqual(vocab.toJSON());
    expect(() => CharacterVocabulary.fromJSON({ chars: ['ab'] }, 'v.json')).toThrow(
      /^v\.json: .*one character/,
    );
    expect(() => CharacterVocabulary.fromJSON({ chars: ['a', 'a'] }, 'v.json')).toThrow(/twice/);
    expect(() => CharacterVocabulary.fromJSON({}, 'v.json')).toThrow(UnfoldError);
  });
});

describe('charIdsOf', () => {
  const vocab = CharacterVocabulary.build(
    new Map([
      ['abcdefghijklmnopqrstuvwxyz', 1],
      ['😀', 1],
    ]),
    { minCount: 1 },
  );
  const idOf = (char: string) => vocab.id(char);

  it('gives one id per code point, an emoji one id', () => {
    expect([...charIdsOf('a😀b', vocab)]).toEqual([idOf('a'), idOf('😀'), idOf('b')]);
    expect([...charIdsOf('a?', vocab)]).toEqual([idOf('a'), CHAR_UNK_ID]);
  });

  it('keeps the first and last halves of a long word', () => {
    const word = 'abcdefghijkl' + 'x'.repeat(10_000 - 24) + 'mnopqrstuvwy';
    const ids = charIdsOf(word, vocab);
    expect(ids.length).toBe(MAX_WORD_CHARS);
    expect([...ids]).toEqual([...'abcdefghijklmnopqrstuvwy'].map(idOf));
  });

  it('writes into a row, padding the rest with 0', () => {
    const row = new Int32Array(6).fill(99);
    const written = charIdsOf('ab', vocab, row);
    expect([...written]).toEqual([idOf('a'), idOf('b')]);
    expect([...row]).toEqual([
      idOf('a'),
      idOf('b'),
      CHAR_PAD_ID,
      CHAR_PAD_ID,
      CHAR_PAD_ID,
      CHAR_PAD_ID,
    ]);
    const narrow = new Int32Array(4);
    charIdsOf('abcdefgh', vocab, narrow);
    expect([...narrow]).toEqual([...'abgh'].map(idOf));
  });
});
