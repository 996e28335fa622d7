/**
 * The language-model task's config (the decoder pattern): a word- or character-level recurrent
 * LM over a text corpus's sentences, trained with truncated BPTT and the state carried from
 * window to window, scored by perplexity beside an interpolated Kneser-Ney n-gram model built
 * from the same training text. No Node import.
 */
import { z } from 'zod';
import { ExperimentTrainingSchema, commonConfigFields } from './common-config';
import { RecurrentStackSchema } from './model-choices';
import { CharRepresentationSchema, WordInputSchema } from './text-config';

/** What one step of the model reads and predicts: a word, or a character (a code point of the NFC text). */
export const LM_LEVELS = ['word', 'char'] as const;
export type LmLevel = (typeof LM_LEVELS)[number];

/**
 * How a line of plain or labelled text becomes words: the text ground's Penn-style tokenizer,
 * or splitting at white space (for corpora that come tokenised, such as the Penn Treebank LM
 * data). CoNLL-U corpora always use their own word forms.
 */
export const LM_TOKENIZERS = ['text', 'whitespace'] as const;
export type LmTokenizer = (typeof LM_TOKENIZERS)[number];

/**
 * Which way the model reads the text: forwards only (the next unit from the past), or both ways
 * as Peters et al. (2018)'s biLM: a forward and a backward LSTM LM (the backward one reads the
 * text reversed) sharing a character-based word representation and the softmax, whose layers
 * give contextual embeddings (`unfold embed`, the taggers' `contextualEmbeddings`).
 */
export const LM_DIRECTIONS = ['forward', 'bidirectional'] as const;
export type LmDirection = (typeof LM_DIRECTIONS)[number];

/**
 * Whether a config (as stored, read loosely) is a bidirectional LM's: the experiments whose
 * layers a tagger's or classifier's `model.contextualEmbeddings` can name.
 */
export function isBidirectionalLmConfig(config: { task?: unknown; model?: unknown }): boolean {
  const model = config.model as { direction?: unknown } | null | undefined;
  return config.task === 'lm' && model?.direction === LM_DIRECTIONS[1];
}

/** The Kneser-Ney baseline's orders (bigram to 5-gram). */
export const KN_MIN_ORDER = 2;
export const KN_MAX_ORDER = 5;
export const DEFAULT_KN_ORDER = 5;

/** The truncated-BPTT window when the config gives none (Zaremba et al. 2014 use 20 and 35). */
export const DEFAULT_LM_WINDOW = 35;

/**
 * The units the model reads and their vocabulary: the text ground's word settings (at level
 * `char` they count characters), read by a tokenizer of the config's choice. A unit counted
 * fewer than `minCount` times in training, or past the `maxVocabulary` most frequent, is the
 * unknown unit `<unk>`. A forward decoder reads one id per step, so characters per word (a
 * bidirectional LM's alone), case features and pre-trained vectors are refused rather than
 * ignored; word dropout (off by default) swaps rare input units for `<unk>` while the targets stay.
 */
export const LmUnitsSchema = WordInputSchema.extend({
  tokenizer: z.enum(LM_TOKENIZERS).default('text'),
  embeddingSize: z.number().int().positive().default(200),
  wordDropout: z.number().min(0).max(100).default(0),
  chars: CharRepresentationSchema.nullable().default(null),
  caseFeatures: z.boolean().default(false),
}).superRefine((words, ctx) => {
  const refused = [
    words.caseFeatures ? 'caseFeatures' : null,
    words.pretrained !== null ? 'pretrained (word vectors from a file)' : null,
  ].filter((what): what is string => what !== null);
  if (refused.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `a language model reads and predicts one unit id per step: it takes no ${refused.join(', ')}`,
    });
});
export type LmUnits = z.infer<typeof LmUnitsSchema>;

/** The recurrent stack of a language model: unidirectional layers of any engine cell (pooling unused). */
export const LmModelSchema = RecurrentStackSchema.extend({
  direction: z.enum(LM_DIRECTIONS).default('forward'),
  layers: RecurrentStackSchema.shape.layers.refine(
    (layers) => layers.every((layer) => !layer.bidirectional),
    {
      message: 'a language model predicts the next unit from the past only: no bidirectional layer',
    },
  ),
});

/** The n-gram baseline scored beside the recurrent model on every evaluation; null for none. */
export const KneserNeyBaselineSchema = z.object({
  order: z.number().int().min(KN_MIN_ORDER).max(KN_MAX_ORDER).default(DEFAULT_KN_ORDER),
});

