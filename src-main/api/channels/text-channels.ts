import { z } from 'zod';
import { ExperimentNameSchema } from '../names';
import type { TaggedText } from '../text';
import { request } from './define';

/** The longest text a client may send to be tagged at once (a long article). */
export const MAX_TAG_TEXT_LENGTH = 100_000;

export const textRequests = {
  /** Tokenises a text and tags every token with a trained tagging experiment. */
  'text:tag': request<TaggedText>()(
    z.object({ experiment: ExperimentNameSchema, text: z.string().max(MAX_TAG_TEXT_LENGTH) }),
  ),
} as const;
