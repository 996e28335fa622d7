import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatTextGrid, tierFromSpans } from '../../src-main/domain/corpus/formats/textgrid';
import {
  toneWav,
  writeFixture,
  writeFsddLike,
} from '../../src-main/domain/corpus/testing/fixtures';
import { runCorpusCli, type CliOutput } from '../support/in-process-cli';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-bad-input-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

/** Runs `unfold corpus ...` in-process against this file's data folder. */
function unfold(...args: string[]): Promise<CliOutput> {
  return runCorpusCli(join(work, 'data'), args);
}

let outCount = 0;
/** Imports into a fresh corpus folder; the import must fail with exactly this error line. */
async function importFails(format: string, source: string, ...extra: string[]): Promise<string> {
  const out = join(work, `out-${++outCount}`);
  const result = await unfold('import', '--format', format, source, '--out', out, ...extra);
  expect(result.exitCode, result.stdout).toBe(1);
  expect(result.stdout).toBe('');
  // Progress lines may precede the error when stderr is not a terminal.
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('error ['))
    .map((line) => `${line}\n`)
    .join('');
}

const grid = (spans: { xmin: number; xmax: number; text: string }[]): string =>
  formatTextGrid({ xmin: 0, xmax: 0.25, tiers: [tierFromSpans('words', 0, 0.25, spans)] });

async function textGridPair(name: string, content: string): Promise<string> {
  const dir = join(work, name);
  await writeFixture(join(dir, 'take.wav'), toneWav({ sampleRate: 16000 }));
  await writeFixture(join(dir, 'take.TextGrid'), content);
  return dir;
}

async function kaldiDir(name: string, text: string, utt2spk = 's-a s\ns-b s\n'): Promise<string> {
  const dir = join(work, name);
  await writeFixture(join(dir, 'a.wav'), toneWav());
  await writeFixture(
    join(dir, 'wav.scp'),
    `s-a ${join(dir, 'a.wav')}\ns-b ${join(dir, 'a.wav')}\n`,
  );
  await writeFixture(join(dir, 'text'), text);
  await writeFixture(join(dir, 'utt2spk'), utt2spk);
  return dir;
}

describe('bad TextGrids at import: the file and line, nothing imported', () => {
  it('intervals: size = two (the words were silently dropped)', async () => {
    const content = grid([{ xmin: 0.05, xmax: 0.2, text: 'yes' }]).replace(
      'intervals: size = 3',
      'intervals: size = two',
    );
    const dir = await textGridPair('tg-size', content);
    expect(await importFails('textgrid', dir)).toBe(
      'error [CORPUS_PARSE]: take.TextGrid:14: expected the number of items of tier "words", found "two" (values are numbers or quoted strings)\n',
    );
  });

  it('overlapping intervals (were accepted)', async () => {
    const content = formatTextGrid({
      xmin: 0,
      xmax: 0.25,
      tiers: [
        {
          kind: 'interval',
          name: 'words',
          xmin: 0,
          xmax: 0.25,
          intervals: [
            { xmin: 0, xmax: 0.15, text: 'yes' },
            { xmin: 0.1, xmax: 0.25, text: 'no' },
          ],
        },
      ],
    });
    const dir = await textGridPair('tg-overlap', content);
    const line = content.split('\n').indexOf('            xmin = 0.1 ') + 1;
    expect(line).toBeGreaterThan(0);
    expect(await importFails('textgrid', dir)).toBe(
      `error [CORPUS_PARSE]: take.TextGrid:${line}: tier "words" interval 2 starts at 0.1, overlapping interval 1 (ends 0.15)\n`,
    );
  });

  it('a words tier with no labelled interval (an empty transcript)', async () => {
    const dir = await textGridPair('tg-empty', grid([]));
    expect(await importFails('textgrid', dir)).toBe(
      'error [CORPUS_PARSE]: take.TextGrid:10: the "words" tier has no labelled interval, so the recording would have an empty transcript\n',
    );
  });

  it('gaps are filled with empty intervals, as Praat writes them, and the corpus validates', async () => {
    const content = formatTextGrid({
      xmin: 0,
      xmax: 0.25,
      tiers: [
        {
          kind: 'interval',
          name: 'words',
          xmin: 0,
          xmax: 0.25,
          intervals: [{ xmin: 0.05, xmax: 0.2, text: 'yes' }],
        },
      ],
    });
    const dir = await textGridPair('tg-gap', content);
    const out = join(work, 'gap-corpus');
    expect((await unfold('import', '--format', 'textgrid', dir, '--out', out)).exitCode).toBe(0);
    const validated = await unfold('validate', out);
    expect(validated.stdout).toMatch(/^ok: /);
  });
});

