/**
 * The text tasks' configs. Part-of-speech tagging is a transducer over words: one tag per
 * word of a sentence, from the word's embedding, its characters and its case. No Node import.
 */
import { z } from 'zod';
import { ConvolutionConfigSchema, DEFAULT_EMBEDDING_INIT_RANGE } from '../../rnn/model-config';
import { commonConfigFields } from './common-config';
import { MAX_DROPOUT, RecurrentStackSchema } from './model-choices';

/** Which column of a CoNLL-U corpus is the target: UPOS (the 17 universal tags) or XPOS (the treebank's own, Brown's tags). */
export const TAG_SETS = ['upos', 'xpos'] as const;
export type TagSetChoice = (typeof TAG_SETS)[number];
export const DEFAULT_TAG_SET: TagSetChoice = 'upos';

/** Character CNN settings (Ma & Hovy 2016 use 30-dimensional characters, 30 filters of width 3). */
export const CharRepresentationSchema = z.object({
  embeddingSize: z.number().int().positive().default(30),
  filters: z.number().int().positive().default(50),
  width: z.number().int().min(1).max(9).default(3),
});

/** Word vectors from a word2vec or GloVe text file, instead of random ones. */
export const PretrainedEmbeddingsSchema = z.object({
  /** The file (a path the user gave on the command line, or a file in the data folder). */
  file: z.string().min(1),
  /** Keep the whole table as initialised (the file's vectors and the random ones of the words it lacks). */
  freeze: z.boolean().default(false),
});

/**
 * Contextual embeddings from a trained bidirectional LM (Peters et al. 2018): each word also
 * gets the biLM's layers for it in its sentence, mixed by weights the task learns (softmax-
 * normalised, times a scale), appended to the word's vector. The biLM stays frozen.
 */
export const ContextualEmbeddingsSchema = z.object({
  /** A trained task-lm experiment with model.direction "bidirectional" (a name in the data folder, or a path). */
  experiment: z.string().min(1),
});
export type ContextualEmbeddingsChoice = z.infer<typeof ContextualEmbeddingsSchema>;
/** The field a task's `model` takes it in (absent or null: none). */
const contextualEmbeddingsField = {
  contextualEmbeddings: ContextualEmbeddingsSchema.nullable().optional(),
};

/** How words become vectors: the text ground every text task shares. */
export const WordInputSchema = z.object({
  /** Lower-case words before the vocabulary (the case survives in the case features). */
  lowercase: z.boolean().default(false),
  /** Words seen fewer times in training are unknown. */
  minCount: z.number().int().min(1).default(1),
  maxVocabulary: z.number().int().positive().default(50_000),
  /**
   * Word dropout: in training a word seen n times is replaced by the unknown word with
   * probability alpha / (alpha + n) (Kiperwasser & Goldberg 2016), so that the unknown word's
   * vector learns what rare words look like. 0 turns it off.
   */
  wordDropout: z.number().min(0).max(100).default(0.25),
  embeddingSize: z.number().int().positive().default(100),
  /** Word vectors (those a pre-trained file lacks included) start uniform in ±this. */
  embeddingInitRange: z.number().positive().max(10).default(DEFAULT_EMBEDDING_INIT_RANGE),
  pretrained: PretrainedEmbeddingsSchema.nullable().default(null),
  /** A small embedding of each word's case class (lower, Title, UPPER, digits, ...). */
  caseFeatures: z.boolean().default(true),
  caseEmbeddingSize: z.number().int().positive().default(8),
  /** A character CNN per word, so unseen words get a vector of their own; null for none. */
  chars: CharRepresentationSchema.nullable().default({ embeddingSize: 30, filters: 50, width: 3 }),
});
export type WordInput = z.infer<typeof WordInputSchema>;

export const PosConfigSchema = z.object({
  ...commonConfigFields,
  task: z.literal('pos'),
  tagSet: z.enum(TAG_SETS).default(DEFAULT_TAG_SET),
  words: WordInputSchema.prefault({}),
  model: RecurrentStackSchema.extend(contextualEmbeddingsField),
});
export type PosConfig = z.infer<typeof PosConfigSchema>;

/** The sentence encoders a sentiment model is built on, as config.model.kind names them. */
export const SENTENCE_ENCODERS = ['recurrent', 'cnn'] as const;
export type SentenceEncoder = (typeof SENTENCE_ENCODERS)[number];

/**
 * Kim's (2014) CNN sentence classifier, the baseline beside the recurrent encoder: a bank of
 * `filters` filters per width (in words) over the word vectors, ReLU, max over time, the banks
 * side by side, dropout, softmax. Kim's constraint of the output weights to norm 3 is left out
 * (Zhang & Wallace 2015 found it changed little).
 */
export const SentenceCnnSchema = ConvolutionConfigSchema.extend({
  kind: z.literal(SENTENCE_ENCODERS[1]),
  widths: ConvolutionConfigSchema.shape.widths.default([3, 4, 5]),
  filters: ConvolutionConfigSchema.shape.filters.default(100),
  /** On the pooled features, before the softmax. */
  dropout: z.number().min(0).max(MAX_DROPOUT).default(0.5),
  ...contextualEmbeddingsField,
});

/** The recurrent sentence encoder; configs written before the CNN existed have no `kind`. */
export const SentenceRecurrentSchema = RecurrentStackSchema.extend({
  kind: z.literal(SENTENCE_ENCODERS[0]).default(SENTENCE_ENCODERS[0]),
  ...contextualEmbeddingsField,
});

/**
 * Sentence classification (the encoder pattern): a (bi)recurrent stack over the words of a
 * sentence, its steps pooled into one vector (last state, mean, max or attention), or Kim's CNN
 * over them; a softmax over the corpus's labels. Characters are off by default: sentiment rests
 * on known words, and the character CNN costs as much as the word layer for little gain on
 * MR-sized data.
 */
export const SentimentConfigSchema = z
  .object({
    ...commonConfigFields,
    task: z.literal('sentiment'),
    words: WordInputSchema.extend({
      chars: CharRepresentationSchema.nullable().default(null),
      caseFeatures: z.boolean().default(false),
    }).prefault({}),
    model: z.discriminatedUnion('kind', [SentenceRecurrentSchema, SentenceCnnSchema]),
  })
  .refine((config) => config.training.bptt?.kind !== 'truncated', {
    path: ['training', 'bptt'],
    message: 'sentence classification labels whole sentences: use bptt "full"',
  });
export type SentimentConfig = z.infer<typeof SentimentConfigSchema>;
