import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import type { IntervalTier } from '../formats/textgrid';
import type { SpeechCorpusData } from '../model';
import { readCorpus } from '../store/read-corpus';
import { validateCorpus } from '../validate';
import { foldPhones, readPhoneFolding } from '../phone-folding';
import { hasProgram, requireProgram } from './programs';
import { synthesiseSentences } from './synth-sentences';
import { synthesiseWords } from './synth-words';
import { trimSilence } from './trim';

let work: string;
const haveSynths =
  (await hasProgram('festival')) &&
  (await hasProgram('flite')) &&
  (await hasProgram('espeak-ng')) &&
  (await hasProgram('sox'));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-synth-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('synthesis helpers', () => {
  it('a missing program names the Debian package to install', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(requireProgram('text2wave')).rejects.toMatchObject({
        code: 'SYNTH_MISSING_PROGRAM',
        message: expect.stringContaining('apt install festival'),
      });
      await expect(
        synthesiseWords(join(work, 'none'), { name: 'x', words: ['one'], engines: ['flite'] }),
      ).rejects.toMatchObject({ code: 'SYNTH_MISSING_PROGRAM' });
    } finally {
      process.env.PATH = path;
    }
  });

  it('trims silence at both ends and keeps a margin', () => {
    const samples = new Float32Array(16000);
    for (let i = 6000; i < 9000; i++) samples[i] = 0.5 * Math.sin(i / 5);
    const trimmed = trimSilence(samples, 16000, { marginSeconds: 0.01 });
    // 10 ms frames: the sound starts inside frame 37 (5920..6080) and ends inside frame 56.
    expect(trimmed.start).toBe(5920 - 160);
    expect(trimmed.end).toBe(9120 + 160);
    expect(trimmed.samples.length).toBe(trimmed.end - trimmed.start);
    expect(trimSilence(new Float32Array(100), 16000).samples.length).toBe(100);
  });

  it('folds ARPAbet phones to the 39-phone scoring set', async () => {
    const folding = await readPhoneFolding();
    expect(folding.to48.size).toBe(61);
    expect(new Set(folding.to39.values()).size).toBe(40); // 39 phones + "-" for q
    expect(foldPhones(['pau', 'ax', 'zh', 'ao', 'q', 'hh'], folding, 39)).toEqual([
      'sil',
      'ah',
      'sh',
      'aa',
      'hh',
    ]);
  });
});

