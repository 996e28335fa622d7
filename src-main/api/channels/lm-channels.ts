import { z } from 'zod';
import {
  MAX_GENERATED_UNITS,
  MAX_LM_TEXT_LENGTH,
  MAX_NEXT_UNITS,
  MAX_POLYSEMY_NEIGHBOURS,
  type LmPolysemy,
  type LmTokenIndexState,
  type LmGeneratedPayload,
  type LmGenerationStarted,
  type LmGenerationStopped,
  type LmReading,
  type LmUnitPayload,
} from '../lm';
import { ExperimentNameSchema } from '../names';
import { event, request } from './define';

/** A generation's id, chosen by the client so that it knows its events before the reply. */
const GenerationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (at most 64)');

export const LmGenerateSchema = z.object({
  id: GenerationIdSchema,
  experiment: ExperimentNameSchema,
  /** Text to continue; empty: from the start of a sentence. */
  prompt: z.string().max(MAX_LM_TEXT_LENGTH).default(''),
  units: z.number().int().min(1).max(MAX_GENERATED_UNITS),
  /** 0: greedy; the model checks the rest (below 0 is an error it names). */
  temperature: z.number().default(1),
  topK: z.number().int().nullable().default(null),
  topP: z.number().nullable().default(null),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
});

export const lmRequests = {
  /** A text's units with their probabilities (surprisal), and the most probable next units. */
  'lm:read': request<LmReading>()(
    z.object({
      experiment: ExperimentNameSchema,
      text: z.string().max(MAX_LM_TEXT_LENGTH),
      top: z.number().int().min(1).max(MAX_NEXT_UNITS).default(10),
    }),
  ),
  /** Starts generating; the units come as lm:unit events, the end as lm:generated. */
  'lm:generate': request<LmGenerationStarted>()(LmGenerateSchema),
  /** Stops a generation between two units. */
  'lm:stop': request<LmGenerationStopped>()(z.object({ id: GenerationIdSchema })),
  /**
   * A bidirectional LM: one word of two sentences, the cosine of its static and contextual
   * vectors, and each occurrence's nearest tokens of the biLM's token index (built by the
   * lm-token-index job; null neighbours until then).
   */
  'lm:polysemy': request<LmPolysemy>()(
    z.object({
      experiment: ExperimentNameSchema,
      first: z.string().max(MAX_LM_TEXT_LENGTH),
      second: z.string().max(MAX_LM_TEXT_LENGTH),
      /** The word to compare; null: the longest word the sentences share. */
      word: z.string().max(100).nullable().default(null),
      neighbours: z.number().int().min(1).max(MAX_POLYSEMY_NEIGHBOURS).default(5),
    }),
  ),
  /** What a bidirectional LM's token index was built over (null: none built yet). */
  'lm:token-index': request<LmTokenIndexState>()(z.object({ experiment: ExperimentNameSchema })),
} as const;

export const lmEvents = {
  'lm:unit': event<LmUnitPayload>(),
  'lm:generated': event<LmGeneratedPayload>(),
} as const;
