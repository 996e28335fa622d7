/**
 * The language-model task end to end on toy corpora: a tiny LSTM learns a deterministic text to
 * near-zero loss (stateful truncated BPTT through the experiments module), a model's perplexity
 * on its own training text falls below the unigram's, the Kneser-Ney baseline is scored beside
 * it, and a trained model generates (greedy: always the same; sampled: the same for a seed) and
 * scores text from the domain and from `unfold generate` / `unfold score`, bad input included.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { evaluateExperiment } from '../../src-main/domain/experiments/evaluate-experiment';
import { loadLanguageModel } from '../../src-main/domain/text/lm/language-model';
import type { LmEvaluation } from '../../src-main/domain/text/lm/score-lm';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toySentences } from '../support/toy-grammar';

let dataDir: string;

const DETERMINISTIC = 'one two three four five six';
const repeated = (n: number): string[] => Array.from({ length: n }, () => DETERMINISTIC);
const toyLines = (count: number, seed: number): string[] =>
  toySentences(count, seed).map((words) => words.map((w) => w.form).join(' '));

async function plainCorpus(name: string, splits: Record<string, string[]>): Promise<void> {
  const data = new Map<string, TextSplit>(
    Object.entries(splits).map(([split, lines]) => [split, { format: 'plain', lines }]),
  );
  await createTextCorpus(join(dataDir, 'corpora', name), data, {
    name,
    format: 'plain',
    sourcePath: 'generated',
  });
}

function tinyLm(name: string, corpus: string, epochs: number): Record<string, unknown> {
  return {
    name,
    task: 'lm',
    corpus,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    words: { embeddingSize: 16 },
    model: { layers: [{ cell: 'lstm', units: 24 }] },
    training: {
      epochs,
      batchSize: 4,
      optimizer: { kind: 'adam', learningRate: 0.03 },
      bptt: { kind: 'truncated', window: 12 },
      clipNorm: 5,
    },
    baseline: { order: 3 },
    seed: 5,
  };
}

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-lm-'));
  await plainCorpus('counting', { train: repeated(40), dev: repeated(4), test: repeated(4) });
  await plainCorpus('toy', {
    train: toyLines(150, 31),
    dev: toyLines(20, 32),
    test: toyLines(20, 33),
  });
  await trainExperiment(tinyLm('counting-lm', 'counting', 25), {
    dataDir,
    outDir: join(dataDir, 'experiments', 'counting-lm'),
  });
  await trainExperiment(tinyLm('toy-lm', 'toy', 12), {
    dataDir,
    outDir: join(dataDir, 'experiments', 'toy-lm'),
  });
}, 170_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the language-model task', () => {
  it('learns a deterministic text to near-zero loss, with the state carried across windows', async () => {
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', 'counting-lm', 'metrics.json'), 'utf8'),
    ) as {
      training: { streams: number; final: { loss: number } };
      evaluations: Record<string, Record<string, number>>;
    };
    expect(metrics.training.streams).toBe(4);
    expect(metrics.training.final.loss).toBeLessThan(0.05);
    const test = metrics.evaluations.test as Record<string, number>;
    // 4 sentences of 6 words and their ends.
    expect(test.units).toBe(28);
    expect(test.perplexity).toBeLessThan(1.05);
    expect(test.perplexity).toBeGreaterThanOrEqual(1);
    // The unigram model cannot know the order: 7 equally frequent units.
    expect(test.unigramPerplexity).toBeGreaterThan(6);
  });

  it('scores its own training text below the unigram perplexity, with Kneser-Ney beside it', async () => {
    const evaluated = await evaluateExperiment(join(dataDir, 'experiments', 'toy-lm'), {
      dataDir,
      tasks: EXPERIMENT_TASK_REGISTRY,
      split: 'train',
    });
    const evaluation = evaluated.result as LmEvaluation;
    expect(evaluation.sentences).toBe(150);
    expect(evaluation.perplexity).toBeLessThan(evaluation.unigram.perplexity);
    expect(evaluation.kneserNey?.order).toBe(3);
    expect(evaluation.kneserNey?.perplexity).toBeLessThan(evaluation.unigram.perplexity);
    expect(evaluation.predictions).toHaveLength(150);
    const summed = evaluation.predictions.reduce((sum, p) => sum + p.logProb, 0);
    expect(Math.exp(-summed / evaluation.units)).toBeCloseTo(evaluation.perplexity, 6);
  });

  it('generates the same text greedily every time, and the same sample for a seed', async () => {
    const lm = await loadLanguageModel(join(dataDir, 'experiments', 'counting-lm'));
    try {
      const greedy = lm.generate({ units: 14, temperature: 0 });
      expect(greedy.text).toBe(`${DETERMINISTIC}\n${DETERMINISTIC}\n`);
      expect(lm.generate({ units: 14, temperature: 0 }).text).toBe(greedy.text);
      const continued = lm.generate({ prompt: 'three four', units: 3, temperature: 0 });
      expect(continued.units.map((u) => u.text)).toEqual(['five', 'six', '</s>']);
      const unknown = lm.generate({ prompt: 'seven', units: 1, temperature: 0 });
      expect(unknown.unknownPromptUnits).toEqual(['seven']);
      expect(unknown.promptUnits).toEqual(['<unk>']);
    } finally {
      lm.dispose();
    }
    const toy = await loadLanguageModel(join(dataDir, 'experiments', 'toy-lm'));
    try {
      const first = toy.generate({ units: 30, temperature: 1.5, seed: 7 });
      expect(toy.generate({ units: 30, temperature: 1.5, seed: 7 }).text).toBe(first.text);
      const others = [8, 9, 10].map((seed) => toy.generate({ units: 30, temperature: 1.5, seed }));
      expect(others.some((other) => other.text !== first.text)).toBe(true);
      const clamped = toy.generate({ units: 2, topK: 100_000, seed: 1 });
      expect(clamped.notes[0]).toMatch(/top-k 100000 is more than the \d+ units/);
      expect(() => toy.generate({ units: 2, temperature: -1 })).toThrow(/temperature/);
    } finally {
      toy.dispose();
    }
  });

  it('trains a character model on a corpus of one sentence', async () => {
    await plainCorpus('single', { train: ['Just one sentence here.'] });
    const result = await trainExperiment(
      {
        ...tinyLm('single-lm', 'single', 2),
        level: 'char',
        data: { train: { splits: ['train'] }, test: { splits: ['train'] } },
      },
      { dataDir, outDir: join(dataDir, 'experiments', 'single-lm') },
    );
    const evaluation = result.evaluation as LmEvaluation;
    // 23 characters and the sentence's end.
    expect(evaluation.units).toBe(24);
    expect(evaluation.bitsPerCharacter).toBeCloseTo(evaluation.crossEntropy / Math.LN2, 12);
    expect(result.headline).toBe(evaluation.bitsPerCharacter);
  });

  it('trains from `unfold train --task lm` with the default preset and flags on top', async () => {
    const out = await cli([
      'train',
      '--task',
      'lm',
      '--corpus',
      'counting',
      '--out',
      'cli-lm',
      '--epochs',
      '1',
      '--layers',
      '1',
      '--units',
      '8',
    ]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/perplexity [\d.]+ on 28 words of 4 sentences/);
    expect(out.stdout).toMatch(
      /Kneser-Ney 5-gram \(interpolated, modified discounts\): perplexity/,
    );
    const config = JSON.parse(
      await readFile(join(dataDir, 'experiments', 'cli-lm', 'config.json'), 'utf8'),
    ) as { model: { layers: { cell: string; units: number }[] }; training: { batchSize: number } };
    expect(config.model.layers).toEqual([{ cell: 'lstm', units: 8 }]);
    expect(config.training.batchSize).toBe(20);
  });

  it('prints the evaluation with `unfold eval`', async () => {
    const out = await cli(['eval', 'counting-lm']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/perplexity 1\.0\d on 28 words of 4 sentences/);
    expect(out.stdout).toMatch(/Kneser-Ney 3-gram/);
  });

  it('generates and scores from the command line, and refuses bad input clearly', async () => {
    const greedy = await cli([
      'generate',
      'counting-lm',
      '--prompt',
      'one two',
      '--tokens',
      '4',
      '--temperature',
      '0',
      '--json',
    ]);
    expect(greedy.exitCode).toBe(0);
    const generated = JSON.parse(greedy.stdout) as { units: { text: string }[] };
    expect(generated.units.map((u) => u.text)).toEqual(['three', 'four', 'five', 'six']);

    const streamed = await cli([
      'generate',
      'counting-lm',
      '--prompt',
      'one two',
      '--tokens',
      '5',
      '--temperature',
      '0',
    ]);
    expect(streamed.stdout).toBe('one two three four five six\n');
    const fromStart = await cli([
      'generate',
      'counting-lm',
      '--prompt',
      '',
      '--tokens',
      '2',
      '--temperature',
      '0',
    ]);
    expect(fromStart.stdout).toBe('one two\n');

    const text = join(dataDir, 'score.txt');
    await writeFile(text, 'one two three\n\nfour five six\n');
    const scored = await cli(['score', 'counting-lm', '--file', text]);
    expect(scored.exitCode).toBe(0);
    const lines = JSON.parse(scored.stdout) as {
      lines: { line: number; units: { text: string; logProb: number }[] }[];
    };
    expect(lines.lines.map((l) => l.line)).toEqual([1, 3]);
    expect(lines.lines[0]?.units.map((u) => u.text)).toEqual(['one', 'two', 'three', '</s>']);
    // "three" then the end of sentence: the model has always seen "four" after "three".
    expect(lines.lines[0]?.units[3]?.logProb).toBeLessThan(-1);
    expect(lines.lines[0]?.units[1]?.logProb).toBeGreaterThan(-0.1);

    const cold = await cli(['generate', 'counting-lm', '--temperature', '-0.5']);
    expect(cold.exitCode).not.toBe(0);
    expect(cold.stderr).toMatch(/temperature must be 0 \(greedy\) or more/);
    const wide = await cli([
      'generate',
      'counting-lm',
      '--top-k',
      '500',
      '--tokens',
      '3',
      '--seed',
      '2',
    ]);
    expect(wide.exitCode).toBe(0);
    expect(wide.stderr).toMatch(/top-k 500 is more than the 8 units/);

    const bad = join(dataDir, 'bad.txt');
    await writeFile(bad, Buffer.from([0x6f, 0x6e, 0x65, 0x0a, 0x74, 0xff, 0x6f, 0x0a]));
    const refused = await cli(['score', 'counting-lm', '--file', bad]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/bad\.txt:2: invalid UTF-8/);
  });
});
