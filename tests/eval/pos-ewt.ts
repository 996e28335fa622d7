/**
 * POS tagging quality on UD English EWT (issue 12), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/pos-ewt.ts [--data ../shared/data/ud-english-ewt] [--work DIR]
 *     [--epochs N] [--patience N] [--units N] [--no-chars] [--no-case] [--lowercase | --cased]
 *     [--word-dropout ALPHA] [--seed N] [--patch JSON]   (deep-merged into the config, see patch.ts)
 *     [--name NAME] [--resume]   (--resume: carry a finished or stopped run of the same flags on
 *                                 from its last checkpoint, e.g. to more epochs)
 *     [--stop-sentences N]   (stop on N sentences held out of train, and score dev unseen)
 *     [--no-dev [--milestones 15,16,17,18,19]]   (train on all of train with no dev set: a fixed
 *                             number of epochs, the rate halved after each milestone epoch; dev
 *                             scored once, unseen)
 *
 * Imports EWT's train and dev files into a data folder under the work folder, trains the
 * `pos-bilstm-charcnn` preset (with the changes the flags ask for) and scores it on dev: token
 * accuracy, accuracy on words training never saw, sentence accuracy. EWT's test file is not in
 * ../shared (on purpose): dev both picks the best epoch (early stopping) and is reported, so its
 * figures are a little optimistic; with --stop-sentences N, every k-th train sentence (about N)
 * is held out to stop on and to halve the rate on instead, and dev is scored once, never seen
 * (importEwtWithStopSet). With --no-dev nothing is held out and nothing is watched: the run
 * trains on all of train for the epochs the flags give, with the rate halved after each
 * milestone (a schedule such as the --stop-sentences runs' plateau halving found, fixed in
 * advance), and dev is scored once at the end (importEwtWithoutDev). Without the data it prints
 * {"skipped": reason} and exits 0.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { ScheduleMilestonesSchema } from '../../src-main/domain/rnn/train-config';
import {
  ewtFiles,
  importEwt,
  importEwtWithoutDev,
  importEwtWithStopSet,
} from '../support/ewt-corpus';
import type { TaggingEvaluation } from '../../src-main/domain/text/pos/score-tagging';
import { trainExperiment } from '../support/builtin-experiments';
import { deepMerge, parsePatch } from './patch';

const PRESET = 'pos-bilstm-charcnn';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/ud-english-ewt' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-pos-ewt') },
    name: { type: 'string' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    units: { type: 'string' },
    'no-chars': { type: 'boolean', default: false },
    'no-case': { type: 'boolean', default: false },
    lowercase: { type: 'boolean', default: false },
    cased: { type: 'boolean', default: false },
    'word-dropout': { type: 'string' },
    seed: { type: 'string' },
    patch: { type: 'string' },
    resume: { type: 'boolean', default: false },
    'stop-sentences': { type: 'string' },
    'no-dev': { type: 'boolean', default: false },
    milestones: { type: 'string', default: '15,16,17,18,19' },
  },
});

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const files = ewtFiles(values.data);
if ('skipped' in files) {
  process.stdout.write(JSON.stringify(files, null, 2) + '\n');
  process.exit(0);
}

const dataDir = resolve(values.work);
await mkdir(dataDir, { recursive: true });
const stopSentences = values['stop-sentences'] ? Number(values['stop-sentences']) : null;
if (stopSentences !== null && !(Number.isInteger(stopSentences) && stopSentences >= 100)) {
  process.stderr.write('--stop-sentences takes a whole number of at least 100\n');
  process.exit(2);
}
const noDev = values['no-dev'];
if (noDev && stopSentences !== null) {
  process.stderr.write('--no-dev and --stop-sentences are two protocols: give one\n');
  process.exit(2);
}
const milestones = values.milestones.split(',').map(Number);
if (noDev && !ScheduleMilestonesSchema.safeParse(milestones).success) {
  process.stderr.write('--milestones takes epochs in increasing order, e.g. 15,16,17\n');
  process.exit(2);
}
const corpusName = stopSentences
  ? `ud-english-ewt-stop${stopSentences}`
  : noDev
    ? 'ud-english-ewt-nodev'
    : 'ud-english-ewt';
const corpusDir = join(dataDir, 'corpora', corpusName);
if (!existsSync(join(corpusDir, 'corpus.json'))) {
  if (stopSentences) await importEwtWithStopSet(files, dataDir, corpusName, stopSentences);
  else if (noDev) await importEwtWithoutDev(files, dataDir, corpusName);
  else await importEwt(files, dataDir, corpusName);
}

function flagName(): string {
  const parts = [
    values.epochs ? `e${values.epochs}` : '',
    values.units ? `u${values.units}` : '',
    values['no-chars'] ? 'nochars' : '',
    values['no-case'] ? 'nocase' : '',
    values.lowercase ? 'lower' : '',
    values.cased ? 'cased' : '',
    values['word-dropout'] ? `wd${values['word-dropout']}` : '',
    values.seed ? `s${values.seed}` : '',
    stopSentences ? `stop${stopSentences}` : '',
    noDev ? 'nodev' : '',
    values.patch ? 'patched' : '',
  ].filter(Boolean);
  return ['ewt', ...parts].join('-');
}

const name = values.name ?? flagName();
const base = presetConfig(PRESET, corpusName, name);
const withoutDev = (): typeof base => {
  const { earlyStoppingPatience: _patience, ...training } = base.training;
  return {
    ...base,
    data: { ...base.data, dev: null },
    training: {
      ...training,
      epochs: (milestones.at(-1) as number) + 1,
      schedule: { kind: 'multistep', milestones, factor: 0.5 },
    },
  };
};
let config = deepMerge(
  stopSentences
    ? base // the corpus's dev is held out of train, its test is EWT's dev
    : noDev
      ? withoutDev() // the corpus has no dev; its test is EWT's dev
      : {
          ...base,
          // EWT's test file is not available here: dev is both the early-stopping set and the report.
          data: { ...base.data, test: { splits: ['dev'] } },
        },
  parsePatch(values.patch),
);
config = {
  ...config,
  words: {
    ...config.words,
    ...(values['no-chars'] ? { chars: null } : {}),
    ...(values['no-case'] ? { caseFeatures: false } : {}),
    ...(values.lowercase ? { lowercase: true } : {}),
    ...(values.cased ? { lowercase: false } : {}),
    ...(values['word-dropout'] ? { wordDropout: Number(values['word-dropout']) } : {}),
  },
  training: {
    ...config.training,
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
    ...(values.patience ? { earlyStoppingPatience: Number(values.patience) } : {}),
  },
  model: values.units
    ? {
        ...config.model,
        layers: config.model.layers.map((l) => ({ ...l, units: Number(values.units) })),
      }
    : config.model,
  ...(values.seed ? { seed: Number(values.seed) } : {}),
};

const backend = await initTfBackend();
const loadBefore = load();
const started = performance.now();
let lastLine = 0;
const result = await trainExperiment(config, {
  dataDir,
  ...(values.resume ? { resume: true } : { replace: true }),
  onProgress: (p) => {
    // One progress line every 30 s at most (stderr), so a long run shows it is alive.
    const now = performance.now();
    const fraction = p.fraction ?? 0;
    if (now - lastLine < 30_000 && fraction < 1) return;
    lastLine = now;
    const eta = p.metrics?.etaSeconds;
    process.stderr.write(
      `${(fraction * 100).toFixed(1)}% ${p.message ?? ''}${typeof eta === 'number' ? `, eta ${Math.round(eta)} s` : ''}\n`,
    );
  },
});
const seconds = (performance.now() - started) / 1000;
const evaluation = result.evaluation as TaggingEvaluation;
const history = result.training.history;

const report = {
  backend: backend.name,
  command: `npx tsx tests/eval/pos-ewt.ts ${process.argv.slice(2).join(' ')}`.trim(),
  experiment: result.dir,
  evaluatedOn: stopSentences
    ? `EWT dev, never seen (early stopping on ${stopSentences} sentences held out of train)`
    : noDev
      ? `EWT dev, never seen (no dev set: ${config.training.epochs} epochs, the rate halved after epochs ${milestones.join(', ')})`
      : 'EWT dev (also the early-stopping set)',
  tokenAccuracy: evaluation.accuracy,
  unseenWordAccuracy: evaluation.unseenAccuracy,
  unseenTokens: evaluation.unseenTokens,
  sentenceAccuracy: evaluation.sentenceAccuracy,
  macroF1: evaluation.report.macroF1,
  tokens: evaluation.tokens,
  sentences: evaluation.sentences,
  epochs: history.length,
  bestEpoch: result.training.bestEpoch,
  stoppedEarly: result.training.stoppedEarly,
  /** This process's wall time (training, checkpoints, final evaluation); a resumed run's part only. */
  wallSeconds: Math.round(seconds),
  /** Training time summed over every epoch of the run (a resumed run's earlier epochs included). */
  trainingSeconds: Math.round(history.reduce((n, h) => n + h.seconds, 0)),
  secondsPerEpoch: history.map((h) => Math.round(h.seconds)),
  devAccuracyPerEpoch: history.map((h) => h.devAccuracy),
  resumed: values.resume,
  load: { before: loadBefore, after: load(), cores: availableParallelism() },
  config: result.config,
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
