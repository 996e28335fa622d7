import winkNLP, { type WinkMethods } from 'wink-nlp';
import { createRequire } from 'node:module';
import type { TextTokenData } from '../../api/text';
import { UnfoldError } from '../errors';

/**
 * Splits text into tokens the way the Penn Treebank and Universal Dependencies do ("don't" ->
 * do n't, "John's" -> John 's), keeping where each token is in the text the user typed.
 *
 * wink-nlp does the splitting (tokenisation only: no tagger in its pipe). Its token values are
 * then found again in the text, so offsets never depend on how wink reports spacing, and three
 * repairs follow: a grapheme split in two (emoji with a skin tone or a joiner, flags, keycaps)
 * is joined again, so is an ellipsis, clitics wink left on their word are split ("I'm" -> I 'm), and any text wink
 * left out becomes tokens.
 */
export function tokenizeText(text: string): TextTokenData[] {
  checkTextCharacters(text, 'text');
  const normal = text.normalize('NFC');
  const ranges = tokenRanges(normal);
  if (normal === text) {
    const tokens: TextTokenData[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i]!;
      const end = ranges[i + 1]!;
      tokens.push({ text: normal.slice(start, end), start, end });
    }
    return tokens;
  }
  return tokensInOriginal(text, normal, ranges);
}

// C0 and C1 controls and DEL, except tab, LF and CR: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Refuses control characters (other than tab, LF and CR): they are invisible, wink drops some of
 * them, and in a corpus they mean a damaged file. `where` names the text (a file, "line 3 of ...").
 */
export function checkTextCharacters(text: string, where: string): void {
  const match = CONTROL_CHARACTER.exec(text);
  if (!match) return;
  const position = match.index;
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const column = [...text.slice(lineStart, position)].length + 1;
  const code = text.charCodeAt(position).toString(16).toUpperCase().padStart(4, '0');
  throw new UnfoldError(
    'TEXT_CONTROL_CHARACTER',
    `${where}: control character U+${code} at line ${line}, column ${column}: remove it or replace it with a space`,
    { position, line, column },
  );
}

let tokenizer: WinkMethods | undefined;
let sentencer: WinkMethods | undefined;

type WinkModel = Parameters<typeof winkNLP>[0];

interface WinkLexemes {
  hash: Record<string, number>;
}
interface WinkCore {
  features: { lexeme: WinkLexemes };
}
type FeatureMethods = Record<string, unknown>;
interface WinkModelParts {
  core: () => WinkCore;
  featureFn: (...args: unknown[]) => FeatureMethods;
}

/**
 * The tokeniser's wink instance (empty pipe: tokenisation only), built on first use: the model
 * loads then (synchronously, through require, as the tokeniser is synchronous), not with this
 * module, since it takes 0.4-1.2 s at start-up and most commands and jobs never tokenise text.
 */
function winkTokenizer(): WinkMethods {
  tokenizer ??= layeredWink([]);
  return tokenizer;
}

/**
 * A second wink instance, with wink's sentence boundary detection in its pipe (`sbd`), built on
 * the first call of splitSentences only (so a process builds at most two): the tokeniser keeps
 * its empty pipe. Built the same way, so its sentences do not depend on the texts read before.
 */
function winkSentencer(): WinkMethods {
  sentencer ??= layeredWink(['sbd']);
  return sentencer;
}

/**
 * A wink instance with the given pipe, whose look-up sees only the model's own words.
 *
 * wink remembers every out-of-vocabulary word it meets and afterwards takes it for a known word,
 * which it does not split again: once "questioned Kerry's." has put "Kerry's" in its lexicon,
 * "Kerry's record" stays one token. A text's tokens must not depend on the texts read before, so
 * the tokeniser's look-up sees only the model's own words. wink keeps a reference to the lexeme
 * hash for look-ups and reads the model's current one when it adds a word: the first becomes a
 * copy holding the model's words (the feature extractors, which look up the word being added,
 * see that word in it while they run), the second stays the real hash, so a new word is stored once.
 */
