/**
 * Phone recognition figures on a synthetic aligned-sentence corpus (issue 6), printed as JSON;
 * not run in CI. Festival and flite voices speak the prompts; the corpus is split by voice, so
 * the test voices are never heard in training.
 *
 *   npx tsx tests/eval/phones-synth.ts [--work DIR] [--sentences N] [--epochs N] [--units N]
 *     [--layers N] [--bidirectional] [--cmvn utterance|speaker|none] [--patch JSON]
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { readCorpus, synthesiseSentences } from '../../src-main/domain/corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { trainExperiment } from '../support/builtin-experiments';
import type { PhoneEvaluation } from '../../src-main/domain/speech';
import { deepMerge, parsePatch } from './patch';

/** Harvard sentences (IEEE 1969 recommended practice for speech quality measurements). */
const PROMPTS = [
  'The birch canoe slid on the smooth planks.',
  'Glue the sheet to the dark blue background.',
  "It's easy to tell the depth of a well.",
  'These days a chicken leg is a rare dish.',
  'Rice is often served in round bowls.',
  'The juice of lemons makes fine punch.',
  'The box was thrown beside the parked truck.',
  'The hogs were fed chopped corn and garbage.',
  'Four hours of steady work faced us.',
  'A large size in stockings is hard to sell.',
  'The boy was there when the sun rose.',
  'A rod is used to catch pink salmon.',
  'The source of the huge river is the clear spring.',
  'Kick the ball straight and follow through.',
  'Help the woman get back to her feet.',
  'A pot of tea helps to pass the evening.',
  'Smoky fires lack flame and heat.',
  "The soft cushion broke the man's fall.",
  'The salt breeze came across from the sea.',
  'The girl at the booth sold fifty bonds.',
  'The small pup gnawed a hole in the sock.',
  'The fish twisted and turned on the bent hook.',
  'Press the pants and sew a button on the vest.',
  'The swan dive was far short of perfect.',
  'The beauty of the view stunned the young boy.',
  'Two blue fish swam in the tank.',
  'Her purse was full of useless trash.',
  'The colt reared and threw the tall rider.',
  'It snowed, rained, and hailed the same morning.',
  'Read verse out loud for pleasure.',
  'Hoist the load to your left shoulder.',
  'Take the winding path to reach the lake.',
  'Note closely the size of the gas tank.',
  'Wipe the grease off his dirty face.',
  'Mend the coat before you go out.',
  'The wrist was badly strained and hung limp.',
  'The stray cat gave birth to kittens.',
  'The young girl gave no clear response.',
  'The meal was cooked before the bell rang.',
  'What joy there is in living.',
];

const { values } = parseArgs({
  options: {
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-phones') },
    sentences: { type: 'string', default: String(PROMPTS.length) },
    epochs: { type: 'string' },
    units: { type: 'string' },
    layers: { type: 'string' },
    bidirectional: { type: 'boolean', default: false },
    name: { type: 'string', default: 'phones-synth' },
    cmvn: { type: 'string' },
    patch: { type: 'string' },
  },
});

const dataDir = resolve(values.work as string);
await mkdir(dataDir, { recursive: true });
const corpusDir = join(dataDir, 'corpora', 'sentences');
const t0 = performance.now();
if (!existsSync(join(corpusDir, 'corpus.json'))) {
  await synthesiseSentences(corpusDir, {
    name: 'sentences',
    sentences: PROMPTS.slice(0, Number(values.sentences)),
    engines: ['festival', 'flite'],
    // 7 voices: about 5 for training, 1 for dev, 1 for test.
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

let config = presetConfig('phones-2x256-lstm', 'sentences', values.name as string);
if (values.cmvn)
  config.features = { ...config.features, cmvn: values.cmvn as 'utterance' | 'speaker' | 'none' };
if (values.epochs) config.training = { ...config.training, epochs: Number(values.epochs) };
const layerCount = values.layers ? Number(values.layers) : config.model.layers.length;
const template = config.model.layers[0] ?? { cell: 'lstm' as const, units: 256 };
config.model = {
  ...config.model,
  layers: Array.from({ length: layerCount }, () => ({
    ...template,
    ...(values.units ? { units: Number(values.units) } : {}),
    ...(values.bidirectional ? { bidirectional: 'concat' as const } : {}),
  })),
};
if (values.bidirectional) config.training = { ...config.training, bptt: { kind: 'full' } };
if (!corpus.manifest.splits.includes('dev')) config.data = { ...config.data, dev: null };
config = deepMerge(config, parsePatch(values.patch));

const t1 = performance.now();
const result = await trainExperiment(config, { dataDir });
const evaluation = result.evaluation as PhoneEvaluation;
process.stdout.write(
  JSON.stringify(
    {
      backend: backend.name,
      corpus: corpusDir,
      command: process.argv.slice(2).join(' '),
      speakersBySplit,
      phones: result.labels.length,
      config,
      epochs: result.training.history.length,
      bestEpoch: result.training.bestEpoch,
      history: result.training.history.map((h) => ({
        epoch: h.epoch,
        loss: h.loss,
        accuracy: h.accuracy,
        devAccuracy: h.devAccuracy,
        seconds: h.seconds,
      })),
      test: {
        utterances: evaluation.utterances,
        frames: evaluation.frames,
        frameAccuracy: evaluation.frameAccuracy,
        frameAccuracy39: evaluation.frameAccuracy39,
        phoneErrorRate: evaluation.phoneErrorRate,
      },
      synthSeconds,
      trainSeconds: (performance.now() - t1) / 1000,
      experiment: result.dir,
    },
    null,
    2,
  ) + '\n',
);
