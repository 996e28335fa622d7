import { parseError } from './parse-error';
import { splitLines } from './utf8';

// The 17 Universal POS tags (UD v2): one list, kept with the API so the renderer shares it.
export type { UposTag } from './upos-tags';
import { UPOS_TAG_NAMES } from './upos-tags';
const UPOS_SET: ReadonlySet<string> = new Set(UPOS_TAG_NAMES);

/** One CoNLL-U line: a syntactic word (`5`), a multiword token (`3-4`) or an empty node (`5.1`). */
export interface ConlluToken {
  id: string;
  form: string;
  lemma: string;
  upos: string;
  xpos: string;
  feats: string;
  head: string;
  deprel: string;
  deps: string;
  misc: string;
}

export interface ConlluSentence {
  /** Comment lines without the leading `# ` (e.g. `sent_id = 1`, `text = ...`). */
  comments: string[];
  /** Every token line in file order, multiword tokens and empty nodes included. */
  tokens: ConlluToken[];
  /** Line of the first line of the sentence in its file, for messages. */
  line: number;
}

export type ConlluTokenKind = 'word' | 'multiword' | 'empty';

export function conlluTokenKind(id: string): ConlluTokenKind {
  if (id.includes('-')) return 'multiword';
  if (id.includes('.')) return 'empty';
  return 'word';
}

/**
 * The syntactic words of a sentence, the unit that carries UPOS in UD: multiword tokens
 * (`3-4 don't`) are surface strings whose parts are the words, and empty nodes (`5.1`)
 * belong to the enhanced graph only, so neither is a tagging position.
 */
export function conlluWords(sentence: ConlluSentence): ConlluToken[] {
  return sentence.tokens.filter((token) => conlluTokenKind(token.id) === 'word');
}

const FIELD_NAMES = [
  'ID',
  'FORM',
  'LEMMA',
  'UPOS',
  'XPOS',
  'FEATS',
  'HEAD',
  'DEPREL',
  'DEPS',
  'MISC',
];

function checkSentence(sentence: ConlluSentence, lines: number[], file: string): void {
  let expectedWord = 1;
  let coveredUntil = 0;
  let lastEmpty = { word: 0, index: 0 };
  const wordCount = conlluWords(sentence).length;
  sentence.tokens.forEach((token, k) => {
    const line = lines[k] ?? sentence.line;
    const kind = conlluTokenKind(token.id);
    if (kind === 'word') {
      if (!/^[1-9]\d*$/.test(token.id)) throw parseError(file, line, `bad word ID "${token.id}"`);
      if (Number(token.id) !== expectedWord) {
        throw parseError(
          file,
          line,
          `word ID ${token.id} out of sequence (expected ${expectedWord})`,
        );
      }
      expectedWord++;
      if (!/^(0|[1-9]\d*)$/.test(token.head) || Number(token.head) > wordCount) {
        if (token.head !== '_')
          throw parseError(file, line, `HEAD "${token.head}" is not 0..${wordCount} or _`);
      }
      if (token.upos !== '_' && !UPOS_SET.has(token.upos)) {
        throw parseError(
          file,
          line,
          `UPOS "${token.upos}" is not one of the 17 Universal POS tags`,
        );
      }
      lastEmpty = { word: Number(token.id), index: 0 };
    } else if (kind === 'multiword') {
      const match = /^([1-9]\d*)-([1-9]\d*)$/.exec(token.id);
      if (!match) throw parseError(file, line, `bad multiword token ID "${token.id}"`);
      const first = Number(match[1]);
      const last = Number(match[2]);
      if (first !== expectedWord || last <= first) {
        throw parseError(
          file,
          line,
          `multiword token ${token.id} must come just before word ${expectedWord} and span at least two words`,
        );
      }
      if (first <= coveredUntil)
        throw parseError(file, line, `multiword token ${token.id} overlaps another`);
      if (last > wordCount)
        throw parseError(
          file,
          line,
          `multiword token ${token.id} runs past the last word (${wordCount})`,
        );
      coveredUntil = last;
      if (token.upos !== '_' || token.head !== '_' || token.deprel !== '_') {
        throw parseError(
          file,
          line,
          `multiword token ${token.id} must have _ in UPOS, HEAD and DEPREL`,
        );
      }
    } else {
      const match = /^(0|[1-9]\d*)\.([1-9]\d*)$/.exec(token.id);
      if (!match) throw parseError(file, line, `bad empty node ID "${token.id}"`);
      const word = Number(match[1]);
      const index = Number(match[2]);
      if (
        word !== expectedWord - 1 ||
        (lastEmpty.word === word && index !== lastEmpty.index + 1) ||
        (lastEmpty.word !== word && index !== 1)
      ) {
        throw parseError(file, line, `empty node ${token.id} out of sequence`);
      }
      lastEmpty = { word, index };
      if (token.head !== '_' || token.deprel !== '_') {
        throw parseError(
          file,
          line,
          `empty node ${token.id} must have _ in HEAD and DEPREL (its relations go in DEPS)`,
        );
      }
    }
  });
  if (wordCount === 0) throw parseError(file, sentence.line, 'sentence has no words');
}

