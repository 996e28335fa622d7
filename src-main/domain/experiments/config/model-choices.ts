/**
 * The recurrent stack an experiment's model is built from, as a config names it. No Node import.
 */
import { z } from 'zod';
import { CELL_KINDS } from '../../rnn/cell-kinds';
import { LayerConfigSchema, POOLINGS } from '../../rnn/model-config';

export { CELL_KINDS };

/**
 * The base recurrent cell a form offers; peepholes and a projection turn an LSTM into the
 * engine's `peephole` or `lstmp` (CELL_KINDS).
 */
export const BASE_CELL_CHOICES = ['rnn', 'lstm', 'gru'] as const;
export type BaseCellChoice = (typeof BASE_CELL_CHOICES)[number];

/** How forms, legends and notes name the base cells. */
export const BASE_CELL_LABELS: Readonly<Record<BaseCellChoice, string>> = {
  rnn: 'Elman RNN',
  lstm: 'LSTM',
  gru: 'GRU',
};

/**
 * How an encoder's per-step outputs become one vector (sequence classification): every
 * pooling of the engine (last state, mean, max, attention).
 */
export const POOLING_CHOICES = POOLINGS;
export type Pooling = (typeof POOLING_CHOICES)[number];
export const DEFAULT_POOLING: Pooling = 'mean';

export const MAX_DROPOUT = 0.95;

export { MAX_LEARNING_RATE, ScheduleMilestonesSchema } from '../../rnn/train-config';

/** The recurrent layers, dropout and residual connections of a model; `pooling` where it applies. */
export const RecurrentStackSchema = z.object({
  layers: z.array(LayerConfigSchema).min(1),
  dropout: z.number().min(0).max(MAX_DROPOUT).default(0),
  pooling: z.enum(POOLING_CHOICES).default(DEFAULT_POOLING),
  residual: z.boolean().default(false),
  /** One dropout mask per sequence, shared by its time steps (the engine's model config). */
  variationalDropout: z.boolean().default(false),
});

/** How a bidirectional layer combines its two directions (the layer schema's own list). */
export const BIDIRECTIONAL_MERGES = LayerConfigSchema.shape.bidirectional.unwrap().options;
export type BidirectionalMerge = (typeof BIDIRECTIONAL_MERGES)[number];
/** What a layer made bidirectional without saying how gets: both directions side by side. */
export const DEFAULT_BIDIRECTIONAL_MERGE: BidirectionalMerge = 'concat';

/** An LSTMP layer's recurrent projection when none is given: half its cells (at least 1). */
export function defaultProjection(units: number): number {
  return Math.max(1, Math.floor(units / 2));
}