function layeredWink(pipe: Parameters<typeof winkNLP>[1]): WinkMethods {
  const model = createRequire(import.meta.url)('wink-eng-lite-web-model') as WinkModel;
  const parts = model as unknown as WinkModelParts;
  let lexemes: WinkLexemes | undefined;
  let real: Record<string, number> | undefined;
  let known: Record<string, number> | undefined;
  const layeredModel = {
    ...model,
    core: () => {
      const core = parts.core();
      lexemes = core.features?.lexeme;
      if (!lexemes?.hash) return core;
      real = lexemes.hash;
      known = Object.assign(Object.create(null) as Record<string, number>, real);
      lexemes.hash = known;
      return core;
    },
    featureFn: (...args: unknown[]) => {
      const methods = parts.featureFn(...args);
      for (const [name, method] of Object.entries(methods)) {
        if (typeof method !== 'function') continue;
        methods[name] = (word: unknown, ...rest: unknown[]) => {
          const call = () => (method as (...a: unknown[]) => unknown)(word, ...rest);
          return typeof word === 'string'
            ? withWordsKnown([word, word.toLowerCase()], call)
            : call();
        };
      }
      return methods;
    },
  };
  /** Runs `call` with `words` visible to wink's look-up (if wink has added them). */
  const withWordsKnown = <T>(words: string[], call: () => T): T => {
    const shown = words.filter((word) => known![word] === undefined && real![word] !== undefined);
    for (const word of shown) known![word] = real![word]!;
    try {
      return call();
    } finally {
      for (const word of shown) delete known![word];
    }
  };
  const instance = winkNLP(layeredModel as unknown as WinkModel, pipe);
  if (!lexemes || !real || !known) {
    throw new Error('wink-nlp changed its model layout: tokenize.ts needs updating');
  }
  // From now on wink adds words to the real hash; its look-ups keep the copy. Words it added
  // while loading went to the copy: the real hash gets them too.
  for (const word in known) if (real[word] === undefined) real[word] = known[word]!;
  lexemes.hash = real;
  return instance;
}

/**
 * Cuts a text into sentences where wink-nlp's sentence boundary detection does (after sentence-
 * final punctuation, not after abbreviations such as "Mr."; a blank line ends a sentence too).
 * Each sentence is wink's text of it, trimmed, with its inner spacing as in the text (line breaks
 * included); blank ones are left out. No character of the text other than whitespace is lost or
 * changed. Control characters are refused as by tokenizeText, naming `where`, line and column.
 */
export function splitSentences(text: string, where = 'text'): string[] {
  checkTextCharacters(text, where);
  return winkSentencer()
    .readDoc(text)
    .sentences()
    .out()
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

const WHITESPACE = /\s/;
const ALL_WHITESPACE = /^\s*$/;
// Characters that may continue a grapheme begun by the character before them.
const GRAPHEME_JOINING =
  /[\p{M}\u200D\p{Emoji_Modifier}\p{Regional_Indicator}\u{E0020}-\u{E007F}]/u;
// A word and a clitic PTB and UD split off: wink leaves "I'm" whole, and "Kerry's" too before a
// final full stop ("questioned Kerry's.").
const CLITIC = /^(\p{L}[\p{L}\p{M}]*?)(n['\u2019]t|['\u2019](?:s|m|d|ll|re|ve))$/iu;

/** Token ranges in `text` as flat [start, end, start, end, ...] pairs, in order. */
function tokenRanges(text: string): number[] {
  const values = winkTokenizer().readDoc(text).tokens().out();
  const ranges: number[] = [];
  let position = 0;
  for (const value of values) {
    if (ALL_WHITESPACE.test(value)) continue;
    while (position < text.length && WHITESPACE.test(text[position]!)) position++;
    let start = position;
    if (!text.startsWith(value, position)) {
      // wink changed or dropped something: keep what it skipped, then find its value again.
      const found = text.indexOf(value, position);
      if (found === -1) continue;
      pushSplitAtWhitespace(ranges, text, position, found);
      start = found;
    }
    const end = start + value.length;
    if (WHITESPACE.test(value)) pushSplitAtWhitespace(ranges, text, start, end);
    else pushRange(ranges, text, start, end);
    position = end;
  }
  pushSplitAtWhitespace(ranges, text, position, text.length);
  return ranges;
}

function pushSplitAtWhitespace(ranges: number[], text: string, from: number, to: number): void {
  let start = -1;
  for (let i = from; i <= to; i++) {
    const isSpace = i === to || WHITESPACE.test(text[i]!);
    if (isSpace && start !== -1) {
      pushRange(ranges, text, start, i);
      start = -1;
    } else if (!isSpace && start === -1) start = i;
  }
}

function pushRange(ranges: number[], text: string, start: number, end: number): void {
  const last = ranges.length - 1;
  if (
    last > 0 &&
    ranges[last] === start &&
    (splitsGrapheme(text, ranges[last - 1]!, start, end) ||
      (isDots(text, ranges[last - 1]!, start) && isDots(text, start, end)))
  ) {
    ranges[last] = end;
    return;
  }
  const clitic = end - start > 2 ? CLITIC.exec(text.slice(start, end)) : null;
  if (clitic) {
    const split = start + clitic[1]!.length;
    ranges.push(start, split, split, end);
    return;
  }
  ranges.push(start, end);
}

/** wink splits an ellipsis after an unknown word in two (". .."): UD keeps "..." one token. */
function isDots(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 0x2e) return false;
  return true;
}

