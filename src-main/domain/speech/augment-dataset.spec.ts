import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFeatureConfig } from '../audio/feature-config';
import type { FeatureMatrix } from '../audio/feature-matrix';
import { sineWave } from '../audio/testing/signals';
import { encodeWav } from '../audio/wav';
import { tierFromSpans } from '../corpus/formats/textgrid';
import { newManifest } from '../corpus/manifest';
import type { Corpus } from '../corpus/model';
import { loadSpeechItems } from './dataset';
import type { SpeechItem } from './dataset';

/**
 * Augmented copies of a hand-made two-"phone" utterance: 0.5 s of a 500 Hz tone labelled aa,
 * then 0.5 s of a 3000 Hz tone labelled iy. A copy's frame labels must switch where its
 * features switch, whatever the perturbation did to the time axis.
 */
const RATE = 16_000;
const features = resolveFeatureConfig({ kind: 'fbank', melBands: 40 });
let dir: string;
let corpus: Corpus;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-augment-'));
  const samples = new Float32Array(RATE);
  samples.set(sineWave(500, RATE, 0.5), 0);
  samples.set(sineWave(3000, RATE, 0.5), RATE / 2);
  await writeFile(join(dir, 'a.wav'), encodeWav({ sampleRate: RATE, samples }));
  const phones = tierFromSpans('phones', 0, 1, [
    { xmin: 0, xmax: 0.5, text: 'aa' },
    { xmin: 0.5, xmax: 1, text: 'iy' },
  ]);
  corpus = {
    dir,
    manifest: newManifest({
      name: 'tiny',
      kind: 'speech',
      tasks: ['phone-recognition'],
      labels: [],
      phoneSet: 'arpabet',
      splits: ['train'],
    }),
    data: {
      kind: 'speech',
      recordings: [{ id: 'a', path: 'a.wav', duration: 1 }],
      utterances: [{ id: 'spk-a', recordingId: 'a', speaker: 'spk', split: 'train', text: 'x' }],
      alignments: new Map([['a', { xmin: 0, xmax: 1, tiers: [phones] }]]),
    },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const AA = 0;
const IY = 1;

/** Frames whose energy is mostly in the low bands (the 500 Hz tone). */
function lowToneFrames(m: FeatureMatrix): boolean[] {
  return Array.from({ length: m.frames }, (_, t) => {
    const row = m.data.subarray(t * m.dims, (t + 1) * m.dims);
    const peak = row.indexOf(Math.max(...row));
    return peak < m.dims / 2;
  });
}

async function load(
  perturbations: { speed: number; warp: number }[],
  cmvn: 'none' | 'speaker' = 'none',
): Promise<{ items: SpeechItem[]; frames: number }> {
  const result = await loadSpeechItems(
    corpus,
    corpus.data.kind === 'speech' ? corpus.data.utterances : [],
    {
      frameLabels: true,
      features,
      cmvn,
      cacheDir: join(dir, 'cache'),
      phoneIndex: new Map([
        ['aa', AA],
        ['iy', IY],
        ['pau', 2],
      ]),
      perturbations,
    },
  );
  return { items: result.items, frames: result.rawStats.count };
}

describe('loadSpeechItems with perturbations', () => {
  it('names each stage once in its progress messages', async () => {
    const messages: string[] = [];
    await loadSpeechItems(corpus, corpus.data.kind === 'speech' ? corpus.data.utterances : [], {
      frameLabels: true,
      features,
      cmvn: 'none',
      cacheDir: join(dir, 'cache'),
      phoneIndex: new Map([
        ['aa', AA],
        ['iy', IY],
        ['pau', 2],
      ]),
      perturbations: [{ speed: 0.9, warp: 1 }],
      onProgress: (p) => messages.push(p.message ?? ''),
    });
    expect(messages).toContain('features: 1/1');
    expect(messages).toContain('augmentation: 1/1');
    // "features: features 1/1" was the bug: a stage word repeated after its own prefix.
    for (const message of messages) expect(message).not.toMatch(/^(\w+):? \1\b/);
  });

  it('adds one copy per perturbation, named by it; raw statistics count the original only', async () => {
    const { items, frames } = await load([
      { speed: 0.9, warp: 1 },
      { speed: 1.1, warp: 1 },
      { speed: 1, warp: 1.1 },
      { speed: 1, warp: 1 },
    ]);
    expect(items.map((i) => i.utteranceId)).toEqual([
      'spk-a',
      'spk-a#sp0.9',
      'spk-a#sp1.1',
      'spk-a#vw1.1',
    ]);
    expect(items.every((i) => i.speaker === 'spk' && i.text === 'x')).toBe(true);
    const original = items[0] as SpeechItem;
    expect(frames).toBe(original.features.frames);
    // Speed changes the length by the factor; a warp keeps it.
    expect(
      Math.abs((items[1] as SpeechItem).features.frames - original.features.frames / 0.9),
    ).toBeLessThan(2);
    expect(
      Math.abs((items[2] as SpeechItem).features.frames - original.features.frames / 1.1),
    ).toBeLessThan(2);
    expect(
      Math.abs((items[3] as SpeechItem).features.frames - original.features.frames),
    ).toBeLessThanOrEqual(1);
  });

  it('gives every copy frame labels that switch where its features switch', async () => {
    const { items } = await load([
      { speed: 0.9, warp: 1 },
      { speed: 1.1, warp: 1 },
      { speed: 1, warp: 0.9 },
      { speed: 1, warp: 1.1 },
    ]);
    for (const item of items) {
      const labels = Array.from(item.frameLabels ?? []);
      const low = lowToneFrames(item.features);
      const labelSwitch = labels.indexOf(IY);
      const toneSwitch = low.indexOf(false);
      expect(labels.slice(0, labelSwitch).every((l) => l === AA)).toBe(true);
      expect(labels.slice(labelSwitch).every((l) => l === IY)).toBe(true);
      // Frames straddling the change mix both tones: allow two frames.
      expect(Math.abs(labelSwitch - toneSwitch)).toBeLessThanOrEqual(2);
      expect(item.referencePhones).toEqual(['aa', 'iy']);
    }
  });

  it('normalises each copy as a speaker of its own with per-speaker CMVN', async () => {
    const { items } = await load([{ speed: 1, warp: 1.1 }], 'speaker');
    for (const item of items) {
      const { data, frames, dims } = item.features;
      for (let d = 0; d < dims; d++) {
        let sum = 0;
        for (let t = 0; t < frames; t++) sum += data[t * dims + d] as number;
        expect(Math.abs(sum / frames)).toBeLessThan(1e-3);
      }
    }
  });
});
