/**
 * log.jsonl: one line per run start, resume and end, epoch and evaluation. Written whole and
 * atomically for every line; read whole for an experiment's page, and only its tail for the
 * experiments list (reloaded often, while a long run's log grows with every epoch).
 */

import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../fs/atomic-write';
import { EXPERIMENT_FILES } from './experiment-folder';
import type { ExperimentLogEntry, ExperimentRunStatus } from './run-status';

/** One line of log.jsonl as written. */
export type ExperimentLogLine =
  | ({ type: 'epoch'; time: string } & Record<string, number | string | null>)
  | ({ type: 'evaluation'; time: string; split: string } & Record<string, unknown>)
  | ({ type: 'start' | 'resume' | 'end'; time: string } & Record<string, unknown>);

/**
 * log.jsonl, rewritten whole and atomically for every new line (it is small: one line per
 * epoch and evaluation), so a reader never sees half a line.
 */
export class ExperimentLog {
  private lines: string[] = [];
  private constructor(private readonly path: string) {}

  /**
   * Opens the log: empty for a fresh run, else with its lines, less the epoch lines of the
   * interrupted run beyond `epochsAfter` (logged before a checkpoint that was never committed).
   */
  static async open(
    dir: string,
    fresh: boolean,
    { epochsAfter = null }: { epochsAfter?: number | null } = {},
  ): Promise<ExperimentLog> {
    const log = new ExperimentLog(join(dir, EXPERIMENT_FILES.log));
    if (!fresh) {
      const text = await readFile(log.path, 'utf8').catch(() => '');
      log.lines = text.split('\n').filter((l) => l.trim() !== '');
      if (epochsAfter !== null) log.dropEpochsAfter(epochsAfter);
    }
    return log;
  }

  /** Drops the epoch lines after the last start or resume whose epoch is beyond `epoch`. */
  private dropEpochsAfter(epoch: number): void {
    let runStart = 0;
    const parsed = this.lines.map((line) => {
      try {
        return JSON.parse(line) as { type?: unknown; epoch?: unknown };
      } catch {
        return {};
      }
    });
    parsed.forEach((p, i) => {
      if (p.type === 'start' || p.type === 'resume') runStart = i;
    });
    this.lines = this.lines.filter((_, i) => {
      const p = parsed[i] ?? {};
      return !(
        i >= runStart &&
        p.type === 'epoch' &&
        typeof p.epoch === 'number' &&
        p.epoch > epoch
      );
    });
  }

  async append(line: ExperimentLogLine): Promise<void> {
    this.lines.push(JSON.stringify(line));
    await writeFileAtomically(this.path, this.lines.join('\n') + '\n');
  }
}

/** Every parseable line of an experiment's log. */
export async function readExperimentLog(dir: string): Promise<ExperimentLogEntry[]> {
  return parseLogLines(await readFile(join(dir, EXPERIMENT_FILES.log), 'utf8').catch(() => ''));
}

/** Where an experiment's log is, for readRunSummary. */
export function experimentLogFile(dir: string): string {
  return join(dir, EXPERIMENT_FILES.log);
}

/**
 * How much of the end of log.jsonl the list reads: some fifty epoch lines (~300 bytes each).
 * A run that ended has its `end` line in it (only evaluations, which need a finished run, and
 * a new run's lines follow an end); a running one may not have its `start`, and is
 * 'incomplete' either way.
 */
export const LOG_TAIL_BYTES = 16 * 1024;

export interface RunSummary {
  status: ExperimentRunStatus;
  epochs: number | null;
}

function isLogEntry(value: unknown): value is ExperimentLogEntry {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/** The complete, parseable lines of a piece of log.jsonl; anything else is skipped. */
export function parseLogLines(text: string): ExperimentLogEntry[] {
  const out: ExperimentLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isLogEntry(parsed)) out.push(parsed);
    } catch {
      // A line cut by the tail window, or half written by a writer that is not atomic.
    }
  }
  return out;
}

/** The last lines of a log.jsonl that fit in `maxBytes`; none when the file is missing. */
export async function readLogTail(
  path: string,
  maxBytes: number = LOG_TAIL_BYTES,
): Promise<ExperimentLogEntry[]> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    // One byte more than the window: if it is a newline, the window's first line is whole.
    const start = Math.max(0, size - maxBytes - 1);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    let bytes = buffer.subarray(0, bytesRead);
    if (start > 0) {
      // Cut at a byte boundary, not a character one: drop the partial first line as bytes.
      const newline = bytes.indexOf(0x0a);
      bytes = newline === -1 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
    }
    return parseLogLines(bytes.toString('utf8'));
  } finally {
    await handle.close();
  }
}

function endStatus(status: unknown): ExperimentRunStatus {
  if (status === 'done') return 'done';
  if (status === 'cancelled') return 'cancelled';
  return 'failed';
}

function isFinished(metrics: Readonly<Record<string, unknown>>): boolean {
  return typeof metrics.training === 'object' && metrics.training !== null;
}

function trainingEpochs(metrics: Readonly<Record<string, unknown>>): number | null {
  const training = metrics.training;
  if (typeof training !== 'object' || training === null) return null;
  const epochs = (training as { epochs?: unknown }).epochs;
  return typeof epochs === 'number' ? epochs : null;
}

/**
 * metrics.json's `training` summary means done: training writes it just before a successful
 * `end` line, and every new run or resume deletes metrics.json first. Otherwise the latest
 * `start`/`resume` (no end yet: 'incomplete') or `end` line of the tail decides, and with
 * none in the tail (a long run still going) it is 'incomplete'. Epochs come from the summary,
 * else from the highest epoch the tail logged (a resume re-logs from its checkpoint).
 */
export function runSummary(
  tail: readonly ExperimentLogEntry[],
  metrics: Readonly<Record<string, unknown>>,
): RunSummary {
  let status: ExperimentRunStatus = 'incomplete';
  let logged: number | null = null;
  for (const entry of tail) {
    if (entry.type === 'start' || entry.type === 'resume') status = 'incomplete';
    else if (entry.type === 'end') status = endStatus(entry.status);
    else if (entry.type === 'epoch' && typeof entry.epoch === 'number')
      logged = Math.max(logged ?? 0, entry.epoch);
  }
  return {
    status: isFinished(metrics) ? 'done' : status,
    epochs: trainingEpochs(metrics) ?? logged,
  };
}

/** The list row's status and epochs of the experiment whose log.jsonl is at `logPath`. */
export async function readRunSummary(
  logPath: string,
  metrics: Readonly<Record<string, unknown>>,
): Promise<RunSummary> {
  // A finished run's summary says it all: no need to open its log.
  const epochs = trainingEpochs(metrics);
  if (isFinished(metrics) && epochs !== null) return { status: 'done', epochs };
  return runSummary(await readLogTail(logPath), metrics);
}
