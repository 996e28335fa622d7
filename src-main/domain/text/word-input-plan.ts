/**
 * The input side of a word-level text task's training plan, made the same way by every such
 * task (tagging, sentiment): the word encoder built from the training sentences, the pretrained
 * vectors it starts from when the config names some, and the biLM's contextual embeddings when
 * one is chosen.
 */
import type { WordInput } from '../experiments/config/text-config';
import type { TaskDataOptions } from '../experiments/experiment-task';
import { throwIfAborted } from '../errors';
import type { ModelConfigInput } from '../rnn/model-config';
import { plannedContextualEmbeddings } from './contextual-embeddings';
import type { BidirectionalLm } from './contextual-embeddings';
import { loadPretrainedVectors } from './pretrained-vectors';
import { WORD_ENCODER_FILE, WordEncoder } from './word-encoder';

export interface PlannedWordInput {
  encoder: WordEncoder;
  /** The biLM whose layers the model reads, or null: the caller disposes it. */
  contextual: BidirectionalLm | null;
  /** The model config's `input`. */
  input: ModelConfigInput['input'];
  /** Files kept beside the model: the word encoder's and the biLM's record. */
  files: Record<string, Uint8Array>;
  /** The parameters training starts from: the pretrained vectors, when the config names some. */
  initialParams: Record<string, Float32Array> | undefined;
  /** For the plan's summary: vocabulary size, pretrained coverage, the biLM's. */
  summary: Record<string, unknown>;
}

export async function plannedWordInput(
  trainingWords: string[][],
  words: WordInput,
  contextualEmbeddings: { experiment: string } | null | undefined,
  options: TaskDataOptions,
): Promise<PlannedWordInput> {
  const encoder = WordEncoder.fromTraining(trainingWords, words);
  throwIfAborted(options.signal);
  const pretrained = words.pretrained ? await loadPretrainedVectors(encoder, words, options) : null;
  const extra = await plannedContextualEmbeddings(contextualEmbeddings, options.dataDir);
  return {
    encoder,
    contextual: extra.lm,
    input: { ...encoder.modelInput(words), ...extra.input },
    files: { [WORD_ENCODER_FILE]: encoder.toBytes(), ...extra.files },
    initialParams: pretrained ? { 'embedding/embeddings': pretrained.table } : undefined,
    summary: {
      vocabulary: encoder.vocabularySize,
      ...(pretrained ? { pretrainedCoverage: pretrained.coverage } : {}),
      ...extra.summary,
    },
  };
}
