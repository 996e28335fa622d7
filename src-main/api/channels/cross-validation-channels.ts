import { z } from 'zod';
import type { CrossValidationData } from '../cross-validation';
import { ExperimentNameSchema } from '../names';
import { none, request } from './define';

export const crossValidationRequests = {
  /**
   * A cross-validation's plan and the summary of its finished folds (per-fold figures, their
   * mean and sample sd), read while it runs and after.
   */
  'experiments:cross-validation': request<CrossValidationData>()(
    z.object({ name: ExperimentNameSchema }),
  ),
  /** Every cross-validation of the data folder, by name, each as `experiments:cross-validation` reads it. */
  'experiments:cross-validations': request<CrossValidationData[]>()(none),
} as const;
