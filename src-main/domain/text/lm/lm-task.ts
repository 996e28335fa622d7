/**
 * Language modelling (the decoder pattern): the next unit (word or character) at every step of
 * a corpus's text, sentences joined by their end. Trained as stateful LMs are: the training
 * stream is cut into `batchSize` contiguous streams that form one batch, and the engine's
 * truncated BPTT walks them window by window, each window starting from the previous one's
 * final state. Scored by perplexity (and bits per character) beside a unigram model and an
 * interpolated Kneser-Ney n-gram model of the same training stream.
 */
import { parseConfigWith } from '../../experiments/config/experiment-config';
import type { LmConfig } from '../../experiments/config/lm-config';
import { LmConfigSchema } from '../../experiments/config/lm-config';
import type { ExperimentTask } from '../../experiments/experiment-task';
import { UnfoldError, throwIfAborted } from '../../errors';
import { scaledProgress } from '../../jobs/progress';
import type { SequenceExample } from '../../rnn/batching';
import { parseModelConfig } from '../../rnn/model-config';
import type { ModelConfig } from '../../rnn/model-config';
import { UNK_ID, wordDropoutProbability } from '../vocabulary';
import { KneserNeyModel } from './kneser-ney';
import { scoreIdStream } from './lm-steps';
import { checkLmCorpus, lmSentencesOf } from './lm-text';
import type { LmUnitRule } from './lm-text';
import { LmVocabulary, lmCharactersOf } from './lm-vocabulary';
import type { CharacterVocabulary } from '../characters';
import { scoreBothDirections } from './bilm-steps';
import {
  bidirectionalChunks,
  bidirectionalTrainingStreams,
  bilmCharacters,
  streamChars,
} from './bilm-streams';
import type { LmLabels } from './lm-vocabulary';
import { scoreLanguageModel, unigramScores } from './score-lm';
import type { LmEvaluation } from './score-lm';

/** The training stream's ids, kept beside the model to rebuild the Kneser-Ney baseline. */
export const TRAINING_IDS_FILE = 'lm-training-ids.bin';

/**
 * Dev windows are scored from a zero state each (the engine's dev pass has no carried state):
 * as long as the logits of a batch stay near this many numbers, at least one BPTT window.
 */
const DEV_LOGITS_BUDGET = 4_000_000;
const MAX_DEV_WINDOW = 1000;

export function unitRuleOf(config: Pick<LmConfig, 'level' | 'words'>): LmUnitRule {
  return { level: config.level, tokenizer: config.words.tokenizer };
}

/** The window length of truncated BPTT (the schema makes every LM config truncated). */
function bpttWindow(config: LmConfig): number {
  return config.training.bptt?.kind === 'truncated' ? config.training.bptt.window : 1;
}

/**
 * The training examples: the stream cut into `streams` contiguous parts of near-equal length,
 * each a sequence whose targets are its inputs moved by one. One batch holds them all. With
 * `dropout` (per input id, the probability of reading it as `<unk>` while training) each part
 * carries its inputs' probabilities.
 */
export function trainingStreams(
  ids: Int32Array,
  streams: number,
  dropout?: (id: number) => number,
): SequenceExample[] {
  const steps = ids.length - 1;
  const count = Math.max(1, Math.min(streams, steps));
  return Array.from({ length: count }, (_, i) => {
    const start = Math.floor((i * steps) / count);
    const end = Math.floor(((i + 1) * steps) / count);
    const inputs = ids.slice(start, end);
    return {
      inputs,
      length: end - start,
      target: ids.slice(start + 1, end + 1),
      ...(dropout ? { tokenDropout: Float32Array.from(inputs, dropout) } : {}),
    };
  });
}

/** Dev examples: consecutive chunks of `length` steps. */
export function chunkedStream(ids: Int32Array, length: number): SequenceExample[] {
  const examples: SequenceExample[] = [];
  for (let start = 0; start < ids.length - 1; start += length) {
    const end = Math.min(start + length, ids.length - 1);
    examples.push({
      inputs: ids.slice(start, end),
      length: end - start,
      target: ids.slice(start + 1, end + 1),
    });
  }
  return examples;
}

