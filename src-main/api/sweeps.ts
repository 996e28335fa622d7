/**
 * What the Train view's Sweeps section reads and sends (`sweeps:*`): a sweep's plan, each run's
 * state and live progress, and the summary (domain/sweeps/sweep-summary.ts writes these shapes
 * into summary.json); the sweep file's own schema is the domain's (sweep-spec.ts), checked in
 * main.
 */
import { z } from 'zod';
import type { JobProgressData } from './jobs';
import { DataNameSchema } from './names';

/** A run's state (mirrors domain/sweeps/sweep-folder.ts RunState; main assigns one to the other). */
export type SweepRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SweepRunStateData {
  experiment: string;
  status: SweepRunStatus;
  attempts: number;
  worker?: string;
  startedAt?: string;
  endedAt?: string;
  error?: { code: string; message: string };
}

/** A finished run's figures. */
export interface SweepRunFiguresData {
  epochs: number | null;
  bestEpoch: number | null;
  dev: { loss: number | null; accuracy: number | null };
  /** The numbers of its test evaluation (nested ones as `outer.inner`). */
  test: Record<string, number>;
}

export interface SweepRunSummaryData {
  index: number;
  experiment: string;
  values: Record<string, unknown>;
  status: SweepRunStatus;
  attempts: number;
  worker?: string;
  error?: { code: string; message: string };
  figures: SweepRunFiguresData | null;
}

export interface SweepSummaryData {
  name: string;
  task: string;
  corpus: string;
  fields: string[];
  counts: { runs: number; done: number; failed: number };
  complete: boolean;
  runs: SweepRunSummaryData[];
  time: string;
}

/** Local job processes a sweep started from the app may run at once. */
export const MAX_APP_SWEEP_WORKERS = 64;

/**
 * The environment variable of the process that runs Unfold (the app's main, `unfold serve`, the
 * CLI) that holds a queue's password: a page never sends it and nothing stores it.
 */
export const QUEUE_PASSWORD_ENV = 'UNFOLD_REDIS_PASSWORD';

/** Where main takes a queue's password from: its environment ({@link QUEUE_PASSWORD_ENV}) or nowhere. */
export const QUEUE_PASSWORD_SOURCES = ['environment', 'none'] as const;
export type QueuePasswordSource = (typeof QUEUE_PASSWORD_SOURCES)[number];

/** A host name or address as a client gives it (no scheme, no port). */
const HostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[\w.:-]+$/, 'a host name or an IP address, such as 0.0.0.0 or lab-pc-3');

/**
 * Runs a sweep's runs on a queue (BullMQ over Redis) for `unfold worker`s instead of this
 * machine's pool. Strict: a page that sends a password (or anything else) is refused.
 */
export const SweepQueueParamsSchema = z
  .object({
    /** `redis://[user@]HOST[:PORT][/DB]`; main refuses one with a password in it. */
    url: z.string().trim().min(1).max(2048),
    passwordSource: z.enum(QUEUE_PASSWORD_SOURCES).default('environment'),
    /** Where the workers' data endpoint listens (default loopback: workers on this machine only). */
    serveHost: HostSchema.optional(),
    /** The name workers reach this machine by (default: the serve host, or this machine's name). */
    advertiseHost: HostSchema.optional(),
    /** The workers' `--data` is this same data folder (a network drive): nothing is transferred. */
    sharedData: z.boolean().default(false),
  })
  .strict();

export type SweepQueueParams = z.output<typeof SweepQueueParamsSchema>;

const SweepNameSchema = z.object({ name: DataNameSchema });

export const SweepStartParamsSchema = z.object({
  /** The sweep's name: `<data>/sweeps/<name>`, its runs experiments `<name>-<i>`. */
  name: DataNameSchema,
  /**
   * The sweep file's content (domain/sweeps/sweep-spec.ts), checked in main with errors naming
   * the field; its `config` must be inline (a client names no files).
   */
  spec: z.record(z.string(), z.unknown()),
  /** Local job processes at once (default: the cores but one); not with `queue`. */
  workers: z.number().int().min(1).max(MAX_APP_SWEEP_WORKERS).optional(),
  /** Replace a previous sweep of that name and its runs' experiments. */
  replace: z.boolean().default(false),
  /** Run on this queue's workers instead of local job processes. */
  queue: SweepQueueParamsSchema.optional(),
});

export const SweepResumeParamsSchema = SweepNameSchema.extend({
  workers: z.number().int().min(1).max(MAX_APP_SWEEP_WORKERS).optional(),
  queue: SweepQueueParamsSchema.optional(),
});

export const SweepNameParamsSchema = SweepNameSchema;

/** A run of the plan as the section lists it (its whole config stays in main). */
export interface SweepPlanRunData {
  index: number;
  experiment: string;
  values: Record<string, unknown>;
}

/** A running run's latest progress, with when the sweep started it (for its ETA). */
export interface SweepRunProgressData {
  experiment: string;
  progress: JobProgressData;
  startedAt: string | null;
}

/** A sweep this app is running now. */
export interface SweepActivityData {
  /** Local job processes at once; null on a queue (each worker takes runs as its --concurrency allows). */
  workers: number | null;
  /** Where runs are run ("local pool on HOST", "queue redis://HOST:PORT ..."; never a password). */
  executor: string;
  startedAt: string;
  /** The whole sweep's progress. */
  progress: JobProgressData;
  /** The running runs' progress, by experiment. */
  runs: SweepRunProgressData[];
}

export interface SweepData {
  name: string;
  task: string;
  corpus: string;
  /** The varied fields, in table order. */
  fields: string[];
  runs: SweepPlanRunData[];
  /** Each run's state as the sweep last saved it, in plan order. */
  states: SweepRunStateData[];
  /** Null until the sweep has written one. */
  summary: SweepSummaryData | null;
  /** Null when no sweep of this name runs in this app. */
  active: SweepActivityData | null;
  /** How the last run of it in this app ended, when it ended with an error. */
  lastError: { code: string; message: string } | null;
}

/** `sweeps:updated`: a sweep's state changed (a run started, progressed or ended; it stopped). */
export interface SweepUpdatedData {
  name: string;
  /** Null once it no longer runs. */
  active: SweepActivityData | null;
  /** The run that changed, when one did. */
  run: SweepRunStateData | null;
  lastError: { code: string; message: string } | null;
}