/** Parses CoNLL-U; errors name the file and line of the first malformed line. */
export function parseConllu(content: string, file: string): ConlluSentence[] {
  const sentences: ConlluSentence[] = [];
  let current: ConlluSentence | null = null;
  let tokenLines: number[] = [];
  const finish = (): void => {
    if (current) {
      if (current.tokens.length === 0)
        throw parseError(file, current.line, 'comments without a sentence');
      checkSentence(current, tokenLines, file);
      sentences.push(current);
    }
    current = null;
    tokenLines = [];
  };
  splitLines(content).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') {
      if (raw !== '')
        throw parseError(file, line, 'a blank line must be empty (it holds spaces or tabs)');
      finish();
      return;
    }
    current ??= { comments: [], tokens: [], line };
    if (raw.startsWith('#')) {
      if (current.tokens.length > 0)
        throw parseError(
          file,
          line,
          'comment inside a sentence (comments come before the first token)',
        );
      current.comments.push(raw.replace(/^# ?/, ''));
      return;
    }
    const fields = raw.split('\t');
    if (fields.length !== 10) {
      throw parseError(file, line, `expected 10 tab-separated columns, found ${fields.length}`);
    }
    fields.forEach((field, f) => {
      if (field === '') throw parseError(file, line, `column ${FIELD_NAMES[f]} is empty (use _)`);
      if (f !== 1 && f !== 2 && f !== 9 && /\s/.test(field)) {
        throw parseError(file, line, `column ${FIELD_NAMES[f]} contains whitespace`);
      }
    });
    const [id, form, lemma, upos, xpos, feats, head, deprel, deps, misc] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    current.tokens.push({ id, form, lemma, upos, xpos, feats, head, deprel, deps, misc });
    tokenLines.push(line);
  });
  finish();
  return sentences;
}

export function formatConllu(sentences: readonly ConlluSentence[]): string {
  return sentences
    .map((sentence) => {
      const lines = sentence.comments.map((comment) => `# ${comment}`);
      for (const t of sentence.tokens) {
        lines.push(
          [t.id, t.form, t.lemma, t.upos, t.xpos, t.feats, t.head, t.deprel, t.deps, t.misc].join(
            '\t',
          ),
        );
      }
      return lines.join('\n') + '\n\n';
    })
    .join('');
}

/** Builds a sentence of plain words (no syntax) with a `text` comment, as importers need. */
export function sentenceFromTaggedWords(
  words: readonly { form: string; upos: string; xpos?: string }[],
  comments: string[],
): ConlluSentence {
  return {
    comments,
    line: 0,
    tokens: words.map((word, k) => ({
      id: String(k + 1),
      form: word.form,
      lemma: '_',
      upos: word.upos,
      xpos: word.xpos ?? '_',
      feats: '_',
      head: '_',
      deprel: '_',
      deps: '_',
      misc: '_',
    })),
  };
}
