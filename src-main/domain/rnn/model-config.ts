import { z } from 'zod';
import { UnfoldError } from '../errors';
import { CELL_KINDS } from './cell-kinds';

/** One recurrent layer of a stack, as the UI and CLI edit it. */
export const LayerConfigSchema = z.object({
  cell: z.enum(CELL_KINDS),
  units: z.number().int().positive(),
  /** LSTMP recurrent projection size nr. */
  projection: z.number().int().positive().optional(),
  /** Elman activation. */
  activation: z.enum(['tanh', 'sigmoid']).optional(),
  /** Run a second layer backwards in time and combine both. */
  bidirectional: z.enum(['concat', 'sum']).optional(),
});

const FeatureInputSchema = z.object({
  kind: z.literal('features'),
  size: z.number().int().positive(),
});
/** The id token dropout replaces a word by when the config gives no `unknownId`. */
export const DEFAULT_UNKNOWN_ID = 1;
/** Uniform(-0.05, 0.05): Keras' default embedding initialiser. */
export const DEFAULT_EMBEDDING_INIT_RANGE = 0.05;

const TokenInputSchema = z.object({
  kind: z.literal('tokens'),
  vocabSize: z.number().int().positive(),
  embeddingSize: z.number().int().positive(),
  /** The id token dropout replaces a word by (DEFAULT_UNKNOWN_ID when absent). */
  unknownId: z.number().int().min(0).optional(),
  /** Keep 'embedding/embeddings' fixed (pre-trained vectors); absent = trained. */
  freezeEmbeddings: z.boolean().optional(),
  /**
   * Word vectors start uniform in ±this; absent: DEFAULT_EMBEDDING_INIT_RANGE. Kim (2014) and
   * PyTorch's N(0, 1) start them far larger, which changes what a tagger or classifier learns.
   */
  embeddingInitRange: z.number().positive().optional(),
  /**
   * Character CNN (Ma & Hovy 2016): char embeddings, `filters` filters over windows of `width`
   * chars, max over positions. Char id 0 is padding.
   */
  chars: z
    .object({
      vocabSize: z.number().int().positive(),
      embeddingSize: z.number().int().positive(),
      filters: z.number().int().positive(),
      width: z.number().int().positive(),
    })
    .optional(),
  /** Case-class embedding (one class id per token). */
  cases: z
    .object({
      count: z.number().int().positive(),
      embeddingSize: z.number().int().positive(),
    })
    .optional(),
  /**
   * Contextual embeddings from a frozen model (a bidirectional LM, Peters et al. 2018): per token
   * `layers` vectors of `size` come with the batch (`contextualInputs`), and a learnt scalar mix
   * (softmax-normalised weights `embedding/scalar_mix/weights` times `embedding/scalar_mix/gamma`)
   * turns them into one vector of `size`, appended after the other token parts.
   */
  contextual: z
    .object({
      layers: z.number().int().positive(),
      size: z.number().int().positive(),
    })
    .optional(),
});

/**
 * How an encoder's per-step outputs become one vector: the last state, the mean or the max over
 * the real steps, or additive attention (a learnt weighting of the steps, attention-pooling.ts).
 */
export const POOLINGS = ['last', 'mean', 'max', 'attention'] as const;
export type PoolingConfig = (typeof POOLINGS)[number];

/**
 * A convolutional encoder instead of recurrent layers (Kim 2014): one bank of `filters` filters
 * per width (in steps), ReLU, max over time, the banks' features side by side.
 */
export const ConvolutionConfigSchema = z.object({
  widths: z.array(z.number().int().positive()).min(1),
  filters: z.number().int().positive(),
});
export type ConvolutionConfig = z.infer<typeof ConvolutionConfigSchema>;

/**
 * What an encoder-decoder's decoder reads of the source besides its start state: nothing
 * ('none', Sutskever 2014 / Cho 2014), or additive attention over the encoder's top outputs
 * (Bahdanau et al. 2015 scores, combined after the decoder stack: decoder-attention.ts).
 */
export const DECODER_ATTENTIONS = ['none', 'additive'] as const;
export type DecoderAttention = (typeof DECODER_ATTENTIONS)[number];

