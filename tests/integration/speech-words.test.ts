import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAudioFile } from '../../src-main/domain/audio/wav';
import { EnergyVad } from '../../src-main/domain/audio/vad';
import { synthesiseWords } from '../../src-main/domain/corpus';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import {
  accuracy,
  accuracyByGroup,
  classificationReport,
  confusionMatrix,
} from '../../src-main/domain/metrics';
import { loadRecognizer } from '../../src-main/domain/speech';
import type { WordPrediction } from '../../src-main/domain/speech';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import { evaluateExperiment, trainExperiment } from '../support/builtin-experiments';
import { recognizeWordsFromRecorder } from '../../src-main/domain/speech/live';
import type { LiveWordResult } from '../../src-main/domain/speech/live';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';

const canSynthesise = await hasProgram('espeak-ng');
const hasArecord = await hasProgram('arecord');
const WORDS = ['yes', 'no', 'stop'];

let root = '';
let dataDir = '';

function smallConfig(name: string): ExperimentConfigInput {
  return {
    name,
    task: 'words',
    corpus: 'words',
    data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
    features: { kind: 'mfcc', cmvn: 'utterance' },
    model: { layers: [{ cell: 'gru', units: 16 }], pooling: 'mean' },
    training: { epochs: 5, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.01 } },
    seed: 3,
  };
}

