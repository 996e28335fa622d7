import { z } from 'zod';
import type { CrossValidationData } from '../cross-validation';
import { ExperimentNameSchema } from '../names';
import { request } from './define';

export const crossValidationRequests = {
  /**
   * A cross-validation's plan and the summary of its finished folds (per-fold figures, their
   * mean and sample sd), read while it runs and after.
   */
  'experiments:cross-validation': request<CrossValidationData>()(
    z.object({ name: ExperimentNameSchema }),
  ),
} as const;