/**
 * A whole model as plain JSON. Patterns:
 * - transducer: one output per input step (acoustic model, tagger);
 * - encoder: one output per sequence, from the last state or a pooled state of the recurrent
 *   layers, or from a `convolution` with max over time (then there are no recurrent layers);
 * - decoder: next-token prediction over token input (language model, sampling);
 * - encoder-decoder: `layers` encode the source, `decoder.layers` generate the target from the
 *   encoder's final states (Sutskever 2014 / Cho 2014), teacher-forced in training; a
 *   bidirectional encoder layer reaches its decoder layer through a bridge; optionally additive
 *   attention over the encoder's steps (`decoder.attention`).
 */
export const ModelConfigSchema = z
  .object({
    format: z.literal('unfold-rnn').default('unfold-rnn'),
    version: z.literal(1).default(1),
    name: z.string().default('model'),
    pattern: z.enum(['transducer', 'encoder', 'decoder', 'encoder-decoder']),
    input: z.discriminatedUnion('kind', [FeatureInputSchema, TokenInputSchema]),
    /** The recurrent layers; none when a `convolution` encodes the input. */
    layers: z.array(LayerConfigSchema),
    convolution: ConvolutionConfigSchema.optional(),
    decoder: z
      .object({
        vocabSize: z.number().int().positive(),
        embeddingSize: z.number().int().positive(),
        layers: z.array(LayerConfigSchema).min(1),
        attention: z.enum(DECODER_ATTENTIONS).default('none'),
      })
      .optional(),
    /** Add each layer's input to its output where the sizes match (He et al. style). */
    residual: z.boolean().default(false),
    /**
     * Dropout on the input of every recurrent layer and on the input of the output layer (with a
     * convolution: on its pooled features, as Kim 2014).
     */
    dropout: z.number().min(0).max(0.95).default(0),
    /**
     * Variational dropout (Gal & Ghahramani 2016): the dropout on a sequence's layer inputs and
     * output-layer input draws one mask per sequence, shared by all its time steps, instead of
     * one per step.
     */
    variationalDropout: z.boolean().default(false),
    pooling: z.enum(POOLINGS).default('last'),
    output: z.object({
      size: z.number().int().positive(),
      activation: z.enum(['softmax', 'sigmoid', 'linear']).default('softmax'),
      /**
       * Decoder: the output layer's kernel is the transposed input embedding table (Press & Wolf
       * 2017; Inan et al. 2017), so it has no `output/kernel` of its own (its bias stays). The
       * top layer's output size must equal the embedding size, the output size the vocabulary.
       */
      tiedEmbeddings: z.boolean().optional(),
    }),
    seed: z.number().int().default(1),
    /**
     * Decoder only: a forward and a backward language model (Peters et al. 2018) sharing the
     * token input and the output layer. The batch's first half of rows is text read forwards and
     * goes through `encoder/layer{l}/fw/*`; the second half is text read backwards (reversed
     * streams) and goes through `encoder/layer{l}/bw/*`; states are carried per row as usual.
     */
    bidirectionalLm: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.convolution) {
      if (config.pattern !== 'encoder')
        ctx.addIssue({
          code: 'custom',
          path: ['convolution'],
          message:
            'a convolution with max over time encodes whole sequences: pattern must be encoder',
        });
      if (config.layers.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['layers'],
          message: 'a convolution encoder has no recurrent layers: give "layers": []',
        });
      if (config.pooling !== 'max')
        ctx.addIssue({
          code: 'custom',
          path: ['pooling'],
          message: 'a convolution encoder pools by max over time: "pooling" must be "max"',
        });
    } else if (config.layers.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['layers'],
        message: 'a model needs at least one recurrent layer (or an encoder "convolution")',
      });
    }
    for (const [index, layer] of [...config.layers, ...(config.decoder?.layers ?? [])].entries()) {
      if (layer.cell === 'lstmp' && layer.projection === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', index, 'projection'],
          message: 'an lstmp layer needs "projection" (nr)',
        });
      }
      if (layer.cell !== 'lstmp' && layer.projection !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', index, 'projection'],
          message: 'only lstmp layers take "projection"',
        });
      }
    }
    if (config.pattern === 'encoder-decoder') {
      if (!config.decoder) {
        ctx.addIssue({
          code: 'custom',
          path: ['decoder'],
          message: 'an encoder-decoder needs a "decoder" section',
        });
        return;
      }
      if (config.decoder.layers.length !== config.layers.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['decoder', 'layers'],
          message: 'the decoder needs as many layers as the encoder (each starts from its state)',
        });
      }
      config.decoder.layers.forEach((layer, i) => {
        const enc = config.layers[i];
        if (
          enc &&
          (enc.cell !== layer.cell ||
            enc.units !== layer.units ||
            enc.projection !== layer.projection)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['decoder', 'layers', i],
            message: 'each decoder layer must match its encoder layer (cell, units, projection)',
          });
        }
        if (layer.bidirectional) {
          ctx.addIssue({
            code: 'custom',
            path: ['decoder', 'layers', i, 'bidirectional'],
            message: 'a decoder generates step by step: its layers are unidirectional',
          });
        }
      });
    }
    if (
      config.input.kind === 'tokens' &&
      config.input.unknownId !== undefined &&
      config.input.unknownId >= config.input.vocabSize
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['input', 'unknownId'],
        message: 'unknownId must be below vocabSize',
      });
    }
    if (config.bidirectionalLm) {
      if (config.pattern !== 'decoder')
        ctx.addIssue({
          code: 'custom',
          path: ['bidirectionalLm'],
          message: 'a bidirectional language model is a decoder: pattern must be decoder',
        });
      if (config.layers.some((layer) => layer.bidirectional))
        ctx.addIssue({
          code: 'custom',
          path: ['layers'],
          message:
            'a bidirectional language model runs each direction as its own stack: its layers are unidirectional',
        });
    }
    if (
      config.pattern === 'decoder' &&
      !config.bidirectionalLm &&
      config.input.kind === 'tokens' &&
      (config.input.chars || config.input.cases)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['input'],
        message: 'a decoder generates tokens one by one: it cannot take "chars" or "cases" input',
      });
    }
    if (config.output.tiedEmbeddings) {
      const input = config.input;
      const top = config.layers[config.layers.length - 1];
      if (config.pattern !== 'decoder' || input.kind !== 'tokens')
        ctx.addIssue({
          code: 'custom',
          path: ['output', 'tiedEmbeddings'],
          message: 'only a decoder over tokens predicts the units it reads: it alone can tie them',
        });
      else if (config.output.size !== input.vocabSize)
        ctx.addIssue({
          code: 'custom',
          path: ['output', 'size'],
          message: `tied embeddings predict the input vocabulary: the output size must be its ${input.vocabSize}`,
        });
      else if (top && layerOutputSize(top) !== input.embeddingSize)
        ctx.addIssue({
          code: 'custom',
          path: ['input', 'embeddingSize'],
          message: `tied embeddings read the top layer's output through the embedding table: the embedding size must equal that output size (${layerOutputSize(top)})`,
        });
      else if (input.freezeEmbeddings)
        ctx.addIssue({
          code: 'custom',
          path: ['input', 'freezeEmbeddings'],
          message: 'tied embeddings are the trained output layer: they cannot be frozen',
        });
    }
    if (config.pattern === 'decoder' && config.input.kind !== 'tokens') {
      ctx.addIssue({
        code: 'custom',
        path: ['input'],
        message: 'a decoder generates tokens: its input must be tokens',
      });
    }
  });

