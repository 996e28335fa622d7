import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { JobInfo, JobResults, JobSpec } from '../../api/jobs';
import { jobSubject, jobTitle } from './job-description';
import { UnfoldError, type ErrorData } from '../errors';
import type { FromWorkerMessage, ToWorkerMessage } from './worker-protocol';

export interface JobRunnerOptions {
  /** Starts one job process (a Node child with an IPC channel). */
  spawnWorker: () => ChildProcess;
  dataDir: string;
  /** Jobs running at once; the rest wait in a queue. */
  maxConcurrent?: number;
  /** How long a cancelled job may take to stop by itself before its process is killed. */
  cancelGraceMs?: number;
  onUpdate?: (job: JobInfo) => void;
}

export interface JobRunner {
  start(spec: JobSpec): JobInfo;
  cancel(id: string): JobInfo;
  get(id: string): JobInfo;
  list(): JobInfo[];
  /** Resolves when the job has ended (succeeded, failed or cancelled). */
  whenEnded(id: string): Promise<JobInfo>;
  /** Kills every job process; queued jobs are cancelled. */
  dispose(): Promise<void>;
}

interface JobRecord {
  info: JobInfo;
  spec: JobSpec;
  child?: ChildProcess;
  cancelRequested: boolean;
  killTimer?: NodeJS.Timeout;
  stderrTail: string;
  ended: Promise<JobInfo>;
  resolveEnded: (job: JobInfo) => void;
}

const STDERR_TAIL_CHARS = 4000;
const ENDED_STATES = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Runs each long job in its own process, so that a crash or an out-of-memory ends that job and
 * not the app. Owns job ids and states and reports every change through `onUpdate`.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const maxConcurrent = options.maxConcurrent ?? 1;
  const cancelGraceMs = options.cancelGraceMs ?? 3000;
  const jobs = new Map<string, JobRecord>();
  const queue: JobRecord[] = [];
  let running = 0;

  function snapshot(record: JobRecord): JobInfo {
    return structuredClone(record.info);
  }

  function update(record: JobRecord, patch: Partial<JobInfo>): void {
    Object.assign(record.info, patch);
    options.onUpdate?.(snapshot(record));
  }

  function finish(record: JobRecord, patch: Partial<JobInfo>): void {
    if (ENDED_STATES.has(record.info.state)) return;
    clearTimeout(record.killTimer);
    update(record, { ...patch, endedAt: new Date().toISOString() });
    if (record.child) {
      running--;
      record.child = undefined;
    }
    record.resolveEnded(snapshot(record));
    pump();
  }

  function pump(): void {
    while (running < maxConcurrent && queue.length > 0) {
      const record = queue.shift();
      if (record) launch(record);
    }
  }

  function launch(record: JobRecord): void {
    let child: ChildProcess;
    try {
      child = options.spawnWorker();
    } catch (error) {
      finish(record, { state: 'failed', error: failure('JOB_START_FAILED', error) });
      return;
    }
    record.child = child;
    running++;
    update(record, { state: 'running', startedAt: new Date().toISOString() });

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      record.stderrTail = (record.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message: FromWorkerMessage) => onWorkerMessage(record, message));
    child.on('error', (error) => {
      finish(record, { state: 'failed', error: failure('JOB_PROCESS_ERROR', error) });
    });
    // 'close', not 'exit': 'exit' can come before the last of stderr (the out-of-memory
    // message read below) and before the last IPC messages (a job's 'succeeded') are read.
    child.on('close', (code, signal) => {
      if (ENDED_STATES.has(record.info.state)) return;
      if (record.cancelRequested) {
        finish(record, { state: 'cancelled' });
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const outOfMemory = /heap out of memory|Allocation failed/i.test(record.stderrTail);
      finish(record, {
        state: 'failed',
        error: {
          code: outOfMemory ? 'JOB_OUT_OF_MEMORY' : 'JOB_CRASHED',
          message: outOfMemory
            ? `The job ran out of memory and its process ${how}. The app is unaffected; try a smaller batch or model.`
            : `The job's process ${how} before it finished. The app is unaffected.`,
          details: { stderr: record.stderrTail.slice(-1000) },
        },
      });
    });
    send(child, { type: 'start', spec: record.spec, dataDir: options.dataDir });
  }

  function onWorkerMessage(record: JobRecord, message: FromWorkerMessage): void {
    if (ENDED_STATES.has(record.info.state)) return;
    switch (message.type) {
      case 'progress':
        update(record, { progress: message.progress });
        break;
      case 'succeeded':
        finish(record, {
          state: 'succeeded',
          result: message.result as JobResults[keyof JobResults],
          progress: { ...record.info.progress, fraction: 1 },
        });
        break;
      case 'failed':
        finish(record, { state: 'failed', error: message.error });
        break;
      case 'cancelled':
        finish(record, { state: 'cancelled' });
        break;
    }
  }

  function find(id: string): JobRecord {
    const record = jobs.get(id);
    if (!record) throw new UnfoldError('JOB_NOT_FOUND', `There is no job with id ${id}.`);
    return record;
  }

  return {
    start(spec) {
      let resolveEnded!: (job: JobInfo) => void;
      const ended = new Promise<JobInfo>((resolve) => (resolveEnded = resolve));
      const record: JobRecord = {
        info: {
          id: `job-${randomUUID()}`,
          kind: spec.kind,
          title: jobTitle(spec),
          subject: jobSubject(spec),
          state: 'queued',
          // No message until the job reports one: a placeholder would outlive a job that
          // fails before its first report ("Failed ... Waiting to start").
          progress: { fraction: 0 },
          createdAt: new Date().toISOString(),
        },
        spec,
        cancelRequested: false,
        stderrTail: '',
        ended,
        resolveEnded,
      };
      jobs.set(record.info.id, record);
      queue.push(record);
      options.onUpdate?.(snapshot(record));
      pump();
      return snapshot(record);
    },

    cancel(id) {
      const record = find(id);
      if (ENDED_STATES.has(record.info.state)) return snapshot(record);
      record.cancelRequested = true;
      if (record.info.state === 'queued') {
        queue.splice(queue.indexOf(record), 1);
        finish(record, { state: 'cancelled' });
        return snapshot(record);
      }
      update(record, { progress: { ...record.info.progress, message: 'Cancelling…' } });
      const child = record.child;
      if (child) {
        send(child, { type: 'cancel' });
        record.killTimer = setTimeout(() => child.kill('SIGKILL'), cancelGraceMs);
      }
      return snapshot(record);
    },

    get: (id) => snapshot(find(id)),
    list: () => [...jobs.values()].map(snapshot),
    whenEnded: (id) => find(id).ended,

    async dispose() {
      for (const record of [...queue]) this.cancel(record.info.id);
      const live = [...jobs.values()].filter((record) => record.child);
      for (const record of live) {
        record.cancelRequested = true;
        record.child?.kill('SIGKILL');
      }
      await Promise.all(live.map((record) => record.ended));
    },
  };
}

function send(child: ChildProcess, message: ToWorkerMessage): void {
  if (child.connected) child.send(message);
}

function failure(code: string, error: unknown): ErrorData {
  return { code, message: error instanceof Error ? error.message : String(error) };
}
