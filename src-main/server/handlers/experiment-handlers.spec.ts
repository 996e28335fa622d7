import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { experimentRequests } from '../../api/channels/experiment-channels';
import { encodeNpy } from '../../domain/audio/npy';
import { PRESET_NAMES, presetConfig, presetTask } from '../../domain/experiments/presets';
import { trainExperiment } from '../../../tests/support/builtin-experiments';
import { CorpusCache } from '../../domain/speech/corpus-cache';
import { RecognizerCache } from '../recognizer-cache';
import { loadRecognizer } from '../../domain/speech/recognizer';
import { createExperimentHandlers } from './experiment-handlers';
import type { HandlerContext } from './handler-context';
import { importTonesCorpus, type ToneTake } from '../../../tests/support/tones-corpus';
import { tinyPhonesConfig } from '../../../tests/support/tiny-experiments';

let dataDir: string;

/** An experiment folder with a words preset's config and these log lines; returns its path. */
async function writeRun(name: string, logLines: string[]): Promise<string> {
  const dir = join(dataDir, 'experiments', name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify(presetConfig('small-words-lstm', 'digits', name)),
  );
  await writeFile(join(dir, 'log.jsonl'), [...logLines, ''].join('\n'));
  return dir;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-exp-handlers-'));
  const dir = await writeRun('run1', [
    '{"type":"start","time":"t"}',
    '{"type":"epoch","time":"t","epoch":1,"loss":1.5}',
  ]);
  await mkdir(join(dir, 'eval', 'test'), { recursive: true });
  await writeFile(
    join(dir, 'metrics.json'),
    JSON.stringify({ training: { epochs: 1 }, evaluations: { test: { accuracy: 0.5 } } }),
  );
  await writeFile(
    join(dir, 'eval', 'test', 'confusion.json'),
    JSON.stringify({
      labels: ['yes', 'no'],
      counts: [
        [1, 1],
        [0, 2],
      ],
    }),
  );
  await writeFile(
    join(dir, 'eval', 'test', 'predictions.json'),
    JSON.stringify({ corpus: '/c', split: 'test', predictions: [{ utteranceId: 'u1' }] }),
  );
  // Not an experiment: left out of the list.
  await mkdir(join(dataDir, 'experiments', 'junk'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function handlers(): ReturnType<typeof createExperimentHandlers> {
  return createExperimentHandlers({ dataDir } as HandlerContext);
}

describe('experiment handlers', () => {
  it('lists experiments with their task, corpus and metrics', async () => {
    const list = await handlers()['experiments:list'](undefined);
    expect(list.map((e) => [e.name, e.task, e.corpus])).toEqual([['run1', 'words', 'digits']]);
    expect(list[0]?.metrics).toMatchObject({ training: { epochs: 1 } });
    expect(list[0]?.created).toMatch(/^\d{4}-/);
    expect(list[0]).toMatchObject({ status: 'done', epochs: 1 });
  });

  it('says which experiments are bidirectional language models (from their configs)', async () => {
    for (const preset of ['lm-word-bilm', 'lm-word-lstm'] as const) {
      const dir = join(dataDir, 'experiments', preset);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify(presetConfig(preset, 'ptb', preset)),
      );
    }
    const list = await handlers()['experiments:list'](undefined);
    expect(list.map((e) => [e.name, e.bidirectionalLm])).toEqual([
      ['lm-word-bilm', true],
      ['lm-word-lstm', false],
      ['run1', false],
    ]);
  });

  it("gives an unfinished run's status and epochs from the end of its log", async () => {
    await writeRun('stopped', [
      '{"type":"start","time":"t"}',
      '{"type":"epoch","time":"t","epoch":1,"loss":1.5}',
      '{"type":"epoch","time":"t","epoch":2,"loss":1.2}',
      '{"type":"end","time":"t","status":"cancelled","error":"The operation was cancelled."}',
    ]);
    const list = await handlers()['experiments:list'](undefined);
    expect(list.map((e) => [e.name, e.status, e.epochs])).toEqual([
      ['run1', 'done', 1],
      ['stopped', 'cancelled', 2],
    ]);
  });

  it('gets the config, log lines and available evaluations', async () => {
    const detail = await handlers()['experiments:get']({ name: 'run1' });
    expect(detail.config).toMatchObject({ name: 'run1', task: 'words' });
    expect(detail.log.map((l) => l.type)).toEqual(['start', 'epoch']);
    expect(detail.evaluations).toEqual([{ corpus: null, split: 'test' }]);
  });

  it('reads an evaluation, and says plainly when there is none', async () => {
    const evaluation = await handlers()['experiments:evaluation']({ name: 'run1', split: 'test' });
    expect(evaluation.confusion.counts).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(evaluation.summary).toEqual({ accuracy: 0.5 });
    expect(evaluation.predictions).toHaveLength(1);
    await expect(
      handlers()['experiments:evaluation']({ name: 'run1', split: 'dev' }),
    ).rejects.toMatchObject({ code: 'EVALUATION_NOT_FOUND' });
  });

  it('gives every preset for a corpus', async () => {
    const presets = await handlers()['experiments:presets']({ corpus: 'digits' });
    expect(presets.map((p) => p.name)).toEqual([...PRESET_NAMES]);
    expect(presets.map((p) => p.task)).toEqual(PRESET_NAMES.map(presetTask));
    expect(presets[0]?.config).toMatchObject({ corpus: 'digits' });
  });

  it('refuses names that are paths', () => {
    const schema = experimentRequests['experiments:get'].params;
    expect(schema.safeParse({ name: '../x' }).success).toBe(false);
    expect(schema.safeParse({ name: '..' }).success).toBe(false);
    expect(schema.safeParse({ name: '/etc' }).success).toBe(false);
    expect(schema.safeParse({ name: 'run1' }).success).toBe(true);
  });
});

/** 0.6 s: a low tone ("aa", 0.1-0.35 s) then a high one ("s", 0.35-0.55 s), silence around. */
function toneSentence(sampleRate: number, low: number, high: number): Float32Array {
  const samples = new Float32Array(Math.round(0.6 * sampleRate));
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    const f = t >= 0.1 && t < 0.35 ? low : t >= 0.35 && t < 0.55 ? high : 0;
    samples[i] = f > 0 ? 0.4 * Math.sin(2 * Math.PI * f * t) : 0.001 * Math.sin(i);
  }
  return samples;
}

describe('experiments:posteriorgram (a tiny phones model on tones)', () => {
  let root = '';
  let data = '';
  let recognizers: RecognizerCache;
  const api = (): ReturnType<typeof createExperimentHandlers> =>
    createExperimentHandlers({ dataDir: data } as HandlerContext, {
      recognizers,
      corpora: new CorpusCache(),
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'unfold-posteriorgram-'));
    data = join(root, 'data');
    const tiers: ToneTake['tiers'] = {
      words: [[0.1, 0.55, 'tone']],
      phones: [
        [0, 0.1, 'pau'],
        [0.1, 0.35, 'aa'],
        [0.35, 0.55, 's'],
        [0.55, 0.6, 'pau'],
      ],
    };
    const tones = [
      [300, 2000],
      [320, 2200],
      [280, 1900],
    ] as const;
    await importTonesCorpus(
      data,
      tones.map(([low, high], i) => ({
        name: `take${i}`,
        samples: toneSentence(16000, low, high),
        tiers,
      })),
    );
    await trainExperiment(
      tinyPhonesConfig('ph', 'tones', {
        data: { test: { splits: ['train'] } },
        model: { layers: [{ cell: 'gru', units: 8 }] },
        training: {
          epochs: 3,
          batchSize: 3,
          optimizer: { kind: 'adam', learningRate: 0.03 },
          bptt: { kind: 'full' },
        },
        medianWindow: 3,
      }),
      { dataDir: data },
    );
    await mkdir(join(data, 'recordings'), { recursive: true });
    await copyFile(
      join(data, 'corpora', 'tones', 'audio', 'ann-take0.wav'),
      join(data, 'recordings', 'take.wav'),
    );
  }, 120_000);
  beforeEach(() => {
    recognizers = new RecognizerCache({ load: loadRecognizer });
  });
  afterEach(() => recognizers.dispose());
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('gives the saved posteriors of an evaluated utterance with its tiers and timing', async () => {
    const result = await api()['experiments:posteriorgram']({
      name: 'ph',
      split: 'train',
      utteranceId: 'ann-take0',
    });
    expect(result.phones).toEqual(['aa', 'pau', 's']);
    expect(result.phoneClasses).toEqual([
      { name: 'vowels', phones: ['aa'] },
      { name: 'fricatives', phones: ['s'] },
      { name: 'silence', phones: ['pau'] },
    ]);
    // 0.6 s at 16 kHz, 25 ms frames every 10 ms.
    expect(result.frames).toBe(1 + Math.floor((9600 - 400) / 160));
    expect(result.posteriors).toHaveLength(result.frames * 3);
    expect(result.hopSeconds).toBeCloseTo(0.01, 9);
    expect(result.frameOffsetSeconds).toBeCloseTo(0.0125, 9);
    expect(result.audioPath).toBe('corpora/tones/audio/ann-take0.wav');
    expect(result.segment).toBeNull();
    expect(result.reference.map((t) => t.name)).toEqual(['words', 'phones']);
    expect(result.reference[1]?.intervals.map((i) => i.label)).toEqual(['pau', 'aa', 's', 'pau']);
    expect(result.decoded.name).toBe('decoded');
    expect(result.decoded.intervals.every((i) => i.label !== 'pau' && i.end > i.start)).toBe(true);
    expect(result.frameAccuracy).not.toBeNull();
    expect(result.frameAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.frameAccuracy).toBeLessThanOrEqual(1);
  });

  it('runs the model when there are no saved posteriors, with the same result', async () => {
    const saved = await api()['experiments:posteriorgram']({
      name: 'ph',
      split: 'train',
      utteranceId: 'ann-take1',
    });
    await rm(join(data, 'experiments', 'ph', 'eval', 'train', 'posteriors', 'ann-take1.npy'));
    const computed = await api()['experiments:posteriorgram']({
      name: 'ph',
      split: 'train',
      utteranceId: 'ann-take1',
    });
    expect(computed.frames).toBe(saved.frames);
    let maxDifference = 0;
    for (let i = 0; i < saved.posteriors.length; i++)
      maxDifference = Math.max(
        maxDifference,
        Math.abs((saved.posteriors[i] as number) - (computed.posteriors[i] as number)),
      );
    expect(maxDifference).toBeLessThan(1e-4);
    expect(computed.decoded).toEqual(saved.decoded);
    expect(computed.frameAccuracy).toBeCloseTo(saved.frameAccuracy ?? -1, 6);
  });

  it('runs the model instead of reading saved posteriors that are unreadable or older than the model', async () => {
    const request = { name: 'ph', split: 'train', utteranceId: 'ann-take2' };
    const saved = await api()['experiments:posteriorgram'](request);
    const npy = join(data, 'experiments', 'ph', 'eval', 'train', 'posteriors', 'ann-take2.npy');
    await writeFile(npy, 'not a numpy file');
    const fromModel = await api()['experiments:posteriorgram'](request);
    expect(fromModel.frames).toBe(saved.frames);
    expect(fromModel.decoded).toEqual(saved.decoded);
    // Posteriors saved before the model was written (a retrained model) are not used either.
    const zeros = new Float32Array(saved.frames * saved.phones.length);
    await writeFile(
      npy,
      encodeNpy({ data: zeros, frames: saved.frames, dims: saved.phones.length }),
    );
    const old = new Date(Date.now() - 60_000);
    await utimes(npy, old, old);
    const again = await api()['experiments:posteriorgram'](request);
    expect(again.posteriors.some((p) => p > 0)).toBe(true);
    expect(again.decoded).toEqual(saved.decoded);
  });

  it('gives a WAV of the data folder without reference, and refuses paths outside it', async () => {
    const result = await api()['experiments:posteriorgram']({
      name: 'ph',
      path: 'recordings/take.wav',
    });
    expect(result.utteranceId).toBeNull();
    expect(result.audioPath).toBe('recordings/take.wav');
    expect(result.reference).toEqual([]);
    expect(result.frameAccuracy).toBeNull();
    expect(result.frames).toBe(1 + Math.floor((9600 - 400) / 160));
    await expect(
      api()['experiments:posteriorgram']({ name: 'ph', path: '../outside.wav' }),
    ).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA' });
    await expect(
      api()['experiments:posteriorgram']({ name: 'ph', split: 'train', utteranceId: 'nobody' }),
    ).rejects.toMatchObject({ code: 'POSTERIORGRAM_NO_UTTERANCE' });
  });
});

describe('experiments:posteriorgram on a words experiment', () => {
  it('says posteriorgrams need a phones experiment', async () => {
    await expect(
      handlers()['experiments:posteriorgram']({ name: 'run1', split: 'test', utteranceId: 'u1' }),
    ).rejects.toMatchObject({ code: 'POSTERIORGRAM_WORDS_TASK' });
  });
});
