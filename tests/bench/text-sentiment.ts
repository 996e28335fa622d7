/**
 * The sentiment part of `npm run bench:text` (issue 13): movie-review polarity
 * (../shared/data/movie-review-polarity, `--sentiment-data`), imported with the polarity importer
 * into a temporary data folder; every tenth sentence is held out (so 10% of each label), the rest
 * trains. For each sentence-classifier preset (the BiLSTM with max pooling, and Kim's CNN when
 * its preset exists):
 * - training sentences/s beside the same model in PyTorch (torch_sentiment.py), both training on
 *   the same first batches of an epoch (the preset's batch size, bucketed by length as trainModel
 *   plans them; the same word ids and word-dropout probabilities on both sides), interleaved with
 *   the other sides, medians and ratios;
 * - inference sentences/s: predictSentenceProbabilities over the held-out sentences (the model
 *   after its last training measurement: speed does not depend on the weights).
 * Without the data the part is {"skipped": reason}; a preset that does not exist yet is too.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCorpus } from '../../src-main/domain/corpus';
import type { Corpus, TextSplit } from '../../src-main/domain/corpus/model';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import type { PresetName } from '../../src-main/domain/experiments/presets';
import {
  PRESET_NAMES,
  presetConfig,
  SENTIMENT_MODEL_PRESETS,
  SENTIMENT_MODELS,
} from '../../src-main/domain/experiments/presets';
import { choiceFlag } from '../../src-main/cli/commands/flag-values';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { planBatches } from '../../src-main/domain/rnn/batching';
import type { ModelConfig } from '../../src-main/domain/rnn/model-config';
import { DEFAULT_UNKNOWN_ID } from '../../src-main/domain/rnn/model-config';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { sentimentTask } from '../../src-main/domain/text/sentiment/sentiment-task';
import { predictSentenceProbabilities } from '../../src-main/domain/text/token-inference';
import { INFERENCE_BATCH_TOKENS } from '../../src-main/domain/text/token-inference';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import type { Side, SideBySideSettings } from '../../src-main/domain/bench/side-by-side';
import { torchSides } from '../../src-main/domain/bench/side-by-side';
import {
  compareSides,
  interleaved,
  median,
  reportedMeasurements,
  round,
  unfoldSide,
} from '../../src-main/domain/bench/side-by-side';
import { torchDescription } from '../../src-main/domain/bench/torch-peer';
import type { StepTraining } from './support/training-step';
import { timedTraining } from './support/training-step';

/** The sentence classifiers compared, in report order. */
const SENTIMENT_PRESETS = ['sentiment-bilstm-max', 'sentiment-kim-cnn'] as const;
const CORPUS = 'mr';
const TRAIN_SPLIT = 'train';
const HELD_OUT_SPLIT = 'heldout';
/** One sentence in this many is held out. */
const HELD_OUT_EVERY = 10;

/** The reason the part is skipped, or null when `folder` holds a .pos and a .neg file. */
function polaritySkipReason(folder: string): string | null {
  if (!existsSync(folder)) return `movie-review polarity not found: no folder ${folder}`;
  const names = readdirSync(folder);
  return names.some((n) => n.endsWith('.pos')) && names.some((n) => n.endsWith('.neg'))
    ? null
    : `movie-review polarity not found: no .pos and .neg file in ${folder}`;
}

/** The imported corpus with every HELD_OUT_EVERY-th sentence moved to its own split. */
function withHeldOutSplit(corpus: Corpus): Corpus {
  const all = corpus.data.kind === 'text' ? corpus.data.splits.get(TRAIN_SPLIT) : undefined;
  if (all?.format !== 'tsv') throw new Error(`the polarity import has no ${TRAIN_SPLIT} items`);
  const heldOut = (i: number): boolean => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1;
  const splits = new Map<string, TextSplit>([
    [TRAIN_SPLIT, { format: 'tsv', items: all.items.filter((_, i) => !heldOut(i)) }],
    [HELD_OUT_SPLIT, { format: 'tsv', items: all.items.filter((_, i) => heldOut(i)) }],
  ]);
  return { ...corpus, data: { kind: 'text', splits } };
}

