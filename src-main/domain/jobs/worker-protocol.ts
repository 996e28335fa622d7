import type { JobSpec } from '../../api/jobs';
import type { ErrorData } from '../errors';
import type { Progress } from './progress';

/** Messages from the app to a job's process. */
export type ToWorkerMessage =
  { type: 'start'; spec: JobSpec; dataDir: string } | { type: 'cancel' };

/** Messages from a job's process to the app; exactly one terminal message ends a job. */
export type FromWorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'succeeded'; result: unknown }
  | { type: 'failed'; error: ErrorData }
  | { type: 'cancelled' };
