/**
 * FSDD quality figures (issue 6), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/fsdd.ts --data ../shared/data/fsdd [--mode dependent|loso|both]
 *     [--work DIR] [--epochs N] [--units N] [--speakers a,b] [--cmvn utterance|speaker|none]
 *     [--patch JSON]   (deep-merged into the config, see patch.ts)
 *
 * dependent: the data set's own split (takes 0-4 test, 5-49 train), the "digits, small LSTM"
 * preset. loso: leave one speaker out (train on the others' train and test takes, test on every
 * take of the held-out speaker), averaged over speakers.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importCorpus, readCorpus } from '../../src-main/domain/corpus';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import type { WordEvaluation } from '../../src-main/domain/speech';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import { trainExperiment } from '../support/builtin-experiments';
import { deepMerge, parsePatch } from './patch';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/fsdd' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-fsdd') },
    mode: { type: 'string', default: 'dependent' },
    epochs: { type: 'string' },
    units: { type: 'string' },
    speakers: { type: 'string' },
    cmvn: { type: 'string' },
    patch: { type: 'string' },
  },
});
const patchFromArgs = parsePatch(values.patch);

const source = resolve(values.data as string);
const recordings = existsSync(join(source, 'recordings')) ? join(source, 'recordings') : source;
const dataDir = resolve(values.work as string);
await mkdir(dataDir, { recursive: true });
const corpusDir = join(dataDir, 'corpora', 'fsdd');
if (!existsSync(join(corpusDir, 'corpus.json'))) {
  await importCorpus({
    format: 'pattern',
    source: recordings,
    outDir: corpusDir,
    name: 'fsdd',
    pattern: '{label}_{speaker}_{take}.wav',
    split: { by: 'convention', convention: 'fsdd' },
  });
}
const backend = await initTfBackend();

function configFor(
  name: string,
  patch: Pick<Partial<ExperimentConfigInput>, 'data'>,
): ExperimentConfigInput {
  const base = presetConfig('small-words-lstm', 'fsdd', name);
  const config = deepMerge({ ...base, ...patch }, patchFromArgs);
  if (values.cmvn)
    config.features = { ...config.features, cmvn: values.cmvn as 'utterance' | 'speaker' | 'none' };
  if (values.epochs) config.training = { ...config.training, epochs: Number(values.epochs) };
  if (values.units)
    config.model = {
      ...config.model,
      layers: config.model.layers.map((l) => ({ ...l, units: Number(values.units) })),
    };
  return config;
}

const report: Record<string, unknown> = {
  backend: backend.name,
  corpus: corpusDir,
  command: process.argv.slice(2).join(' '),
  config: configFor('example', {}),
};
const started = performance.now();
if (values.mode === 'dependent' || values.mode === 'both') {
  const t0 = performance.now();
  const result = await trainExperiment(configFor('fsdd-dependent', {}), { dataDir });
  const evaluation = result.evaluation as WordEvaluation;
  report.dependent = {
    accuracy: evaluation.accuracy,
    macroF1: evaluation.report.macroF1,
    perSpeaker: evaluation.perSpeaker,
    testUtterances: evaluation.utterances,
    epochs: result.training.history.length,
    bestEpoch: result.training.bestEpoch,
    seconds: (performance.now() - t0) / 1000,
    experiment: result.dir,
  };
}
if (values.mode === 'loso' || values.mode === 'both') {
  const corpus = await readCorpus(corpusDir);
  const all =
    corpus.data.kind === 'speech' ? [...new Set(corpus.data.utterances.map((u) => u.speaker))] : [];
  const speakers = values.speakers ? (values.speakers as string).split(',') : all.sort();
  const folds: { speaker: string; accuracy: number; seconds: number }[] = [];
  for (const speaker of speakers) {
    const t0 = performance.now();
    const result = await trainExperiment(
      configFor(`fsdd-loso-${speaker}`, {
        data: {
          train: { splits: ['train', 'test'], excludeSpeakers: [speaker] },
          dev: null,
          test: { splits: ['train', 'test'], speakers: [speaker] },
        },
      }),
      { dataDir },
    );
    folds.push({
      speaker,
      accuracy: (result.evaluation as WordEvaluation).accuracy,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  report.leaveOneSpeakerOut = {
    folds,
    meanAccuracy: folds.reduce((a, f) => a + f.accuracy, 0) / Math.max(folds.length, 1),
  };
}
report.seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