function modelConfigOf(
  config: LmConfig,
  vocabulary: LmVocabulary,
  characters: CharacterVocabulary | null,
): ModelConfig {
  const chars = config.words.chars;
  return parseModelConfig({
    name: config.name,
    pattern: 'decoder',
    input: {
      kind: 'tokens',
      vocabSize: vocabulary.size,
      embeddingSize: config.words.embeddingSize,
      unknownId: UNK_ID,
      ...(characters && chars
        ? {
            chars: {
              vocabSize: characters.size,
              embeddingSize: chars.embeddingSize,
              filters: chars.filters,
              width: chars.width,
            },
          }
        : {}),
    },
    ...(config.model.direction === 'bidirectional' ? { bidirectionalLm: true } : {}),
    layers: config.model.layers,
    dropout: config.model.dropout,
    residual: config.model.residual,
    variationalDropout: config.model.variationalDropout,
    output: {
      size: vocabulary.size,
      activation: 'softmax',
      ...(config.tiedEmbeddings ? { tiedEmbeddings: true } : {}),
    },
    seed: config.seed,
  });
}

function idsToBytes(ids: Int32Array): Uint8Array {
  const bytes = new Uint8Array(ids.length * 4);
  const view = new DataView(bytes.buffer);
  ids.forEach((id, i) => view.setInt32(i * 4, id, true));
  return bytes;
}

