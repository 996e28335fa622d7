import { z } from 'zod';
import { ExperimentNameSchema } from '../names';
import { MAX_BEAM, MAX_SEQ2SEQ_TEXT_LENGTH, type Seq2seqTranslation } from '../seq2seq';
import { request } from './define';

export const seq2seqRequests = {
  /**
   * Decodes a text with a trained seq2seq experiment: the source units, the beam's n-best
   * outputs with their scores and, with attention, each output's attention matrix. Without a
   * beam, the experiment's own (its config's decoding.beam).
   */
  'seq2seq:translate': request<Seq2seqTranslation>()(
    z.object({
      experiment: ExperimentNameSchema,
      text: z.string().max(MAX_SEQ2SEQ_TEXT_LENGTH),
      beam: z.number().int().min(1).max(MAX_BEAM).optional(),
    }),
  ),
} as const;
