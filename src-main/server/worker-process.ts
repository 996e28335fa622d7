import { fork, type ChildProcess } from 'node:child_process';

export interface WorkerEntry {
  /** The job worker script (out/main/worker.js when built). */
  path: string;
  /** Extra Node flags, e.g. a loader for running from source in tests. */
  execArgv?: string[];
  /** Heap limit of each job process, so that a runaway job fails alone. */
  maxHeapMb?: number;
}

/**
 * V8 flags of every job process. Training allocates many short-lived typed arrays (gate caches,
 * tensor copies) and a young generation of 64 MB instead of V8's default 16 collects them
 * far less often: +5-15% tagger training tokens/s (`npm run bench:text -- --only tagger
 * --skip-torch`, interleaved, 7 Dec 2026). It must be given at start: set later it is ignored.
 */
export const JOB_PROCESS_V8_FLAGS = ['--max-semi-space-size=64'] as const;

/**
 * For a benchmark that times Unfold in its own process: that process's heap flags and whether
 * they include every job-process flag, i.e. whether its figures are what a training job gets.
 */
export function processJobFlags(execArgv: readonly string[] = process.execArgv): {
  nodeFlags: string[];
  runsWithJobProcessFlags: boolean;
} {
  return {
    nodeFlags: execArgv.filter((flag) => flag.startsWith('--max')),
    runsWithJobProcessFlags: JOB_PROCESS_V8_FLAGS.every((flag) => execArgv.includes(flag)),
  };
}

/** Starts one job process with an IPC channel; stderr is kept for crash reports. */
export function forkWorker(entry: WorkerEntry, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const execArgv = [...JOB_PROCESS_V8_FLAGS, ...(entry.execArgv ?? [])];
  if (entry.maxHeapMb) execArgv.push(`--max-old-space-size=${entry.maxHeapMb}`);
  return fork(entry.path, [], {
    execArgv,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}
