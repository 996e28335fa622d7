import { describe, expect, it } from 'vitest';
import type { TextTokenData } from '../../api/text';
import { UnfoldError } from '../errors';
import { checkTextCharacters, splitSentences, tokenizeText } from './tokenize';

/** The tokeniser's promises: in order, no overlap, slices give the tokens, whitespace between. */
function expectRoundTrip(text: string, tokens: TextTokenData[]): void {
  let previousEnd = 0;
  for (const token of tokens) {
    expect(token.start).toBeGreaterThanOrEqual(previousEnd);
    expect(token.end).toBeGreaterThan(token.start);
    expect(text.slice(token.start, token.end).normalize('NFC')).toBe(token.text);
    expect(token.text).toBe(token.text.normalize('NFC'));
    expect(token.text).not.toMatch(/\s/);
    expect(text.slice(previousEnd, token.start)).toMatch(/^\s*$/);
    previousEnd = token.end;
  }
  expect(text.slice(previousEnd)).toMatch(/^\s*$/);
}

const texts = (tokens: TextTokenData[]) => tokens.map((token) => token.text);

describe('tokenizeText', () => {
  const samples = [
    "Don't go, John's dog can't fly. I'm sure it's fine!",
    'She said: "Hello, world." (and left) -- e.g. U.S.A. Mr. Smith; 3.14 10,000 $5.00 9:30',
    '  leading and trailing spaces  ',
    'tabs\tand\nnew\r\nlines\n\n',
    'http://example.com/a?b=1 mail@example.com #tag @user',
    'non\u00a0breaking\u2009thin\u3000ideographic spaces',
    'line\u2028separator and zero\u200bwidth',
    'Straße ﬁ Å (U+212B) Ω (U+2126)',
    'cafe\u0301 nai\u0308ve \u0301leading mark',
    '\u1100\u1161\u11a8 Hangul jamo and 한국어',
    'Привет, мир! 你好世界。 مرحبا بالعالم. Ελληνικά',
    '😀 👍🏽 👨‍👩‍👧 🇫🇷🇩🇪 ❤️ 1️⃣ emoji',
    'don’t John’s CAN’T',
    '!!!',
    '',
  ];

  it.each(samples)('round-trips %j', (text) => {
    expectRoundTrip(text, tokenizeText(text));
  });

  it('round-trips random mixtures of words, punctuation, marks, emoji and spaces', () => {
    const pieces = [
      'a',
      'B',
      "'s",
      "n't",
      '.',
      ',',
      '"',
      '\u0301',
      '\u0308',
      'é',
      'e',
      '😀',
      '🏽',
      '\u200d',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '漢',
      'я',
      '1',
      '-',
      'ﬁ',
      'Å',
    ];
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = 1 + Math.floor(next() * 30);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
      const tokens = tokenizeText(text);
      expectRoundTrip(text, tokens);
      // Every non-space character is in a token.
      expect(tokens.map((t) => t.text).join('')).toBe(text.normalize('NFC').replace(/\s/g, ''));
    }
  });

  it('splits clitics the Penn / UD way', () => {
    expect(texts(tokenizeText("don't"))).toEqual(['do', "n't"]);
    expect(texts(tokenizeText("John's"))).toEqual(['John', "'s"]);
    expect(texts(tokenizeText("can't"))).toEqual(['ca', "n't"]);
    expect(texts(tokenizeText("I'm"))).toEqual(['I', "'m"]);
    expect(texts(tokenizeText("we've they'll"))).toEqual(['we', "'ve", 'they', "'ll"]);
  });

  it('splits a clitic before a final full stop', () => {
    expect(texts(tokenizeText('questioned Kerry\u2019s.'))).toEqual([
      'questioned',
      'Kerry',
      '\u2019s',
      '.',
    ]);
    expect(texts(tokenizeText("one of Bout's."))).toEqual(['one', 'of', 'Bout', "'s", '.']);
  });

  it('tokenises a text the same whatever was read before', () => {
    // wink learns unknown words as it reads: "zorblax...." would teach it "zorblax..." and
    // "Zorblax's." the whole "Zorblax's", changing how it splits them afterwards.
    const text = 'the zorblax... is here; the Zorblax’s record stands';
    const before = texts(tokenizeText(text));
    tokenizeText('zorblax.... They questioned the Zorblax’s.');
    expect(texts(tokenizeText(text))).toEqual(before);
    expect(before).toEqual([
      'the',
      'zorblax',
      '...',
      'is',
      'here',
      ';',
      'the',
      'Zorblax',
      '’s',
      'record',
      'stands',
    ]);
  });

  it('keeps words that look like clitics whole', () => {
    expect(texts(tokenizeText("o'clock ma'am y'all rock'n'roll"))).toEqual([
      "o'clock",
      "ma'am",
      "y'all",
      "rock'n'roll",
    ]);
  });

  it('keeps abbreviations together and splits a sentence-final full stop', () => {
    expect(texts(tokenizeText('e.g. U.S. fly.'))).toEqual(['e.g.', 'U.S.', 'fly', '.']);
  });

  it('gives offsets into the original text', () => {
    expect(tokenizeText("  Don't\tgo.")).toEqual([
      { text: 'Do', start: 2, end: 4 },
      { text: "n't", start: 4, end: 7 },
      { text: 'go', start: 8, end: 10 },
      { text: '.', start: 10, end: 11 },
    ]);
  });

  it('returns no tokens for empty or whitespace-only text', () => {
    expect(tokenizeText('')).toEqual([]);
    expect(tokenizeText(' \t\n\r\n\u00a0 ')).toEqual([]);
  });

  it('tokenises text of punctuation only', () => {
    const tokens = tokenizeText('!?!...');
    expectRoundTrip('!?!...', tokens);
    expect(tokens.length).toBeGreaterThan(0);
    expect(texts(tokenizeText('! ? ;'))).toEqual(['!', '?', ';']);
  });

  it('keeps an emoji one token covering its surrogate pair', () => {
    expect(tokenizeText('hi 😀!')).toEqual([
      { text: 'hi', start: 0, end: 2 },
      { text: '😀', start: 3, end: 5 },
      { text: '!', start: 5, end: 6 },
    ]);
    expect(texts(tokenizeText('👍🏽 👨‍👩‍👧 🇫🇷🇩🇪'))).toEqual(['👍🏽', '👨‍👩‍👧', '🇫🇷', '🇩🇪']);
  });

  it('keeps a 10,000-character word whole', () => {
    const word = 'ab'.repeat(5000);
    expect(tokenizeText(`x ${word} y`)).toEqual([
      { text: 'x', start: 0, end: 1 },
      { text: word, start: 2, end: 10_002 },
      { text: 'y', start: 10_003, end: 10_004 },
    ]);
  });

  it('tokenises mixed scripts at spaces and punctuation', () => {
    expect(texts(tokenizeText('Hello мир 你好 مرحبا!'))).toEqual([
      'Hello',
      'мир',
      '你好',
      'مرحبا',
      '!',
    ]);
  });

  it('gives NFC tokens with offsets of the decomposed original', () => {
    const text = 'cafe\u0301 au lait';
    expect(tokenizeText(text)).toEqual([
      { text: 'caf\u00e9', start: 0, end: 5 },
      { text: 'au', start: 6, end: 8 },
      { text: 'lait', start: 9, end: 13 },
    ]);
    const korean = 'x \u1100\u1161\u11a8 y';
    expect(tokenizeText(korean)).toEqual([
      { text: 'x', start: 0, end: 1 },
      { text: '\uac01', start: 2, end: 5 },
      { text: 'y', start: 6, end: 7 },
    ]);
  });

  it('refuses control characters', () => {
    expect(() => tokenizeText('ab\u0007c')).toThrow(/U\+0007 at line 1, column 3/);
  });
});

