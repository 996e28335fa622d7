/**
 * Text speed of issues 12, 13 and 14: `npm run bench:text -- [options]` (`--help` lists them).
 * Prints one JSON report with the machine's load before and after, and a part per task (all
 * unless --only names one):
 * - `tagger`: training tokens/s of the UD English EWT tagger (`pos-bilstm-charcnn` preset) beside
 *   the same model in PyTorch (torch_tagger.py), both training on the same first N batches of an
 *   epoch (bucketed by length, batch 32), then tagging tokens/s: a tagger (--tagger EXP, else the
 *   bench's own model after its training batches: speed does not depend on the weights) tagging
 *   every EWT dev sentence (Tagger.tagSentences, length-sorted batches of at most
 *   INFERENCE_BATCH_TOKENS padded tokens, 4x that on the native packed LSTM kernel, which pads
 *   nothing; `tagging.inference` says which path ran) and tokenising plus tagging dev's raw text
 *   (Tagger.tagText); and tokeniser tokens/s (tokenizeText) over dev's raw sentence texts, one call
 *   per sentence and one call for the whole text. Without ../shared/data/ud-english-ewt (--data)
 *   the part is {"skipped": reason}.
 * - `sentiment`: training and inference sentences/s of the movie-review classifiers
 *   (text-sentiment.ts, PyTorch peer torch_sentiment.py).
 * - `lm`: training tokens/s of the Penn Treebank word LM in truncated-BPTT windows (text-lm.ts,
 *   PyTorch peer torch_lm.py); `--batches` counts windows there.
 * `npm run bench:text` starts Node with the job processes' V8 flags (JOB_PROCESS_V8_FLAGS in
 * src-main/server/worker-process.ts), as the app's training jobs run; the report says whether
 * this run had them (`runsWithJobProcessFlags`).
 * Each training comparison is interleaved (Unfold, PyTorch x1, PyTorch x2, Unfold, ...; a
 * measurement stops early after the batch that crosses S seconds: every side then times a prefix
 * of the same batches), with medians over the repetitions and their ratios. PyTorch is Debian's
 * /usr/bin/python3 with python3-torch, given Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH
 * when installed; the report names the BLAS libraries it loaded.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { ewtFiles, importEwt } from '../support/ewt-corpus';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { planBatches } from '../../src-main/domain/rnn/batching';
import type { ModelConfig } from '../../src-main/domain/rnn/model-config';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { SPARSE_EMBEDDING_MODES } from '../../src-main/domain/rnn/train-config';
import { posTask } from '../../src-main/domain/text/pos/pos-task';
import { taggedSentencesOf } from '../../src-main/domain/text/pos/tagged-sentences';
import type { Tagger } from '../../src-main/domain/text/pos/tagger';
import { loadTagger, taggerFrom } from '../../src-main/domain/text/pos/tagger';
import { INFERENCE_BATCH_TOKENS } from '../../src-main/domain/text/token-inference';
import { tokenizeText } from '../../src-main/domain/text/tokenize';
import { WORD_ENCODER_FILE, WordEncoder } from '../../src-main/domain/text/word-encoder';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { processJobFlags } from '../../src-main/server/worker-process';
import type { Side, SideBySideSettings } from '../../src-main/domain/bench/side-by-side';
import { torchSides } from '../../src-main/domain/bench/side-by-side';
import {
  compareSides,
  interleaved,
  machineLoad,
  median,
  reportedMeasurements,
  round,
  unfoldSide,
} from '../../src-main/domain/bench/side-by-side';
import { findTorchPython, torchDescription } from '../../src-main/domain/bench/torch-peer';
import { timedTraining } from './support/training-step';
import { benchLanguageModel } from './text-lm';
import { benchSentiment } from './text-sentiment';

const PARTS = ['tagger', 'sentiment', 'lm'] as const;
type Part = (typeof PARTS)[number];
const TAGGER_PRESET = 'pos-bilstm-charcnn';

const TEXT_BENCH_OPTIONS = {
  only: { type: 'string' },
  data: { type: 'string', default: '../shared/data/ud-english-ewt' },
  'sentiment-data': { type: 'string', default: '../shared/data/movie-review-polarity' },
  'sentiment-model': { type: 'string' },
  'lm-data': { type: 'string', default: '../shared/data/ptb' },
  batches: { type: 'string', default: '200' },
  'max-seconds': { type: 'string', default: '45' },
  warmup: { type: 'string', default: '5' },
  reps: { type: 'string', default: '3' },
  'unfold-threads': { type: 'string' },
  'torch-threads': { type: 'string', default: '1,2' },
  'skip-torch': { type: 'boolean', default: false },
  tagger: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

const USAGE = `Usage: npm run bench:text -- [options]

Training speed of the text tasks beside the same models in PyTorch (Debian's /usr/bin/python3
with python3-torch), the sides taking turns; tagging and tokenising speed. Prints one JSON
report; progress goes to stderr.

Options:
  --only PART           tagger, sentiment or lm (default: all three)
  --batches N           timed batches (windows for lm) per measurement (default 200)
  --max-seconds S       a measurement stops after the batch that crosses S seconds (default 45)
  --warmup N            untimed batches before each measurement (default 5)
  --reps N              measurements per side (default 3)
  --unfold-threads L    native kernel thread counts, e.g. 1,2 (default: the measured one)
  --torch-threads L     PyTorch thread counts (default 1,2)
  --skip-torch          Unfold only
  --tagger EXP          a trained tagger's experiment folder for the tagging speed
  --data DIR            UD English EWT (default ../shared/data/ud-english-ewt)
  --sentiment-data DIR  movie-review polarity (default ../shared/data/movie-review-polarity)
  --sentiment-model M   rnn or cnn: that sentiment model alone (default: both)
  --lm-data DIR         Penn Treebank LM data (default ../shared/data/ptb)
  --help                this text`;

const { values } = (() => {
  try {
    return parseArgs({ options: TEXT_BENCH_OPTIONS, strict: true });
  } catch (error) {
    // Unknown options and missing values: node's message names the option.
    process.stderr.write(`bench:text: ${(error as Error).message}\n${USAGE}\n`);
    return process.exit(2);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function positiveNumber(name: 'batches' | 'max-seconds' | 'warmup' | 'reps', min: number): number {
  const n = Number(values[name]);
  if (!(n >= min) || (name !== 'max-seconds' && !Number.isInteger(n))) {
    process.stderr.write(`--${name} takes a number of at least ${min}, not "${values[name]}"\n`);
    process.exit(2);
  }
  return n;
}

const only = values.only;
if (only !== undefined && !(PARTS as readonly string[]).includes(only)) {
  process.stderr.write(`--only takes ${PARTS.join(' or ')}, not "${only}"\n`);
  process.exit(2);
}
const runs = (part: Part): boolean => only === undefined || only === part;
const log = (message: string): void => void process.stderr.write(`[bench:text] ${message}\n`);

const loadBefore = machineLoad();
const backend = await initTfBackend();
const native = loadRnnNative();
const settings: SideBySideSettings = {
  batches: positiveNumber('batches', 1),
  warmup: positiveNumber('warmup', 0),
  reps: positiveNumber('reps', 1),
  maxSeconds: positiveNumber('max-seconds', Number.MIN_VALUE),
  unfoldThreads: native.addon
    ? (values['unfold-threads']?.split(',').map(Number) ?? [native.threads])
    : [null],
  torchThreads: values['torch-threads'].split(',').map(Number),
  torch: values['skip-torch'] ? null : await findTorchPython(),
  torchSkipped: values['skip-torch'],
  log,
};

/** The batches for torch_tagger.py: each sentence's word, character, case and tag ids. */
function torchTaggerBatchesJson(
  model: ModelConfig,
  training: { learningRate: number; sparseEmbeddings?: string; clipNorm?: number },
  batchExamples: readonly SequenceExample[][],
): string {
  const input = model.input;
  if (input.kind !== 'tokens') throw new Error('the tagger reads tokens');
  const sentence = (e: SequenceExample): Record<string, unknown> => {
    const per = e.charsPerToken ?? 0;
    const chars = e.chars
      ? Array.from({ length: e.length }, (_, t) => {
          const row = Array.from((e.chars as Int32Array).subarray(t * per, (t + 1) * per));
          const end = row.findIndex((id) => id === 0);
          return end < 0 ? row : row.slice(0, end);
        })
      : undefined;
    return {
      words: Array.from(e.inputs as Int32Array),
      tags: Array.from(e.target as Int32Array),
      ...(chars ? { chars } : {}),
      ...(e.cases ? { cases: Array.from(e.cases) } : {}),
      ...(e.tokenDropout ? { drop: Array.from(e.tokenDropout) } : {}),
    };
  };
  return JSON.stringify({
    model: {
      vocabSize: input.vocabSize,
      embeddingSize: input.embeddingSize,
      unknownId: input.unknownId ?? 1,
      chars: input.chars ?? null,
      cases: input.cases ?? null,
      layers: model.layers.length,
      units: model.layers[0]?.units,
      dropout: model.dropout,
      classes: model.output.size,
      learningRate: training.learningRate,
      sparseEmbeddings: training.sparseEmbeddings ?? null,
      clipNorm: training.clipNorm ?? 1e9,
    },
    batches: batchExamples.map((examples) => ({ sentences: examples.map(sentence) })),
  });
}

