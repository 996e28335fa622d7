import { access, constants } from 'node:fs/promises';
import type { AppInfo, BackendStatus } from '../api/app';
import { initTfBackend, type BackendInfo } from '../domain/backend/tf-backend';
import { runDoctor } from '../domain/doctor/doctor';
import { findElectronInstall } from '../domain/doctor/electron-install';
import { createSystemProbes } from '../domain/doctor/system-probes';
import { createJobRunner, type JobRunner } from '../domain/jobs/job-runner';
import { createDispatcher, type Dispatch, type RequestHandlers } from './dispatcher';
import { createEventHub, type EventHub } from './event-hub';
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
  const getBackend = (): Promise<BackendInfo> => (backend ??= initTfBackend(env));
  const backendStatus = async (): Promise<BackendStatus> => {
    const info = await getBackend();
    return { name: info.name, reason: info.reason, forced: info.forced, simd: info.simd };
  };

  const handlers: RequestHandlers = {
    'app:info': (): AppInfo => ({
      name: 'Unfold',
      version: options.version,
      dataDir: options.dataDir,
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.version,
      electronVersion: options.electronVersion ?? null,
    }),
    'app:backend': backendStatus,
    'app:doctor': async () =>
      runDoctor({
        nodeVersion: process.version,
        runningElectronVersion: options.electronVersion ?? null,
        electron: findElectronInstall(),
        dataDir: options.dataDir,
        dataDirWritable: await access(options.dataDir, constants.W_OK).then(
          () => true,
          () => false,
        ),
        backend: getBackend,
        probes: createSystemProbes(env),
      }),
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ id }) => jobs.get(id),
    'jobs:start': (spec) => jobs.start(spec),
    'jobs:cancel': ({ id }) => jobs.cancel(id),
  };

  return {
    dispatch: createDispatcher(handlers),
    events,
    jobs,
    dispose: () => jobs.dispose(),
  };
}
