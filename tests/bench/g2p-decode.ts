/**
 * G2P decoding speed of issue 15: `npm run bench:g2p [-- --words N] [--reps N] [--beams 1,5]
 * [--engines auto,tfjs-encoder,tensor-ops] [--experiment DIR [--checkpoint best]]
 * [--dict PATH/dict.txt]`.
 *
 * Decodes N CMUdict words (every k-th distinct word of the dictionary, so their lengths are the
 * dictionary's) with decodeSources, the path `unfold eval` and `unfold translate` take, for each
 * beam and engine (decoder-rows.ts: `auto` = the encoder and the decoder steps native when the
 * addon loads, `tfjs-encoder` = the model's TF.js encoder then native steps, `tensor-ops` = all
 * as TF.js ops), interleaved over the repetitions after one warm-up round. The model is the trained experiment of `--experiment` (e.g. one that
 * tests/eval/g2p-cmudict.ts trained; with `--checkpoint best`, its best checkpoint, for a run
 * stopped before it wrote its model), else the `seq2seq-g2p-lstm` preset's model (2x256 LSTM,
 * 64-dim embeddings) with random weights and symbol tables from the dictionary: random weights
 * rarely write the end symbol, so their outputs run to the length limit (see `rowStepsPerWord`).
 * Prints one JSON report: per beam and engine the median words/s, a digest of the outputs (equal
 * digests: identical n-best lists and log-probabilities) and one of the n-best lists alone, the
 * decoder rows stepped per word, and where the time went (encoder, decoder steps with their
 * read-back, state reorders, the search's own bookkeeping); per beam, whether every engine gave
 * the first engine's n-best lists and their largest log-probability difference (attention models:
 * the native attention's tanh is not libm's, so their log-probabilities differ by ~1e-6); with the
 * load average before and after.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { defaultCmudictFile } from '../../src-main/domain/corpus/import/cmudict';
import { splitLines } from '../../src-main/domain/corpus/formats/utf8';
import { experimentModelFile } from '../../src-main/domain/experiments/experiment-folder';
import { readExperimentLabels } from '../../src-main/domain/experiments/experiment-records';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import { checkpointFolder } from '../../src-main/domain/rnn/checkpoints';
import { loadModel } from '../../src-main/domain/rnn/model-io';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { DECODER_STEP_ENGINES } from '../../src-main/domain/text/seq2seq/decoder-rows';
import type {
  DecodeProfile,
  DecoderStepEngine,
} from '../../src-main/domain/text/seq2seq/decoder-rows';
import { seq2seqModelConfig, seq2seqTask } from '../../src-main/domain/text/seq2seq/seq2seq-task';
import { TARGET_BOS, TARGET_EOS } from '../../src-main/domain/text/seq2seq/symbol-tables';
import type { Seq2seqLabels } from '../../src-main/domain/text/seq2seq/symbol-tables';
import { decodeSources } from '../../src-main/domain/text/seq2seq/translate-sources';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import { machineLoad, median, round } from '../../src-main/domain/bench/side-by-side';

const { values } = parseArgs({
  options: {
    words: { type: 'string', default: '2000' },
    reps: { type: 'string', default: '3' },
    beams: { type: 'string', default: '1,5' },
    engines: { type: 'string', default: DECODER_STEP_ENGINES.join(',') },
    experiment: { type: 'string' },
    checkpoint: { type: 'string' },
    dict: { type: 'string' },
    help: { type: 'boolean' },
  },
});

if (values.help) {
  process.stdout.write(
    [
      'npm run bench:g2p [-- --words N] [--reps N] [--beams 1,5] [--engines auto,tfjs-encoder,tensor-ops]',
      '  [--experiment DIR [--checkpoint best]] [--dict PATH/dict.txt]',
      'Decodes N CMUdict words with each beam and engine, interleaved over the repetitions, and prints',
      'one JSON report (median words/s, where the time went, whether the engines agree, the load).',
      'Engines: auto = native encoder and steps, tfjs-encoder = TF.js encoder then native steps,',
      'tensor-ops = all TF.js ops. Without --experiment: the seq2seq-g2p-lstm preset, random weights.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const wordCount = Number(values.words);
const reps = Number(values.reps);
const beams = values.beams.split(',').map(Number);
const engines = values.engines.split(',') as DecoderStepEngine[];
if (!(wordCount > 0) || !(reps > 0)) fail('--words and --reps take positive numbers');
if (beams.some((b) => !Number.isInteger(b) || b < 1)) fail('--beams: whole numbers from 1');
const unknownEngine = engines.find((e) => !(DECODER_STEP_ENGINES as readonly string[]).includes(e));
if (unknownEngine) fail(`--engines: ${unknownEngine} is not one of ${DECODER_STEP_ENGINES}`);

const loadBefore = machineLoad();
const backend = await initTfBackend();
const native = loadRnnNative();

/** CMUdict entries "WORD(2)  PH0 ONES": distinct lower-case spellings and stressless phones. */
async function dictionaryWords(path: string): Promise<{ word: string; phones: string[] }[]> {
  const seen = new Set<string>();
  const entries: { word: string; phones: string[] }[] = [];
  for (const line of splitLines(await readFile(path, 'utf8'))) {
    if (line.startsWith(';;;') || line.trim() === '') continue;
    const [head = '', ...phones] = line.trim().split(/\s+/);
    const word = head.replace(/\(\d+\)$/, '').toLowerCase();
    if (seen.has(word)) continue;
    seen.add(word);
    entries.push({ word, phones: phones.map((p) => p.replace(/\d$/, '')) });
  }
  return entries;
}

