import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliOutput } from '../support/in-process-cli';
import { runInProcessCli } from '../support/in-process-cli';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { CELL_KINDS, EXPERIMENT_TASKS } from '../../src-main/domain/experiments/config/index';
import type { PhoneEvaluation } from '../../src-main/domain/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { HELD_OUT_SPLITS } from '../../src-main/domain/experiments/config/common-config';
import type { CrossValidationSummary } from '../../src-main/domain/experiments/cross-validation-summary';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { SENTIMENT_MODEL_PRESETS } from '../../src-main/domain/experiments/presets';
import { evaluateExperiment } from '../support/builtin-experiments';
import { synthesiseTinyWords } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { importTonesCorpus } from '../support/tones-corpus';
import { toySentimentItems } from '../support/toy-sentiment';

// `unfold train` and `unfold eval` through the experiments module: tasks and choice lists come
// from the config module, and an evaluation on another corpus is kept beside the experiment's
// own instead of replacing it.

const canSynthesise = await hasProgram('espeak-ng');

let root = '';
let dataDir = '';

/** Runs `unfold train|eval|recognize ...` in this process against the test's data folder. */
function runCli(args: string[]): Promise<CliOutput> {
  return runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);
}

interface Metrics {
  evaluations: Record<
    string,
    { corpus: string; split: string; utterances: number; accuracy: number } | undefined
  >;
}