function idsFromBytes(bytes: Uint8Array): Int32Array {
  if (bytes.byteLength % 4 !== 0)
    throw new UnfoldError(
      'LM_TRAINING_IDS',
      `${TRAINING_IDS_FILE} is damaged (${bytes.byteLength} bytes, not a whole number of ids): train the experiment again.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true));
}

export const lmTask: ExperimentTask<LmConfig, LmLabels, LmEvaluation> = {
  name: 'lm',
  storedFiles: [TRAINING_IDS_FILE],
  parseConfig: (value) => parseConfigWith(LmConfigSchema, value),
  checkCorpus: (corpus) => checkLmCorpus(corpus),
  async prepareTraining(corpus, config, options) {
    const rule = unitRuleOf(config);
    options.onProgress?.({ fraction: 0, message: 'Reading the training text' });
    const train = lmSentencesOf(corpus, config.data.train, rule);
    if (train.sentences.length === 0)
      throw new UnfoldError(
        'LM_NO_TEXT',
        `The training splits of ${corpus.manifest.name} (${config.data.train.splits.join(', ')}) have no text to learn from${train.skipped.length > 0 ? ` (${train.skipped.length} lines left out, e.g. ${train.skipped[0]})` : ''}.`,
      );
    throwIfAborted(options.signal);
    const vocabulary = LmVocabulary.fromTraining(train.sentences, config.words);
    const ids = vocabulary.stream(train.sentences);
    const dev = config.data.dev ? lmSentencesOf(corpus, config.data.dev, rule) : null;
    // A bidirectional LM's batches have a backward row for every forward one.
    const bidirectional = config.model.direction === 'bidirectional';
    const rowsPerStream = bidirectional ? 2 : 1;
    const characters = bidirectional ? bilmCharacters(train.sentences) : null;
    const window = bpttWindow(config);
    const devWindow = Math.max(
      window,
      Math.min(
        MAX_DEV_WINDOW,
        Math.floor(
          DEV_LOGITS_BUDGET / (rowsPerStream * config.training.batchSize * vocabulary.size),
        ),
      ),
    );
    const devIds = dev && dev.sentences.length > 0 ? vocabulary.stream(dev.sentences) : null;
    const alpha = config.words.wordDropout;
    const dropout =
      alpha > 0
        ? (id: number): number => wordDropoutProbability(vocabulary.countOfId(id), alpha)
        : undefined;
    const streams = characters
      ? bidirectionalTrainingStreams(
          { ids, chars: streamChars(train.sentences, characters) },
          config.training.batchSize,
          dropout,
        )
      : trainingStreams(ids, config.training.batchSize, dropout);
    const devExamples =
      devIds && dev
        ? characters
          ? bidirectionalChunks(
              { ids: devIds, chars: streamChars(dev.sentences, characters) },
              devWindow,
            )
          : chunkedStream(devIds, devWindow)
        : null;
    const files: Record<string, Uint8Array> = {};
    if (config.baseline) files[TRAINING_IDS_FILE] = idsToBytes(ids);
    options.onProgress?.({ fraction: 1, message: 'Training text ready' });
    return {
      labels: vocabulary.labels(rule, characters),
      files,
      model: modelConfigOf(config, vocabulary, characters),
      train: streams,
      dev: devExamples,
      summary: {
        level: config.level,
        direction: config.model.direction,
        trainSentences: train.sentences.length,
        trainUnits: ids.length - 1,
        trainUnknownUnits: vocabulary.unknownCount,
        vocabulary: vocabulary.size,
        streams: streams.length,
        stepsPerStream: streams[0]?.length ?? 0,
        devSentences: dev?.sentences.length ?? 0,
        devUnits: devIds ? devIds.length - 1 : 0,
        skippedSentences: [...train.skipped, ...(dev?.skipped ?? [])],
      },
    };
  },
  async evaluate(input) {
    const vocabulary = LmVocabulary.fromLabels(input.labels, 'labels.json');
    const rule: LmUnitRule = { level: input.labels.level, tokenizer: input.labels.tokenizer };
    const selected = lmSentencesOf(input.corpus, input.selection, rule);
    if (selected.sentences.length === 0)
      throw new UnfoldError(
        'LM_NO_TEXT',
        `The splits ${input.selection.splits.join(', ')} of ${input.corpus.manifest.name} have no text to evaluate on${selected.skipped.length > 0 ? ` (${selected.skipped.length} lines left out, e.g. ${selected.skipped[0]})` : ''}.`,
      );
    const ids = vocabulary.stream(selected.sentences);
    const scoring = {
      ...(input.signal ? { signal: input.signal } : {}),
      onProgress: scaledProgress(input.onProgress, 0, 0.9),
    };
    let scores: Float64Array;
    let backward: Float64Array | undefined;
    if (input.model.config.bidirectionalLm) {
      const characters = lmCharactersOf(input.labels, 'labels.json');
      if (!characters)
        throw new UnfoldError(
          'LM_NO_CHARACTERS',
          'labels.json of this bidirectional language model has no character set: train it again.',
        );
      const both = await scoreBothDirections(
        input.model,
        { ids, chars: streamChars(selected.sentences, characters) },
        scoring,
      );
      scores = both.forward;
      backward = both.backward;
    } else scores = await scoreIdStream(input.model, ids, scoring);
    let kneserNey: { order: number; scores: Float64Array } | null = null;
    const baseline = input.config.baseline;
    if (baseline) {
      const stored = await input.readStoredFile(TRAINING_IDS_FILE);
      if (!stored)
        throw new UnfoldError(
          'LM_NO_TRAINING_IDS',
          `The experiment has no ${TRAINING_IDS_FILE} beside its model for the Kneser-Ney baseline: train it again.`,
        );
      input.onProgress?.({ fraction: 0.9, message: `Counting ${baseline.order}-grams` });
      const model = KneserNeyModel.train(idsFromBytes(stored), {
        order: baseline.order,
        outcomes: vocabulary.predictable,
      });
      kneserNey = { order: baseline.order, scores: model.scoreStream(ids) };
    }
    const evaluation = scoreLanguageModel({
      level: rule.level,
      vocabulary,
      sentences: selected.sentences,
      ids,
      model: scores,
      unigram: unigramScores(vocabulary, ids),
      kneserNey,
      ...(backward ? { backward } : {}),
    });
    const { predictions, ...figures } = evaluation;
    return {
      result: evaluation,
      headline: rule.level === 'char' ? (figures.bitsPerCharacter ?? 0) : figures.perplexity,
      summary: {
        perplexity: figures.perplexity,
        crossEntropy: figures.crossEntropy,
        ...(figures.bitsPerCharacter !== null
          ? { bitsPerCharacter: figures.bitsPerCharacter }
          : {}),
        units: figures.units,
        sentences: figures.sentences,
        unknownUnits: figures.unknownUnits,
        ...(figures.backward ? { backwardPerplexity: figures.backward.perplexity } : {}),
        unigramPerplexity: figures.unigram.perplexity,
        ...(figures.kneserNey
          ? {
              kneserNeyOrder: figures.kneserNey.order,
              kneserNeyPerplexity: figures.kneserNey.perplexity,
            }
          : {}),
      },
      details: {
        unigram: figures.unigram,
        kneserNey: figures.kneserNey,
        ...(figures.backward ? { backward: figures.backward } : {}),
      },
      skipped: selected.skipped,
      predictions,
      confusion: { labels: [], counts: [] },
    };
  },
};
