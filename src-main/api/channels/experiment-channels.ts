import { z } from 'zod';
import type {
  ExperimentDetail,
  ExperimentEvaluation,
  ExperimentListItem,
  ExperimentPreset,
  Posteriorgram,
} from '../experiments';
import { CorpusNameSchema, DataPathSchema, ExperimentNameSchema } from '../names';
import { none, request } from './define';

export { ExperimentNameSchema };

const SplitNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_+-]+$/, 'a split name such as dev or test');

export const experimentRequests = {
  'experiments:list': request<ExperimentListItem[]>()(none),
  'experiments:get': request<ExperimentDetail>()(z.object({ name: ExperimentNameSchema })),
  /** An evaluation of an experiment: on its own corpus without `corpus`, else on that corpus. */
  'experiments:evaluation': request<ExperimentEvaluation>()(
    z.object({
      name: ExperimentNameSchema,
      split: SplitNameSchema,
      corpus: CorpusNameSchema.optional(),
    }),
  ),
  /** Per-frame phone posteriors of one utterance of a split, or of a WAV in the data folder. */
  'experiments:posteriorgram': request<Posteriorgram>()(
    z.union([
      z.object({
        name: ExperimentNameSchema,
        split: SplitNameSchema,
        /** The corpus of the evaluation when it is not the experiment's own. */
        corpus: CorpusNameSchema.optional(),
        utteranceId: z.string().min(1).max(500),
      }),
      z.object({ name: ExperimentNameSchema, path: DataPathSchema }),
    ]),
  ),
  'experiments:presets': request<ExperimentPreset[]>()(z.object({ corpus: CorpusNameSchema })),
} as const;