async function runCli(args: string[]): Promise<string> {
  let out = '';
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    const program = new Command().exitOverride();
    registerSpeechCommands(program);
    await program.parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

describe.skipIf(!canSynthesise)('speech: isolated words end to end (espeak-ng voices)', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'unfold-speech-words-'));
    dataDir = join(root, 'data');
    // 3 voices x 3 words x 2 rates x 2 pitches = 36 utterances, split by voice.
    await synthesiseWords(join(dataDir, 'corpora', 'words'), {
      name: 'words',
      words: WORDS,
      engines: ['espeak-ng'],
      voices: ['en-us', 'en-us+f3', 'en+m3'],
      stretches: [0.9, 1.1],
      pitchCents: [0, 200],
      fractions: { train: 0.67, test: 0.33 },
      seed: 1,
    });
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('trains, writes a self-describing experiment and scores it consistently', async () => {
    const progress: number[] = [];
    const result = await trainExperiment(smallConfig('w1'), {
      dataDir,
      onProgress: (p) => progress.push(p.fraction ?? -1),
    });
    const dir = join(dataDir, 'experiments', 'w1');
    expect(result.dir).toBe(dir);
    for (const f of [
      'config.json',
      'labels.json',
      'model/model.json',
      'model/weights.bin',
      'log.jsonl',
      'metrics.json',
      'eval/test/predictions.json',
      'eval/test/confusion.json',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(result.labels).toEqual([...WORDS].sort());
    expect(progress[progress.length - 1]).toBe(1);

    const log = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch?: number });
    expect(log.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(log.map((l) => l.type)).toEqual([
      'start',
      ...Array<string>(5).fill('epoch'),
      'end',
      'evaluation',
    ]);

    // Recompute every figure from the per-utterance predictions with the metric functions.
    const { predictions } = JSON.parse(
      await readFile(join(dir, 'eval/test/predictions.json'), 'utf8'),
    ) as { predictions: WordPrediction[] };
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as {
      evaluations: {
        test: { accuracy: number; utterances: number; macroF1: number; perSpeaker: unknown };
      };
    };
    const ref = predictions.map((p) => p.reference);
    const hyp = predictions.map((p) => p.predicted);
    expect(predictions.length).toBeGreaterThan(0);
    expect(metrics.evaluations.test.utterances).toBe(predictions.length);
    expect(metrics.evaluations.test.accuracy).toBeCloseTo(accuracy(ref, hyp), 12);
    const confusion = JSON.parse(await readFile(join(dir, 'eval/test/confusion.json'), 'utf8')) as {
      labels: string[];
      counts: number[][];
    };
    expect(confusion).toEqual(confusionMatrix(ref, hyp, result.labels));
    expect(confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(predictions.length);
    expect(metrics.evaluations.test.macroF1).toBeCloseTo(
      classificationReport(confusion).macroF1,
      12,
    );
    expect(metrics.evaluations.test.perSpeaker).toEqual(
      accuracyByGroup(
        ref,
        hyp,
        predictions.map((p) => p.speaker),
      ),
    );
    for (const p of predictions) {
      expect(existsSync(p.audioPath)).toBe(true);
      expect(p.top).toHaveLength(3);
      expect(p.top[0]?.probability).toBeGreaterThanOrEqual(p.top[1]?.probability ?? 0);
      expect(p.correct).toBe(p.reference === p.predicted);
    }

    // Re-running from config.json gives the same numbers on the same backend.
    const config = JSON.parse(
      await readFile(join(dir, 'config.json'), 'utf8'),
    ) as ExperimentConfigInput;
    const again = await trainExperiment({ ...config, name: 'w1-again' }, { dataDir });
    expect(again.training.history.map((h) => h.loss)).toEqual(
      result.training.history.map((h) => h.loss),
    );
    const againPredictions = JSON.parse(
      await readFile(join(again.dir, 'eval/test/predictions.json'), 'utf8'),
    ) as { predictions: WordPrediction[] };
    expect(againPredictions.predictions.map((p) => p.probability)).toEqual(
      predictions.map((p) => p.probability),
    );
  });

  it('recognises a file and a live word cut by the voice-activity detector', async () => {
    const dir = join(dataDir, 'experiments', 'w1');
    const recognizer = await loadRecognizer(dir);
    const { predictions } = JSON.parse(
      await readFile(join(dir, 'eval/test/predictions.json'), 'utf8'),
    ) as { predictions: WordPrediction[] };
    const sample = predictions[0] as WordPrediction;
    const audio = await readAudioFile(sample.audioPath);
    const result = await recognizer.recognizeWord(audio);
    // The same audio gives the same probabilities as the batch evaluation.
    expect(result.top[0]?.label).toBe(sample.predicted);
    expect(result.probability).toBeCloseTo(sample.probability, 4);
    expect(result.word).toBe(result.notSure ? 'not sure' : sample.predicted);

    // Fake microphone: silence, a word the model got right in training (a voice it was
    // trained on), silence, in 100 ms chunks through the energy VAD that cuts the word.
    const onTrain = await evaluateExperiment(dir, { dataDir, split: 'train' });
    const known = (onTrain.predictions as WordPrediction[]).find(
      (p) => p.correct && p.probability > 0.8,
    );
    expect(known).toBeDefined();
    const word = await readAudioFile((known as WordPrediction).audioPath);
    const recorder = new EventEmitter();
    const results: LiveWordResult[] = [];
    const detach = recognizeWordsFromRecorder(recorder, recognizer, (r) => results.push(r));
    const rate = word.sampleRate;
    const pcm = new Int16Array(rate + word.samples.length + rate);
    word.samples.forEach((s, i) => (pcm[rate + i] = Math.round(s * 32767)));
    const vad = new EnergyVad(rate);
    for (let start = 0; start < pcm.length; start += rate / 10) {
      const chunk = pcm.subarray(start, start + rate / 10);
      recorder.emit('chunk', { pcm: chunk, startSample: start, sampleRate: rate });
      for (const event of vad.push(chunk)) recorder.emit('vad', event);
    }
    await vi.waitFor(() => expect(results).toHaveLength(1));
    detach();
    expect(results[0]?.top[0]?.label).toBe((known as WordPrediction).reference);
    expect(results[0]?.startSeconds).toBeGreaterThan(0.8);
    expect(results[0]?.latencyMs).toBeGreaterThan(0);
    recognizer.dispose();
  });

  it.runIf(hasArecord)(
    'recognises a word from a fake ALSA microphone (unfold recognize --live)',
    async () => {
      const dir = join(dataDir, 'experiments', 'w1');
      const { predictions } = JSON.parse(
        await readFile(join(dir, 'eval/train/predictions.json'), 'utf8'),
      ) as { predictions: WordPrediction[] };
      const known = predictions.find((p) => p.correct && p.probability > 0.8) as WordPrediction;
      const word = await readAudioFile(known.audioPath);
      // Raw S16_LE 16 kHz mono: 0.5 s of silence, the word, 2 s of silence.
      const rate = word.sampleRate;
      const pcm = new Int16Array(rate / 2 + word.samples.length + 2 * rate);
      word.samples.forEach((v, i) => (pcm[rate / 2 + i] = Math.round(v * 32767)));
      const raw = join(root, 'mic.raw');
      await writeFile(raw, new Uint8Array(pcm.buffer));
      await mkdir(join(root, 'alsa'), { recursive: true });
      await writeFile(
        join(root, 'alsa', 'asoundrc'),
        `pcm.fakemic { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }\n`,
      );
      const saved = process.env.XDG_CONFIG_HOME;
      process.env.XDG_CONFIG_HOME = root; // arecord is spawned with process.env
      try {
        const out = await runCli([
          'recognize',
          'w1',
          '--live',
          '--device',
          'fakemic',
          '--data',
          dataDir,
          '--json',
        ]);
        const result = JSON.parse(out.trim().split('\n')[0] ?? '{}') as {
          top: { label: string }[];
          latencyMs: number;
        };
        expect(result.top[0]?.label).toBe(known.reference);
        expect(result.latencyMs).toBeLessThan(5000);
      } finally {
        process.env.XDG_CONFIG_HOME = saved;
      }
    },
  );

  it('stops training with CANCELLED when the signal fires', async () => {
    const controller = new AbortController();
    const run = trainExperiment(smallConfig('cancelled'), {
      dataDir,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.message?.startsWith('epoch 2')) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(join(dataDir, 'experiments', 'cancelled', 'model', 'model.json'))).toBe(
      false,
    );
  });

  it('runs unfold train, eval and recognize', async () => {
    const trained = JSON.parse(
      await runCli([
        'train',
        '--task',
        'words',
        '--corpus',
        'words',
        '--out',
        'cli',
        '--epochs',
        '1',
        '--units',
        '8',
        '--cell',
        'lstm',
        '--seed',
        '2',
        '--data',
        dataDir,
        '--json',
      ]),
    ) as { dir: string; evaluation: { accuracy: number; utterances: number } };
    expect(trained.dir).toBe(join(dataDir, 'experiments', 'cli'));
    const config = JSON.parse(await readFile(join(trained.dir, 'config.json'), 'utf8')) as {
      model: { layers: { cell: string; units: number }[] };
      training: { epochs: number };
      seed: number;
    };
    expect(config.model.layers).toEqual([{ cell: 'lstm', units: 8, bidirectional: 'concat' }]);
    expect(config.training.epochs).toBe(1);
    expect(config.seed).toBe(2);
    const evaluated = JSON.parse(await runCli(['eval', 'cli', '--data', dataDir, '--json'])) as {
      accuracy: number;
      utterances: number;
    };
    expect(evaluated.accuracy).toBe(trained.evaluation.accuracy);
    const { predictions } = JSON.parse(
      await readFile(join(trained.dir, 'eval/test/predictions.json'), 'utf8'),
    ) as { predictions: WordPrediction[] };
    const recognised = JSON.parse(
      await runCli([
        'recognize',
        'cli',
        (predictions[0] as WordPrediction).audioPath,
        '--data',
        dataDir,
        '--json',
      ]),
    ) as { segmentation: string; words: { top: { label: string }[] }[] };
    // One isolated word is classified whole, as the evaluation did.
    expect(recognised.segmentation).toBe('whole-file');
    expect(recognised.words[0]?.top[0]?.label).toBe((predictions[0] as WordPrediction).predicted);
    const failed = await runCli(['eval', 'nope', '--data', dataDir, '--json']);
    expect(JSON.parse(failed)).toMatchObject({ error: { code: 'EXPERIMENT_NOT_FOUND' } });
    process.exitCode = 0;
  });
});
