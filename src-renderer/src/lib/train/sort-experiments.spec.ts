import { describe, expect, it } from 'vitest';
import type { ExperimentRow } from './experiment-rows';
import { keyMetric, phoneErrorRate, sortExperiments } from './sort-experiments';

function item(name: string, metrics: Record<string, unknown>): ExperimentRow {
  return { name, task: 'words', corpus: 'c', created: null, metrics, status: 'done', epochs: null };
}

const a = item('a', { evaluations: { test: { accuracy: 0.9 } } });
const b = item('b', { training: { bestMetric: 0.7, epochs: 3 } });
const c = item('c', {});

describe('keyMetric', () => {
  it('prefers the test evaluation, then training', () => {
    expect(keyMetric(a)).toBe(0.9);
    expect(keyMetric(b)).toBe(0.7);
    expect(keyMetric(c)).toBeNull();
  });
});

describe('sortExperiments', () => {
  it('sorts by metric either way with missing values last', () => {
    expect(sortExperiments([c, b, a], 'metric', true).map((x) => x.name)).toEqual(['b', 'a', 'c']);
    expect(sortExperiments([c, b, a], 'metric', false).map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(sortExperiments([b, c, a], 'name', false).map((x) => x.name)).toEqual(['c', 'b', 'a']);
  });
});

describe('phone error rate and status columns', () => {
  it('reads the PER of a phones evaluation and sorts by a status lookup', () => {
    const p = item('p', {
      evaluations: { test: { frameAccuracy: 0.6, phoneErrorRate: { rate: 0.4 } } },
    });
    expect(phoneErrorRate(p)).toBe(0.4);
    expect(phoneErrorRate(a)).toBeNull();
    const rows = [
      { ...a, status: 'done' as const },
      { ...b, status: 'cancelled' as const, epochs: 2 },
      { ...c, status: 'training' as const, epochs: 1 },
    ];
    expect(sortExperiments(rows, 'status', true).map((x) => x.name)).toEqual(['b', 'a', 'c']);
    expect(sortExperiments(rows, 'epochs', false).map((x) => x.name)).toEqual(['b', 'c', 'a']);
  });
});
