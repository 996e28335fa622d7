import { describe, expect, it } from 'vitest';
import type { ExperimentListItem } from '@api/experiments';
import { experimentRows } from './experiment-rows';

const item = (
  name: string,
  status: ExperimentListItem['status'],
  epochs: number | null,
): ExperimentListItem => ({
  name,
  task: 'words',
  corpus: 'c',
  created: null,
  metrics: {},
  status,
  epochs,
});

describe('experimentRows', () => {
  it("keeps the server's status and epochs, and marks the active job's experiment training", () => {
    const rows = experimentRows(
      [item('done', 'done', 5), item('stopped', 'cancelled', 2), item('live', 'incomplete', 1)],
      new Set(['live']),
    );
    expect(rows.map((r) => [r.name, r.status, r.epochs])).toEqual([
      ['done', 'done', 5],
      ['stopped', 'cancelled', 2],
      ['live', 'training', 1],
    ]);
  });

  it('gives each row the accuracy the table shows and where it comes from', () => {
    const evaluated = {
      ...item('tiny', 'done', 3),
      metrics: {
        evaluations: { test: { corpus: '/data/corpora/c', split: 'test', accuracy: 0.5 } },
      },
    };
    const [row] = experimentRows([evaluated], new Set());
    expect(row?.accuracy).toEqual({ value: 0.5, source: 'test' });
    expect(row?.phoneErrorRate).toBeNull();
  });

  it('leaves the items it was given alone', () => {
    const items = [item('live', 'incomplete', null)];
    experimentRows(items, new Set(['live']));
    expect(items[0]?.status).toBe('incomplete');
  });
});
