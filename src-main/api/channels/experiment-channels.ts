import { z } from 'zod';
import type {
  ExperimentDetail,
  ExperimentEvaluation,
  ExperimentListItem,
  ExperimentPreset,
} from '../experiments';
import { none, request } from './define';

/** An experiment's name: one folder under <data>/experiments, never a path. */
const ExperimentNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+$/, 'an experiment name, not a path')
  .refine((name) => name !== '.' && name !== '..' && !name.startsWith('.'), {
    message: 'an experiment name, not a path',
  });

const SplitNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_+-]+$/, 'a split name such as dev or test');

export const experimentRequests = {
  'experiments:list': request<ExperimentListItem[]>()(none),
  'experiments:get': request<ExperimentDetail>()(z.object({ name: ExperimentNameSchema })),
  'experiments:evaluation': request<ExperimentEvaluation>()(
    z.object({ name: ExperimentNameSchema, split: SplitNameSchema }),
  ),
  'experiments:presets': request<ExperimentPreset[]>()(
    z.object({ corpus: z.string().min(1).max(500) }),
  ),
} as const;
