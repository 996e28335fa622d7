/**
 * Sentence classification (the encoder pattern): one label per sentence, from its words
 * through a (bi)recurrent stack pooled into one vector, or through Kim's CNN. Scored with
 * accuracy beside the majority baseline, per-class precision/recall/F1, the confusion matrix
 * and the test sentences that training saw too.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseConfigWith } from '../../experiments/config/experiment-config';
import type { SentimentConfig } from '../../experiments/config/text-config';
import { SentimentConfigSchema } from '../../experiments/config/text-config';
import type { ExperimentLabels } from '../../experiments/experiment-records';
import type { ExperimentTask } from '../../experiments/experiment-task';
import { UnfoldError } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import type { SequenceExample } from '../../rnn/batching';
import { parseModelConfig } from '../../rnn/model-config';
import type { ModelConfigInput } from '../../rnn/model-config';
import { parseStoredJson } from '../stored-json';
import type { WordEncoder } from '../word-encoder';
import { WORD_ENCODER_FILE, storedWordEncoder } from '../word-encoder';
import { checkLabelledCorpus, labelledSentencesOf, sentenceKey } from './labelled-sentences';
import type { LabelledSentence } from './labelled-sentences';
import { scoreSentiment } from './score-sentiment';
import type { SentimentEvaluation } from './score-sentiment';
import { predictSentenceProbabilities } from '../token-inference';
import { plannedWordInput } from '../word-input-plan';
import {
  CONTEXTUAL_EMBEDDINGS_FILE,
  recordedLmOf,
  withContextualLayersInSteps,
} from '../contextual-embeddings';
import type { BidirectionalLm } from '../contextual-embeddings';

/** Hashes of the training sentences' words, kept beside the model to find them in a test set. */
export const TRAINING_SENTENCES_FILE = 'training-sentences.json';

/** labels.json of a classifier: its labels in output order and how many training sentences had each. */
export interface SentimentLabels extends ExperimentLabels {
  trainingCounts: Record<string, number>;
}

const TrainingSentencesSchema = z.object({
  format: z.literal('unfold-training-sentences'),
  hashes: z.array(z.string()),
});

function sentenceHash(words: readonly string[]): string {
  return createHash('sha1').update(sentenceKey(words)).digest('hex').slice(0, 16);
}

function examplesOf(
  encoder: WordEncoder,
  sentences: readonly LabelledSentence[],
  labelIndex: ReadonlyMap<string, number>,
  training: boolean,
  contextual: BidirectionalLm | null,
  options: LongOperationOptions & { what: string },
): Promise<SequenceExample[]> {
  const examples = sentences.map((sentence) => ({
    ...encoder.encode(sentence.words, { training }),
    length: sentence.words.length,
    target: labelIndex.get(sentence.label) ?? 0,
  }));
  return withContextualLayersInSteps(
    contextual,
    examples,
    sentences.map((s) => s.words),
    options,
  );
}

/** The engine's encoder fields for the config's sentence encoder. */
function sentenceEncoderOf(
  model: SentimentConfig['model'],
): Pick<
  ModelConfigInput,
  'layers' | 'convolution' | 'dropout' | 'pooling' | 'residual' | 'variationalDropout'
> {
  if (model.kind === 'cnn')
    return {
      layers: [],
      convolution: { widths: model.widths, filters: model.filters },
      dropout: model.dropout,
      pooling: 'max',
    };
  return {
    layers: model.layers,
    dropout: model.dropout,
    pooling: model.pooling,
    residual: model.residual,
    variationalDropout: model.variationalDropout,
  };
}

function countLabels(sentences: readonly LabelledSentence[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sentences) counts[s.label] = (counts[s.label] ?? 0) + 1;
  return counts;
}

