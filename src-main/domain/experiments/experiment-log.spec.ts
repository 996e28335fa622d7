import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOG_TAIL_BYTES,
  parseLogLines,
  readLogTail,
  readRunSummary,
  runSummary,
} from './experiment-log';

let dir: string;
let logPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-run-summary-'));
  logPath = join(dir, 'log.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const time = '2026-01-01T00:00:00.000Z';
const line = (entry: Record<string, unknown>): string => JSON.stringify({ time, ...entry }) + '\n';
const start = line({ type: 'start', backend: 'wasm' });
const epoch = (n: number): string =>
  line({ type: 'epoch', epoch: n, loss: 1 / n, accuracy: 0.5, seconds: 1.25 });
const end = (status: string, extra: Record<string, unknown> = {}): string =>
  line({ type: 'end', status, ...extra });

async function summaryOf(log: string, metrics: Record<string, unknown> = {}) {
  await writeFile(logPath, log);
  return readRunSummary(logPath, metrics);
}

describe('readRunSummary', () => {
  it('reads a cancelled run and the epochs it logged', async () => {
    expect(await summaryOf(start + epoch(1) + epoch(2) + end('cancelled'))).toEqual({
      status: 'cancelled',
      epochs: 2,
    });
  });

  it('reads a failed run, whatever its error says', async () => {
    const failed = end('failed', { error: 'Corpus digits has no utterances in split "dev".' });
    expect(await summaryOf(start + epoch(1) + failed)).toEqual({ status: 'failed', epochs: 1 });
    expect(await summaryOf(start + end('odd'))).toEqual({ status: 'failed', epochs: null });
  });

  it('calls a run that started and has not ended incomplete', async () => {
    expect(await summaryOf(start + epoch(1) + epoch(2) + epoch(3))).toEqual({
      status: 'incomplete',
      epochs: 3,
    });
  });

  it('skips a last line that is half written', async () => {
    const log = start + epoch(1) + epoch(2) + end('cancelled').slice(0, 25);
    expect(await summaryOf(log)).toEqual({ status: 'incomplete', epochs: 2 });
    // A complete last line without its newline still counts.
    expect(await summaryOf(start + epoch(1) + end('cancelled').trimEnd())).toEqual({
      status: 'cancelled',
      epochs: 1,
    });
  });

  it('gives incomplete and no epochs for an empty or missing log', async () => {
    expect(await summaryOf('')).toEqual({ status: 'incomplete', epochs: null });
    expect(await readRunSummary(join(dir, 'missing.jsonl'), {})).toEqual({
      status: 'incomplete',
      epochs: null,
    });
  });

  it('follows the latest run: a resume after a cancel is incomplete, and its end decides', async () => {
    const cancelled = start + epoch(1) + epoch(2) + end('cancelled');
    const resume = line({ type: 'resume' });
    expect(await summaryOf(cancelled + resume + epoch(2))).toEqual({
      status: 'incomplete',
      epochs: 2,
    });
    expect(await summaryOf(cancelled + resume + epoch(2) + epoch(3) + end('failed'))).toEqual({
      status: 'failed',
      epochs: 3,
    });
  });

  it("takes a finished run's status and epochs from metrics.json, without its log", async () => {
    const metrics = { training: { epochs: 7, bestEpoch: 5 } };
    expect(await readRunSummary(join(dir, 'missing.jsonl'), metrics)).toEqual({
      status: 'done',
      epochs: 7,
    });
    // Evaluations follow the end line of a finished run.
    const evaluations = line({ type: 'evaluation', split: 'test', accuracy: 0.9 });
    expect(await summaryOf(start + epoch(1) + end('done') + evaluations, metrics)).toEqual({
      status: 'done',
      epochs: 7,
    });
  });

  it('reads only the tail of a long log', async () => {
    let log = start;
    for (let n = 1; n <= 20_000; n++) log += epoch(n);
    log += end('cancelled');
    expect(log.length).toBeGreaterThan(50 * LOG_TAIL_BYTES);
    expect(await summaryOf(log)).toEqual({ status: 'cancelled', epochs: 20_000 });
    const tail = await readLogTail(logPath);
    expect(tail.length).toBeLessThan(LOG_TAIL_BYTES / 50);
    expect(tail.at(-2)).toMatchObject({ type: 'epoch', epoch: 20_000 });
    // A running log whose start is out of the tail: incomplete, from the epochs in the tail.
    expect(await summaryOf(log.slice(0, log.lastIndexOf(end('cancelled'))))).toEqual({
      status: 'incomplete',
      epochs: 20_000,
    });
  });
});

describe('readLogTail', () => {
  it('drops the line cut by the window but keeps one that starts exactly at it', async () => {
    const first = line({ type: 'start', note: 'x'.repeat(40) });
    const second = line({ type: 'end', status: 'done' });
    await writeFile(logPath, first + second);
    expect((await readLogTail(logPath, second.length)).map((e) => e.type)).toEqual(['end']);
    expect((await readLogTail(logPath, second.length + 10)).map((e) => e.type)).toEqual(['end']);
    expect((await readLogTail(logPath, 10_000)).map((e) => e.type)).toEqual(['start', 'end']);
    // A window smaller than the last line holds no whole line.
    expect(await readLogTail(logPath, 5)).toEqual([]);
  });

  it('cuts multi-byte text by bytes without corrupting the lines it keeps', async () => {
    const first = line({ type: 'start', note: 'ééééé' });
    const second = line({ type: 'end', status: 'failed', error: 'Corpus «chiffres» is empty' });
    await writeFile(logPath, first + second);
    const secondBytes = Buffer.byteLength(second);
    // The window starts inside an "é" of the first line.
    const tail = await readLogTail(logPath, secondBytes + 3);
    expect(tail).toEqual([
      { time, type: 'end', status: 'failed', error: 'Corpus «chiffres» is empty' },
    ]);
  });
});

describe('parseLogLines and runSummary', () => {
  it('skips blank, broken and untyped lines', () => {
    expect(parseLogLines('\n{"type":"start"}\n{"type":\n[1,2]\n{"epoch":3}\n  \n')).toEqual([
      { type: 'start' },
    ]);
  });

  it('treats an empty tail as a run that has not ended', () => {
    expect(runSummary([], {})).toEqual({ status: 'incomplete', epochs: null });
  });
});
