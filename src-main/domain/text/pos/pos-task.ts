/**
 * Part-of-speech tagging (the transducer pattern over words): one tag per word, from a word
 * vector, a character CNN and a case class, through a (bi)recurrent stack. Scored with token,
 * unseen-word and sentence accuracy, per-tag precision/recall/F1 and the confusion matrix.
 */
import { parseConfigWith } from '../../experiments/config/experiment-config';
import type { PosConfig } from '../../experiments/config/text-config';
import { PosConfigSchema } from '../../experiments/config/text-config';
import type { ExperimentLabels } from '../../experiments/experiment-records';
import type { ExperimentTask } from '../../experiments/experiment-task';
import { UnfoldError } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import { parseModelConfig } from '../../rnn/model-config';
import type { SequenceExample } from '../../rnn/batching';
import { predictTokenProbabilities } from '../token-inference';
import type { WordEncoder } from '../word-encoder';
import { WORD_ENCODER_FILE, storedWordEncoder } from '../word-encoder';
import { scoreTagging } from './score-tagging';
import type { TaggingEvaluation } from './score-tagging';
import { checkTaggedCorpus, taggedSentencesOf } from './tagged-sentences';
import type { TaggedSentence } from './tagged-sentences';
import { plannedWordInput } from '../word-input-plan';
import {
  CONTEXTUAL_EMBEDDINGS_FILE,
  recordedLmOf,
  withContextualLayersInSteps,
} from '../contextual-embeddings';
import type { BidirectionalLm } from '../contextual-embeddings';

/** labels.json of a tagger: its tags in output order, and which column of a treebank they are. */
export interface TaggerLabels extends ExperimentLabels {
  tagSet: PosConfig['tagSet'];
}

/** The tags a tagger outputs: those of its training sentences, in code-point order. */
function tagSetOf(sentences: readonly TaggedSentence[]): string[] {
  const tags = new Set<string>();
  for (const sentence of sentences) for (const tag of sentence.tags) tags.add(tag);
  return [...tags].sort();
}

function examplesOf(
  encoder: WordEncoder,
  sentences: readonly TaggedSentence[],
  tagIndex: ReadonlyMap<string, number>,
  training: boolean,
  contextual: BidirectionalLm | null,
  options: LongOperationOptions & { what: string },
): Promise<SequenceExample[]> {
  const examples = sentences.map((sentence) => ({
    ...encoder.encode(sentence.words, { training }),
    length: sentence.words.length,
    // A gold tag the model lacks (evaluating on another corpus) is scored by scoreTagging, not here.
    target: Int32Array.from(sentence.tags, (tag) => tagIndex.get(tag) ?? 0),
  }));
  return withContextualLayersInSteps(
    contextual,
    examples,
    sentences.map((s) => s.words),
    options,
  );
}