/** What torch_sentiment.py builds: the model's sizes, its optimizer and clipping. */
function torchModelSpec(model: ModelConfig, training: StepTraining): Record<string, unknown> {
  const input = model.input;
  if (input.kind !== 'tokens') throw new Error('a sentence classifier reads tokens');
  const common = {
    vocabSize: input.vocabSize,
    embeddingSize: input.embeddingSize,
    unknownId: input.unknownId ?? DEFAULT_UNKNOWN_ID,
    dropout: model.dropout,
    classes: model.output.size,
    optimizer: training.optimizer,
    clipNorm: training.clipNorm ?? 1e9,
  };
  // A convolution encoder (Kim's CNN) is read structurally, so the bench builds before it lands.
  const convolution = (model as { convolution?: { widths: number[]; filters: number } })
    .convolution;
  if (convolution)
    return { kind: 'cnn', widths: convolution.widths, filters: convolution.filters, ...common };
  const layers = model.layers;
  const first = layers[0];
  if (!first || layers.some((l) => l.cell !== first.cell || l.units !== first.units))
    throw new Error('torch_sentiment.py builds a stack of equal layers');
  return {
    kind: 'rnn',
    cell: first.cell,
    layers: layers.length,
    units: first.units,
    bidirectional: first.bidirectional ?? null,
    pooling: model.pooling,
    ...common,
  };
}

function torchBatchesJson(
  spec: Record<string, unknown>,
  batchExamples: readonly SequenceExample[][],
): string {
  const sentence = (e: SequenceExample): Record<string, unknown> => ({
    words: Array.from(e.inputs as Int32Array),
    label: e.target as number,
    ...(e.tokenDropout ? { drop: Array.from(e.tokenDropout) } : {}),
  });
  return JSON.stringify({
    model: spec,
    batches: batchExamples.map((examples) => ({ sentences: examples.map(sentence) })),
  });
}

const tokensOf = (examples: readonly SequenceExample[]): number =>
  examples.reduce((n, e) => n + e.length, 0);

