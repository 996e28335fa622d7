import { describe, expect, it } from 'vitest';
import { experimentRows, type ExperimentRow } from './experiment-rows';
import { sortExperiments } from './sort-experiments';

function item(name: string, metrics: Record<string, unknown>): ExperimentRow {
  const [row] = experimentRows(
    [{ name, task: 'words', corpus: 'c', created: null, metrics, status: 'done', epochs: null }],
    new Set(),
  );
  return row!;
}

const a = item('a', { evaluations: { test: { accuracy: 0.9 } } });
const b = item('b', { training: { bestMetric: 0.7, epochs: 3, final: { devAccuracy: 0.65 } } });
const c = item('c', {});

describe('sortExperiments', () => {
  it('sorts by the accuracy shown either way with missing values last', () => {
    expect(sortExperiments([c, b, a], 'metric', true).map((x) => x.name)).toEqual(['b', 'a', 'c']);
    expect(sortExperiments([c, b, a], 'metric', false).map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(sortExperiments([b, c, a], 'name', false).map((x) => x.name)).toEqual(['c', 'b', 'a']);
  });
});

describe('phone error rate and status columns', () => {
  it('sorts by the PER shown and by a status lookup', () => {
    const p = item('p', {
      evaluations: { test: { frameAccuracy: 0.6, phoneErrorRate: { rate: 0.4 } } },
    });
    const q = item('q', { evaluations: { test: { frameAccuracy: 0.7, phoneErrorRate: 0.2 } } });
    expect(sortExperiments([a, p, q], 'per', true).map((x) => x.name)).toEqual(['q', 'p', 'a']);
    const rows = [
      { ...a, status: 'done' as const },
      { ...b, status: 'cancelled' as const, epochs: 2 },
      { ...c, status: 'training' as const, epochs: 1 },
    ];
    expect(sortExperiments(rows, 'status', true).map((x) => x.name)).toEqual(['b', 'a', 'c']);
    expect(sortExperiments(rows, 'epochs', false).map((x) => x.name)).toEqual(['b', 'c', 'a']);
  });
});
