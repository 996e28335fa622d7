/**
 * Word-level Penn Treebank language model (issue 14), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/lm-ptb.ts [--data ../shared/data/ptb] [--work DIR] [--epochs N]
 *     [--train-lines N] [--patch JSON]
 *
 * Imports ptb.train.txt and ptb.valid.txt (the test file is not in ../shared) as a plain-text
 * corpus (splits train and dev), trains the `lm-word-lstm` preset (Zaremba et al. 2014's small
 * model: 2 x 200 LSTM, SGD at rate 20 clipped at norm 0.25 on the mean loss, 20 streams x 35
 * steps) on train with the corpus's own tokens (white-space tokenizer, minCount 1: PTB's 10k vocabulary and its `<unk>` as they are),
 * picks the epoch by valid, and reports valid perplexity beside the interpolated Kneser-Ney
 * 5-gram and the unigram counted from the same training text. `--train-lines N` trains on the
 * first N training lines only (a smoke run); `--patch` is deep-merged into the config
 * (patch.ts). `--kn-only` trains nothing: it reports the Kneser-Ney models of orders 2-5 and
 * the unigram on valid, on the same vocabulary and units as the recurrent model's evaluation.
 * Without the data it prints {"skipped": reason} and exits 0.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { importCorpus } from '../../src-main/domain/corpus';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import type { Progress } from '../../src-main/domain/jobs/progress';
import { KneserNeyModel } from '../../src-main/domain/text/lm/kneser-ney';
import { lmSentencesOf } from '../../src-main/domain/text/lm/lm-text';
import { LmVocabulary } from '../../src-main/domain/text/lm/lm-vocabulary';
import type { LmEvaluation } from '../../src-main/domain/text/lm/score-lm';
import { unigramScores } from '../../src-main/domain/text/lm/score-lm';
import { trainExperiment } from '../support/builtin-experiments';
import { deepMerge, parsePatch } from './patch';

const CORPUS = 'ptb';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/ptb' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-lm-ptb') },
    epochs: { type: 'string' },
    'train-lines': { type: 'string', default: '0' },
    patch: { type: 'string' },
    'kn-only': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0))
  fail('--epochs must be a positive integer');
const trainLines = Number(values['train-lines']);
if (!Number.isInteger(trainLines) || trainLines < 0)
  fail('--train-lines must be 0 (all) or a positive integer');

const source = resolve(values.data);
const files = ['ptb.train.txt', 'ptb.valid.txt'];
const missing = files.filter((f) => !existsSync(join(source, f)));
if (missing.length > 0) {
  process.stdout.write(
    `${JSON.stringify({ skipped: `PTB not found: no ${missing.join(' or ')} in ${source}` })}\n`,
  );
  process.exit(0);
}

/** One progress line on stderr every 30 s at most, so a long run shows it is alive. */
function progressLines(what: string): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 30_000 && (p.fraction ?? 0) < 1) return;
    last = now;
    process.stderr.write(`${what}: ${p.message ?? ''} ${((p.fraction ?? 0) * 100).toFixed(1)}%\n`);
  };
}

const work = resolve(values.work);
const dataDir = join(work, 'data');
const textDir = join(work, 'text');
await rm(work, { recursive: true, force: true });
await mkdir(textDir, { recursive: true });
// The corpus: the files as they are (or the first lines of train for a smoke run).
const train = await readFile(join(source, 'ptb.train.txt'), 'utf8');
const trainText = trainLines > 0 ? `${train.split('\n').slice(0, trainLines).join('\n')}\n` : train;
await writeFile(join(textDir, 'ptb.train.txt'), trainText);
await writeFile(join(textDir, 'ptb.valid.txt'), await readFile(join(source, 'ptb.valid.txt')));
const corpusDir = join(dataDir, 'corpora', CORPUS);
await importCorpus({ format: 'text', source: textDir, outDir: corpusDir, name: CORPUS });

if (values['kn-only']) {
  const corpus = await readCorpus(corpusDir);
  const rule = { level: 'word', tokenizer: 'whitespace' } as const;
  const trainSentences = lmSentencesOf(corpus, { splits: ['train'] }, rule).sentences;
  const validSentences = lmSentencesOf(corpus, { splits: ['dev'] }, rule).sentences;
  const vocabulary = LmVocabulary.fromTraining(trainSentences, {
    minCount: 1,
    maxVocabulary: 50_000,
    lowercase: false,
  });
  const trainIds = vocabulary.stream(trainSentences);
  const validIds = vocabulary.stream(validSentences);
  const orders = [];
  for (const order of [2, 3, 4, 5]) {
    const started = performance.now();
    const model = KneserNeyModel.train(trainIds, { order, outcomes: vocabulary.predictable });
    const scores = model.scoreStream(validIds);
    const sum = scores.reduce((a, b) => a + b, 0);
    orders.push({
      order,
      perplexity: Math.exp(-sum / scores.length),
      ngrams: model.sizes,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const unigram = unigramScores(vocabulary, validIds).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify(
      {
        command: process.argv.slice(1).join(' '),
        vocabulary: vocabulary.size,
        trainUnits: trainIds.length - 1,
        validUnits: validIds.length - 1,
        unigramPerplexity: Math.exp(-unigram / (validIds.length - 1)),
        kneserNey: orders,
      },
      null,
      2,
    )}\n`,
  );
  process.exit(0);
}

const backend = await initTfBackend();
const base = presetConfig('lm-word-lstm', CORPUS, 'ptb-word-lstm');
const config = deepMerge(
  {
    ...base,
    // PTB has no test file here: valid is both the dev set (epoch choice) and what is reported.
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['dev'] } },
    words: { ...base.words, tokenizer: 'whitespace', minCount: 1 },
    training: { ...base.training, ...(epochs !== undefined ? { epochs } : {}) },
  },
  parsePatch(values.patch),
);
const load = loadavg()[0];
const started = performance.now();
const result = await trainExperiment(config, {
  dataDir,
  outDir: join(dataDir, 'experiments', 'ptb-word-lstm'),
  onProgress: progressLines('train'),
});
const seconds = (performance.now() - started) / 1000;
const evaluation = result.evaluation as LmEvaluation;
const metrics = JSON.parse(
  await readFile(join(dataDir, 'experiments', 'ptb-word-lstm', 'metrics.json'), 'utf8'),
) as { training: { trainUnits: number } };
const trainingSeconds = result.training.history.reduce((sum, e) => sum + e.seconds, 0);
process.stdout.write(
  `${JSON.stringify(
    {
      command: process.argv.slice(1).join(' '),
      backend: backend.name,
      loadAverageAtStart: load,
      config,
      trainUnits: metrics.training.trainUnits,
      epochs: result.training.history.length,
      bestEpoch: result.training.bestEpoch,
      trainingUnitsPerSecond:
        (metrics.training.trainUnits * result.training.history.length) / trainingSeconds,
      seconds,
      valid: {
        units: evaluation.units,
        unknownUnits: evaluation.unknownUnits,
        perplexity: evaluation.perplexity,
        kneserNey: evaluation.kneserNey,
        unigramPerplexity: evaluation.unigram.perplexity,
      },
      history: result.training.history,
    },
    null,
    2,
  )}\n`,
);
