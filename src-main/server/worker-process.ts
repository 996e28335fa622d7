import { fork, type ChildProcess } from 'node:child_process';

export interface WorkerEntry {
  /** The job worker script (out/main/worker.js when built). */
  path: string;
  /** Extra Node flags, e.g. a loader for running from source in tests. */
  execArgv?: string[];
  /** Heap limit of each job process, so that a runaway job fails alone. */
  maxHeapMb?: number;
}

/** Starts one job process with an IPC channel; stderr is kept for crash reports. */
export function forkWorker(entry: WorkerEntry, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const execArgv = [...(entry.execArgv ?? [])];
  if (entry.maxHeapMb) execArgv.push(`--max-old-space-size=${entry.maxHeapMb}`);
  return fork(entry.path, [], {
    execArgv,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}
