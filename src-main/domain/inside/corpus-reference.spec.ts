import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRandomExperiment } from '../../../tests/support/random-experiment';
import { resolveFeatureConfig } from '../audio/feature-config';
import { encodeWav } from '../audio/wav';
import { initTfBackend } from '../backend/tf-backend';
import type { IntervalTier, TextGrid } from '../corpus/formats/textgrid';
import { newManifest } from '../corpus/manifest';
import { createCorpusAtomically } from '../corpus/store/create-corpus';
import { audioPath } from '../corpus/store/layout';
import { referenceTargets, utteranceReference } from './corpus-reference';
import { loadInsideModel, traceInput, type InsideModel } from './inside-model';

/** 16 kHz, 25 ms frames every 10 ms: frame t's centre is t * 0.01 + 0.0125 s after its start. */
const FEATURES = resolveFeatureConfig({ kind: 'fbank', sampleRate: 16_000 });

const phones: IntervalTier = {
  kind: 'interval',
  name: 'phones',
  xmin: 0,
  xmax: 1,
  intervals: [
    { xmin: 0, xmax: 0.6, text: 'a' },
    { xmin: 0.6, xmax: 0.62, text: '' },
    { xmin: 0.62, xmax: 0.9, text: 'b ' },
    { xmin: 0.9, xmax: 1, text: 'zz' },
  ],
};
const grid: TextGrid = { xmin: 0, xmax: 1, tiers: [phones] };
const LABELS = ['a', 'b', 'pau'];

/**
 * The utterance's segment starts at 0.5 s: frame t's centre is at 0.5125 + 0.01 t s in the
 * recording. "a" up to 0.6 (frames 0-8), the gap (9-10), "b" up to 0.9 (11-38), "zz" up to the
 * tier's end at 1.0 (39-48), past it a gap again (49).
 */
function expectedPhones(frames: number): string[] {
  return Array.from({ length: frames }, (_, t) =>
    t <= 8 ? 'a' : t <= 10 ? 'pau' : t <= 38 ? 'b' : t <= 48 ? 'zz' : 'pau',
  );
}

describe('the reference of a corpus utterance', () => {
  const utterance = {
    recordingId: 'spk-rec',
    text: 'a b',
    segment: { start: 0.5, end: 1.2 },
  };

  it("is the phone at each frame's centre within the segment, pau in gaps, unknown phones by name", () => {
    const alignments = new Map([['spk-rec', grid]]);
    const reference = utteranceReference('phones', { alignments }, utterance, 50, FEATURES, LABELS);
    expect(reference).toEqual(expectedPhones(50));
    // The loss scores the phones the model knows; "zz" is left out.
    const targets = referenceTargets(reference ?? [], LABELS);
    expect(Array.from(targets ?? []).slice(7, 12)).toEqual([0, 0, 2, 2, 1]);
    expect(Array.from(targets ?? []).slice(38, 50)).toEqual([1, ...Array<number>(10).fill(-1), 2]);
  });

  it('is the whole recording from 0 s without a segment, and null without a phones tier', () => {
    const alignments = new Map([['spk-rec', grid]]);
    const whole = { recordingId: 'spk-rec', text: 'a b' };
    // Centres 0.0125, 0.0225, ...: all "a" for the first 59 frames (centre 0.5925 at t = 58).
    expect(utteranceReference('phones', { alignments }, whole, 60, FEATURES, LABELS)).toEqual([
      ...Array<string>(59).fill('a'),
      'pau',
    ]);
    expect(
      utteranceReference('phones', { alignments: new Map() }, whole, 60, FEATURES, LABELS),
    ).toBeNull();
  });

  it("is a words utterance's text, one label; a word the model lacks gives no targets", () => {
    const alignments = new Map<string, TextGrid>();
    expect(utteranceReference('words', { alignments }, utterance, 50, FEATURES, LABELS)).toEqual([
      'a b',
    ]);
    expect(referenceTargets(['yes'], ['no', 'yes'])).toEqual(Int32Array.from([1]));
    expect(referenceTargets(['maybe'], ['no', 'yes'])).toBeNull();
  });
});