export const posTask: ExperimentTask<PosConfig, TaggerLabels, TaggingEvaluation> = {
  name: 'pos',
  storedFiles: [WORD_ENCODER_FILE, CONTEXTUAL_EMBEDDINGS_FILE],
  parseConfig: (value) => parseConfigWith(PosConfigSchema, value),
  checkCorpus: (corpus) => checkTaggedCorpus(corpus),
  async prepareTraining(corpus, config, options) {
    const train = taggedSentencesOf(corpus, config.data.train, config.tagSet);
    if (train.sentences.length === 0)
      throw new UnfoldError(
        'POS_NO_SENTENCES',
        `No tagged sentence of ${corpus.manifest.name} is in splits ${config.data.train.splits.join(', ')}.`,
      );
    const dev = config.data.dev ? taggedSentencesOf(corpus, config.data.dev, config.tagSet) : null;
    const tags = tagSetOf(train.sentences);
    const tagIndex = new Map(tags.map((tag, i) => [tag, i]));
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
        pattern: 'transducer',
        input: words.input,
        layers: config.model.layers,
        dropout: config.model.dropout,
        residual: config.model.residual,
        variationalDropout: config.model.variationalDropout,
        output: { size: tags.length, activation: 'softmax' },
        seed: config.seed,
      });
      const progress = { onProgress: options.onProgress, signal: options.signal };
      const devExamples = dev
        ? await examplesOf(encoder, dev.sentences, tagIndex, false, contextual, {
            ...progress,
            what: 'dev set',
          })
        : null;
      const devUnknownTags = dev
        ? dev.sentences.flatMap((s) => s.tags).filter((tag) => !tagIndex.has(tag)).length
        : 0;
      return {
        labels: { task: 'pos', labels: tags, tagSet: config.tagSet },
        files: words.files,
        model,
        train: await examplesOf(encoder, train.sentences, tagIndex, true, contextual, {
          ...progress,
          what: 'training set',
        }),
        dev: devExamples,
        ...(words.initialParams ? { initialParams: words.initialParams } : {}),
        summary: {
          trainSentences: train.sentences.length,
          trainTokens: train.sentences.reduce((n, s) => n + s.words.length, 0),
          devSentences: dev?.sentences.length ?? 0,
          skippedSentences: [...train.skipped, ...(dev?.skipped ?? [])],
          characters: encoder.characterCount,
          ...(devUnknownTags > 0 ? { devTokensWithTagsNotInTraining: devUnknownTags } : {}),
          ...words.summary,
        },
      };
    } finally {
      contextual?.dispose();
    }
  },
  async evaluate(input) {
    const selected = taggedSentencesOf(input.corpus, input.selection, input.config.tagSet);
    const encoder = storedWordEncoder(
      await input.readStoredFile(WORD_ENCODER_FILE),
      'POS_NO_ENCODER',
      'The experiment',
    );
    const tags = input.labels.labels;
    const tagIndex = new Map(tags.map((tag, i) => [tag, i]));
    const contextual = await recordedLmOf(input.model, input.readStoredFile, input.config.name);
    let probabilities: Float32Array[];
    try {
      const examples = await examplesOf(encoder, selected.sentences, tagIndex, false, contextual, {
        onProgress: input.onProgress,
        signal: input.signal,
        what: 'evaluated sentences',
      });
      probabilities = predictTokenProbabilities(input.model, examples);
    } finally {
      contextual?.dispose();
    }
    const predicted = probabilities.map((probs, s) => {
      const length = (selected.sentences[s] as TaggedSentence).words.length;
      return Array.from({ length }, (_, i) => tags[argMaxRow(probs, i, tags.length)] as string);
    });
    const goldTags = new Set(selected.sentences.flatMap((s) => s.tags));
    const shared = [...goldTags].filter((tag) => tagIndex.has(tag)).length;
    if (goldTags.size > 0 && shared === 0)
      throw new UnfoldError(
        'POS_TAG_SETS_DIFFER',
        `None of the ${goldTags.size} gold tags of ${input.corpus.manifest.name} (${[...goldTags].slice(0, 8).join(', ')}${goldTags.size > 8 ? ', ...' : ''}) is a tag of this model (${tags.slice(0, 8).join(', ')}${tags.length > 8 ? ', ...' : ''}): it was trained on another tag set (${input.labels.tagSet.toUpperCase()}). Nothing was scored.`,
      );
    const evaluation = scoreTagging(
      selected.sentences.map((sentence, s) => ({
        id: sentence.id,
        words: sentence.words,
        gold: sentence.tags,
        predicted: predicted[s] as string[],
        unseen: sentence.words.map((word) => encoder.isUnseen(word)),
      })),
      tags,
    );
    return {
      result: evaluation,
      headline: evaluation.accuracy,
      summary: {
        accuracy: evaluation.accuracy,
        unseenAccuracy: evaluation.unseenAccuracy,
        unseenTokens: evaluation.unseenTokens,
        sentenceAccuracy: evaluation.sentenceAccuracy,
        tokens: evaluation.tokens,
        sentences: evaluation.sentences,
        macroF1: evaluation.report.macroF1,
        ...(Object.keys(evaluation.goldTagsOutsideModel).length > 0
          ? { goldTagsOutsideModel: evaluation.goldTagsOutsideModel }
          : {}),
      },
      details: { perClass: evaluation.report.perClass },
      skipped: selected.skipped,
      predictions: evaluation.predictions,
      confusion: evaluation.confusion,
    };
  },
};

/** Index of the largest of `classes` values in row `row` of a row-major matrix. */
export function argMaxRow(values: Float32Array, row: number, classes: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let k = 0; k < classes; k++) {
    const v = values[row * classes + k] as number;
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}
