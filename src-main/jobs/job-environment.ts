import type { LongOperationOptions } from '../domain/jobs/progress';

/** What every job function gets from the worker: the data folder, progress and cancellation. */
export interface JobEnvironment extends LongOperationOptions {
  dataDir: string;
}
