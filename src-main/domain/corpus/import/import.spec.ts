import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { UnfoldError } from '../../errors';
import { exportKaldi, exportText, exportTextGrids } from '../export/exporters';
import { conlluWords } from '../formats/conllu';
import type { Corpus, SpeechCorpusData } from '../model';
import { readCorpus } from '../store/read-corpus';
import { toneWav, writeFixture, writeFsddLike } from '../testing/fixtures';
import { validateCorpus } from '../validate';
import { mapBrownToken, readBrownMapping } from './brown';
import { importCorpus } from './import-corpus';

const fixtures = fileURLToPath(new URL('../../../../tests/fixtures/corpus/', import.meta.url));
let work: string;

beforeEach(async () => {
  // A path with a space and non-ASCII letters: every importer must cope with it.
  work = await mkdtemp(join(tmpdir(), 'unfold corpus ünïcode-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What must survive a round trip: ids, speakers, splits, texts, segments and the audio samples. */
async function speechSnapshot(corpus: Corpus): Promise<unknown> {
  const data = corpus.data as SpeechCorpusData;
  const audio: Record<string, string> = {};
  for (const r of data.recordings) {
    const decoded = decodeWav(await readFile(join(corpus.dir, r.path)), r.path);
    audio[r.id] = createHash('sha256')
      .update(Buffer.from(decoded.channels[0]!.buffer))
      .digest('hex');
  }
  const utterances = [...data.utterances].sort((a, b) => a.id.localeCompare(b.id));
  return {
    utterances,
    audio,
    alignments: [...data.alignments].sort(),
    splits: corpus.manifest.splits,
    labels: corpus.manifest.labels,
  };
}

async function hashFile(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** A WAV + TextGrid pair (the short-format fixture) imported as speaker ann's corpus `tg`. */
async function importTextGridPair(name: string): Promise<Awaited<ReturnType<typeof importCorpus>>> {
  const source = join(work, 'pairs');
  await writeFixture(join(source, `${name}.wav`), toneWav({ sampleRate: 16000, seconds: 0.5 }));
  await writeFixture(
    join(source, `${name}.TextGrid`),
    await readFile(`${fixtures}textgrid/short-format.TextGrid`),
  );
  return importCorpus({ format: 'textgrid', source, outDir: join(work, 'tg'), speaker: 'ann' });
}

describe('speech importers', () => {
  it('pattern: parses {label}_{speaker}_{take}.wav, applies the FSDD split, converts to 16 kHz and leaves originals untouched', async () => {
    const source = join(work, 'fsdd recordings');
    const files = await writeFsddLike(source, ['jackson', 'théo'], [0, 7], [3, 4, 5, 6]);
    const before = await Promise.all(files.map((f) => hashFile(join(source, f))));
    await writeFixture(join(source, 'README.wav.txt'), 'not matched');
    const result = await importCorpus({
      format: 'pattern',
      source,
      outDir: join(work, 'fsdd'),
      pattern: '{label}_{speaker}_{take}.wav',
      split: { by: 'convention', convention: 'fsdd' },
    });
    const data = result.corpus.data as SpeechCorpusData;
    expect(data.utterances).toHaveLength(16);
    expect(result.corpus.manifest.splits).toEqual(['test', 'train']);
    const seven = data.utterances.find((u) => u.id === 'théo-7_5');
    expect(seven).toMatchObject({ speaker: 'théo', text: '7', split: 'train' });
    expect(data.utterances.find((u) => u.id === 'jackson-0_4')?.split).toBe('test');
    expect(result.corpus.manifest.labels).toEqual(['0', '7']);
    const wav = decodeWav(await readFile(join(result.corpus.dir, 'audio/jackson-0_3.wav')), 'x');
    expect(wav.sampleRate).toBe(16000);
    expect(wav.format.bitsPerSample).toBe(16);
    expect(wav.channels[0]!.length).toBe(Math.round(16000 * 0.13));
    expect(await Promise.all(files.map((f) => hashFile(join(source, f))))).toEqual(before);
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
  });

  it('kaldi: import -> export -> import gives the same corpus (segments included)', async () => {
    const source = join(work, 'src');
    await writeFixture(join(source, 'a.wav'), toneWav({ sampleRate: 16000, seconds: 1 }));
    await writeFixture(
      join(source, 'b.wav'),
      toneWav({ sampleRate: 22050, seconds: 0.5, channels: 1 }),
    );
    await writeFixture(join(source, 'data/train/wav.scp'), `rec1 ${join(source, 'a.wav')}\n`);
    await writeFixture(
      join(source, 'data/train/segments'),
      'spk1-u1 rec1 0 0.4\nspk1-u2 rec1 0.4 1\n',
    );
    await writeFixture(
      join(source, 'data/train/text'),
      'spk1-u1 hello there\nspk1-u2 general kenobi\n',
    );
    await writeFixture(join(source, 'data/train/utt2spk'), 'spk1-u1 spk1\nspk1-u2 spk1\n');
    await writeFixture(join(source, 'data/test/wav.scp'), 'spk2-b b.wav\n');
    await writeFixture(join(source, 'data/test/text'), 'spk2-b ünïcode words\n');
    await writeFixture(join(source, 'data/test/utt2spk'), 'spk2-b spk2\n');
    const first = await importCorpus({ format: 'kaldi', source, outDir: join(work, 'one') });
    expect((await validateCorpus(first.corpus.dir)).problems).toEqual([]);
    const data = first.corpus.data as SpeechCorpusData;
    expect(data.utterances.map((u) => [u.id, u.split, u.segment])).toEqual([
      ['spk1-u1', 'train', { start: 0, end: 0.4 }],
      ['spk1-u2', 'train', { start: 0.4, end: 1 }],
      ['spk2-b', 'test', undefined],
    ]);
    await exportKaldi(first.corpus, join(work, 'exported'));
    const second = await importCorpus({
      format: 'kaldi',
      source: join(work, 'exported'),
      outDir: join(work, 'two'),
    });
    expect(await speechSnapshot(await readCorpus(second.corpus.dir))).toEqual(
      await speechSnapshot(await readCorpus(first.corpus.dir)),
    );
  });

  it('textgrid and audacity: pairs import, and textgrid export -> import keeps the corpus', async () => {
    const imported = await importTextGridPair('take one');
    const data = imported.corpus.data as SpeechCorpusData;
    expect(data.utterances.map((u) => [u.id, u.text])).toEqual([['ann-take_one', 'café "quoted"']]);
    expect(data.alignments.get('ann-take_one')?.tiers.map((t) => t.name)).toEqual([
      'words',
      'phones',
    ]);
    expect((await validateCorpus(imported.corpus.dir)).problems).toEqual([]);
    await exportTextGrids(imported.corpus, join(work, 'tg-out'));
    const again = await importCorpus({
      format: 'textgrid',
      source: join(work, 'tg-out'),
      outDir: join(work, 'tg2'),
    });
    expect(await speechSnapshot(await readCorpus(again.corpus.dir))).toEqual(
      await speechSnapshot(await readCorpus(imported.corpus.dir)),
    );

    await writeFixture(join(work, 'aud', 'talk.wav'), toneWav({ sampleRate: 44100, seconds: 1 }));
    await writeFixture(
      join(work, 'aud', 'talk.txt'),
      '0.1\t0.3\tyes\n\\\t200\t3000\n0.5\t0.9\tno\n',
    );
    const audacity = await importCorpus({
      format: 'audacity',
      source: join(work, 'aud'),
      outDir: join(work, 'aud-corpus'),
      speaker: 'bob',
    });
    expect(
      (audacity.corpus.data as SpeechCorpusData).utterances.map((u) => [u.text, u.segment]),
    ).toEqual([
      ['yes', { start: 0.1, end: 0.3 }],
      ['no', { start: 0.5, end: 0.9 }],
    ]);
    expect((await validateCorpus(audacity.corpus.dir)).problems).toEqual([]);
  });

  it('export refuses ids that would write outside the export folder, and writes nothing', async () => {
    const imported = await importTextGridPair('take');
    // A corpus read from someone else's files can hold any text in its ids.
    const data = imported.corpus.data as SpeechCorpusData;
    for (const [field, hostile] of [
      ['speaker', '../../escaped'],
      ['split', '..'],
    ] as const) {
      const original = data.utterances[0]![field];
      data.utterances[0]![field] = hostile;
      const out = join(work, 'deep', 'er', 'out');
      await expect(exportTextGrids(imported.corpus, out)).rejects.toMatchObject({
        code: 'EXPORT_UNSAFE_NAME',
      });
      data.utterances[0]![field] = original;
    }
    expect(await readdir(work)).toEqual(expect.not.arrayContaining(['escaped']));
    expect(await readdir(join(work, 'deep')).catch(() => [])).toEqual([]);
  });

  it('folders: one folder per label, speakers from <speaker>_nohash_<n>, lists give dev/test', async () => {
    const source = join(work, 'speech commands');
    for (const [label, speaker, n] of [
      ['yes', 'aa11', 0],
      ['yes', 'bb22', 0],
      ['no', 'aa11', 1],
    ] as const) {
      await writeFixture(join(source, label, `${speaker}_nohash_${n}.wav`), toneWav());
    }
    await writeFixture(join(source, '_background_noise_', 'noise.wav'), toneWav());
    await writeFixture(join(source, 'testing_list.txt'), 'yes/bb22_nohash_0.wav\n');
    const result = await importCorpus({ format: 'folders', source, outDir: join(work, 'sc') });
    const data = result.corpus.data as SpeechCorpusData;
    expect(data.utterances.map((u) => [u.id, u.text, u.split])).toEqual([
      ['aa11-no_1', 'no', 'train'],
      ['aa11-yes_0', 'yes', 'train'],
      ['bb22-yes_0', 'yes', 'test'],
    ]);
  });
});

describe('bad inputs', () => {
  it('skips and reports empty and non-audio .wav files (or stops with --strict)', async () => {
    const source = join(work, 'bad');
    await writeFsddLike(source, ['ann'], [1], [0]);
    await writeFixture(join(source, '2_ann_0.wav'), '');
    await writeFixture(join(source, '3_ann_0.wav'), 'this is a text file, not audio');
    const result = await importCorpus({
      format: 'pattern',
      source,
      outDir: join(work, 'out'),
      pattern: '{label}_{speaker}_{take}.wav',
    });
    expect(
      result.skipped.map((s) => [
        s.path.endsWith('2_ann_0.wav') || s.path.endsWith('3_ann_0.wav'),
        s.code.startsWith('AUDIO_'),
      ]),
    ).toEqual([
      [true, true],
      [true, true],
    ]);
    expect((result.corpus.data as SpeechCorpusData).utterances).toHaveLength(1);
    await expect(
      importCorpus({
        format: 'pattern',
        source,
        outDir: join(work, 'strict'),
        pattern: '{label}_{speaker}_{take}.wav',
        strict: true,
      }),
    ).rejects.toMatchObject({ code: 'AUDIO_EMPTY' });
    await expect(stat(join(work, 'strict'))).rejects.toThrow();
    expect((await readdir(work)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('refuses duplicate ids in a Kaldi directory, naming the line', async () => {
    const source = join(work, 'dup');
    await writeFixture(join(source, 'a.wav'), toneWav());
    await writeFixture(join(source, 'wav.scp'), `s-a ${join(source, 'a.wav')}\n`);
    await writeFixture(join(source, 'text'), 's-a one\ns-a two\n');
    await writeFixture(join(source, 'utt2spk'), 's-a s\n');
    await expect(
      importCorpus({ format: 'kaldi', source, outDir: join(work, 'o') }),
    ).rejects.toThrow(/text:2: duplicate id "s-a"/);
  });

  it('refuses a huge transcript, naming its line, and a huge label in an edit', async () => {
    const source = join(work, 'huge');
    await writeFixture(join(source, 'a.wav'), toneWav());
    await writeFixture(
      join(source, 'wav.scp'),
      `s-a ${join(source, 'a.wav')}\ns-b ${join(source, 'a.wav')}\n`,
    );
    await writeFixture(join(source, 'text'), `s-a fine\ns-b ${'word '.repeat(4000)}\n`);
    await writeFixture(join(source, 'utt2spk'), 's-a s\ns-b s\n');
    await expect(
      importCorpus({ format: 'kaldi', source, outDir: join(work, 'o') }),
    ).rejects.toThrow(/text:2: transcript is 1999\d characters long \(at most 10000\)/);
  });

  it('can be cancelled: CANCELLED, and no corpus or partial folder is left', async () => {
    const source = join(work, 'many');
    await writeFsddLike(source, ['ann'], [1, 2, 3], [0, 1, 2]);
    const controller = new AbortController();
    const fractions: number[] = [];
    const importing = importCorpus({
      format: 'pattern',
      source,
      outDir: join(work, 'cancelled'),
      pattern: '{label}_{speaker}_{take}.wav',
      signal: controller.signal,
      onProgress: (p) => {
        fractions.push(p.fraction ?? 0);
        if (fractions.length === 4) controller.abort();
      },
    });
    await expect(importing).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fractions.slice(0, 3)).toEqual([0, 1 / 9, 2 / 9]);
    await expect(stat(join(work, 'cancelled'))).rejects.toThrow();
    expect((await readdir(work)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('refuses invalid UTF-8 in text sources and an existing output folder', async () => {
    await writeFile(
      join(work, 'x-train.tsv'),
      new Uint8Array([...Buffer.from('pos\tfine\nneg\tbad '), 0xff, 0x0a]),
    );
    await expect(
      importCorpus({ format: 'tsv', source: join(work, 'x-train.tsv'), outDir: join(work, 'o') }),
    ).rejects.toThrow(/x-train\.tsv:2: invalid UTF-8/);
    await expect(
      importCorpus({ format: 'polarity', source: `${fixtures}polarity`, outDir: work }),
    ).rejects.toMatchObject({ code: 'CORPUS_EXISTS' });
  });
});

describe('text importers', () => {
  it('conllu: UD files become train/dev splits; export -> import is identical', async () => {
    const first = await importCorpus({
      format: 'conllu',
      source: `${fixtures}ud-ewt`,
      outDir: join(work, 'ewt'),
    });
    expect(first.corpus.manifest.splits).toEqual(['dev', 'train']);
    expect(first.corpus.manifest.labels).toContain('PROPN');
    expect((await validateCorpus(first.corpus.dir)).problems).toEqual([]);
    expect(await readFile(join(first.corpus.dir, 'text/train.conllu'), 'utf8')).toBe(
      await readFile(`${fixtures}ud-ewt/en_ewt-sample-train.conllu`, 'utf8'),
    );
    await exportText(first.corpus, join(work, 'exp'), 'conllu');
    const second = await importCorpus({
      format: 'conllu',
      source: join(work, 'exp'),
      outDir: join(work, 'ewt2'),
    });
    expect(second.corpus.data).toEqual(first.corpus.data);
  });

  it('polarity and tsv: labelled sentences, round trip through TSV', async () => {
    const polarity = await importCorpus({
      format: 'polarity',
      source: `${fixtures}polarity`,
      outDir: join(work, 'mr'),
    });
    expect(polarity.corpus.manifest.labels).toEqual(['negative', 'positive']);
    await exportText(polarity.corpus, join(work, 'mr-out'), 'tsv');
    const again = await importCorpus({
      format: 'tsv',
      source: join(work, 'mr-out'),
      outDir: join(work, 'mr2'),
    });
    expect(again.corpus.data).toEqual(polarity.corpus.data);
    const tsv = await importCorpus({
      format: 'tsv',
      source: `${fixtures}tsv`,
      outDir: join(work, 'intent'),
    });
    expect(tsv.corpus.manifest.labels).toEqual(['goodbye', 'greeting']);
    expect((await validateCorpus(tsv.corpus.dir)).ok).toBe(true);
  });

  it('text-folders: a file per text, labels from folders, splits from the folder above', async () => {
    const flat = join(work, 'reviews');
    await writeFixture(join(flat, 'pos', 'a.txt'), 'A fine\nfilm,\tall told.\n');
    await writeFixture(join(flat, 'pos', 'b.txt'), 'Lovely.');
    await writeFixture(join(flat, 'neg', 'c.txt'), 'Dull.');
    const one = await importCorpus({
      format: 'text-folders',
      source: flat,
      outDir: join(work, 'r1'),
    });
    expect(one.corpus.manifest.labels).toEqual(['neg', 'pos']);
    const data = one.corpus.data;
    expect(data.kind === 'text' ? data.splits.get('train') : null).toEqual({
      format: 'tsv',
      items: [
        { label: 'neg', text: 'Dull.' },
        { label: 'pos', text: 'A fine film, all told.' },
        { label: 'pos', text: 'Lovely.' },
      ],
    });

    const imdb = join(work, 'aclImdb');
    await writeFixture(join(imdb, 'train', 'pos', '1.txt'), 'Good.');
    await writeFixture(join(imdb, 'test', 'neg', '2.txt'), 'Bad.');
    const split = await importCorpus({
      format: 'text-folders',
      source: imdb,
      outDir: join(work, 'r2'),
    });
    expect(split.corpus.manifest.splits).toEqual(['test', 'train']);

    await writeFixture(join(imdb, 'stray.txt'), 'Where does this go?');
    await expect(
      importCorpus({ format: 'text-folders', source: imdb, outDir: join(work, 'r3') }),
    ).rejects.toThrow(/stray\.txt.*<label>\/<file>\.txt/);
    await writeFixture(join(flat, 'neg', 'empty.txt'), ' \n');
    await expect(
      importCorpus({ format: 'text-folders', source: flat, outDir: join(work, 'r4') }),
    ).rejects.toThrow(/empty\.txt.*no text/);
  });

  it('brown: maps tags to UPOS through the table, contractions become multiword tokens', async () => {
    const mapping = await readBrownMapping();
    expect(mapBrownToken('County', 'nn-tl', mapping).words).toEqual([
      { form: 'County', upos: 'NOUN', xpos: 'nn-tl' },
    ]);
    expect(mapBrownToken("it's", 'pps+bez', mapping).words.map((w) => [w.form, w.upos])).toEqual([
      ['it', 'PRON'],
      ["'s", 'AUX'],
    ]);
    expect(mapBrownToken("don't", 'do*', mapping).words.map((w) => [w.form, w.upos])).toEqual([
      ['do', 'AUX'],
      ["n't", 'PART'],
    ]);
    expect(mapBrownToken('coup', 'fw-nn', mapping).words[0]?.upos).toBe('X');
    const result = await importCorpus({
      format: 'brown',
      outDir: join(work, 'brown'),
      brown: { limitSentences: 40 },
    });
    const train =
      (result.corpus.data.kind === 'text' && result.corpus.data.splits.get('train')) || null;
    expect(train && train.format === 'conllu' ? train.sentences.length : 0).toBe(40);
    const first = train && train.format === 'conllu' ? conlluWords(train.sentences[0]!) : [];
    expect(first.slice(0, 3).map((w) => [w.form, w.upos, w.xpos])).toEqual([
      ['The', 'DET', 'at'],
      ['Fulton', 'PROPN', 'np-tl'],
      ['County', 'NOUN', 'nn-tl'],
    ]);
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
  });
});

describe('errors', () => {
  it('an unknown pattern field is a clear error', async () => {
    await expect(
      importCorpus({
        format: 'pattern',
        source: work,
        outDir: join(work, 'o'),
        pattern: '{word}.wav',
      }),
    ).rejects.toBeInstanceOf(UnfoldError);
  });
});
