/**
 * Attention pooling in the sentiment harness: a tiny BiLSTM pooled by attention learns the toy
 * language fully, its saved model keeps the attention parameters, and the loaded model gives a
 * sentence's attention weights (one per word, summing to 1) beside `unfold classify`'s answer.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedText } from '../../src-main/api/sentiment';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { experimentModelFile } from '../../src-main/domain/experiments/experiment-folder';
import { readTaskFile } from '../../src-main/domain/experiments/experiment-records';
import { disposeBatch, makeBatch, modelBatchOf } from '../../src-main/domain/rnn/batching';
import { loadModel } from '../../src-main/domain/rnn/model-io';
import { WORD_ENCODER_FILE, WordEncoder } from '../../src-main/domain/text/word-encoder';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toySentimentItems } from '../support/toy-sentiment';

let dataDir: string;
const NAME = 'toy-attention';

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-sentiment-attention-'));
  const splits = new Map<string, TextSplit>([
    ['train', { format: 'tsv', items: toySentimentItems(240, 21) }],
    ['dev', { format: 'tsv', items: toySentimentItems(30, 22) }],
    ['test', { format: 'tsv', items: toySentimentItems(60, 23) }],
  ]);
  await createTextCorpus(join(dataDir, 'corpora', 'toy'), splits, {
    name: 'toy',
    format: 'tsv',
    sourcePath: 'generated',
  });
  await trainExperiment(
    {
      name: NAME,
      task: 'sentiment',
      corpus: 'toy',
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      words: { embeddingSize: 16, wordDropout: 0 },
      model: {
        layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }],
        pooling: 'attention',
      },
      training: { epochs: 8, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
      seed: 3,
    },
    { dataDir, outDir: join(dataDir, 'experiments', NAME) },
  );
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('attention pooling as a sentiment experiment', () => {
  it('learns the toy language to 100% and keeps the attention parameters in its saved model', async () => {
    const folder = join(dataDir, 'experiments', NAME);
    const metrics = JSON.parse(await readFile(join(folder, 'metrics.json'), 'utf8')) as {
      evaluations: Record<string, Record<string, unknown>>;
    };
    expect(metrics.evaluations.test).toMatchObject({ accuracy: 1, sentences: 60 });
    const model = await loadModel(experimentModelFile(folder));
    expect(model.config.pooling).toBe('attention');
    expect(model.param('pooling/attention/kernel').shape).toEqual([32, 32]);
    expect(model.param('pooling/attention/vector').shape).toEqual([32, 1]);
    model.dispose();
  });

  it("gives a sentence's attention weights from the loaded model, and unfold classify its label", async () => {
    const folder = join(dataDir, 'experiments', NAME);
    const encoder = WordEncoder.fromBytes(
      (await readTaskFile(folder, WORD_ENCODER_FILE)) as Uint8Array,
      WORD_ENCODER_FILE,
    );
    const model = await loadModel(experimentModelFile(folder));
    const words = 'the plot was really awful'.split(' ');
    const batch = makeBatch(model.config, [
      { ...encoder.encode(words, { training: false }), length: words.length, target: 0 },
    ]);
    const weights = tf.tidy(() =>
      Array.from(
        model
          .forward(modelBatchOf(batch), { training: false, withAttention: true })
          .attention?.dataSync() ?? [],
      ),
    );
    disposeBatch(batch);
    model.dispose();
    expect(weights).toHaveLength(words.length);
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
    expect(weights.every((w) => w > 0)).toBe(true);

    const out = await cli(['classify', NAME, words.join(' '), '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as ClassifiedText).label).toBe('negative');
  });
});
