/**
 * Sentence sentiment on movie-review polarity (issue 13), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/sentiment-mr.ts [--data ../shared/data/movie-review-polarity]
 *     [--work DIR] [--model rnn|cnn|both] [--folds K] [--epochs N] [--seeds N] [--no-fixed]
 *     [--no-cv] [--patch JSON] [--tag NAME]   (--patch is deep-merged into both presets' config,
 *                                              see patch.ts; --tag names the runs of a patch)
 *
 * Imports rt-polarity.pos/.neg with the polarity importer (one `train` split, 90% of MR: the
 * other 10% is not in ../shared) into a data folder under the work folder and, for each model
 * (`--model`: the presets behind `unfold train --model`) and each seed 1..N (`--seeds`, the
 * model's seed: initialisation, shuffling, dropout), reports
 * - accuracy on the fixed 10% split: the declared held-out default (fold 1 of 10, dev carved
 *   from the rest, the split's own seed fixed), as `unfold train --task sentiment` runs it;
 * - K-fold cross-validation (default 10): mean, sample sd and every fold's accuracy, dev for
 *   early stopping carved from the training folds.
 * With two seeds or more, the fixed split also gets the seeds' ensemble: each test sentence's
 * label probabilities averaged over the models of seeds 1..k, for every k (`fixedSplitEnsemble`).
 * Words are learned from scratch (no pre-trained vectors). `--epochs` overrides the presets'
 * (early stopping on dev still applies). Without the data it prints {"skipped": reason} and
 * exits 0.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { importCorpus } from '../../src-main/domain/corpus';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { crossValidate } from '../../src-main/domain/experiments/cross-validation';
import { meanOf, sampleSd } from '../../src-main/domain/experiments/cross-validation-summary';
import { presetConfig, SENTIMENT_MODEL_PRESETS } from '../../src-main/domain/experiments/presets';
import type { Progress } from '../../src-main/domain/jobs/progress';
import type { SentimentEvaluation } from '../../src-main/domain/text/sentiment/score-sentiment';
import { trainExperiment } from '../support/builtin-experiments';
import { deepMerge, parsePatch } from './patch';

type Model = keyof typeof SENTIMENT_MODEL_PRESETS;
const MODELS = Object.keys(SENTIMENT_MODEL_PRESETS) as Model[];
const CORPUS = 'mr';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/movie-review-polarity' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-sentiment-mr') },
    model: { type: 'string', default: 'both' },
    folds: { type: 'string', default: '10' },
    epochs: { type: 'string' },
    seeds: { type: 'string', default: '1' },
    'no-fixed': { type: 'boolean', default: false },
    'no-cv': { type: 'boolean', default: false },
    patch: { type: 'string' },
    tag: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const models: Model[] =
  values.model === 'both'
    ? MODELS
    : (MODELS as string[]).includes(values.model)
      ? [values.model as Model]
      : fail(`--model must be ${MODELS.join(', ')} or both (got ${values.model})`);
const folds = Number(values.folds);
const seedCount = Number(values.seeds);
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
if (!Number.isInteger(folds) || folds < 2) fail(`--folds must be an integer of 2 or more`);
if (!Number.isInteger(seedCount) || seedCount < 1) fail('--seeds must be a positive integer');
if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0))
  fail('--epochs must be a positive integer');

const source = resolve(values.data);
const missing = ['rt-polarity.pos', 'rt-polarity.neg'].filter((f) => !existsSync(join(source, f)));
if (missing.length > 0) {
  process.stdout.write(
    JSON.stringify(
      { skipped: `movie-review polarity not found: no ${missing.join(' or ')} in ${source}` },
      null,
      2,
    ) + '\n',
  );
  process.exit(0);
}

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const dataDir = resolve(values.work);
await mkdir(dataDir, { recursive: true });
const corpusDir = join(dataDir, 'corpora', CORPUS);
if (!existsSync(join(corpusDir, 'corpus.json')))
  await importCorpus({ format: 'polarity', source, outDir: corpusDir, name: CORPUS });

/** One progress line on stderr every 30 s at most, so a long run shows it is alive. */
function progressLines(what: string): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    const fraction = p.fraction ?? 0;
    if (now - last < 30_000 && fraction < 1) return;
    last = now;
    process.stderr.write(`${what}: ${(fraction * 100).toFixed(1)}% ${p.message ?? ''}\n`);
  };
}

const patch = parsePatch(values.patch);
if (values.patch && !values.tag)
  fail('--patch needs --tag NAME, so its runs do not replace the preset runs');

function configOf(model: Model, name: string, seed: number): Record<string, unknown> {
  const base = presetConfig(SENTIMENT_MODEL_PRESETS[model], CORPUS, name);
  return deepMerge(
    {
      ...base,
      training: { ...base.training, ...(epochs !== undefined ? { epochs } : {}) },
      seed,
    },
    patch,
  );
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));
const seconds = (since: number): number => Math.round((performance.now() - since) / 1000);

/** Each fixed-split run's test predictions, for the seeds' ensemble. */
type Predictions = SentimentEvaluation['predictions'];

/**
 * Accuracy of the ensembles of the first 1, 2, ... runs: each sentence's label probabilities
 * averaged over the runs, the most probable label (label order breaks a tie) against gold.
 */
