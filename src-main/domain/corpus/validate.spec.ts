import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTextGrid } from './formats/textgrid';
import { importCorpus } from './import/import-corpus';
import { importFsddLike, toneWav, writeFixture, writeFsddLike } from './testing/fixtures';
import { validateCorpus } from './validate';
import { cp } from 'node:fs/promises';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/corpus/', import.meta.url));
let work: string;
let good: string;
let goodText: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-validate-'));
  await writeFsddLike(join(work, 'src'), ['ann', 'bob'], [1, 2], [0, 5]);
  good = await importFsddLike(join(work, 'src'), join(work, 'good'));
  goodText = (
    await importCorpus({
      format: 'conllu',
      source: `${fixtures}ud-ewt`,
      outDir: join(work, 'good-text'),
    })
  ).corpus.dir;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A copy of the good corpus with one file changed. */
async function broken(
  name: string,
  base: string,
  change: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = join(work, name);
  await cp(base, dir, { recursive: true });
  await change(dir);
  return dir;
}

async function edit(path: string, transform: (text: string) => string): Promise<void> {
  await writeFile(path, transform(await readFile(path, 'utf8')));
}

describe('validateCorpus', () => {
  it('accepts a freshly imported corpus', async () => {
    const report = await validateCorpus(good);
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      counts: { utterances: 8, recordings: 8 },
    });
  });

  it('names the first unsorted line, ids not starting with the speaker, and missing audio', async () => {
    const dir = await broken('unsorted', good, async (d) => {
      await edit(join(d, 'data/train/text'), (t) => {
        const lines = t.trimEnd().split('\n');
        [lines[1], lines[2]] = [lines[2]!, lines[1]!];
        return lines.join('\n') + '\n';
      });
      await edit(join(d, 'data/train/utt2spk'), (t) => t.replace('bob-2_5 bob', 'bob-2_5 ann'));
      await rm(join(d, 'audio/ann-1_5.wav'));
    });
    const { problems } = await validateCorpus(dir);
    expect(problems).toContainEqual({
      file: 'data/train/text',
      line: 3,
      message: expect.stringMatching(/out of order/),
    });
    expect(problems).toContainEqual({
      file: 'data/train/utt2spk',
      line: 8,
      message: 'utterance id bob-2_5 does not start with its speaker id "ann-"',
    });
    expect(problems).toContainEqual({
      file: 'data/train/wav.scp',
      line: 2,
      message: 'audio file audio/ann-1_5.wav does not exist or cannot be read',
    });
  });

  it('reports audio that does not decode or is not in the working format', async () => {
    const dir = await broken('badaudio', good, async (d) => {
      await writeFile(join(d, 'audio/ann-1_0.wav'), 'not a wav');
      await writeFile(join(d, 'audio/ann-2_0.wav'), toneWav({ sampleRate: 8000 }));
    });
    const messages = (await validateCorpus(dir)).problems.map(
      (p) => `${p.file}:${p.line} ${p.message}`,
    );
    expect(
      messages.some((m) => m.startsWith('data/train/wav.scp:1 audio/ann-1_0.wav does not decode')),
    ).toBe(true);
    expect(
      messages.some((m) => m.startsWith('data/train/wav.scp:3 audio/ann-2_0.wav is 8000 Hz')),
    ).toBe(true);
  });

  it('checks segments against their recording and TextGrid tiers for overlaps', async () => {
    const dir = await broken('segments', good, async (d) => {
      const ids = (await readFile(join(d, 'data/train/text'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[0]!);
      await writeFixture(
        join(d, 'data/train/segments'),
        ids.map((id, k) => `${id} ${id} 0 ${k === 2 ? 9 : 0.1}\n`).join(''),
      );
      await writeFixture(
        join(d, 'alignments/ann-1_0.TextGrid'),
        formatTextGrid({
          xmin: 0,
          xmax: 0.1,
          tiers: [
            {
              kind: 'interval',
              name: 'words',
              xmin: 0,
              xmax: 0.1,
              intervals: [
                { xmin: 0, xmax: 0.06, text: 'a' },
                { xmin: 0.05, xmax: 0.1, text: 'b' },
              ],
            },
          ],
        }),
      );
    });
    const { problems } = await validateCorpus(dir);
    expect(problems).toContainEqual({
      file: 'data/train/segments',
      line: 3,
      message: expect.stringMatching(/^segment ends at 9 s, after the end of/),
    });
    // The line of the overlapping interval (its `xmin = 0.05`), not 0.
    expect(problems).toContainEqual({
      file: 'alignments/ann-1_0.TextGrid',
      line: 20,
      message: expect.stringMatching(/interval 2 starts at 0.05, overlapping/),
    });
    const grid = await readFile(join(dir, 'alignments/ann-1_0.TextGrid'), 'utf8');
    expect(grid.split('\n')[19]).toContain('xmin = 0.05');
  });

  it('names the bad line of a text corpus and of invalid UTF-8, and a bad manifest', async () => {
    const dir = await broken('conllu', goodText, async (d) => {
      await edit(join(d, 'text/train.conllu'), (t) =>
        t.replace('5\tAmerican\tAmerican\tADJ', '5\tAmerican\tAmerican\tNOPE'),
      );
      const dev = await readFile(join(d, 'text/dev.conllu'));
      await writeFile(
        join(d, 'text/dev.conllu'),
        Buffer.concat([dev.subarray(0, 20), Buffer.from([0xfe]), dev.subarray(20)]),
      );
    });
    const { problems } = await validateCorpus(dir);
    expect(problems).toEqual([
      { file: 'text/dev.conllu', line: 1, message: 'invalid UTF-8 (the file must be UTF-8 text)' },
      {
        file: 'text/train.conllu',
        line: 7,
        message: 'UPOS "NOPE" is not one of the 17 Universal POS tags',
      },
    ]);
    const manifestBad = await broken('manifest', goodText, (d) =>
      edit(join(d, 'corpus.json'), (t) => t.replace('"kind": "text"', '"kind": "video"')),
    );
    expect((await validateCorpus(manifestBad)).problems[0]).toMatchObject({
      file: 'corpus.json',
      message: expect.stringMatching(/"kind"/),
    });
  });
});