describe('checkTextCharacters', () => {
  it('accepts tab, LF and CR', () => {
    expect(() => checkTextCharacters('a\tb\r\nc\n', 'x')).not.toThrow();
  });

  it('names where, the line and the column of a control character', () => {
    let error: unknown;
    try {
      checkTextCharacters('first\nse😀c\u0085ond', 'corpus.txt');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnfoldError);
    expect((error as UnfoldError).code).toBe('TEXT_CONTROL_CHARACTER');
    expect((error as UnfoldError).message).toMatch(
      /^corpus\.txt: control character U\+0085 at line 2, column 5/,
    );
    expect((error as UnfoldError).details).toEqual({ position: 11, line: 2, column: 5 });
  });

  it.each(['\u0000', '\u001b', '\u007f', '\u009f', '\u000b', '\u000c'])('refuses %j', (char) => {
    expect(() => checkTextCharacters(`a${char}`, 'here')).toThrow(UnfoldError);
  });
});

describe('splitSentences', () => {
  it("cuts where wink's sentence boundary detection does, not after Mr., and at a blank line", () => {
    expect(
      splitSentences('Call me Ishmael. Mr. Starbuck went below.\n\nA heading\n\nSo  it\ngoes?  '),
    ).toEqual(['Call me Ishmael.', 'Mr. Starbuck went below.', 'A heading', 'So  it\ngoes?']);
  });

  it('gives the same sentences whatever it read before (wink learns no words across texts)', () => {
    const text = "He questioned Kerry's. Kerry's record stood. It was Mr. Flask's turn.";
    const first = splitSentences(text);
    splitSentences("Kerry's Flask's Kerry's. questioned Kerry's.");
    expect(splitSentences(text)).toEqual(first);
    expect(first).toHaveLength(3);
  });

  it('refuses control characters, naming where', () => {
    expect(() => splitSentences('One.\nTw\u0007o.', 'chapter_2.json')).toThrow(
      /^chapter_2\.json: control character U\+0007 at line 2, column 3/,
    );
  });
});
