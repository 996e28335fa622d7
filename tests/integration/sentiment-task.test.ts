/**
 * The sentiment task end to end: a tiny classifier learns a toy language fully, is evaluated
 * with every figure the task reports (from the domain and `unfold eval`), classifies new text
 * with probabilities and leave-one-out attributions (`unfold classify`), and bad input gets
 * clear reports.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedText } from '../../src-main/api/sentiment';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { LabelledText } from '../../src-main/domain/corpus/formats/tsv';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { evaluateExperiment } from '../../src-main/domain/experiments/evaluate-experiment';
import type { SentimentEvaluation } from '../../src-main/domain/text/sentiment/score-sentiment';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toyConllu, toySentences } from '../support/toy-grammar';
import { toySentimentItems } from '../support/toy-sentiment';

let dataDir: string;

function tinyClassifier(name: string, corpus: string): Record<string, unknown> {
  return {
    name,
    task: 'sentiment',
    corpus,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    words: { embeddingSize: 16, wordDropout: 0 },
    model: {
      layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }],
      pooling: 'max',
    },
    training: { epochs: 8, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
    seed: 3,
  };
}

async function tsvCorpus(name: string, splits: Record<string, LabelledText[]>): Promise<void> {
  const data = new Map<string, TextSplit>(
    Object.entries(splits).map(([split, items]) => [split, { format: 'tsv', items }]),
  );
  await createTextCorpus(join(dataDir, 'corpora', name), data, {
    name,
    format: 'tsv',
    sourcePath: 'generated',
  });
}

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

const train = toySentimentItems(240, 21);
// Two test sentences are copied from training; short toy sentences also repeat by chance.
const test = [...toySentimentItems(58, 23), train[0] as LabelledText, train[1] as LabelledText];
const trainingTexts = new Set(train.map((t) => t.text));
const duplicates = test
  .map((t, i) => ({ id: `test-${i + 1}`, text: t.text }))
  .filter((t) => trainingTexts.has(t.text));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-sentiment-'));
  await tsvCorpus('toy', { train, dev: toySentimentItems(30, 22), test });
  await trainExperiment(tinyClassifier('toy-sentiment', 'toy'), {
    dataDir,
    outDir: join(dataDir, 'experiments', 'toy-sentiment'),
  });
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the sentiment task', () => {
  it('learns the toy language to 100% on the test sentences, beside its majority baseline', async () => {
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', 'toy-sentiment', 'metrics.json'), 'utf8'),
    ) as { evaluations: Record<string, Record<string, unknown>> };
    expect(metrics.evaluations.test).toMatchObject({ accuracy: 1, sentences: 60 });
    const evaluated = await evaluateExperiment('toy-sentiment', {
      dataDir,
      tasks: EXPERIMENT_TASK_REGISTRY,
      split: 'test',
    });
    const result = evaluated.result as SentimentEvaluation;
    expect(result.confusion.labels).toEqual(['negative', 'positive']);
    const [negatives, positives] = result.confusion.counts;
    expect(negatives?.[1]).toBe(0);
    expect(positives?.[0]).toBe(0);
    expect((negatives?.[0] ?? 0) + (positives?.[1] ?? 0)).toBe(60);
    const trainPositives = train.filter((t) => t.label === 'positive').length;
    const majority = trainPositives * 2 > train.length ? 'positive' : 'negative';
    expect(result.majorityBaseline?.label).toBe(majority);
    expect(result.majorityBaseline?.accuracy).toBeGreaterThan(0.2);
    expect(result.majorityBaseline?.accuracy).toBeLessThan(0.8);
    expect(result.report.perClass.map((c) => c.f1)).toEqual([1, 1]);
    expect(duplicates.length).toBeGreaterThan(2);
    expect(result.duplicatesOfTraining).toEqual({
      count: duplicates.length,
      examples: duplicates.slice(0, 5).map((d) => `${d.id}: ${d.text}`),
    });
    expect(result.predictions.filter((p) => p.inTraining).map((p) => p.utteranceId)).toEqual(
      duplicates.map((d) => d.id),
    );
  });

  it('prints accuracy, the majority baseline, per-class scores, the confusion and duplicates (unfold eval)', async () => {
    const out = await cli(['eval', 'toy-sentiment']);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /accuracy 100\.00% on 60 sentences; majority baseline \d+\.\d+% \(always "(positive|negative)"\)/,
    );
    expect(out.stdout).toContain(
      `${duplicates.length} evaluated sentences are training sentences too, e.g. ${duplicates[0]?.id}: ${duplicates[0]?.text} |`,
    );
    expect(out.stdout).toMatch(/ {2}negative +1\.000 \/ 1\.000 \/ 1\.000 {2}\d+/);
    expect(out.stdout).toMatch(/ {2}positive +0 +\d+\n/);
  });

  it('classifies text with every label probability and the sentiment word most attributed (unfold classify --json)', async () => {
    const text = 'the plot was really awful and the actors';
    const out = await cli(['classify', 'toy-sentiment', text, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as ClassifiedText;
    expect(result.label).toBe('negative');
    expect(result.probabilities.map((p) => p.label)).toEqual(['negative', 'positive']);
    const sum = result.probabilities.reduce((n, p) => n + p.probability, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(result.probability).toBe(result.probabilities[0]?.probability);
    expect(result.tokens.map((t) => t.text)).toEqual(text.split(' '));
    for (const token of result.tokens) expect(text.slice(token.start, token.end)).toBe(token.text);
    const ranked = [...result.tokens].sort((a, b) => b.attribution - a.attribution);
    expect(ranked[0]?.text).toBe('awful');
    expect(ranked[0]?.attribution).toBeGreaterThan(0.3);

    const positive = await cli(['classify', 'toy-sentiment', 'a great story', '--json']);
    const great = JSON.parse(positive.stdout) as ClassifiedText;
    expect(great.label).toBe('positive');
    expect([...great.tokens].sort((a, b) => b.attribution - a.attribution)[0]?.text).toBe('great');
  });

  it('classifies a file one line per input line, an empty line included', async () => {
    const file = join(dataDir, 'lines.txt');
    await writeFile(file, 'good film\n\nthe story was bad\n');
    const out = await cli(['classify', 'toy-sentiment', '--file', file]);
    expect(out.exitCode, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^positive 0\.\d{3} \(negative 0\.\d{3}\)\tgood film$/);
    expect(lines[1]).toBe('(no words)\t');
    expect(lines[2]).toMatch(/^negative .*\tthe story was bad$/);
    const json = await cli(['classify', 'toy-sentiment', '--file', file, '--json']);
    const results = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ClassifiedText);
    expect(results.map((r) => r.label)).toEqual(['positive', null, 'negative']);
  });

  it('answers empty text with a clear error and punctuation alone with a label, never a crash', async () => {
    const empty = await cli(['classify', 'toy-sentiment', '  ']);
    expect(empty.exitCode).not.toBe(0);
    expect(empty.stderr).toContain('The text to classify is empty.');
    const punctuation = await cli(['classify', 'toy-sentiment', '?!', '--json']);
    expect(punctuation.exitCode, punctuation.stderr).toBe(0);
    const result = JSON.parse(punctuation.stdout) as ClassifiedText;
    expect(['negative', 'positive']).toContain(result.label);
    expect(result.tokens.length).toBeGreaterThan(0);
    expect(result.tokens.every((t) => t.unseen)).toBe(true);
    const oneWord = await cli(['classify', 'toy-sentiment', 'great', '--json']);
    expect((JSON.parse(oneWord.stdout) as ClassifiedText).label).toBe('positive');
  });

  it('reports a test label training never had, counted wrong, instead of crashing', async () => {
    await tsvCorpus('toy-neutral', {
      test: [...toySentimentItems(8, 31), { label: 'neutral', text: 'the film was a film' }],
    });
    const out = await cli([
      'eval',
      'toy-sentiment',
      '--corpus',
      'toy-neutral',
      '--split',
      'test',
      '--json',
    ]);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      goldLabelsOutsideModel: Record<string, number>;
      accuracy: number;
      confusion: { labels: string[] };
    };
    expect(result.goldLabelsOutsideModel).toEqual({ neutral: 1 });
    expect(result.accuracy).toBeCloseTo(8 / 9);
    expect(result.confusion.labels).toEqual(['negative', 'positive', 'neutral']);
  });

  it('refuses a CoNLL-U corpus, naming the formats that work, and a corpus of one label', async () => {
    await createTextCorpus(
      join(dataDir, 'corpora', 'treebank'),
      new Map<string, TextSplit>([
        ['train', { format: 'conllu', sentences: toyConllu(toySentences(5, 1), 'train') }],
      ]),
      { name: 'treebank', format: 'conllu', sourcePath: 'generated' },
    );
    const refused = await cli([
      'train',
      '--task',
      'sentiment',
      '--corpus',
      'treebank',
      '--out',
      'nope',
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(
      /treebank is a conllu text corpus: sentence classification needs sentences with labels .*--format tsv.*--format polarity/,
    );
    await tsvCorpus('one-label', {
      train: [{ label: 'positive', text: 'good' }],
      test: [{ label: 'positive', text: 'great' }],
    });
    const oneLabel = await cli([
      'train',
      '--task',
      'sentiment',
      '--corpus',
      'one-label',
      '--out',
      'nope2',
      '--dev-split',
      'none',
    ]);
    expect(oneLabel.exitCode).not.toBe(0);
    expect(oneLabel.stderr).toContain('only the label "positive": a classifier needs two or more');
  });
});