/**
 * The tagger's training plan and EWT dev's sentences (as words) and raw text, read from the
 * corpus, which is let go on return: a training job does not hold it while it trains either
 * (train-experiment.ts), and every full garbage collection would walk its ~100 MB of objects.
 */
async function taggerInputs(
  corpusDir: string,
  config: ReturnType<typeof posTask.parseConfig>,
  work: string,
): Promise<{
  plan: Awaited<ReturnType<typeof posTask.prepareTraining>>;
  devSentences: string[][];
  devTexts: string[];
  devText: string;
}> {
  const corpus = await readCorpus(corpusDir);
  const plan = await posTask.prepareTraining(corpus, config, { dataDir: work });
  const devSentences = taggedSentencesOf(corpus, { splits: ['dev'] }, 'upos').sentences.map(
    (sentence) => sentence.words,
  );
  const devSplit = corpus.data.kind === 'text' ? corpus.data.splits.get('dev') : undefined;
  const devTexts =
    devSplit?.format === 'conllu'
      ? devSplit.sentences.flatMap((sentence) =>
          sentence.comments.flatMap((c) => {
            const match = /^text\s*=\s*(.*)$/.exec(c);
            return match ? [match[1] as string] : [];
          }),
        )
      : [];
  return { plan, devSentences, devTexts, devText: devTexts.join('\n') };
}

