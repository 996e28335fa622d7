import { z } from 'zod';
import { ExperimentNameSchema } from '../names';
import { MAX_CLASSIFY_TEXT_LENGTH, type ClassifiedText } from '../sentiment';
import { request } from './define';

export const sentimentRequests = {
  /**
   * Classifies a text with a trained sentence classifier: every label's probability and each
   * token's leave-one-out attribution.
   */
  'sentiment:classify': request<ClassifiedText>()(
    z.object({ experiment: ExperimentNameSchema, text: z.string().max(MAX_CLASSIFY_TEXT_LENGTH) }),
  ),
} as const;