describe('a traced corpus utterance', () => {
  let root: string;
  let inside: InsideModel;
  const input = { kind: 'utterance', corpus: 'tiny', utterance: 'spk-rec_0' } as const;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'unfold-inside-reference-'));
    const corpusDir = join(root, 'tiny');
    await createCorpusAtomically(corpusDir, async (staging) => {
      // 1.5 s of a varying tone: features that are not constant.
      const samples = Float32Array.from(
        { length: 24_000 },
        (_, i) => 0.3 * Math.sin(i * (0.05 + i * 2e-6)),
      );
      await mkdir(join(staging, 'audio'), { recursive: true });
      await writeFile(
        join(staging, audioPath('spk-rec')),
        encodeWav({ sampleRate: 16_000, samples }),
      );
      return {
        manifest: newManifest({
          name: 'tiny',
          kind: 'speech',
          tasks: ['phone-recognition'],
          labels: [],
          phoneSet: null,
          splits: ['test'],
        }),
        data: {
          kind: 'speech',
          recordings: [{ id: 'spk-rec', path: audioPath('spk-rec'), duration: 1.5 }],
          utterances: [
            {
              id: 'spk-rec_0',
              recordingId: 'spk-rec',
              speaker: 'spk',
              split: 'test',
              text: 'a b',
              segment: { start: 0.5, end: 1.2 },
            },
          ],
          alignments: new Map([['spk-rec', grid]]),
        },
      };
    });
    const experiment = join(root, 'phones');
    await initTfBackend();
    await writeRandomExperiment(experiment, 'phones', LABELS.length, { labels: LABELS });
    inside = await loadInsideModel(experiment);
  }, 120_000);

  afterAll(async () => {
    inside?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  const resolveCorpus = (): Promise<string> => Promise.resolve(join(root, 'tiny'));

  it('carries the per-frame reference of its segment and scores it by default', async () => {
    const trace = await traceInput(inside, input, { resolveCorpus });
    // 0.7 s of audio: 68 frames of 25 ms every 10 ms.
    expect(trace.steps).toBe(68);
    expect(trace.reference).toEqual(expectedPhones(68));
    expect(trace.lossTarget).toBe('reference');
    const answer = await traceInput(inside, input, { resolveCorpus, lossTarget: 'answer' });
    expect(answer.lossTarget).toBe('answer');
    expect(answer.reference).toEqual(trace.reference);
    expect(answer.predicted).toEqual(trace.predicted);
    // Another target, another gradient (the random model does not answer the reference).
    expect(trace.predicted).not.toEqual(trace.reference);
    expect(Array.from(answer.layers[0]?.gradNorm ?? [])).not.toEqual(
      Array.from(trace.layers[0]?.gradNorm ?? []),
    );
  }, 60_000);

  it("gives a words model the utterance's word as its one reference", async () => {
    for (const [labels, target] of [
      [['a b', 'c'], 'reference'],
      [['c', 'd'], 'answer'],
    ] as const) {
      const dir = join(root, `words-${target}`);
      await writeRandomExperiment(dir, 'words', 2, { labels: [...labels] });
      const words = await loadInsideModel(dir);
      try {
        const trace = await traceInput(words, input, { resolveCorpus });
        expect(trace.reference).toEqual(['a b']);
        // A word the model does not know cannot be scored: the answer is.
        expect(trace.lossTarget).toBe(target);
      } finally {
        words.dispose();
      }
    }
  }, 60_000);

  it('has no reference for a WAV', async () => {
    const wav = { kind: 'wav', path: join(root, 'tiny', audioPath('spk-rec')) } as const;
    const trace = await traceInput(inside, wav, { resolveCorpus });
    expect(trace.reference).toBeNull();
    expect(trace.lossTarget).toBe('answer');
  }, 60_000);
});
