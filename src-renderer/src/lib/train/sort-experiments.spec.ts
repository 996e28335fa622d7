import { describe, expect, it } from 'vitest';
import type { ExperimentListItem } from '@api/experiments';
import { keyMetric, sortExperiments } from './sort-experiments';

function item(name: string, metrics: Record<string, unknown>): ExperimentListItem {
  return { name, task: 'words', corpus: 'c', created: null, metrics };
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
