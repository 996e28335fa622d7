/**
 * Isolated words on a synthetic corpus split by voice (issue 6), printed as JSON; not run in
 * CI. The ten digit words spoken by every installed espeak-ng, flite and festival voice at 3
 * rates and 3 pitches; test voices are never heard in training.
 *
 *   npx tsx tests/eval/words-synth.ts [--work DIR] [--epochs N] [--units N]
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { readCorpus, synthesiseWords } from '../../src-main/domain/corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { trainExperiment } from '../support/builtin-experiments';
import type { WordEvaluation } from '../../src-main/domain/speech';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

const { values } = parseArgs({
  options: {
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-words') },
    epochs: { type: 'string' },
    units: { type: 'string' },
  },
});

const dataDir = resolve(values.work as string);
await mkdir(dataDir, { recursive: true });
const corpusDir = join(dataDir, 'corpora', 'digits-synth');
const t0 = performance.now();
if (!existsSync(join(corpusDir, 'corpus.json'))) {
  await synthesiseWords(corpusDir, {
    name: 'digits-synth',
    words: DIGITS,
    fractions: { train: 0.7, dev: 0.15, test: 0.15 },
    seed: 1,
  });
}
const synthSeconds = (performance.now() - t0) / 1000;
const corpus = await readCorpus(corpusDir);
const speakersBySplit: Record<string, string[]> = {};
if (corpus.data.kind === 'speech')
  for (const u of corpus.data.utterances)
    speakersBySplit[u.split] = [...new Set([...(speakersBySplit[u.split] ?? []), u.speaker])];
const backend = await initTfBackend();
const config = presetConfig('small-words-lstm', 'digits-synth', 'words-synth');
config.data = {
  train: { splits: ['train'] },
  dev: corpus.manifest.splits.includes('dev') ? { splits: ['dev'] } : null,
  test: { splits: ['test'] },
};
if (values.epochs) config.training = { ...config.training, epochs: Number(values.epochs) };
if (values.units)
  config.model = {
    ...config.model,
    layers: config.model.layers.map((l) => ({ ...l, units: Number(values.units) })),
  };
const t1 = performance.now();
const result = await trainExperiment(config, { dataDir });
const evaluation = result.evaluation as WordEvaluation;
process.stdout.write(
  JSON.stringify(
    {
      backend: backend.name,
      corpus: corpusDir,
      speakersBySplit,
      test: {
        utterances: evaluation.utterances,
        accuracy: evaluation.accuracy,
        macroF1: evaluation.report.macroF1,
        perSpeaker: evaluation.perSpeaker,
      },
      epochs: result.training.history.length,
      bestEpoch: result.training.bestEpoch,
      synthSeconds,
      trainSeconds: (performance.now() - t1) / 1000,
      experiment: result.dir,
    },
    null,
    2,
  ) + '\n',
);
