import { z } from 'zod';
import {
  DYNAMICS_SCALE_RANGE,
  MAX_DYNAMICS_STEPS,
  MAX_INSIDE_TEXT_LENGTH,
  type InsideDynamics,
  type InsideTrace,
} from '../inside';
import { CorpusNameSchema, DataPathSchema, ExperimentNameSchema } from '../names';
import { request } from './define';

/** What the network reads: a sentence, a corpus utterance (its id is looked up, never a path) or a WAV in the data folder. */
const InsideInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(MAX_INSIDE_TEXT_LENGTH) }),
  z.object({
    kind: z.literal('utterance'),
    corpus: CorpusNameSchema.optional(),
    utterance: z.string().min(1).max(500),
  }),
  z.object({ kind: z.literal('wav'), path: DataPathSchema }),
]);

const StepSchema = z.number().int().min(0);

export const insideRequests = {
  /** Gates, states, saturation, unit order and gradient norms of every layer for one input. */
  'inside:trace': request<InsideTrace>()(
    z.object({
      experiment: ExperimentNameSchema,
      input: InsideInputSchema,
      /** Per-step models: the loss at this output step only; null: the sequence loss. */
      outputStep: StepSchema.nullable().optional(),
      /** What the loss scores: the model's answer or the reference (absent: the reference when there is one). */
      lossTarget: z.enum(['answer', 'reference']).optional(),
    }),
  ),
  /** One layer run with no (or constant) input, its recurrent weights scaled. */
  'inside:dynamics': request<InsideDynamics>()(
    z.object({
      experiment: ExperimentNameSchema,
      input: InsideInputSchema,
      layer: z.string().min(1).max(100),
      startStep: StepSchema.nullable(),
      drive: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('zero') }),
        z.object({ kind: z.literal('constant'), value: z.number().finite() }),
      ]),
      scale: z.number().min(DYNAMICS_SCALE_RANGE.min).max(DYNAMICS_SCALE_RANGE.max),
      steps: z.number().int().min(1).max(MAX_DYNAMICS_STEPS),
    }),
  ),
} as const;
