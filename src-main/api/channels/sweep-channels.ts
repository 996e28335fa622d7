import type { SweepData, SweepUpdatedData } from '../sweeps';
import { SweepNameParamsSchema, SweepResumeParamsSchema, SweepStartParamsSchema } from '../sweeps';
import { event, none, request } from './define';

export const sweepRequests = {
  /** Every sweep of the data folder (`<data>/sweeps/`), each as `sweeps:get` reads it. */
  'sweeps:list': request<SweepData[]>()(none),
  /** A sweep's plan, each run's state, its summary and, while it runs here, its live progress. */
  'sweeps:get': request<SweepData>()(SweepNameParamsSchema),
  /**
   * Expands and checks a sweep, then runs it on a local pool of job processes or, with `queue`,
   * on that queue's workers once the queue is checked (returns at once).
   */
  'sweeps:start': request<SweepData>()(SweepStartParamsSchema),
  /** Stops a running sweep: running runs are cancelled and keep their checkpoints. */
  'sweeps:stop': request<SweepData>()(SweepNameParamsSchema),
  /** Continues a stopped sweep with its plan: finished runs kept, the others resumed. */
  'sweeps:resume': request<SweepData>()(SweepResumeParamsSchema),
} as const;

export const sweepEvents = {
  'sweeps:updated': event<SweepUpdatedData>(),
} as const;
