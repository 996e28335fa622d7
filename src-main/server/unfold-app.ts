import { initTfBackend, type BackendInfo } from '../domain/backend/tf-backend';
import { createJobRunner, type JobRunner } from '../domain/jobs/job-runner';
import { createDispatcher, type Dispatch, type RequestHandlers } from './dispatcher';
import { createEventHub, type EventHub } from './event-hub';
import { createAppHandlers } from './handlers/app-handlers';
import { createCorpusHandlers } from './handlers/corpus-handlers';
import { createAudioHandlers } from './handlers/audio-handlers';
import type { HandlerContext } from './handlers/handler-context';
import { createJobHandlers } from './handlers/job-handlers';
import { createExperimentHandlers } from './handlers/experiment-handlers';
import { createLiveHandlers } from './handlers/live-handlers';
import { createTextHandlers } from './handlers/text-handlers';
import { createSentimentHandlers } from './handlers/sentiment-handlers';
import { createInsideHandlers } from './handlers/inside-handlers';
import { createCrossValidationHandlers } from './handlers/cross-validation-handlers';
import { createLmHandlers } from './handlers/lm-handlers';
import { createSeq2seqHandlers } from './handlers/seq2seq-handlers';
import { createSweepHandlers, disposeSweepSessions } from './handlers/sweep-handlers';
import { forkWorker, type WorkerEntry } from './worker-process';

export interface UnfoldAppOptions {
  dataDir: string;
  worker: WorkerEntry;
  version: string;
  env?: NodeJS.ProcessEnv;
  /** Set by the Electron shell. */
  electronVersion?: string | null;
  maxConcurrentJobs?: number;
}

export interface UnfoldApp {
  dispatch: Dispatch;
  events: EventHub;
  jobs: JobRunner;
  dispose(): Promise<void>;
}

/**
 * Everything the API does, independent of the transport: the Electron shell and
 * `unfold serve` both build one of these and only relay calls and events.
 */
export function createUnfoldApp(options: UnfoldAppOptions): UnfoldApp {
  const env = options.env ?? process.env;
  const events = createEventHub();
  const jobs = createJobRunner({
    dataDir: options.dataDir,
    spawnWorker: () => forkWorker(options.worker, env),
    maxConcurrent: options.maxConcurrentJobs ?? 1,
    onUpdate: (job) => events.emit('jobs:updated', job),
  });
  let backend: Promise<BackendInfo> | undefined;
  const context: HandlerContext = {
    dataDir: options.dataDir,
    version: options.version,
    env,
    electronVersion: options.electronVersion ?? null,
    events,
    jobs,
    backend: () => (backend ??= initTfBackend(env)),
    spawnJobProcess: () => forkWorker(options.worker, env),
  };

  // Each area adds its handlers here; the type makes a missing or extra channel a compile error.
  const handlers: RequestHandlers = {
    ...createAppHandlers(context),
    ...createJobHandlers(context),
    ...createCorpusHandlers(context),
    ...createAudioHandlers(context),
    ...createExperimentHandlers(context),
    ...createLiveHandlers(context),
    ...createTextHandlers(context),
    ...createSentimentHandlers(context),
    ...createInsideHandlers(context),
    ...createCrossValidationHandlers(context),
    ...createLmHandlers(context),
    ...createSeq2seqHandlers(context),
    ...createSweepHandlers(context),
  };

  return {
    dispatch: createDispatcher(handlers),
    events,
    jobs,
    dispose: async () => {
      await disposeSweepSessions(context);
      await jobs.dispose();
    },
  };
}
