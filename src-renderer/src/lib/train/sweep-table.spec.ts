import { describe, expect, it } from 'vitest';
import type { SweepData } from '@api/sweeps';
import {
  bestRun,
  etaSeconds,
  headlineFigure,
  lowerIsBetter,
  sortSweepRows,
  sweepTableRows,
} from './sweep-table';

const figures = (accuracy: number, loss: number) => ({
  epochs: 1,
  bestEpoch: 1,
  dev: { loss, accuracy: null },
  test: { accuracy, 'perClass.n': 3 },
});

const sweep: SweepData = {
  name: 's',
  task: 'words',
  corpus: 'digits',
  fields: ['model.cell'],
  runs: [
    { index: 1, experiment: 's-1', values: { 'model.cell': 'lstm' } },
    { index: 2, experiment: 's-2', values: { 'model.cell': 'gru' } },
    { index: 3, experiment: 's-3', values: { 'model.cell': 'rnn' } },
    { index: 4, experiment: 's-4', values: { 'model.cell': 'lstm' } },
  ],
  states: [
    { experiment: 's-1', status: 'done', attempts: 1, worker: 'local' },
    { experiment: 's-2', status: 'done', attempts: 1, worker: 'local' },
    { experiment: 's-3', status: 'running', attempts: 2, startedAt: '2026-01-01T00:00:00.000Z' },
    { experiment: 's-4', status: 'failed', attempts: 1, error: { code: 'X', message: 'boom' } },
  ],
  summary: {
    name: 's',
    task: 'words',
    corpus: 'digits',
    fields: ['model.cell'],
    counts: { runs: 4, done: 2, failed: 1 },
    complete: false,
    runs: [
      {
        index: 1,
        experiment: 's-1',
        values: {},
        status: 'done',
        attempts: 1,
        figures: figures(0.8, 0.5),
      },
      {
        index: 2,
        experiment: 's-2',
        values: {},
        status: 'done',
        attempts: 1,
        figures: figures(0.9, 0.7),
      },
    ],
    time: '',
  },
  active: {
    workers: 2,
    executor: 'local pool on lab-pc',
    startedAt: '2026-01-01T00:00:00.000Z',
    progress: { fraction: 0.5 },
    runs: [
      {
        experiment: 's-3',
        progress: { fraction: 0.25, message: 'epoch 1/4' },
        startedAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  },
  lastError: null,
};

const now = Date.parse('2026-01-01T00:00:10.000Z');

describe('the sweep table', () => {
  it('joins plan, saved states, live progress and figures per run', () => {
    const rows = sweepTableRows(sweep, now);
    expect(rows.map((r) => [r.experiment, r.status, r.fraction, r.metric, r.devLoss])).toEqual([
      ['s-1', 'done', 1, 0.8, 0.5],
      ['s-2', 'done', 1, 0.9, 0.7],
      ['s-3', 'running', 0.25, null, null],
      ['s-4', 'failed', null, null, null],
    ]);
    // 10 s for a quarter: 30 s to go.
    expect(rows[2]?.etaSeconds).toBe(30);
    expect(rows[2]?.message).toBe('epoch 1/4');
    expect(rows[3]?.error).toBe('boom');
    // A run saved as running in a sweep that no longer runs here was interrupted.
    expect(sweepTableRows({ ...sweep, active: null }, now)[2]?.status).toBe('cancelled');
  });

  it('judges by accuracy, higher better; losses and error rates lower better', () => {
    expect(headlineFigure(sweep)).toBe('accuracy');
    expect(bestRun(sweepTableRows(sweep, now), 'accuracy')?.experiment).toBe('s-2');
    expect(lowerIsBetter('loss')).toBe(true);
    expect(lowerIsBetter('phoneErrorRate')).toBe(true);
    expect(lowerIsBetter('accuracy')).toBe(false);
    expect(bestRun([], null)).toBeNull();
  });

  it('sorts by any column, runs without a value last, ties in plan order', () => {
    const rows = sweepTableRows(sweep, now);
    expect(sortSweepRows(rows, 'metric', true).map((r) => r.index)).toEqual([2, 1, 3, 4]);
    expect(sortSweepRows(rows, 'metric', false).map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(sortSweepRows(rows, 'field:model.cell', false).map((r) => r.index)).toEqual([
      2, 1, 4, 3,
    ]);
  });

  it('has no ETA before progress or after the end', () => {
    expect(etaSeconds(null, 0.5, now)).toBeNull();
    expect(etaSeconds('2026-01-01T00:00:00.000Z', 0, now)).toBeNull();
    expect(etaSeconds('2026-01-01T00:00:00.000Z', 1, now)).toBeNull();
  });
});