/**
 * Training as stateful language models are trained: the training text is cut into
 * `batchSize` streams, windows of `bptt.window` steps walk all streams at once and each window
 * starts from the previous one's final state (gradient cut at the boundary). The dev loss picks
 * the best epoch (`monitor: loss`), so a plateau schedule halves the rate when dev stops
 * improving (Mikolov's schedule).
 */
export const LmTrainingSchema = ExperimentTrainingSchema.extend({
  bptt: ExperimentTrainingSchema.shape.bptt.default({
    kind: 'truncated',
    window: DEFAULT_LM_WINDOW,
  }),
  monitor: ExperimentTrainingSchema.shape.monitor.default('loss'),
  bucketing: ExperimentTrainingSchema.shape.bucketing.default(false),
}).refine((training) => training.bptt?.kind === 'truncated', {
  path: ['bptt'],
  message:
    'a language model trains on long streams with truncated BPTT: give bptt { kind: "truncated", window }',
});

export const LmConfigSchema = z
  .object({
    ...commonConfigFields,
    task: z.literal('lm'),
    level: z.enum(LM_LEVELS).default('word'),
    words: LmUnitsSchema.prefault({}),
    model: LmModelSchema,
    training: LmTrainingSchema,
    baseline: KneserNeyBaselineSchema.nullable().default({ order: DEFAULT_KN_ORDER }),
    /**
     * Tie the input embeddings and the output layer (Press & Wolf 2017; Inan et al. 2017): the
     * softmax reads the top layer's output through the embedding table, which saves a
     * vocabulary x size matrix and often lowers perplexity. The embedding size must equal the top
     * layer's output size.
     */
    tiedEmbeddings: z.boolean().default(false),
  })
  .superRefine((config, ctx) => {
    if (config.model.direction === 'bidirectional') refineBidirectionalLm(config, ctx);
    else if (config.words.chars !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['words', 'chars'],
        message:
          'a forward language model reads and predicts one unit id per step: it takes no chars (a character CNN per word); a bidirectional one (model.direction "bidirectional") does',
      });
    const top = config.model.layers[config.model.layers.length - 1];
    if (!config.tiedEmbeddings || !top) return;
    const size = top.cell === 'lstmp' ? (top.projection ?? top.units) : top.units;
    if (config.words.embeddingSize !== size)
      ctx.addIssue({
        code: 'custom',
        path: ['words', 'embeddingSize'],
        message: `tied embeddings read the top layer's output through the embedding table: words.embeddingSize must equal that layer's output size (${size}), not ${config.words.embeddingSize}`,
      });
  });
export type LmConfig = z.infer<typeof LmConfigSchema>;

/** What an output size of a layer is (an LSTMP's projection, else its units). */
function layerSize(layer: {
  cell: string;
  units: number;
  projection?: number | undefined;
}): number {
  return layer.cell === 'lstmp' ? (layer.projection ?? layer.units) : layer.units;
}

/**
 * A biLM reads words through their characters and mixes its layers: word level, a character
 * CNN, and every layer as wide as the token representation (word vector ++ char CNN), so that
 * layer 0 (that representation, once per direction) and each layer's two directions have one
 * size (Peters et al. 2018 project to 512 throughout).
 */
function refineBidirectionalLm(
  config: {
    level: LmLevel;
    words: LmUnits;
    model: z.infer<typeof LmModelSchema>;
    tiedEmbeddings: boolean;
  },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: (string | number)[], message: string): void =>
    ctx.addIssue({ code: 'custom', path, message });
  if (config.level !== 'word')
    issue(
      ['level'],
      'a bidirectional language model reads words through their characters: level must be "word"',
    );
  const chars = config.words.chars;
  if (chars === null) {
    issue(
      ['words', 'chars'],
      'a bidirectional language model needs words.chars (its character-based word representation)',
    );
    return;
  }
  if (config.tiedEmbeddings)
    issue(
      ['tiedEmbeddings'],
      'a bidirectional language model reads characters too: its softmax cannot be tied to the word table',
    );
  const tokenSize = config.words.embeddingSize + chars.filters;
  config.model.layers.forEach((layer, l) => {
    if (layerSize(layer) !== tokenSize)
      issue(
        ['model', 'layers', l],
        `a bidirectional language model's layers are as wide as its token representation (words.embeddingSize ${config.words.embeddingSize} + words.chars.filters ${chars.filters} = ${tokenSize}) so that its layers mix: layer ${l + 1} outputs ${layerSize(layer)}`,
      );
  });
}
