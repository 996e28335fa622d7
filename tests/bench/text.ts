/**
 * Text speed of issue 12: `npm run bench:text [-- --batches N] [--max-seconds S] [--warmup N] [--reps N]
 * [--unfold-threads 1,2] [--torch-threads 1,2] [--skip-torch] [--tagger EXP] [--data DIR]`.
 * Prints one JSON report:
 * - training tokens/s of the UD English EWT tagger (`pos-bilstm-charcnn` preset) beside the
 *   same model in PyTorch (torch_tagger.py, Debian's /usr/bin/python3 with python3-torch), both
 *   training on the same first N batches of an epoch (bucketed by length, batch 32; a measurement
 *   stops early after the batch that crosses S seconds: both sides then time a prefix of them), interleaved
 *   (Unfold, PyTorch x1, PyTorch x2, Unfold, ...) so that a change in the machine's load hits
 *   every side alike; medians over the repetitions and their ratios;
 * - tagging tokens/s: a tagger (--tagger EXP, else the bench's own model after its training
 *   batches: speed does not depend on the weights) tagging every EWT dev sentence
 *   (Tagger.tagSentences, length-sorted batches of at most INFERENCE_BATCH_TOKENS padded tokens),
 *   and tokenising plus tagging dev's raw text (Tagger.tagText);
 * - PyTorch gets Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH when installed; the report
 *   names the BLAS libraries it loaded.
 * - tokeniser tokens/s (tokenizeText) over dev's raw sentence texts, one call per sentence and
 *   one call for the whole text.
 * Without ../shared/data/ud-english-ewt it prints {"skipped": reason} and exits 0.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { ewtFiles, importEwt } from '../support/ewt-corpus';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { disposeBatch, makeBatch, planBatches } from '../../src-main/domain/rnn/batching';
import type { ModelConfig } from '../../src-main/domain/rnn/model-config';
import { Optimizer, clipByGlobalNorm } from '../../src-main/domain/rnn/optimizers';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { computeGradients } from '../../src-main/domain/rnn/train';
import { SPARSE_EMBEDDING_MODES } from '../../src-main/domain/rnn/train-config';
import { posTask } from '../../src-main/domain/text/pos/pos-task';
import { taggedSentencesOf } from '../../src-main/domain/text/pos/tagged-sentences';
import type { Tagger } from '../../src-main/domain/text/pos/tagger';
import { loadTagger, taggerFrom } from '../../src-main/domain/text/pos/tagger';
import { INFERENCE_BATCH_TOKENS } from '../../src-main/domain/text/token-inference';
import { tokenizeText } from '../../src-main/domain/text/tokenize';
import { WORD_ENCODER_FILE, WordEncoder } from '../../src-main/domain/text/word-encoder';
import { loadRnnNative } from '../../src-main/native/rnn-native';

const PRESET = 'pos-bilstm-charcnn';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/ud-english-ewt' },
    batches: { type: 'string', default: '200' },
    'max-seconds': { type: 'string', default: '45' },
    warmup: { type: 'string', default: '5' },
    reps: { type: 'string', default: '3' },
    'unfold-threads': { type: 'string' },
    'torch-threads': { type: 'string', default: '1,2' },
    'skip-torch': { type: 'boolean', default: false },
    tagger: { type: 'string' },
  },
});

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const round = (x: number | null, digits = 0): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
const log = (message: string): void => void process.stderr.write(`[bench:text] ${message}\n`);

const files = ewtFiles(values.data);
if ('skipped' in files) {
  process.stdout.write(JSON.stringify(files, null, 2) + '\n');
  process.exit(0);
}

const batchCount = Number(values.batches);
const warmup = Number(values.warmup);
const reps = Number(values.reps);
const maxSeconds = Number(values['max-seconds']);
const loadBefore = load();
const backend = await initTfBackend();
const native = loadRnnNative();

// The corpus, imported from copies of the train and dev files (the only ones read).
const work = await mkdtemp(join(tmpdir(), 'unfold-bench-text-'));
const corpusDir = await importEwt(files, work, 'ewt');
const corpus = await readCorpus(corpusDir);
const base = presetConfig(PRESET, 'ewt', 'bench-text');
const config = posTask.parseConfig({ ...base, data: { ...base.data, test: { splits: ['dev'] } } });
const plan = await posTask.prepareTraining(corpus, config, { dataDir: work });
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
const batchPlan = planBatches(plan.train, training.batchSize, createRng(config.seed), true).slice(
  0,
  warmup + batchCount,
);
const batchExamples = batchPlan.map((indices) =>
  indices.map((i) => plan.train[i] as SequenceExample),
);
const timedTokens = batchExamples
  .slice(warmup)
  .reduce((n, batch) => n + batch.reduce((m, e) => m + e.length, 0), 0);
log(
  `${plan.train.length} training sentences; ${warmup} warm-up + ${batchCount} timed batches (${timedTokens} tokens)`,
);

/** One training step exactly as trainModel takes it (full BPTT): pad, gradients, clip, Adam. */
function trainingTokensPerSecond(threads: number | null): {
  model: RnnModel;
  tokensPerSecond: number;
  batches: number;
} {
  if (threads !== null) native.addon?.setParallel(threads);
  const model = new RnnModel(plan.model);
  const optimizer = new Optimizer(training.optimizer);
  const rng = createRng(config.seed);
  const step = (examples: SequenceExample[]): void => {
    const batch = makeBatch(model.config, examples);
    try {
      const sparse = training.optimizer.sparseEmbeddings !== undefined;
      const result = computeGradients(model, batch, { rng, sparse });
      const { grads, sparseGrads } = result;
      if (training.clipNorm !== undefined) clipByGlobalNorm(grads, training.clipNorm, sparseGrads);
      optimizer.apply(model.params, grads, training.weightDecay ?? 0, sparseGrads);
      tf.dispose([
        ...result.grads.values(),
        ...result.finalStates.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])),
      ]);
    } finally {
      disposeBatch(batch);
    }
  };
  for (const examples of batchExamples.slice(0, warmup)) step(examples);
  let tokens = 0;
  let batches = 0;
  const start = performance.now();
  for (const examples of batchExamples.slice(warmup)) {
    step(examples);
    tokens += examples.reduce((n, e) => n + e.length, 0);
    batches += 1;
    if (performance.now() - start > maxSeconds * 1000) break;
  }
  const seconds = (performance.now() - start) / 1000;
  optimizer.dispose();
  return { model, tokensPerSecond: tokens / seconds, batches };
}