function ensembleAccuracies(runs: Predictions[]): Array<{ models: number; accuracy: number }> {
  const first = runs[0] ?? [];
  const labels = [...new Set(first.flatMap((p) => p.top.map((t) => t.label)))].sort();
  const sums = new Map(first.map((p) => [p.utteranceId, new Float64Array(labels.length)]));
  return runs.map((predictions, r) => {
    if (predictions.length !== first.length)
      throw new Error(`run ${r + 1} scored ${predictions.length} sentences, run 1 ${first.length}`);
    for (const p of predictions) {
      const sum = sums.get(p.utteranceId);
      if (!sum) throw new Error(`run ${r + 1} scored ${p.utteranceId}, which run 1 did not`);
      for (const t of p.top) {
        const k = labels.indexOf(t.label);
        sum[k] = (sum[k] as number) + t.probability;
      }
    }
    let right = 0;
    for (const p of first) {
      const sum = sums.get(p.utteranceId) as Float64Array;
      let best = 0;
      for (let k = 1; k < labels.length; k++)
        if ((sum[k] as number) > (sum[best] as number)) best = k;
      if (labels[best] === p.reference) right++;
    }
    return { models: r + 1, accuracy: round(right / first.length) };
  });
}

async function fixedSplit(
  model: Model,
  seed: number,
): Promise<{ summary: Record<string, unknown>; predictions: Predictions }> {
  const name = `${model}-s${seed}${epochs !== undefined ? `-e${epochs}` : ''}${values.tag ? `-${values.tag}` : ''}`;
  const started = performance.now();
  const result = await trainExperiment(configOf(model, name, seed), {
    dataDir,
    replace: true,
    onProgress: progressLines(`${name} fixed split`),
  });
  const evaluation = result.evaluation as SentimentEvaluation;
  const summary = {
    experiment: result.dir,
    accuracy: round(evaluation.accuracy),
    testSentences: evaluation.sentences,
    macroF1: round(evaluation.report.macroF1),
    duplicatesOfTraining: evaluation.duplicatesOfTraining.count,
    epochs: result.training.history.length,
    bestEpoch: result.training.bestEpoch,
    wallSeconds: seconds(started),
  };
  return { summary, predictions: evaluation.predictions };
}

async function crossValidation(model: Model, seed: number): Promise<Record<string, unknown>> {
  const name = `${model}-s${seed}${epochs !== undefined ? `-e${epochs}` : ''}${values.tag ? `-${values.tag}` : ''}-cv${folds}`;
  const started = performance.now();
  const result = await crossValidate(configOf(model, name, seed), {
    dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    folds,
    replace: true,
    onProgress: progressLines(`${name}`),
  });
  const { summary } = result;
  return {
    crossValidation: result.dir,
    meanAccuracy: round(summary.mean.accuracy ?? Number.NaN),
    sdAccuracy: summary.sd.accuracy == null ? null : round(summary.sd.accuracy),
    perFold: summary.results.map((r) => ({
      fold: r.fold,
      accuracy: round(r.figures.accuracy ?? Number.NaN),
      testSentences: r.items?.test ?? null,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
    })),
    pooledConfusion: summary.confusion,
    wallSeconds: seconds(started),
  };
}

/** Mean and sample sd over seeds of one figure (null with one seed). */
function overSeeds(runs: Record<string, unknown>[], key: string): Record<string, unknown> | null {
  const values = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  if (values.length < 2) return null;
  const sd = sampleSd(values);
  return { mean: round(meanOf(values)), sd: sd === null ? null : round(sd), seeds: values.length };
}

const backend = await initTfBackend();
const loadBefore = load();
const report: Record<string, unknown> = {};
for (const model of models) {
  const fixed: Record<string, unknown>[] = [];
  const cv: Record<string, unknown>[] = [];
  const predictions: Predictions[] = [];
  for (let seed = 1; seed <= seedCount; seed++) {
    if (!values['no-fixed']) {
      const run = await fixedSplit(model, seed);
      fixed.push({ seed, ...run.summary });
      predictions.push(run.predictions);
    }
    if (!values['no-cv']) cv.push({ seed, ...(await crossValidation(model, seed)) });
  }
  report[model] = {
    preset: SENTIMENT_MODEL_PRESETS[model],
    ...(fixed.length > 0
      ? {
          fixedSplit: fixed,
          fixedSplitOverSeeds: overSeeds(fixed, 'accuracy'),
          ...(predictions.length > 1
            ? { fixedSplitEnsemble: ensembleAccuracies(predictions) }
            : {}),
        }
      : {}),
    ...(cv.length > 0
      ? { crossValidation: cv, crossValidationOverSeeds: overSeeds(cv, 'meanAccuracy') }
      : {}),
  };
}

process.stdout.write(
  JSON.stringify(
    {
      backend: backend.name,
      command: `npx tsx tests/eval/sentiment-mr.ts ${process.argv.slice(2).join(' ')}`.trim(),
      corpus: { source, imported: corpusDir },
      folds,
      epochs: epochs ?? 'preset',
      seeds: seedCount,
      ...(values.patch ? { patch, tag: values.tag } : {}),
      models: report,
      load: { before: loadBefore, after: load(), cores: availableParallelism() },
    },
    null,
    2,
  ) + '\n',
);