const entries = await dictionaryWords(values.dict ?? defaultCmudictFile());
const step = Math.max(1, Math.floor(entries.length / wordCount));
const picked = entries.filter((_, i) => i % step === 0).slice(0, wordCount);
const sources = picked.map((e) => [...e.word]);

/** The preset's model with random weights, its symbol tables from the dictionary. */
function randomPresetModel(): { model: RnnModel; labels: Seq2seqLabels } {
  const sorted = (symbols: Iterable<string>): string[] => [...new Set(symbols)].sort();
  const labels: Seq2seqLabels = {
    task: 'seq2seq',
    labels: [TARGET_BOS, TARGET_EOS, ...sorted(entries.flatMap((e) => e.phones))],
    sourceSymbols: ['', '', ...sorted(entries.flatMap((e) => [...e.word]))],
    levels: { source: 'characters', target: 'tokens' },
    maxSourceLength: Math.max(...entries.map((e) => e.word.length)),
    maxTargetLength: Math.max(...entries.map((e) => e.phones.length)),
  };
  const config = seq2seqTask.parseConfig(presetConfig('seq2seq-g2p-lstm', 'cmudict', 'bench'));
  return { model: new RnnModel(seq2seqModelConfig(config, labels)), labels };
}

const dir = values.experiment ? resolve(values.experiment) : null;
if (values.checkpoint !== undefined && (values.checkpoint !== 'best' || !dir))
  fail('--checkpoint takes best, with --experiment');
const bestCheckpoint =
  dir && values.checkpoint ? await checkpointFolder(join(dir, 'checkpoints'), 'best') : null;
if (values.checkpoint && !bestCheckpoint) fail(`no best checkpoint in ${dir}/checkpoints`);
const { model, labels } = dir
  ? {
      model: await loadModel(
        bestCheckpoint ? join(bestCheckpoint, 'model.json') : experimentModelFile(dir),
      ),
      labels: await readExperimentLabels<Seq2seqLabels>(dir),
    }
  : randomPresetModel();

interface Run {
  seconds: number;
  profile: DecodeProfile;
  /** SHA-256 of every n-best's symbols and log-probabilities: equal digests, equal outputs. */
  digest: string;
  /** SHA-256 of every n-best's symbols alone: equal digests, equal n-best lists. */
  listsDigest: string;
  /** Per word, its n-best (symbols, log-probability). */
  outputs: [string, number][][];
}

const digestOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** One decode of every word, timed. */
function decodeOnce(beam: number, engine: DecoderStepEngine): Run {
  const profile: DecodeProfile = { encode: 0, steps: 0, reorder: 0, search: 0, rowSteps: 0 };
  const t0 = performance.now();
  const decoded = decodeSources(
    model,
    labels,
    sources,
    { beam, lengthNormalization: 1 },
    { engine, profile },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (decoded.length !== sources.length) throw new Error('a word was not decoded');
  const outputs = decoded.map((d) =>
    d.nBest.map((h): [string, number] => [h.symbols.join(' '), h.logProb]),
  );
  const listsDigest = digestOf(outputs.map((list) => list.map(([symbols]) => symbols)));
  return { seconds, profile, digest: digestOf(outputs), listsDigest, outputs };
}

/** Whether two runs gave the same n-best lists, and their largest log-probability difference. */
function compareOutputs(a: Run, b: Run): { sameNBestLists: boolean; largestLogProbDiff: number } {
  let same = a.listsDigest === b.listsDigest;
  let largest = 0;
  a.outputs.forEach((list, i) =>
    list.forEach(([symbols, logProb], k) => {
      const other = b.outputs[i]?.[k];
      if (!other || other[0] !== symbols) same = false;
      else largest = Math.max(largest, Math.abs(other[1] - logProb));
    }),
  );
  return { sameNBestLists: same, largestLogProbDiff: largest };
}

const combos = beams.flatMap((beam) => engines.map((engine) => ({ beam, engine })));
const runs = new Map<string, Run[]>(combos.map((c) => [`${c.beam}/${c.engine}`, []]));
process.stderr.write(
  `[bench:g2p] ${sources.length} words, ${dir ?? 'random preset model'}, ${backend.name}, native ${native.addon ? 'yes' : native.reason}\n`,
);
for (const { beam, engine } of combos) decodeOnce(beam, engine); // warm-up
for (let rep = 0; rep < reps; rep++) {
  for (const { beam, engine } of combos) {
    const run = decodeOnce(beam, engine);
    runs.get(`${beam}/${engine}`)?.push(run);
    process.stderr.write(
      `[bench:g2p] rep ${rep + 1} beam ${beam} ${engine}: ${Math.round(sources.length / run.seconds)} words/s\n`,
    );
  }
}

const perWordMs = (ms: number): number | null => round((ms / sources.length) * 1000, 1);
const results = combos.map(({ beam, engine }) => {
  const list = runs.get(`${beam}/${engine}`) ?? [];
  const part = (key: Exclude<keyof DecodeProfile, 'rowSteps'>): number | null =>
    perWordMs(median(list.map((r) => r.profile[key])) ?? 0);
  return {
    beam,
    engine,
    wordsPerSecond: list.map((r) => Math.round(sources.length / r.seconds)),
    medianWordsPerSecond: round(median(list.map((r) => sources.length / r.seconds))),
    // Decoder rows stepped per word (every live hypothesis of every step).
    outputsDigest: [...new Set(list.map((r) => r.digest))],
    nBestListsDigest: [...new Set(list.map((r) => r.listsDigest))],
    rowStepsPerWord: round((list[0]?.profile.rowSteps ?? 0) / sources.length, 2),
    microsecondsPerWord: {
      encoder: part('encode'),
      decoderSteps: part('steps'),
      stateReorders: part('reorder'),
      searchBookkeeping: part('search'),
      total: perWordMs(median(list.map((r) => r.seconds * 1000)) ?? 0),
    },
  };
});
// Every engine against the first, on each beam's last repetition.
const engineAgreement = beams.map((beam) => {
  const last = (engine: DecoderStepEngine): Run | undefined =>
    runs.get(`${beam}/${engine}`)?.at(-1);
  const first = last(engines[0] as DecoderStepEngine);
  return {
    beam,
    against: engines[0],
    engines: engines.slice(1).map((engine) => {
      const run = last(engine);
      return { engine, ...(first && run ? compareOutputs(first, run) : {}) };
    }),
  };
});
model.dispose();

process.stdout.write(
  `${JSON.stringify(
    {
      command: `npx tsx tests/bench/g2p-decode.ts ${process.argv.slice(2).join(' ')}`.trim(),
      backend: backend.name,
      nativeKernel: native.addon ? { threads: native.threads } : native.reason,
      model: bestCheckpoint ?? dir ?? 'seq2seq-g2p-lstm preset, random weights',
      words: sources.length,
      meanWordLength: round(sources.reduce((s, w) => s + w.length, 0) / sources.length, 2),
      reps,
      results,
      engineAgreement,
      loadAverage: { before: loadBefore, after: machineLoad() },
      dict: join(values.dict ?? defaultCmudictFile()),
    },
    null,
    2,
  )}\n`,
);