/** The batches for torch_tagger.py: each sentence's word, character, case and tag ids. */
function torchBatchesJson(model: ModelConfig): string {
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
  const layers = model.layers;
  return JSON.stringify({
    model: {
      vocabSize: input.vocabSize,
      embeddingSize: input.embeddingSize,
      unknownId: input.unknownId ?? 1,
      chars: input.chars ?? null,
      cases: input.cases ?? null,
      layers: layers.length,
      units: layers[0]?.units,
      dropout: model.dropout,
      classes: model.output.size,
      learningRate: training.optimizer.learningRate,
      sparseEmbeddings: training.optimizer.sparseEmbeddings ?? null,
      clipNorm: training.clipNorm ?? 1e9,
    },
    batches: batchExamples.map((examples) => ({ sentences: examples.map(sentence) })),
  });
}

function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Debian's multithreaded OpenBLAS (OpenMP build): PyTorch is given it ahead of the default
 * (possibly single-threaded) BLAS, so that the peer runs at its best on every thread count.
 */
const OPENMP_OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const torchEnv: NodeJS.ProcessEnv = existsSync(OPENMP_OPENBLAS)
  ? {
      ...process.env,
      LD_LIBRARY_PATH: [OPENMP_OPENBLAS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    }
  : process.env;

/** The BLAS libraries a python process with torch has mapped after one matrix product. */
const TORCH_PROBE = [
  'import torch',
  'torch.ones(4, 4) @ torch.ones(4, 4)',
  'print(torch.__version__)',
  "print('\\n'.join(sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower()})))",
].join('\n');

/** Debian's python3-torch lives in /usr/bin/python3 (a pyenv python3 on the PATH lacks it). */
async function findTorchPython(): Promise<{
  python: string;
  version: string;
  blasLibraries: string[];
} | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const out = await runProcess(python, ['-c', TORCH_PROBE], torchEnv).catch(() => null);
    if (out?.code === 0) {
      const [version = '', ...blasLibraries] = out.stdout.trim().split('\n');
      return { python, version, blasLibraries };
    }
  }
  return null;
}