describe('bad Kaldi directories at import', () => {
  it('a text line with only an id (the label "" was added)', async () => {
    const dir = await kaldiDir('kaldi-empty', 's-a yes\ns-b\n');
    expect(await importFails('kaldi', dir)).toBe(
      `error [CORPUS_PARSE]: ${join(dir, 'text')}:2: utterance s-b has an empty transcript (a line with only an id)\n`,
    );
  });

  it('a recording with no transcript in text (was imported without it)', async () => {
    const dir = await kaldiDir('kaldi-missing', 's-a yes\n', 's-a s\n');
    expect(await importFails('kaldi', dir)).toBe(
      `error [CORPUS_PARSE]: ${join(dir, 'wav.scp')}:2: utterance s-b has no line in ${join(dir, 'text')}\n`,
    );
  });

  it('an utterance in utt2spk with no transcript', async () => {
    const dir = await kaldiDir('kaldi-utt2spk', 's-a yes\n');
    expect(await importFails('kaldi', dir)).toBe(
      `error [CORPUS_PARSE]: ${join(dir, 'utt2spk')}:2: utterance s-b has no line in ${join(dir, 'text')}\n`,
    );
  });
});

describe('empty text sources at import (were "imported 0 items")', () => {
  it.each([
    ['conllu', 'empty-train.conllu', '', 'no sentences (the file is empty)'],
    ['tsv', 'empty-train.tsv', '', 'no lines (expected label<TAB>text lines; the file is empty)'],
    ['text', 'blank-train.txt', '\n  \n', 'no text (the file is empty or blank)'],
  ])('%s: %s', async (format, name, content, message) => {
    const path = join(work, name);
    await writeFile(path, content);
    expect(await importFails(format, path)).toBe(`error [CORPUS_PARSE]: ${path}: ${message}\n`);
  });

  it('polarity with an empty .neg file', async () => {
    const dir = join(work, 'polarity');
    await writeFixture(join(dir, 'rt-polarity.pos'), 'a fine film\n');
    await writeFixture(join(dir, 'rt-polarity.neg'), '');
    expect(await importFails('polarity', dir)).toBe(
      `error [CORPUS_PARSE]: ${join(dir, 'rt-polarity.neg')}: no sentences (the negative file is empty)\n`,
    );
  });

  it('brown: an unknown category and a limit that is not a number (were ignored)', async () => {
    expect(await importFails('brown', '', '--categories', 'nwes')).toMatch(
      /^error \[IMPORT_BROWN\]: Unknown Brown category "nwes"; use .*news/,
    );
    expect(await importFails('brown', '', '--limit', 'ten')).toBe(
      'error [BAD_OPTION]: --limit must be a whole number (got ten).\n',
    );
  });
});

describe('the source path is checked before anything starts', () => {
  it('a folder that does not exist, a file where a folder is needed', async () => {
    const missing = join(work, 'no such folder');
    expect(await importFails('pattern', missing, '--pattern', '{label}.wav')).toBe(
      `error [IMPORT_SOURCE_NOT_FOUND]: folder not found: ${missing}\n`,
    );
    expect(await importFails('conllu', missing)).toBe(
      `error [IMPORT_SOURCE_NOT_FOUND]: file or folder not found: ${missing}\n`,
    );
    const file = join(work, 'a-file.wav');
    await writeFile(file, toneWav());
    expect(await importFails('folders', file)).toBe(
      `error [IMPORT_SOURCE_NOT_FOLDER]: not a folder: ${file} (--format folders reads a folder)\n`,
    );
  });
});

