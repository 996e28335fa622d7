/**
 * An experiment's run status and epochs for the experiments list, from the end of its
 * log.jsonl and its metrics.json. The list is reloaded often and a long run's log grows with
 * every epoch and evaluation, so only the tail of the log is read, never the whole file.
 */

import { open } from 'node:fs/promises';
import type { ExperimentLogEntry, ExperimentRunStatus } from '../../api/experiments';

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