const torchScript = fileURLToPath(new URL('./torch_tagger.py', import.meta.url));
const torch = values['skip-torch'] ? null : await findTorchPython();
const torchThreads = values['torch-threads'].split(',').map(Number);
const unfoldThreads: Array<number | null> = native.addon
  ? (values['unfold-threads']?.split(',').map(Number) ?? [native.threads])
  : [null];
const batchesFile = join(work, 'batches.json');
if (torch) await writeFile(batchesFile, torchBatchesJson(plan.model));

interface Measurement {
  rep: number;
  side: string;
  tokensPerSecond: number | null;
  /** Timed batches (fewer than --batches when --max-seconds cut the measurement short). */
  batches: number | null;
  load1: number;
  error?: string;
}
const measurements: Measurement[] = [];
let lastModel: RnnModel | null = null;
for (let rep = 1; rep <= reps; rep++) {
  for (const threads of unfoldThreads) {
    const side = threads === null ? 'unfold' : `unfold x${threads}`;
    log(`rep ${rep}: ${side}`);
    const { model, tokensPerSecond, batches } = trainingTokensPerSecond(threads);
    lastModel?.dispose();
    lastModel = model;
    measurements.push({ rep, side, tokensPerSecond, batches, load1: load()[0] as number });
  }
  for (const threads of torch ? torchThreads : []) {
    const side = `pytorch x${threads}`;
    log(`rep ${rep}: ${side}`);
    const out = await runProcess(
      (torch as { python: string }).python,
      [
        torchScript,
        '--batches',
        batchesFile,
        '--threads',
        String(threads),
        '--warmup',
        String(warmup),
        '--max-seconds',
        String(maxSeconds),
      ],
      torchEnv,
    );
    const parsed =
      out.code === 0
        ? (JSON.parse(out.stdout) as { tokensPerSecond: number; batches: number })
        : null;
    measurements.push({
      rep,
      side,
      tokensPerSecond: parsed?.tokensPerSecond ?? null,
      batches: parsed?.batches ?? null,
      load1: load()[0] as number,
      ...(parsed
        ? {}
        : { error: out.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${out.code}` }),
    });
  }
}
if (native.addon) native.addon.setParallel(native.threads);

const sides = [...new Set(measurements.map((m) => m.side))];
const medians = Object.fromEntries(
  sides.map((side) => [
    side,
    median(
      measurements
        .filter((m) => m.side === side && m.tokensPerSecond !== null)
        .map((m) => m.tokensPerSecond as number),
    ),
  ]),
);
const ratios: Record<string, number | null> = {};
for (const ours of sides.filter((s) => s.startsWith('unfold')))
  for (const theirs of sides.filter((s) => s.startsWith('pytorch'))) {
    const a = medians[ours];
    const b = medians[theirs];
    ratios[`${ours} / ${theirs}`] = a && b ? round(a / b, 3) : null;
  }
const bestOf = (prefix: string): { side: string; value: number } | null =>
  sides
    .filter((s) => s.startsWith(prefix) && medians[s])
    .map((s) => ({ side: s, value: medians[s] as number }))
    .sort((a, b) => b.value - a.value)[0] ?? null;
const bestUnfold = bestOf('unfold');
const bestTorch = bestOf('pytorch');

// Tagging and tokenising: dev's sentences (as words) and raw texts.
const devSentences = taggedSentencesOf(corpus, { splits: ['dev'] }, 'upos').sentences.map(
  (s) => s.words,
);
const devTokens = devSentences.reduce((n, s) => n + s.length, 0);
const devSplit = corpus.data.kind === 'text' ? corpus.data.splits.get('dev') : undefined;
const devTexts =
  devSplit?.format === 'conllu'
    ? devSplit.sentences.flatMap((s) =>
        s.comments.flatMap((c) => {
          const match = /^text\s*=\s*(.*)$/.exec(c);
          return match ? [match[1] as string] : [];
        }),
      )
    : [];
const devText = devTexts.join('\n');

let tagger: Tagger;
if (values.tagger) {
  tagger = await loadTagger(resolve(values.tagger));
} else {
  const encoder = WordEncoder.fromBytes(
    plan.files[WORD_ENCODER_FILE] as Uint8Array,
    WORD_ENCODER_FILE,
  );
  tagger = taggerFrom(work, lastModel as RnnModel, encoder, plan.labels);
}

function timed(run: () => number): { tokensPerSecond: number; seconds: number } {
  const start = performance.now();
  const tokens = run();
  const seconds = (performance.now() - start) / 1000;
  return { tokensPerSecond: tokens / seconds, seconds };
}
const taggingRuns: Array<{
  tagSentences: number;
  tagText: number;
  tokenizePerSentence: number;
  tokenizeWhole: number;
}> = [];
tagger.tagSentences(devSentences.slice(0, 64)); // warm-up
for (let rep = 1; rep <= reps; rep++) {
  log(`rep ${rep}: tagging and tokenising`);
  const tagSentences = timed(() => {
    tagger.tagSentences(devSentences);
    return devTokens;
  });
  const tagText = timed(() => tagger.tagText(devText).tokens.length);
  const tokenizePerSentence = timed(() => devTexts.reduce((n, t) => n + tokenizeText(t).length, 0));
  const tokenizeWhole = timed(() => tokenizeText(devText).length);
  taggingRuns.push({
    tagSentences: tagSentences.tokensPerSecond,
    tagText: tagText.tokensPerSecond,
    tokenizePerSentence: tokenizePerSentence.tokensPerSecond,
    tokenizeWhole: tokenizeWhole.tokensPerSecond,
  });
}
tagger.dispose();
await rm(work, { recursive: true, force: true });

const medianOf = (key: keyof (typeof taggingRuns)[number]): number | null =>
  round(median(taggingRuns.map((r) => r[key])));

const report = {
  date: new Date().toISOString(),
  command: `npm run bench:text -- ${process.argv.slice(2).join(' ')}`.trim(),
  backend: backend.name,
  machine: { cores: availableParallelism(), loadBefore, loadAfter: load() },
  training: {
    what: `UD English EWT train, ${PRESET} preset (word emb ${config.words.embeddingSize}, char CNN ${config.words.chars ? `${config.words.chars.embeddingSize}/${config.words.chars.filters}x${config.words.chars.width}` : 'off'}, case emb ${config.words.caseFeatures ? config.words.caseEmbeddingSize : 'off'}, ${config.model.layers.length} x BiLSTM ${config.model.layers[0]?.units}, dropout ${config.model.dropout}, Adam ${training.optimizer.learningRate}, clip ${training.clipNorm}), batch ${training.batchSize}, bucketed by length`,
    batches: batchCount,
    maxSecondsPerMeasurement: maxSeconds,
    warmupBatches: warmup,
    tokensOfTheBatches: timedTokens,
    repetitions: reps,
    unit: 'tokens/s (forward + backward + clipping + Adam, padding the batch included)',
    unfoldThreads: unfoldThreads,
    unfoldNative: native.addon
      ? { available: true, defaultThreads: native.threads, ...native.addon.info() }
      : { available: false, reason: native.reason },
    pytorch: torch
      ? {
          python: torch.python,
          version: torch.version,
          ldLibraryPath: torchEnv.LD_LIBRARY_PATH ?? null,
          blasLibraries: torch.blasLibraries,
          threads: torchThreads,
          script: 'tests/bench/torch_tagger.py',
        }
      : {
          available: false,
          reason: values['skip-torch'] ? '--skip-torch' : 'no python3 with torch',
        },
    medianTokensPerSecond: Object.fromEntries(sides.map((s) => [s, round(medians[s] ?? null)])),
    ratios,
    bestUnfoldVsBestPytorch:
      bestUnfold && bestTorch
        ? {
            unfold: bestUnfold.side,
            pytorch: bestTorch.side,
            ratio: round(bestUnfold.value / bestTorch.value, 3),
          }
        : null,
    measurements: measurements.map((m) => ({ ...m, tokensPerSecond: round(m.tokensPerSecond) })),
  },
  tagging: {
    tagger: values.tagger
      ? resolve(values.tagger)
      : `the bench's model after its last training measurement`,
    devSentences: devSentences.length,
    devTokens,
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
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