/** The tagger part: training side by side, then tagging and tokenising EWT dev. */
async function benchTagger(s: SideBySideSettings): Promise<Record<string, unknown>> {
  const files = ewtFiles(values.data);
  if ('skipped' in files) return files;
  // The corpus, imported from copies of the train and dev files (the only ones read).
  const work = await mkdtemp(join(tmpdir(), 'unfold-bench-text-'));
  try {
    const corpusDir = await importEwt(files, work, 'ewt');
    const base = presetConfig(TAGGER_PRESET, 'ewt', 'bench-text');
    const config = posTask.parseConfig({
      ...base,
      data: { ...base.data, test: { splits: ['dev'] } },
    });
    // As in a training job, nothing holds the parsed corpus while the model trains.
    const { plan, devSentences, devTexts, devText } = await taggerInputs(corpusDir, config, work);
    // UNFOLD_BENCH_SPARSE=dense|exact|lazy overrides the preset's sparseEmbeddings (side-by-side runs).
    const sparseOverride = process.env.UNFOLD_BENCH_SPARSE;
    const training =
      sparseOverride === undefined
        ? config.training
        : {
            ...config.training,
            optimizer: {
              ...config.training.optimizer,
              sparseEmbeddings: SPARSE_EMBEDDING_MODES.find((mode) => mode === sparseOverride),
            },
          };
    const batchExamples = planBatches(plan.train, training.batchSize, createRng(config.seed), true)
      .slice(0, s.warmup + s.batches)
      .map((indices) => indices.map((i) => plan.train[i] as SequenceExample));
    const tokensOf = (examples: readonly SequenceExample[]): number =>
      examples.reduce((n, e) => n + e.length, 0);
    const timedTokens = batchExamples.slice(s.warmup).reduce((n, b) => n + tokensOf(b), 0);
    s.log(
      `tagger: ${plan.train.length} training sentences; ${s.warmup} warm-up + ${batchExamples.length - s.warmup} timed batches (${timedTokens} tokens)`,
    );

    const torchScript = fileURLToPath(new URL('./torch_tagger.py', import.meta.url));
    const batchesFile = join(work, 'batches.json');
    if (s.torch)
      await writeFile(
        batchesFile,
        torchTaggerBatchesJson(
          plan.model,
          { ...training.optimizer, clipNorm: training.clipNorm },
          batchExamples,
        ),
      );
    // The latest trained model: the tagger of the tagging figures unless --tagger names one.
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
            weigh: tokensOf,
          });
          trained.model?.dispose();
          trained.model = model;
          return result;
        },
      })),
      ...torchSides(s, torchScript, batchesFile, 'tokensPerSecond'),
    ];
    const measurements = await interleaved(s.reps, sides, (m) => s.log(`tagger: ${m}`));
    if (native.addon) native.addon.setParallel(native.threads);
    const comparison = compareSides(measurements);

    // Tagging and tokenising: dev's sentences (as words) and raw texts.
    const devTokens = devSentences.reduce((n, sentence) => n + sentence.length, 0);

    let tagger: Tagger;
    if (values.tagger) {
      trained.model?.dispose();
      tagger = await loadTagger(resolve(values.tagger));
    } else {
      const encoder = WordEncoder.fromBytes(
        plan.files[WORD_ENCODER_FILE] as Uint8Array,
        WORD_ENCODER_FILE,
      );
      tagger = taggerFrom(work, trained.model ?? new RnnModel(plan.model), encoder, plan.labels);
    }

    const timed = (run: () => number): number => {
      const start = performance.now();
      const tokens = run();
      return tokens / ((performance.now() - start) / 1000);
    };
    const taggingRuns: Array<{
      tagSentences: number;
      tagText: number;
      tokenizePerSentence: number;
      tokenizeWhole: number;
    }> = [];
    tagger.tagSentences(devSentences.slice(0, 64)); // warm-up
    for (let rep = 1; rep <= s.reps; rep++) {
      s.log(`tagger: rep ${rep}: tagging and tokenising`);
      taggingRuns.push({
        tagSentences: timed(() => {
          tagger.tagSentences(devSentences);
          return devTokens;
        }),
        tagText: timed(() => tagger.tagText(devText).tokens.length),
        tokenizePerSentence: timed(() => devTexts.reduce((n, t) => n + tokenizeText(t).length, 0)),
        tokenizeWhole: timed(() => tokenizeText(devText).length),
      });
    }
    tagger.dispose();
    const medianOf = (key: keyof (typeof taggingRuns)[number]): number | null =>
      round(median(taggingRuns.map((r) => r[key])));

    return {
      training: {
        what: `UD English EWT train, ${TAGGER_PRESET} preset (word emb ${config.words.embeddingSize}, char CNN ${config.words.chars ? `${config.words.chars.embeddingSize}/${config.words.chars.filters}x${config.words.chars.width}` : 'off'}, case emb ${config.words.caseFeatures ? config.words.caseEmbeddingSize : 'off'}, ${config.model.layers.length} x BiLSTM ${config.model.layers[0]?.units}, dropout ${config.model.dropout}, Adam ${training.optimizer.learningRate}${training.optimizer.sparseEmbeddings ? ` (${training.optimizer.sparseEmbeddings} on the word table)` : ''}, clip ${training.clipNorm}), batch ${training.batchSize}, bucketed by length`,
        batches: s.batches,
        maxSecondsPerMeasurement: s.maxSeconds,
        warmupBatches: s.warmup,
        tokensOfTheBatches: timedTokens,
        repetitions: s.reps,
        unit: 'tokens/s (forward + backward + clipping + Adam, padding the batch included)',
        unfoldThreads: s.unfoldThreads,
        pytorch: torchDescription(
          s.torch,
          s.torchSkipped,
          s.torchThreads,
          'tests/bench/torch_tagger.py',
        ),
        medianTokensPerSecond: comparison.medians,
        ratios: comparison.ratios,
        bestUnfoldVsBestPytorch: comparison.bestUnfoldVsBestPytorch,
        measurements: reportedMeasurements(measurements, 'tokensPerSecond'),
      },
      tagging: {
        tagger: values.tagger
          ? resolve(values.tagger)
          : `the bench's model after its last training measurement`,
        devSentences: devSentences.length,
        devTokens,
        inference: tagger.inference,
        batchPaddedTokens: INFERENCE_BATCH_TOKENS,
        tagSentencesTokensPerSecond: medianOf('tagSentences'),
        tagTextTokensPerSecond: medianOf('tagText'),
        perRep: taggingRuns.map((r) => ({
          tagSentences: round(r.tagSentences),
          tagText: round(r.tagText),
        })),
      },
      tokeniser: {
        library: 'wink-nlp (tokenizeText)',
        devTexts: devTexts.length,
        characters: devText.length,
        perSentenceCallTokensPerSecond: medianOf('tokenizePerSentence'),
        wholeTextTokensPerSecond: medianOf('tokenizeWhole'),
      },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const tagger = runs('tagger') ? await benchTagger(settings) : undefined;
const sentiment = runs('sentiment')
  ? await benchSentiment(settings, {
      data: values['sentiment-data'],
      model: values['sentiment-model'],
    })
  : undefined;
const lm = runs('lm')
  ? await benchLanguageModel(settings, { data: values['lm-data'], native })
  : undefined;

const report = {
  date: new Date().toISOString(),
  command: `npm run bench:text -- ${process.argv.slice(2).join(' ')}`.trim(),
  backend: backend.name,
  machine: { cores: availableParallelism(), loadBefore, loadAfter: machineLoad() },
  // Unfold's side runs in this process: the figures are a job process's only with its flags.
  ...processJobFlags(),
  unfoldNative: native.addon
    ? { available: true, defaultThreads: native.threads, ...native.addon.info() }
    : { available: false, reason: native.reason },
  ...(tagger ? { tagger } : {}),
  ...(sentiment ? { sentiment } : {}),
  ...(lm ? { lm } : {}),
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