export const sentimentTask: ExperimentTask<SentimentConfig, SentimentLabels, SentimentEvaluation> =
  {
    name: 'sentiment',
    storedFiles: [WORD_ENCODER_FILE, TRAINING_SENTENCES_FILE, CONTEXTUAL_EMBEDDINGS_FILE],
    parseConfig: (value) => parseConfigWith(SentimentConfigSchema, value),
    checkCorpus: (corpus) => checkLabelledCorpus(corpus),
    async prepareTraining(corpus, config, options) {
      const train = labelledSentencesOf(corpus, config.data.train);
      const trainingCounts = countLabels(train.sentences);
      const labels = Object.keys(trainingCounts).sort();
      if (labels.length < 2)
        throw new UnfoldError(
          'SENTIMENT_ONE_LABEL',
          `The training sentences of ${corpus.manifest.name} (splits ${config.data.train.splits.join(', ')}) have ${labels.length === 0 ? 'no label' : `only the label "${labels[0]}"`}: a classifier needs two or more.`,
        );
      const labelIndex = new Map(labels.map((label, i) => [label, i]));
      const words = await plannedWordInput(
        train.sentences.map((s) => s.words),
        config.words,
        config.model.contextualEmbeddings,
        options,
      );
      const { encoder, contextual } = words;
      try {
        const model = parseModelConfig({
          name: config.name,
          pattern: 'encoder',
          input: words.input,
          ...sentenceEncoderOf(config.model),
          output: { size: labels.length, activation: 'softmax' },
          seed: config.seed,
        });
        const dev = config.data.dev ? labelledSentencesOf(corpus, config.data.dev) : null;
        // A dev sentence of a label training never had has no target: it is left out and counted.
        const devKept = dev?.sentences.filter((s) => labelIndex.has(s.label)) ?? [];
        const devUnknown = (dev?.sentences.length ?? 0) - devKept.length;
        const hashes = [...new Set(train.sentences.map((s) => sentenceHash(s.words)))];
        const progress = { onProgress: options.onProgress, signal: options.signal };
        return {
          labels: { task: 'sentiment', labels, trainingCounts },
          files: {
            ...words.files,
            [TRAINING_SENTENCES_FILE]: new TextEncoder().encode(
              JSON.stringify({ format: 'unfold-training-sentences', hashes }),
            ),
          },
          model,
          train: await examplesOf(encoder, train.sentences, labelIndex, true, contextual, {
            ...progress,
            what: 'training set',
          }),
          dev: dev
            ? await examplesOf(encoder, devKept, labelIndex, false, contextual, {
                ...progress,
                what: 'dev set',
              })
            : null,
          ...(words.initialParams ? { initialParams: words.initialParams } : {}),
          summary: {
            trainSentences: train.sentences.length,
            trainTokens: train.sentences.reduce((n, s) => n + s.words.length, 0),
            trainingCounts,
            devSentences: devKept.length,
            skippedSentences: [...train.skipped, ...(dev?.skipped ?? [])],
            ...(devUnknown > 0 ? { devSentencesWithLabelsNotInTraining: devUnknown } : {}),
            ...words.summary,
          },
        };
      } finally {
        contextual?.dispose();
      }
    },
    async evaluate(input) {
      const selected = labelledSentencesOf(input.corpus, input.selection);
      const encoder = storedWordEncoder(
        await input.readStoredFile(WORD_ENCODER_FILE),
        'SENTIMENT_NO_ENCODER',
        'The experiment',
      );
      const storedHashes = await input.readStoredFile(TRAINING_SENTENCES_FILE);
      const training = storedHashes
        ? new Set(
            parseStoredJson(
              TrainingSentencesSchema,
              JSON.parse(new TextDecoder().decode(storedHashes)) as unknown,
              TRAINING_SENTENCES_FILE,
              'training sentences',
            ).hashes,
          )
        : new Set<string>();
      const labels = input.labels.labels;
      const labelIndex = new Map(labels.map((label, i) => [label, i]));
      const contextual = await recordedLmOf(input.model, input.readStoredFile, input.config.name);
      let probabilities: Float32Array[];
      try {
        const examples = await examplesOf(
          encoder,
          selected.sentences,
          labelIndex,
          false,
          contextual,
          {
            onProgress: input.onProgress,
            signal: input.signal,
            what: 'evaluated sentences',
          },
        );
        probabilities = predictSentenceProbabilities(input.model, examples);
      } finally {
        contextual?.dispose();
      }
      const evaluation = scoreSentiment(
        selected.sentences.map((sentence, i) => ({
          id: sentence.id,
          text: sentence.text,
          words: sentence.words,
          gold: sentence.label,
          probabilities: probabilities[i] as Float32Array,
          inTraining: training.has(sentenceHash(sentence.words)),
        })),
        labels,
        input.labels.trainingCounts,
      );
      return {
        result: evaluation,
        headline: evaluation.accuracy,
        summary: {
          accuracy: evaluation.accuracy,
          majorityBaseline: evaluation.majorityBaseline,
          sentences: evaluation.sentences,
          macroF1: evaluation.report.macroF1,
          duplicatesOfTraining: evaluation.duplicatesOfTraining.count,
          ...(Object.keys(evaluation.goldLabelsOutsideModel).length > 0
            ? { goldLabelsOutsideModel: evaluation.goldLabelsOutsideModel }
            : {}),
        },
        details: {
          perClass: evaluation.report.perClass,
          cells: evaluation.cells,
          duplicatesOfTraining: evaluation.duplicatesOfTraining,
        },
        skipped: selected.skipped,
        predictions: evaluation.predictions,
        confusion: evaluation.confusion,
      };
    },
  };
