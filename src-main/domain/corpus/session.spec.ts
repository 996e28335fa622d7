import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntervalTier } from './formats/textgrid';
import { tierFromSpans } from './formats/textgrid';
import { importCorpus } from './import/import-corpus';
import type { SpeechCorpusData } from './model';
import { CorpusSession } from './session';
import { withCorpusLock } from './store/commit';
import { splitCorpus } from './split-corpus';
import { planSpeakerSplit } from './splits';
import { importFsddLike, writeFsddLike } from './testing/fixtures';
import {
  createInterval,
  deleteInterval,
  mergeWithNext,
  moveBoundary,
  splitInterval,
} from './tier-edits';
import { validateCorpus } from './validate';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/corpus/', import.meta.url));
let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-session-'));
  await writeFsddLike(join(work, 'src'), ['ann', 'bob', 'cy', 'dee', 'eve'], [1, 2], [0, 5]);
  dir = await importFsddLike(join(work, 'src'), join(work, 'c'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('CorpusSession', () => {
  it('lists utterances with filters and paging', async () => {
    const session = await CorpusSession.open(dir);
    expect(session.listUtterances().total).toBe(20);
    const page = session.listUtterances({ label: '2', speaker: 'bob' }, { offset: 1, limit: 5 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.id)).toEqual(['bob-2_5']);
    expect(session.listUtterances({ minDuration: 0.14 }).total).toBe(10);
    expect(session.listUtterances({ search: 'EVE-1' }).rows.map((r) => r.id)).toEqual([
      'eve-1_0',
      'eve-1_5',
    ]);
    expect(session.stats()).toMatchObject({
      perLabel: { '1': 10, '2': 10 },
      perSplit: { train: 20 },
      items: 20,
    });
  });

  it('edits label, speaker and split atomically, with undo and redo, and stays valid', async () => {
    const session = await CorpusSession.open(dir);
    await session.apply({
      type: 'set-utterance',
      id: 'ann-1_0',
      changes: { text: 'one', speaker: 'zoë', split: 'test' },
    });
    let reloaded = await CorpusSession.open(dir);
    const moved = (reloaded.data as SpeechCorpusData).utterances.find((u) => u.id === 'zoë-1_0');
    expect(moved).toMatchObject({
      recordingId: 'ann-1_0',
      speaker: 'zoë',
      text: 'one',
      split: 'test',
    });
    expect(reloaded.manifest.labels).toEqual(['1', '2', 'one']);
    expect(reloaded.manifest.revision).toBe(1);
    expect((await validateCorpus(dir)).problems).toEqual([]);
    expect(await session.undo()).toBe(true);
    reloaded = await CorpusSession.open(dir);
    expect(
      (reloaded.data as SpeechCorpusData).utterances.find((u) => u.id === 'ann-1_0'),
    ).toMatchObject({ text: '1', split: 'train' });
    expect(reloaded.manifest.splits).toEqual(['train']);
    expect(await readFile(join(dir, 'data/test/text'), 'utf8').catch(() => null)).toBeNull();
    expect(await session.redo()).toBe(true);
    expect((await validateCorpus(dir)).problems).toEqual([]);
    expect((await CorpusSession.open(dir)).manifest.revision).toBe(3);
    const journal = (await readFile(join(dir, '.unfold/journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { description: string });
    expect(journal.map((j) => j.description)).toEqual([
      'apply set-utterance',
      'undo set-utterance',
      'redo set-utterance',
    ]);
  });

  it('refuses to overwrite a change made by another session (stale revision)', async () => {
    const first = await CorpusSession.open(dir);
    const second = await CorpusSession.open(dir);
    await first.apply({ type: 'set-utterance', id: 'bob-1_0', changes: { text: 'first' } });
    await expect(
      second.apply({ type: 'set-utterance', id: 'bob-1_0', changes: { text: 'second' } }),
    ).rejects.toMatchObject({ code: 'CORPUS_CHANGED' });
    const reloaded = await CorpusSession.open(dir);
    expect(
      (reloaded.data as SpeechCorpusData).utterances.find((u) => u.id === 'bob-1_0')?.text,
    ).toBe('first');
  });

  it('refuses a huge label and waits for another process holding the lock', async () => {
    const session = await CorpusSession.open(dir);
    await expect(
      session.apply({ type: 'set-utterance', id: 'ann-1_0', changes: { text: 'x'.repeat(300) } }),
    ).rejects.toMatchObject({ code: 'BAD_EDIT' });
    let releaseOther: () => void = () => undefined;
    let lockTaken: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const held = withCorpusLock(dir, () => {
      lockTaken();
      return new Promise<void>((resolve) => (releaseOther = resolve));
    });
    await taken;
    const editing = session.apply({
      type: 'set-utterance',
      id: 'ann-1_0',
      changes: { text: 'one' },
    });
    let finished = false;
    void editing.then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toBe(false);
    releaseOther();
    await held;
    await editing;
    expect(session.manifest.revision).toBe(1);
  });

  it('stores edited alignments (region edits keep the tier valid)', async () => {
    const session = await CorpusSession.open(dir);
    let tier: IntervalTier = tierFromSpans('words', 0, 0.1, []);
    tier = createInterval(tier, 0.02, 0.08, 'one');
    tier = splitInterval(tier, 1, 0.05);
    tier = moveBoundary(tier, 1, 0.04);
    tier = mergeWithNext(tier, 1);
    expect(tier.intervals.map((i) => [i.xmin, i.xmax, i.text])).toEqual([
      [0, 0.02, ''],
      [0.02, 0.08, 'one one'],
      [0.08, 0.1, ''],
    ]);
    expect(deleteInterval(tier, 1).intervals).toEqual([{ xmin: 0, xmax: 0.1, text: '' }]);
    await session.apply({
      type: 'set-alignment',
      recordingId: 'cy-2_0',
      grid: { xmin: 0, xmax: 0.1, tiers: [tier] },
    });
    expect(session.listUtterances({ hasAlignment: true }).rows.map((r) => r.id)).toEqual([
      'cy-2_0',
    ]);
    // The table's Aligned column names the tiers a row's alignment has.
    expect(
      session.listUtterances({ search: 'cy-2_0' }).rows.map((r) => [r.id, r.alignedTiers]),
    ).toEqual([['cy-2_0', [tier.name]]]);
    expect((await validateCorpus(dir)).problems).toEqual([]);
    await session.undo();
    expect(
      await readFile(join(dir, 'alignments/cy-2_0.TextGrid'), 'utf8').catch(() => null),
    ).toBeNull();
  });

  it('edits a CoNLL-U tag', async () => {
    const textDir = (
      await importCorpus({ format: 'conllu', source: `${fixtures}ud-ewt`, outDir: join(work, 't') })
    ).corpus.dir;
    const session = await CorpusSession.open(textDir);
    const browsed = session.listSentences({ tag: 'NUM' }, { limit: 1 });
    expect(browsed.total).toBe(2);
    expect(browsed.rows[0]).toMatchObject({
      split: 'train',
      index: 1,
      text: "Let's just remember a seminal Bush moment in 1999:",
    });
    expect(browsed.rows[0]?.words?.slice(0, 2)).toEqual([
      { form: 'Let', upos: 'VERB' },
      { form: "'s", upos: 'PRON' },
    ]);
    expect(
      session.listSentences({ split: 'dev', search: 'ap comes' }).rows.map((r) => r.index),
    ).toEqual([0]);
    await session.apply({
      type: 'set-token-tag',
      split: 'train',
      sentence: 0,
      word: 4,
      upos: 'PROPN',
    });
    expect(await readFile(join(textDir, 'text/train.conllu'), 'utf8')).toContain(
      '5\tAmerican\tAmerican\tPROPN\tJJ',
    );
    await expect(
      session.apply({
        type: 'set-token-tag',
        split: 'train',
        sentence: 0,
        word: 4,
        upos: 'ADJECTIVE',
      }),
    ).rejects.toMatchObject({ code: 'BAD_EDIT' });
    expect((await validateCorpus(textDir)).ok).toBe(true);
  });
});

describe('splits', () => {
  it('by speaker: seeded, no speaker in two splits, dry run changes nothing', async () => {
    const preview = await splitCorpus(
      dir,
      { by: 'speaker', fractions: { train: 0.6, dev: 0.2, test: 0.2 }, seed: 7 },
      { dryRun: true },
    );
    expect(preview.applied).toBe(false);
    expect(
      Object.values(preview.counts)
        .map((c) => c.speakers)
        .sort(),
    ).toEqual([1, 1, 3]);
    expect((await CorpusSession.open(dir)).manifest.revision).toBe(0);
    const applied = await splitCorpus(dir, {
      by: 'speaker',
      fractions: { train: 0.6, dev: 0.2, test: 0.2 },
      seed: 7,
    });
    expect(applied.counts).toEqual(preview.counts);
    const session = await CorpusSession.open(dir);
    const splitOf = new Map<string, Set<string>>();
    for (const u of (session.data as SpeechCorpusData).utterances)
      splitOf.set(u.speaker, (splitOf.get(u.speaker) ?? new Set()).add(u.split));
    expect([...splitOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(session.manifest.split).toEqual({
      method: 'speaker',
      seed: 7,
      fractions: { train: 0.6, dev: 0.2, test: 0.2 },
    });
    expect((await validateCorpus(dir)).problems).toEqual([]);
  });

  it('the same seed gives the same split, another seed may not', () => {
    const utterances = Array.from({ length: 60 }, (_, k) => ({
      id: `s${k % 12}-${k}`,
      speaker: `s${k % 12}`,
    }));
    const a = planSpeakerSplit(utterances, { seed: 1 });
    expect(planSpeakerSplit(utterances, { seed: 1 }).assignments).toEqual(a.assignments);
    const seeds = [2, 3, 4, 5].map((seed) => planSpeakerSplit(utterances, { seed }).assignments);
    expect(seeds.some((b) => JSON.stringify([...b]) !== JSON.stringify([...a.assignments]))).toBe(
      true,
    );
    expect(a.counts.train!.utterances).toBeGreaterThanOrEqual(40);
  });

  it('the FSDD convention: takes 0-4 test, the rest train', async () => {
    const result = await splitCorpus(dir, { by: 'convention', convention: 'fsdd' });
    expect(result.counts).toEqual({
      test: { utterances: 10, speakers: 5 },
      train: { utterances: 10, speakers: 5 },
    });
  });
});

describe('recording into a corpus', () => {
  it('adds a recorded take (resampled to 16 kHz), undoes and removes it, staying valid', async () => {
    const session = await CorpusSession.open(dir);
    const samples = new Float32Array(4410).map((_, i) => 0.3 * Math.sin(i / 7));
    const utterance = await session.addRecording({
      audio: { sampleRate: 44100, samples },
      speaker: 'new voice',
      text: 'three',
      name: 'three_0',
    });
    expect(utterance).toMatchObject({
      id: 'new_voice-three_0',
      speaker: 'new_voice',
      split: 'train',
      text: 'three',
    });
    expect(session.manifest.labels).toEqual(['1', '2', 'three']);
    const row = session.listUtterances({ speaker: 'new_voice' }).rows[0]!;
    expect(row.duration).toBeCloseTo(0.1, 3);
    expect((await validateCorpus(dir)).problems).toEqual([]);
    await session.undo();
    expect(session.listUtterances({ speaker: 'new_voice' }).total).toBe(0);
    await session.redo();
    await session.apply({ type: 'remove-utterance', id: 'new_voice-three_0' });
    expect(session.manifest.labels).toEqual(['1', '2']);
    expect((await validateCorpus(dir)).problems).toEqual([]);
    // The WAV of a removed take stays on disk: nothing is lost.
    expect((await readFile(join(dir, 'audio/new_voice-three_0.wav'))).length).toBeGreaterThan(44);
  });
});