export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
export type LayerConfig = z.infer<typeof LayerConfigSchema>;
export type TokenInputConfig = z.infer<typeof TokenInputSchema>;

/** Validates a config read from JSON; the error names the first bad field. */
export function parseModelConfig(value: unknown): ModelConfig {
  const result = ModelConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new UnfoldError(
      'BAD_MODEL_CONFIG',
      `The model config is invalid at ${where}: ${issue?.message ?? 'unknown problem'}.`,
    );
  }
  return result.data;
}

/** Size of a layer's output after combining directions. */
export function layerOutputSize(layer: LayerConfig): number {
  const one = layer.cell === 'lstmp' ? (layer.projection ?? layer.units) : layer.units;
  return layer.bidirectional === 'concat' ? 2 * one : one;
}

/**
 * Size of what the output layer reads from the encoder stack: the convolution's features side by
 * side, or the top recurrent layer's output (every pooling keeps its size).
 */
export function encoderOutputSize(config: ModelConfig): number {
  if (config.convolution) return config.convolution.widths.length * config.convolution.filters;
  const top = config.layers[config.layers.length - 1];
  if (!top) throw new Error('a model without a convolution has recurrent layers');
  return layerOutputSize(top);
}

/** Size of the vectors the first layer reads: features, or word ++ char CNN ++ case embeddings. */
export function inputSizeOf(config: ModelConfig): number {
  const input = config.input;
  if (input.kind === 'features') return input.size;
  return (
    input.embeddingSize +
    (input.chars?.filters ?? 0) +
    (input.cases?.embeddingSize ?? 0) +
    (input.contextual?.size ?? 0)
  );
}
