import { describe, expect, it } from 'vitest';
import type { ExperimentListItem, ExperimentLogEntry } from '@api/experiments';
import { experimentRows, loggedEpochs } from './experiment-rows';

const time = '2026-01-01T00:00:00Z';
const entry = (type: string, extra: Record<string, unknown> = {}): ExperimentLogEntry => ({
  type,
  time,
  ...extra,
});
const item = (name: string, metrics: Record<string, unknown>): ExperimentListItem => ({
  name,
  task: 'words',
  corpus: 'c',
  created: null,
  metrics,
});

describe('experimentRows', () => {
  it('takes status and epochs from metrics.json, the log, or the running job', () => {
    const cancelledLog = [
      entry('start'),
      entry('epoch', { epoch: 1 }),
      entry('epoch', { epoch: 2 }),
      entry('end', { status: 'cancelled' }),
    ];
    const rows = experimentRows(
      [item('done', { training: { epochs: 5 } }), item('stopped', {}), item('live', {})],
      new Map([['stopped', cancelledLog]]),
      new Set(['live']),
    );
    expect(rows.map((r) => [r.name, r.status, r.epochs])).toEqual([
      ['done', 'done', 5],
      ['stopped', 'cancelled', 2],
      ['live', 'training', null],
    ]);
  });

  it('counts the highest logged epoch, not the lines (a resume re-logs)', () => {
    const log = [
      entry('start'),
      entry('epoch', { epoch: 1 }),
      entry('epoch', { epoch: 2 }),
      entry('end', { status: 'cancelled' }),
      entry('resume'),
      entry('epoch', { epoch: 2 }),
    ];
    expect(loggedEpochs(log)).toBe(2);
    expect(loggedEpochs([entry('start')])).toBeNull();
  });
});