/** One preset's training comparison and inference speed. */
async function benchPreset(
  preset: PresetName,
  corpus: Corpus,
  work: string,
  s: SideBySideSettings,
): Promise<Record<string, unknown>> {
  const native = loadRnnNative();
  const base = presetConfig(preset, CORPUS, `bench-${preset}`);
  const config = sentimentTask.parseConfig({
    ...base,
    data: {
      train: { splits: [TRAIN_SPLIT] },
      dev: { splits: [HELD_OUT_SPLIT] },
      test: { splits: [HELD_OUT_SPLIT] },
    },
  });
  const plan = await sentimentTask.prepareTraining(corpus, config, { dataDir: work });
  const training = config.training;
  const batchExamples = planBatches(
    plan.train,
    training.batchSize,
    createRng(config.seed),
    training.bucketing ?? true,
  )
    .slice(0, s.warmup + s.batches)
    .map((indices) => indices.map((i) => plan.train[i] as SequenceExample));
  const timed = batchExamples.slice(s.warmup);
  const timedSentences = timed.reduce((n, b) => n + b.length, 0);
  const timedTokens = timed.reduce((n, b) => n + tokensOf(b), 0);
  s.log(
    `${preset}: ${plan.train.length} training sentences; ${s.warmup} warm-up + ${timed.length} timed batches (${timedSentences} sentences, ${timedTokens} tokens)`,
  );

  const torchScript = fileURLToPath(new URL('./torch_sentiment.py', import.meta.url));
  const batchesFile = join(work, `batches-${preset}.json`);
  if (s.torch)
    await writeFile(
      batchesFile,
      torchBatchesJson(torchModelSpec(plan.model, training), batchExamples),
    );
  // The latest trained model: the classifier of the inference figures.
  const trained: { model: RnnModel | null } = { model: null };
  const sides: Side[] = [
    ...s.unfoldThreads.map((threads) => ({
      name: unfoldSide(threads),
      measure: () => {
        if (threads !== null) native.addon?.setParallel(threads);
        const { model, ...result } = timedTraining({
          createModel: () => new RnnModel(plan.model),
          training,
          rng: () => createRng(config.seed),
          batches: batchExamples,
          warmup: s.warmup,
          maxSeconds: s.maxSeconds,
          weigh: (examples) => examples.length,
        });
        trained.model?.dispose();
        trained.model = model;
        return result;
      },
    })),
    ...torchSides(s, torchScript, batchesFile, 'sentencesPerSecond'),
  ];
  const measurements = await interleaved(s.reps, sides, (m) => s.log(`${preset}: ${m}`));
  if (native.addon) native.addon.setParallel(native.threads);
  const comparison = compareSides(measurements);

  // Inference over the held-out sentences, at the default thread count.
  const model = trained.model ?? new RnnModel(plan.model);
  const heldOut = plan.dev ?? [];
  const heldOutTokens = tokensOf(heldOut);
  predictSentenceProbabilities(model, heldOut.slice(0, 64)); // warm-up
  const inferenceRuns: number[] = [];
  for (let rep = 1; rep <= s.reps; rep++) {
    s.log(`${preset}: rep ${rep}: inference`);
    const start = performance.now();
    predictSentenceProbabilities(model, heldOut);
    inferenceRuns.push(heldOut.length / ((performance.now() - start) / 1000));
  }
  model.dispose();

  return {
    what: `${preset} preset: ${JSON.stringify(config.model)}, words ${JSON.stringify({ embeddingSize: config.words.embeddingSize, wordDropout: config.words.wordDropout, lowercase: config.words.lowercase, vocabulary: plan.summary.vocabulary })}, ${training.optimizer.kind} ${training.optimizer.learningRate}${training.optimizer.sparseEmbeddings ? ` (${training.optimizer.sparseEmbeddings} on the word table)` : ''}, clip ${training.clipNorm ?? 'none'}, batch ${training.batchSize}${(training.bucketing ?? true) ? ', bucketed by length' : ''}`,
    training: {
      batches: s.batches,
      maxSecondsPerMeasurement: s.maxSeconds,
      warmupBatches: s.warmup,
      timedBatches: timed.length,
      sentencesOfTheBatches: timedSentences,
      tokensOfTheBatches: timedTokens,
      repetitions: s.reps,
      unit: 'sentences/s (forward + backward + clipping + optimizer, padding the batch included)',
      unfoldThreads: s.unfoldThreads,
      pytorch: torchDescription(
        s.torch,
        s.torchSkipped,
        s.torchThreads,
        'tests/bench/torch_sentiment.py',
      ),
      medianSentencesPerSecond: comparison.medians,
      ratios: comparison.ratios,
      bestUnfoldVsBestPytorch: comparison.bestUnfoldVsBestPytorch,
      measurements: reportedMeasurements(measurements, 'sentencesPerSecond'),
    },
    inference: {
      what: 'predictSentenceProbabilities over the held-out sentences (the model after its last training measurement)',
      sentences: heldOut.length,
      tokens: heldOutTokens,
      batchPaddedTokens: INFERENCE_BATCH_TOKENS,
      sentencesPerSecond: round(median(inferenceRuns)),
      perRep: inferenceRuns.map((r) => round(r)),
    },
  };
}

/** The sentiment part of the report: the corpus, then one entry per preset. */
export async function benchSentiment(
  s: SideBySideSettings,
  options: { data: string; model?: string | undefined },
): Promise<Record<string, unknown>> {
  const model =
    options.model === undefined
      ? undefined
      : choiceFlag(options.model, '--sentiment-model', SENTIMENT_MODELS);
  const source = resolve(options.data);
  const skipped = polaritySkipReason(source);
  if (skipped) return { skipped };
  const work = await mkdtemp(join(tmpdir(), 'unfold-bench-sentiment-'));
  try {
    const corpusDir = join(work, 'corpora', CORPUS);
    await importCorpus({ format: 'polarity', source, outDir: corpusDir, name: CORPUS });
    const corpus = withHeldOutSplit(await readCorpus(corpusDir));
    const count = (split: string): number => {
      const data = corpus.data.kind === 'text' ? corpus.data.splits.get(split) : undefined;
      return data?.format === 'tsv' ? data.items.length : 0;
    };
    const models: Record<string, unknown> = {};
    const presets = model ? [SENTIMENT_MODEL_PRESETS[model]] : SENTIMENT_PRESETS;
    for (const preset of presets) {
      models[preset] = (PRESET_NAMES as readonly string[]).includes(preset)
        ? await benchPreset(preset as PresetName, corpus, work, s)
        : { skipped: `no ${preset} preset` };
    }
    return {
      corpus: {
        source,
        trainSentences: count(TRAIN_SPLIT),
        heldOutSentences: count(HELD_OUT_SPLIT),
        heldOut: `every ${HELD_OUT_EVERY}th sentence of the import (pos then neg file)`,
      },
      ...models,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
