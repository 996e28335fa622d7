/**
 * Kim's CNN in the sentiment harness end to end: a tiny CNN (widths 3, 4, 5 over toy sentences
 * of 2 to 7 words, so many are shorter than the widest filter) learns the toy language fully,
 * its experiment keeps the convolution in its config and saved model, and `unfold eval` and
 * `unfold classify` (probabilities and leave-one-out attributions) work on it as on the RNN.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedText } from '../../src-main/api/sentiment';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { experimentModelFile } from '../../src-main/domain/experiments/experiment-folder';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { loadModel } from '../../src-main/domain/rnn/model-io';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toySentimentItems } from '../support/toy-sentiment';

let dataDir: string;
const NAME = 'toy-cnn';

/** The Kim CNN preset shrunk to the toy language. */
function tinyCnn(): Record<string, unknown> {
  const preset = presetConfig('sentiment-kim-cnn', 'toy', NAME);
  return {
    ...preset,
    words: { ...preset.words, embeddingSize: 16, wordDropout: 0 },
    model: { kind: 'cnn', widths: [3, 4, 5], filters: 8, dropout: 0.5 },
    training: {
      ...preset.training,
      epochs: 10,
      batchSize: 16,
      optimizer: { kind: 'adam', learningRate: 0.02, sparseEmbeddings: 'lazy' },
      earlyStoppingPatience: undefined,
    },
    seed: 3,
  };
}

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-sentiment-cnn-'));
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
  await trainExperiment(tinyCnn(), { dataDir, outDir: join(dataDir, 'experiments', NAME) });
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("Kim's CNN as a sentiment experiment", () => {
  it('learns the toy language to 100% on the test sentences and keeps the convolution in its config and model', async () => {
    const folder = join(dataDir, 'experiments', NAME);
    const metrics = JSON.parse(await readFile(join(folder, 'metrics.json'), 'utf8')) as {
      evaluations: Record<string, Record<string, unknown>>;
    };
    expect(metrics.evaluations.test).toMatchObject({ accuracy: 1, sentences: 60 });
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as {
      model: unknown;
    };
    expect(config.model).toEqual({ kind: 'cnn', widths: [3, 4, 5], filters: 8, dropout: 0.5 });
    const model = await loadModel(experimentModelFile(folder));
    expect(model.config).toMatchObject({
      layers: [],
      convolution: { widths: [3, 4, 5], filters: 8 },
      pooling: 'max',
      dropout: 0.5,
    });
    expect([...model.params.keys()].filter((name) => name.startsWith('encoder/'))).toEqual([
      'encoder/conv0/kernel',
      'encoder/conv0/bias',
      'encoder/conv1/kernel',
      'encoder/conv1/bias',
      'encoder/conv2/kernel',
      'encoder/conv2/bias',
    ]);
    model.dispose();
  });

  it('is evaluated by unfold eval like the recurrent classifier', async () => {
    const out = await cli(['eval', NAME]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/accuracy 100\.00% on 60 sentences; majority baseline/);
  });

  it('classifies text, a one-word text included, with the sentiment word most attributed (unfold classify --json)', async () => {
    const text = 'the plot was really awful and the actors';
    const out = await cli(['classify', NAME, text, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as ClassifiedText;
    expect(result.label).toBe('negative');
    expect(result.probabilities.reduce((n, p) => n + p.probability, 0)).toBeCloseTo(1, 5);
    const ranked = [...result.tokens].sort((a, b) => b.attribution - a.attribution);
    expect(ranked[0]?.text).toBe('awful');
    expect(ranked[0]?.attribution).toBeGreaterThan(0);
    // Leave-one-out: the attribution is the drop when the word becomes the unknown word, as an
    // unseen word is.
    const unknown = await cli(['classify', NAME, text.replace('awful', 'qwzx'), '--json']);
    const without = JSON.parse(unknown.stdout) as ClassifiedText;
    const negative = without.probabilities.find((p) => p.label === 'negative')?.probability;
    expect((result.probability as number) - (negative as number)).toBeCloseTo(
      ranked[0]?.attribution as number,
      5,
    );
    const oneWord = await cli(['classify', NAME, 'great', '--json']);
    expect(oneWord.exitCode, oneWord.stderr).toBe(0);
    expect((JSON.parse(oneWord.stdout) as ClassifiedText).label).toBe('positive');
  });
});
