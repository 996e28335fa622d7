/**
 * The sequence-to-sequence task's config (the encoder-decoder pattern: spelling -> phones,
 * sentence -> sentence). No Node import: the renderer reads it too.
 */
import { z } from 'zod';
import { DECODER_ATTENTIONS, LayerConfigSchema } from '../../rnn/model-config';
import { commonConfigFields } from './common-config';
import { MAX_DROPOUT } from './model-choices';

// The decoder's attention choices, for the Train form (declared once, in the model config).
export { DECODER_ATTENTIONS, type DecoderAttention } from '../../rnn/model-config';

/**
 * How a model's outputs are scored: `g2p` by word error rate (a whole output wrong, none of the
 * references) and phone (symbol) error rate; `translation` by BLEU and chrF (sacreBLEU's
 * defaults). Both keep each item's edit-distance alignment against its closest reference.
 */
export const SEQ2SEQ_SCORINGS = ['g2p', 'translation'] as const;
export type Seq2seqScoring = (typeof SEQ2SEQ_SCORINGS)[number];

/** The widest beam offered (a beam costs its width in decoder steps per output symbol). */
export const MAX_BEAM = 64;

/** Beam-search settings: width, and alpha of the length normalisation score = log P / length^alpha. */
export const Seq2seqDecodingSchema = z.object({
  beam: z.number().int().min(1).max(MAX_BEAM).default(5),
  /** 0 ranks by total log-probability (favours short outputs); 1 by log-probability per symbol. */
  lengthNormalization: z.number().min(0).max(2).default(1),
});
export type Seq2seqDecoding = z.infer<typeof Seq2seqDecodingSchema>;

/**
 * The encoder-decoder (Sutskever et al. 2014; Cho et al. 2014) as the engine runs it: a stack of
 * any engine cell reads the source (a layer may be bidirectional); a decoder stack of the same
 * cells and sizes, always unidirectional, starts from the encoder layers' final states (a
 * bidirectional layer's two through a learnt bridge) and predicts the target symbol by symbol
 * (teacher forcing in training), with `attention: 'additive'` also reading a weighted sum of the
 * encoder's steps (Bahdanau et al. 2015).
 */
export const Seq2seqModelSchema = z.object({
  layers: z.array(LayerConfigSchema).min(1),
  attention: z.enum(DECODER_ATTENTIONS).default('none'),
  sourceEmbeddingSize: z.number().int().positive().default(64),
  targetEmbeddingSize: z.number().int().positive().default(64),
  dropout: z.number().min(0).max(MAX_DROPOUT).default(0),
  residual: z.boolean().default(false),
});

export const Seq2seqConfigSchema = z
  .object({
    ...commonConfigFields,
    task: z.literal('seq2seq'),
    model: Seq2seqModelSchema,
    decoding: Seq2seqDecodingSchema.prefault({}),
    scoring: z.enum(SEQ2SEQ_SCORINGS).default('translation'),
  })
  .refine((config) => config.training.bptt?.kind !== 'truncated', {
    path: ['training', 'bptt'],
    message: 'an encoder-decoder reads whole sources: use bptt "full"',
  });
export type Seq2seqConfig = z.infer<typeof Seq2seqConfigSchema>;
export type Seq2seqConfigInput = z.input<typeof Seq2seqConfigSchema>;
