/**
 * A trained sentence classifier, loaded to classify new text: tokenised with offsets, encoded,
 * run through the model, with every label's probability and, per token, a leave-one-out
 * attribution: how much the predicted label's probability drops when the token becomes the
 * unknown word (its word id the unknown id, its characters cleared, its case kept). The
 * sentence and all its variants go through the model in one batch.
 */
import { basename } from 'node:path';
import type { AttributedToken, ClassifiedText, LabelProbability } from '../../../api/sentiment';
import { initTfBackend } from '../../backend/tf-backend';
import { UnfoldError } from '../../errors';
import {
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from '../../experiments/experiment-records';
import type { SequenceExample } from '../../rnn/batching';
import type { RnnModel } from '../../rnn/rnn-model';
import { tokenizeText } from '../tokenize';
import { UNK_ID, UNK_TOKEN } from '../vocabulary';
import { loadModelWithRecordedLm, withContextualLayers } from '../contextual-embeddings';
import type { BidirectionalLm } from '../contextual-embeddings';
import type { WordEncoder } from '../word-encoder';
import { WORD_ENCODER_FILE, storedWordEncoder } from '../word-encoder';
import { predictSentenceProbabilities } from '../token-inference';
import type { SentimentLabels } from './sentiment-task';

export interface ClassifyOptions {
  /** Compute per-token attributions (one extra sentence per token through the model). */
  attributions?: boolean;
}

export interface SentimentClassifier {
  dir: string;
  name: string;
  labels: readonly string[];
  /** Classifies one text; a text without tokens gets no label. */
  classify(text: string, options?: ClassifyOptions): ClassifiedText;
  /** Classifies many texts in batches (no attributions). */
  classifyMany(texts: readonly string[]): ClassifiedText[];
  dispose(): void;
}

/** The sentence with token `t` replaced by the unknown word. */
export function withUnknownWord(example: SequenceExample, t: number): SequenceExample {
  const inputs = Int32Array.from(example.inputs);
  inputs[t] = UNK_ID;
  const variant: SequenceExample = { ...example, inputs };
  if (example.chars && example.charsPerToken) {
    const chars = Int32Array.from(example.chars);
    chars.fill(0, t * example.charsPerToken, (t + 1) * example.charsPerToken);
    variant.chars = chars;
  }
  return variant;
}

function probabilitiesOf(labels: readonly string[], row: Float32Array): LabelProbability[] {
  return labels.map((label, k) => ({ label, probability: row[k] ?? 0 }));
}

function argMax(row: Float32Array): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
  return best;
}

export function classifierFrom(
  dir: string,
  model: RnnModel,
  encoder: WordEncoder,
  labels: readonly string[],
  contextual: BidirectionalLm | null = null,
): SentimentClassifier {
  const experiment = basename(dir);
  const encodeAll = (sentences: readonly (readonly string[])[]): SequenceExample[] =>
    withContextualLayers(
      contextual,
      sentences.map((words) => ({
        ...encoder.encode(words, { training: false }),
        length: words.length,
        target: 0,
      })),
      sentences,
    );
  // With contextual embeddings a variant's biLM layers are those of its own words: the
  // sentence with that token replaced by the unknown word.
  const variantsOf = (words: readonly string[], example: SequenceExample): SequenceExample[] => {
    const replaced = words.map((_, t) => words.map((w, i) => (i === t ? UNK_TOKEN : w)));
    const layers = contextual ? contextual.layersOf(replaced) : null;
    return words.map((_, t) => ({
      ...withUnknownWord(example, t),
      ...(layers ? { contextual: layers[t]?.values } : {}),
    }));
  };
  const result = (
    text: string,
    row: Float32Array | null,
    tokens: AttributedToken[],
  ): ClassifiedText => {
    const best = row && row.length > 0 ? argMax(row) : null;
    return {
      experiment,
      text,
      label: best === null ? null : (labels[best] as string),
      probability: best === null ? null : ((row as Float32Array)[best] as number),
      probabilities: row && row.length > 0 ? probabilitiesOf(labels, row) : [],
      tokens,
      attributionMethod: 'leave-one-out-unknown-word',
    };
  };
  return {
    dir,
    name: experiment,
    labels,
    classify(text, { attributions = true } = {}) {
      const tokens = tokenizeText(text);
      if (tokens.length === 0) return result(text, null, []);
      const words = tokens.map((t) => t.text);
      const example = encodeAll([words])[0] as SequenceExample;
      const variants = attributions ? variantsOf(words, example) : [];
      // A token budget that keeps the sentence and all its variants in one model call.
      const budget = (variants.length + 1) * example.length;
      const rows = predictSentenceProbabilities(model, [example, ...variants], budget);
      const row = rows[0] as Float32Array;
      const best = argMax(row);
      const attributed: AttributedToken[] = attributions
        ? tokens.map((token, t) => ({
            ...token,
            attribution: (row[best] as number) - ((rows[t + 1] as Float32Array)[best] as number),
            unseen: encoder.isUnseen(token.text),
          }))
        : [];
      return result(text, row, attributed);
    },
    classifyMany(texts) {
      const words = texts.map((text) => tokenizeText(text).map((t) => t.text));
      const rows = predictSentenceProbabilities(model, encodeAll(words));
      return texts.map((text, i) => result(text, rows[i] as Float32Array, []));
    },
    dispose: () => {
      model.dispose();
      contextual?.dispose();
    },
  };
}

/** Loads a sentiment experiment's model and word encoder. */
export async function loadSentimentClassifier(dir: string): Promise<SentimentClassifier> {
  await initTfBackend();
  const config = await readExperimentConfig(dir);
  if (config.task !== 'sentiment')
    throw new UnfoldError(
      'TEXT_WRONG_TASK',
      `${dir} is a ${config.task} experiment; classifying sentences needs a sentiment experiment.`,
    );
  const labels = await readExperimentLabels<SentimentLabels>(dir);
  const encoder = storedWordEncoder(
    await readTaskFile(dir, WORD_ENCODER_FILE),
    'SENTIMENT_NO_ENCODER',
    dir,
  );
  const { model, contextual } = await loadModelWithRecordedLm(dir);
  return classifierFrom(dir, model, encoder, labels.labels, contextual);
}
