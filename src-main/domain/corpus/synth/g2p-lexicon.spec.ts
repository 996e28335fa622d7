import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { G2pPronouncer } from '../../text/seq2seq/g2p-pronouncer';
import {
  checkArpabetOutputs,
  dictionaryWords,
  entriesFor,
  festivalLexiconLines,
  fliteAddenda,
  g2pNoteLine,
  lexiconPhones,
  missingWords,
  pronounceMissingWords,
  sentenceWords,
} from './g2p-lexicon';

const DICTIONARY = [
  ';;; a comment',
  'THE  DH AH0',
  'THE(1)  DH IY0',
  'DOG  D AO1 G',
  "DOG'S  D AO1 G Z",
  'CAT  K AE1 T',
  '',
].join('\n');

/** A pronouncer that answers from a table (letters outside `alphabet` are unknown to it). */
function fakePronouncer(
  table: Record<string, string>,
  outputSymbols: string[] = ['B', 'L', 'AA1', 'AA0', 'K', 'S', 'AH0', 'ER2'],
  alphabet = 'abcdefghijklmnopqrstuvwxyz',
): G2pPronouncer & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    experiment: 'fake-g2p',
    outputSymbols,
    asked,
    pronounce(words) {
      asked.push([...words]);
      return words.map((word) => ({
        symbols: (table[word] ?? '').split(' ').filter(Boolean),
        unknownLetters: [...word].filter((c) => !alphabet.includes(c)),
      }));
    },
    dispose: () => undefined,
  };
}

let work: string;
let dictionaryPath: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-g2p-lexicon-'));
  dictionaryPath = join(work, 'dict.txt');
  await writeFile(dictionaryPath, DICTIONARY);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the words a G2P model is asked for', () => {
  it('cuts sentences as the synthesisers look words up', () => {
    expect(sentenceWords(['The dog, the BLAX-cat.', "Blax's 'quoted' 42 café"])).toEqual([
      'the',
      'dog',
      'blax',
      'cat',
      "blax's",
      'quoted',
    ]);
  });

  it('reads the dictionary words (variants and comments aside) and finds what it lacks', () => {
    const dictionary = dictionaryWords(DICTIONARY);
    expect([...dictionary].sort()).toEqual(['cat', 'dog', "dog's", 'the']);
    // A missing word with 's is asked for by its stem, which the synthesisers say apart.
    expect(missingWords(['the', 'blax', "dog's", "cat's", "zub's", 'blax'], dictionary)).toEqual([
      'blax',
      'zub',
    ]);
  });
});

describe('phones for the synthesisers', () => {
  it('accepts CMUdict ARPAbet with or without stress and refuses other symbols by name', () => {
    expect(() => checkArpabetOutputs('g', ['AA', 'B', 'ZH', 'ER2', 'AH0'])).not.toThrow();
    expect(() => checkArpabetOutputs('g', ['AA', 'X', 'b', 'B1', 'pau'])).toThrow(
      expect.objectContaining({
        code: 'G2P_PHONE_SET',
        message: expect.stringContaining('(X, B1, pau)'),
      }),
    );
  });

  it('writes a stress digit (0/1) on every vowel, AH0 as ax0, secondary stress as 1', () => {
    expect(lexiconPhones(['B', 'L', 'AA1', 'K', 'S', 'AH0', 'ER2', 'IY0'])).toEqual([
      'b',
      'l',
      'aa1',
      'k',
      's',
      'ax0',
      'er1',
      'iy0',
    ]);
    // Without stress every vowel is marked stressed: no vowel gets reduced.
    expect(lexiconPhones(['B', 'AH', 'L', 'OW'])).toEqual(['b', 'ah1', 'l', 'ow1']);
  });

  it('gives festival Scheme entries, flite addenda, and each sentence the entries it needs', () => {
    const lexicon = new Map([
      ['blax', ['b', 'l', 'aa1', 'k', 's']],
      ["o'zub", ['ow1', 'z', 'ah1', 'b']],
    ]);
    expect(festivalLexiconLines(lexicon)).toEqual([
      `(lex.add.entry (list "blax" nil (lex.syllabify.phstress '(b l aa1 k s))))`,
      `(lex.add.entry (list "o'zub" nil (lex.syllabify.phstress '(ow1 z ah1 b))))`,
    ]);
    expect(fliteAddenda(lexicon)).toBe("blax : b l aa1 k s\no'zub : ow1 z ah1 b\n");
    expect([...entriesFor("The Blax's dog.", lexicon).keys()]).toEqual(['blax']);
    expect(entriesFor('The dog.', lexicon).size).toBe(0);
  });
});

describe('pronouncing the missing words', () => {
  it('asks the model once for every word the dictionary lacks and notes them', async () => {
    const pronouncer = fakePronouncer({ blax: 'B L AA1 K S', zub: 'Z AH0 B' });
    pronouncer.outputSymbols = [...pronouncer.outputSymbols, 'Z'];
    const { note, lexicon } = await pronounceMissingWords(
      ['The blax.', "The dog's blax", "Zub's cat"],
      pronouncer,
      { dictionaryPath },
    );
    expect(pronouncer.asked).toEqual([['blax', 'zub']]);
    expect(note).toEqual({
      experiment: 'fake-g2p',
      words: { blax: 'B L AA1 K S', zub: 'Z AH0 B' },
    });
    expect(lexicon.get('zub')).toEqual(['z', 'ax0', 'b']);
    expect(g2pNoteLine(note)).toBe(
      'G2P fake-g2p pronounced 2 word(s) the dictionary lacks: blax /B L AA1 K S/, zub /Z AH0 B/',
    );
    const none = await pronounceMissingWords(['The dog.'], fakePronouncer({}), { dictionaryPath });
    expect(none.note.words).toEqual({});
    expect(g2pNoteLine(none.note)).toBe('G2P fake-g2p: every word is in the dictionary');
  });

  it('refuses a model of another phone set, unseen letters and empty outputs, naming them', async () => {
    await expect(
      pronounceMissingWords(['blax'], fakePronouncer({ blax: 'b l a' }, ['b', 'l', 'a']), {
        dictionaryPath,
      }),
    ).rejects.toMatchObject({ code: 'G2P_PHONE_SET' });
    await expect(
      pronounceMissingWords(['blax zyx'], fakePronouncer({ blax: 'B' }, ['B'], 'ablx'), {
        dictionaryPath,
      }),
    ).rejects.toMatchObject({
      code: 'G2P_UNKNOWN_LETTERS',
      message: expect.stringMatching(/of zyx \(/),
    });
    await expect(
      pronounceMissingWords(['blax'], fakePronouncer({}), { dictionaryPath }),
    ).rejects.toMatchObject({ code: 'G2P_NO_PHONES', message: expect.stringContaining('blax') });
  });
});