let graphemes: Intl.Segmenter | undefined;

/** Whether the boundary at `boundary` falls inside one grapheme of text[start, end). */
function splitsGrapheme(text: string, start: number, boundary: number, end: number): boolean {
  const next = String.fromCodePoint(text.codePointAt(boundary)!);
  const previous = String.fromCodePoint(codePointBefore(text, boundary));
  if (!GRAPHEME_JOINING.test(next) && !GRAPHEME_JOINING.test(previous)) return false;
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const segment of graphemes.segment(text.slice(start, end))) {
    const segmentStart = start + segment.index;
    if (segmentStart === boundary) return false;
    if (segmentStart > boundary) return true;
  }
  return true;
}

function codePointBefore(text: string, offset: number): number {
  const last = text.charCodeAt(offset - 1);
  if (last >= 0xdc00 && last <= 0xdfff && offset >= 2) {
    const first = text.charCodeAt(offset - 2);
    if (first >= 0xd800 && first <= 0xdbff) return text.codePointAt(offset - 2)!;
  }
  return last;
}

/**
 * Maps token ranges in the NFC form back to the original text. The original is cut into
 * pieces that normalise on their own (a starter and the marks after it); an offset inside a
 * piece that NFC changed has no counterpart, so a token boundary there moves to the piece's edge.
 */
function tokensInOriginal(original: string, normal: string, ranges: number[]): TextTokenData[] {
  const toOriginal = offsetMap(original, normal);
  const tokens: TextTokenData[] = [];
  let lastEnd = -1;
  for (let i = 0; i < ranges.length; i += 2) {
    let start = ranges[i]!;
    let end = ranges[i + 1]!;
    while (toOriginal[start] === -1) start--;
    while (toOriginal[end] === -1) end++;
    const last = tokens[tokens.length - 1];
    if (last && start < lastEnd) {
      // Two tokens met inside one changed piece: they become one.
      last.end = toOriginal[end]!;
      last.text = original.slice(last.start, last.end).normalize('NFC');
      lastEnd = end;
      continue;
    }
    tokens.push({
      text: normal.slice(start, end),
      start: toOriginal[start]!,
      end: toOriginal[end]!,
    });
    lastEnd = end;
  }
  return tokens;
}

// A starter and the code points that can combine with it under NFC: marks, and Hangul vowel
// and final jamo (which compose with the syllable before them).
const PIECE =
  /[^\p{M}\u1161-\u1175\u11A8-\u11C2][\p{M}\u1161-\u1175\u11A8-\u11C2]*|[\p{M}\u1161-\u1175\u11A8-\u11C2]+/gu;

/**
 * For every offset of the NFC form, the original offset it stands for, or -1 inside a piece
 * NFC changed. The pieces are checked against the whole string's NFC; when a rare sequence
 * composes across them, whitespace-separated runs, then the whole text, are the pieces instead.
 */
function offsetMap(original: string, normal: string): Int32Array {
  const pieceSets = [
    () => original.match(PIECE) ?? [],
    () => original.split(/(\s+)/).filter((piece) => piece !== ''),
    () => [original],
  ];
  for (const pieces of pieceSets) {
    const map = mapOfPieces(pieces(), normal);
    if (map) return map;
  }
  throw new Error('unreachable: the whole text is one piece of its own NFC');
}

function mapOfPieces(pieces: string[], normal: string): Int32Array | undefined {
  const map = new Int32Array(normal.length + 1).fill(-1);
  let originalOffset = 0;
  let normalOffset = 0;
  for (const piece of pieces) {
    const normalPiece = piece.normalize('NFC');
    if (!normal.startsWith(normalPiece, normalOffset)) return undefined;
    if (normalPiece === piece) {
      for (let i = 0; i < piece.length; i++) map[normalOffset + i] = originalOffset + i;
    } else {
      map[normalOffset] = originalOffset;
    }
    originalOffset += piece.length;
    normalOffset += normalPiece.length;
  }
  if (normalOffset !== normal.length) return undefined;
  map[normalOffset] = originalOffset;
  return map;
}