describe.runIf(haveSynths)('synthesis with espeak-ng, flite and festival', () => {
  it('synth words: every voice x rate x pitch, trimmed, voice as speaker, split by voice, valid', async () => {
    const result = await synthesiseWords(join(work, 'words'), {
      name: 'words',
      words: ['yes', 'No'],
      voices: ['en-us', 'kal16', 'kal_diphone'],
      stretches: [0.8, 1.25],
      pitchCents: [0, 200],
      fractions: { train: 0.34, dev: 0.33, test: 0.33 },
    });
    const data = result.corpus.data as SpeechCorpusData;
    expect(data.utterances).toHaveLength(3 * 2 * 2 * 2);
    expect(result.corpus.manifest.labels).toEqual(['no', 'yes']);
    const speakersBySplit = new Map<string, Set<string>>();
    for (const u of data.utterances)
      speakersBySplit.set(u.split, (speakersBySplit.get(u.split) ?? new Set()).add(u.speaker));
    expect([...speakersBySplit.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    const slow = data.recordings.find((r) => r.id === 'flite_kal16-yes_r1p0')!;
    const fast = data.recordings.find((r) => r.id === 'flite_kal16-yes_r0p0')!;
    expect(slow.duration).toBeGreaterThan(fast.duration * 1.2);
    expect(slow.duration).toBeLessThan(1.2);
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
  });

  it('synth words with a _silence_ class of room tone and an _unknown_ class of other words', async () => {
    const options = {
      name: 'extra',
      words: ['yes'],
      voices: ['en-us', 'en-us+f3'],
      stretches: [1],
      pitchCents: [0],
      fractions: { train: 0.5, test: 0.5 },
      silenceClips: 2,
      unknownWords: ['cat', 'Dog'],
      seed: 3,
    };
    const result = await synthesiseWords(join(work, 'extra'), options);
    const data = result.corpus.data as SpeechCorpusData;
    expect(result.corpus.manifest.labels).toEqual(['_silence_', '_unknown_', 'yes']);
    // Per voice: 1 word x 1 variation, 1 unknown word per variation, 2 silence clips.
    expect(data.utterances).toHaveLength(2 * (1 + 1 + 2));
    const ids = data.recordings.map((r) => r.id).sort();
    // The unknown words rotate over the voices, so each is spoken.
    expect(ids.filter((id) => id.includes('unknown_'))).toEqual([
      'espeakng_en_us-unknown_dog_r0p0',
      'espeakng_en_us_f3-unknown_cat_r0p0',
    ]);
    for (const u of data.utterances.filter((u) => u.text === '_silence_')) {
      const recording = data.recordings.find((r) => r.id === u.recordingId)!;
      const audio = decodeWav(
        await readFile(join(result.corpus.dir, recording.path)),
        recording.path,
      );
      const samples = audio.channels[0]!;
      let sum = 0;
      for (const v of samples) sum += v * v;
      const dbfs = 10 * Math.log10(sum / samples.length);
      expect(dbfs).toBeGreaterThan(-66);
      expect(dbfs).toBeLessThan(-34);
      expect(recording.duration).toBeGreaterThanOrEqual(0.4);
    }
    // Each split (by voice) has every class.
    for (const split of ['train', 'test'])
      expect(new Set(data.utterances.filter((u) => u.split === split).map((u) => u.text))).toEqual(
        new Set(['_silence_', '_unknown_', 'yes']),
      );
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
    await expect(
      synthesiseWords(join(work, 'clash'), { ...options, unknownWords: ['YES'] }),
    ).rejects.toMatchObject({ code: 'SYNTH_BAD_INPUT' });
  });

  it('synth sentences: festival and flite phone alignments cover the audio within 20 ms', async () => {
    const result = await synthesiseSentences(join(work, 'sentences'), {
      name: 'sentences',
      sentences: ['The quick brown fox, it said.', 'Two "quoted" words'],
      voices: ['kal_diphone', 'kal16'],
    });
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
    const corpus = await readCorpus(result.corpus.dir);
    const data = corpus.data as SpeechCorpusData;
    expect(data.alignments.size).toBe(4);
    expect(corpus.manifest.phoneSet).toBe('arpabet');
    const folding = await readPhoneFolding(join(corpus.dir, 'phones-61-48-39.tsv'));
    for (const recording of data.recordings) {
      const audio = decodeWav(await readFile(join(corpus.dir, recording.path)), recording.path);
      const seconds = audio.channels[0]!.length / audio.sampleRate;
      const grid = data.alignments.get(recording.id)!;
      const phones = grid.tiers.find((t) => t.name === 'phones') as IntervalTier;
      const words = grid.tiers.find((t) => t.name === 'words') as IntervalTier;
      expect(Math.abs(phones.intervals.at(-1)!.xmax - seconds)).toBeLessThan(0.02);
      expect(Math.abs(grid.xmax - seconds)).toBeLessThan(0.02);
      const labels = phones.intervals.map((i) => i.text);
      expect(labels[0]).toBe('pau');
      expect(labels.every((p) => folding.to39.has(p))).toBe(true);
      // Every word gets its own interval, from festival's relations and flite's prefixes alike.
      const spoken = words.intervals.filter((w) => w.text !== '').map((w) => w.text);
      expect(spoken).toEqual(
        recording.id.endsWith('s0001')
          ? ['the', 'quick', 'brown', 'fox', 'it', 'said']
          : ['two', 'quoted', 'words'],
      );
    }
    const text = await readFile(join(corpus.dir, 'data/train/text'), 'utf8');
    expect(text).toContain('festival_kal_diphone-s0001 the quick brown fox it said');
  });
});