describe('skipped files: counted in the summary, refused under --strict', () => {
  it('pattern: files that do not match', async () => {
    const dir = join(work, 'fsdd');
    await writeFsddLike(dir, ['ann'], [1], [0, 1]);
    await writeFile(join(dir, 'notes.wav'), toneWav());
    const out = join(work, 'fsdd-corpus');
    const lenient = await unfold(
      'import',
      '--format',
      'pattern',
      dir,
      '--out',
      out,
      '--pattern',
      '{label}_{speaker}_{take}.wav',
    );
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain(
      '1 file(s) not imported (they do not match the pattern), e.g. notes.wav; --strict makes this an error',
    );
    expect(
      await importFails('pattern', dir, '--pattern', '{label}_{speaker}_{take}.wav', '--strict'),
    ).toBe(
      `error [IMPORT_UNMATCHED]: 1 file(s) in ${dir} would not be imported (they do not match the pattern), e.g. notes.wav; --strict refuses that.\n`,
    );
  });

  it('audacity: a label track without its WAV (was skipped silently)', async () => {
    const dir = join(work, 'audacity');
    await writeFixture(join(dir, 'a.wav'), toneWav());
    await writeFixture(join(dir, 'a.txt'), '0\t0.1\tyes\n');
    await writeFixture(join(dir, 'b.txt'), '0\t0.1\tno\n');
    const lenient = await unfold('import', '--format', 'audacity', dir, '--out', join(work, 'aud'));
    expect(lenient.stdout).toContain(
      '1 file(s) not imported (no WAV file beside them), e.g. b.txt',
    );
    expect(await importFails('audacity', dir, '--strict')).toMatch(
      /^error \[IMPORT_UNMATCHED\]: 1 file\(s\) .* \(no WAV file beside them\), e\.g\. b\.txt/,
    );
  });
});

describe('validate an existing corpus', () => {
  let good: string;
  beforeAll(async () => {
    await writeFsddLike(join(work, 'v-src'), ['ann', 'bob'], [1, 2], [0]);
    good = join(work, 'v-good');
    await unfold(
      'import',
      '--format',
      'pattern',
      join(work, 'v-src'),
      '--out',
      good,
      '--pattern',
      '{label}_{speaker}_{take}.wav',
    );
  });

  async function copy(name: string): Promise<string> {
    const dir = join(work, name);
    await cp(good, dir, { recursive: true });
    return dir;
  }

  it('an empty label in text and in the label set (validated ok before)', async () => {
    const dir = await copy('v-empty-label');
    const textPath = join(dir, 'data/train/text');
    const lines = (await readFile(textPath, 'utf8')).split('\n');
    const id = lines[1]?.split(' ')[0] ?? '';
    lines[1] = id;
    await writeFile(textPath, lines.join('\n'));
    const manifest = JSON.parse(await readFile(join(dir, 'corpus.json'), 'utf8')) as {
      labels: string[];
    };
    manifest.labels = ['', ...manifest.labels];
    await writeFile(join(dir, 'corpus.json'), JSON.stringify(manifest, null, 2));
    const result = await unfold('validate', dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`data/train/text:2: utterance ${id} has an empty label`);
    expect(result.stdout).toContain(
      'corpus.json: the label set ("labels") contains an empty label',
    );
  });

  it('every TextGrid problem names its line (some said line 0 or none)', async () => {
    const dir = await copy('v-textgrid');
    const wavScp = await readFile(join(dir, 'data/train/wav.scp'), 'utf8');
    const recording = wavScp.split(' ')[0] ?? '';
    const content = formatTextGrid({
      xmin: 0.01,
      xmax: 0.25,
      tiers: [
        {
          kind: 'interval',
          name: 'phones',
          xmin: 0,
          xmax: 0.2,
          intervals: [
            { xmin: 0, xmax: 0.1, text: 'y' },
            { xmin: 0.12, xmax: 0.2, text: 'eh' },
          ],
        },
      ],
    });
    await writeFixture(join(dir, 'alignments', `${recording}.TextGrid`), content);
    const result = await unfold('validate', dir, '--no-audio');
    const problems = result.stdout
      .split('\n')
      .filter((l) => l.startsWith(`alignments/${recording}.TextGrid`));
    const at = (text: string): number => content.split('\n').indexOf(text) + 1;
    expect(problems).toEqual([
      `alignments/${recording}.TextGrid:${at('xmin = 0.01 ')}: xmin is 0.01, expected 0`,
      `alignments/${recording}.TextGrid:${at('xmax = 0.25 ')}: xmax is 0.25 s but the recording lasts 0.1 s`,
      `alignments/${recording}.TextGrid:${at('size = 1 ')}: no "words" tier`,
      `alignments/${recording}.TextGrid:${at('        xmin = 0 ')}: tier "phones" spans 0..0.2, not the TextGrid's 0.01..0.25`,
      `alignments/${recording}.TextGrid:${at('            xmin = 0.12 ')}: tier "phones" has a gap from 0.1 to 0.12 before interval 2`,
    ]);
  });
});