async function metricsOf(dir: string): Promise<Metrics> {
  return JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as Metrics;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unfold-cli-train-eval-'));
  dataDir = join(root, 'data');
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('unfold train: the tasks and choices of the config module', () => {
  it('refuses a task that is not one of the tasks, naming them, before writing anything', async () => {
    const text = await runCli([
      'train',
      '--task',
      'summarisation',
      '--corpus',
      'words',
      '--out',
      'summarisation',
    ]);
    expect(text.exitCode).toBe(1);
    expect(EXPERIMENT_TASKS).toEqual(expect.arrayContaining(['words', 'phones', 'pos']));
    expect(text.stderr).toContain(
      `error [BAD_ARGUMENT]: --task must be one of ${EXPERIMENT_TASKS.join(', ')} (got summarisation).`,
    );
    const json = await runCli([
      'train',
      '--task',
      'summarisation',
      '--corpus',
      'words',
      '--out',
      'summarisation',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'BAD_ARGUMENT', message: expect.stringContaining('words, phones, pos') },
    });
    expect(existsSync(join(dataDir, 'experiments', 'summarisation'))).toBe(false);
  });

  it('refuses a config file with a field its task does not know, naming where it sits', async () => {
    const file = join(root, 'misplaced.json');
    const config = presetConfig('lm-word-lstm', 'ptb', 'misplaced');
    // tiedEmbeddings belongs at the top of an LM config, not under model.
    await writeFile(
      file,
      JSON.stringify({ ...config, model: { ...config.model, tiedEmbeddings: true } }),
    );
    const run = await runCli([
      'train',
      '--task',
      'lm',
      '--corpus',
      'ptb',
      '--config',
      file,
      '--out',
      'misplaced',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('BAD_EXPERIMENT_CONFIG');
    expect(run.stderr).toContain(
      'the lm task does not know, which would be ignored: model.tiedEmbeddings.',
    );
    expect(existsSync(join(dataDir, 'experiments', 'misplaced'))).toBe(false);
  });

  it("refuses a cell outside the config module's list, naming the list", async () => {
    const run = await runCli([
      'train',
      '--task',
      'words',
      '--corpus',
      'w',
      '--out',
      'x',
      '--cell',
      'tcn',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`--cell must be one of ${CELL_KINDS.join(', ')} (got tcn).`);
  });
});

describe.skipIf(!canSynthesise)('unfold train and eval on two corpora (espeak-ng voices)', () => {
  const exp = (): string => join(dataDir, 'experiments', 'exp');

  beforeAll(async () => {
    await synthesiseTinyWords(dataDir);
    await synthesiseTinyWords(dataDir, { name: 'other', pitchCents: [100] });
  });

  it('trains the preset with the flags laid over it', async () => {
    const run = await runCli([
      'train',
      '--task',
      'words',
      '--corpus',
      'words',
      '--out',
      'exp',
      '--epochs',
      '2',
      '--units',
      '8',
      '--features',
      'fbank',
      '--cmvn',
      'none',
      '--optimizer',
      'rmsprop',
      '--json',
    ]);
    expect(run.exitCode, run.stdout).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      dir: string;
      evaluation: { task: string; accuracy: number; utterances: number };
    };
    expect(printed.dir).toBe(exp());
    expect(printed.evaluation.task).toBe('words');
    const config = JSON.parse(await readFile(join(exp(), 'config.json'), 'utf8')) as {
      features: unknown;
      model: { layers: unknown };
      training: { epochs: number; optimizer: unknown };
    };
    const preset = presetConfig('small-words-lstm', 'words', 'exp');
    expect(config.features).toEqual({ kind: 'fbank', cmvn: 'none' });
    // Every layer of the preset keeps its direction; the optimizer keeps the preset's rate.
    expect(config.model.layers).toEqual(
      preset.model.layers.map((layer) => ({ ...layer, units: 8 })),
    );
    expect(config.training.epochs).toBe(2);
    expect(config.training.optimizer).toEqual({
      kind: 'rmsprop',
      learningRate: preset.training.optimizer.learningRate,
    });
  });

  it("eval on another corpus and split says so and keeps the experiment's own evaluation", async () => {
    const before = await metricsOf(exp());
    const ownPredictions = await readFile(join(exp(), 'eval', 'test', 'predictions.json'), 'utf8');
    expect(before.evaluations.test).toBeDefined();

    const text = await runCli(['eval', 'exp', '--corpus', 'other', '--split', 'train']);
    expect(text.exitCode, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe('evaluated on corpus other, split train');
    expect(lines[1]).toMatch(/^accuracy \d+\.\d\d% on \d+ utterances, macro F1 \d\.\d{3}$/);

    const after = await metricsOf(exp());
    expect(after.evaluations.test).toEqual(before.evaluations.test);
    expect(after.evaluations.train).toBeUndefined();
    const other = after.evaluations['other/train'];
    expect(other).toMatchObject({ corpus: join(dataDir, 'corpora', 'other'), split: 'train' });
    expect(other?.utterances).toBeGreaterThan(0);
    expect(lines[1]).toContain(`on ${other?.utterances} utterances`);
    expect(await readFile(join(exp(), 'eval', 'test', 'predictions.json'), 'utf8')).toBe(
      ownPredictions,
    );

    const json = await runCli(['eval', 'exp', '--corpus', 'other', '--split', 'train', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      task: 'words',
      utterances: other?.utterances,
      ref: { corpus: 'other', split: 'train' },
    });
  });

  it("eval on the experiment's own corpus names it and scores as training did", async () => {
    const { evaluations } = await metricsOf(exp());
    const text = await runCli(['eval', 'exp']);
    expect(text.stdout.split('\n')[0]).toBe(
      "evaluated on corpus words (the experiment's own), split test",
    );
    const json = JSON.parse((await runCli(['eval', 'exp', '--json'])).stdout) as {
      accuracy: number;
      ref: unknown;
    };
    expect(json.ref).toEqual({ corpus: null, split: 'test' });
    expect(json.accuracy).toBe(evaluations.test?.accuracy);
  });
});

describe('unfold eval --median-window', () => {
  const sampleRate = 16_000;
  /** Half a second of tone stepping up every 2,000 samples: a phone sequence with no speaker. */
  function steppedTone(): Float32Array {
    const samples = new Float32Array(sampleRate / 2);
    for (let j = 0; j < samples.length; j++)
      samples[j] =
        0.3 * Math.sin((2 * Math.PI * (200 + Math.floor(j / 2000) * 100) * j) / sampleRate);
    return samples;
  }

  it("decodes with the given window instead of the experiment's, leaving config.json as it is", async () => {
    await importTonesCorpus(
      dataDir,
      Array.from({ length: 4 }, (_, i) => ({
        name: `t${i}`,
        samples: steppedTone(),
        tiers: {
          phones: [
            [0, 0.125, 'aa'],
            [0.125, 0.25, 'iy'],
            [0.25, 0.5, 'uw'],
          ] as [number, number, string][],
        },
      })),
    );
    const tiny = join(root, 'tones.json');
    await writeFile(
      tiny,
      JSON.stringify(
        tinyPhonesConfig('ignored', 'tones', {
          data: { test: { splits: ['train'] } },
          training: { epochs: 1, bptt: { kind: 'full' } },
        }),
      ),
    );
    const trained = await runCli([
      'train',
      '--task',
      'phones',
      '--corpus',
      'tones',
      '--out',
      'tones-exp',
      '--config',
      tiny,
      '--json',
    ]);
    expect(trained.exitCode, trained.stdout).toBe(0);
    const dir = join(dataDir, 'experiments', 'tones-exp');
    const configBefore = await readFile(join(dir, 'config.json'), 'utf8');

    const byDomain = async (medianWindow: number): Promise<PhoneEvaluation['phoneErrorRate']> =>
      (
        (await evaluateExperiment(dir, {
          dataDir,
          configOverrides: { medianWindow },
        })) as PhoneEvaluation
      ).phoneErrorRate;
    // A window longer than a take (50 frames) leaves one phone of the three that the
    // experiment's window keeps, so the printed rate tells which window the CLI decoded with.
    const wide = await byDomain(101);
    expect(wide).not.toEqual(await byDomain(11));
    const printed = JSON.parse(
      (await runCli(['eval', 'tones-exp', '--median-window', '101', '--json'])).stdout,
    ) as { phoneErrorRate: unknown };
    expect(printed.phoneErrorRate).toEqual(wide);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(configBefore);

    const refused = await runCli(['eval', 'tones-exp', '--median-window', '0']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('--median-window must be a positive integer (got 0).');
  });
});

describe('unfold train --model and --folds (sentiment, a corpus of one split)', () => {
  beforeAll(async () => {
    await createTextCorpus(
      join(dataDir, 'corpora', 'reviews'),
      new Map<string, TextSplit>([['train', { format: 'tsv', items: toySentimentItems(120, 41) }]]),
      { name: 'reviews', format: 'tsv', sourcePath: 'generated' },
    );
  });

  const train = (...args: string[]): Promise<CliOutput> =>
    runCli(['train', '--task', 'sentiment', '--corpus', 'reviews', ...args]);

  it('refuses --model on another task, outside its choices, and beside --preset', async () => {
    const pos = await runCli([
      'train',
      '--task',
      'pos',
      '--corpus',
      'reviews',
      '--out',
      'p',
      '--model',
      'cnn',
    ]);
    expect(pos.exitCode).toBe(1);
    expect(pos.stderr).toContain(
      "error [BAD_ARGUMENT]: --model chooses the sentiment task's model (rnn or cnn); --task pos has no such choice",
    );
    const svm = await train('--out', 's', '--model', 'svm');
    expect(svm.stderr).toContain('--model must be one of rnn, cnn (got svm).');
    const both = await train('--out', 's', '--model', 'cnn', '--preset', 'sentiment-bilstm-max');
    expect(both.stderr).toContain(
      'Give --model or --preset, not both (--model cnn is the sentiment-kim-cnn preset).',
    );
    const one = await train('--out', 's', '--folds', '1');
    expect(one.stderr).toContain('--folds must be 2 to 100 (got 1).');
    expect(existsSync(join(dataDir, 'experiments', 's'))).toBe(false);
  });

  it('--model rnn trains the BiLSTM preset on a held-out 10% of the one split', async () => {
    const run = await train(
      '--out',
      'rnn',
      '--model',
      'rnn',
      '--epochs',
      '1',
      '--units',
      '8',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = join(dataDir, 'experiments', 'rnn');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
      model: { layers: { units: number }[] };
      data: { heldOut: unknown };
    };
    const preset = presetConfig(SENTIMENT_MODEL_PRESETS.rnn, 'reviews', 'rnn').model;
    const layers = 'layers' in preset ? preset.layers : [];
    expect(layers.length).toBeGreaterThan(0);
    expect(config.model).toMatchObject({
      ...preset,
      layers: layers.map((layer) => ({ ...layer, units: 8 })),
    });
    expect(config.data.heldOut).toMatchObject({ folds: 10, testFold: 1 });
    const metrics = await metricsOf(dir);
    expect(Object.keys(metrics.evaluations)).toEqual([HELD_OUT_SPLITS.test]);
  });

  it('--folds 2 --model cnn cross-validates; eval prints the folds and mean ± sd; --resume keeps them', async () => {
    const run = await train(
      '--out',
      'cv',
      '--folds',
      '2',
      '--model',
      'cnn',
      '--epochs',
      '1',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      experiments: string[];
      summary: CrossValidationSummary;
    };
    expect(printed.experiments).toEqual(['cv-fold-1', 'cv-fold-2']);
    const accuracies: number[] = [];
    for (const name of printed.experiments) {
      const dir = join(dataDir, 'experiments', name);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
        model: { kind: string };
      };
      expect(config.model.kind).toBe('cnn');
      accuracies.push((await metricsOf(dir)).evaluations[HELD_OUT_SPLITS.test]?.accuracy ?? NaN);
    }
    const mean = (accuracies[0]! + accuracies[1]!) / 2;
    expect(printed.summary.mean.accuracy).toBeCloseTo(mean, 12);
    expect(printed.summary.sd.accuracy).toBeCloseTo(
      Math.abs(accuracies[0]! - accuracies[1]!) / Math.SQRT2,
      12,
    );

    const shown = await runCli(['eval', 'cv']);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('cross-validation');
    expect(shown.stdout).toMatch(/^ +1 +cv-fold-1 /m);
    expect(shown.stdout).toMatch(/^ +2 +cv-fold-2 /m);
    expect(shown.stdout).toContain(
      `  accuracy ${mean.toFixed(4)} ± ${printed.summary.sd.accuracy?.toFixed(4)}`,
    );
    const asJson = JSON.parse((await runCli(['eval', 'cv', '--json'])).stdout) as {
      summary: CrossValidationSummary;
      unfinished: string | null;
    };
    expect(asJson.summary).toEqual(printed.summary);
    expect(asJson.unfinished).toBeNull();
    const split = await runCli(['eval', 'cv', '--split', 'train']);
    expect(split.exitCode).toBe(1);
    expect(split.stderr).toContain('cv is a cross-validation: --split evaluate one experiment.');

    const changed = await runCli(['train', '--out', 'cv', '--resume', '--epochs', '3']);
    expect(changed.stderr).toContain('--epochs would change it');
    const resumed = await runCli(['train', '--out', 'cv', '--resume', '--json']);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(
      (JSON.parse(resumed.stdout) as { summary: CrossValidationSummary }).summary.results,
    ).toEqual(printed.summary.results);
    const again = await train('--out', 'cv', '--folds', '2');
    expect(again.stderr).toContain('already holds a cross-validation');
  });
});
