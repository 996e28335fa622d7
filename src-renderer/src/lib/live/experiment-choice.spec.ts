import { describe, expect, it } from 'vitest';
import type { ExperimentListItem } from '@api/experiments';
import { isTrained, trainedExperiments } from './experiment-choice';

function item(name: string, created: string | null, trained: boolean): ExperimentListItem {
  return {
    name,
    task: 'words',
    corpus: 'c',
    created,
    metrics: trained ? { training: { epochs: 2 } } : {},
    status: trained ? 'done' : 'training',
    epochs: trained ? 2 : null,
  };
}

describe('experiment choice', () => {
  it('offers only experiments with a finished training, newest first', () => {
    const list = [
      item('old', '2026-01-01T00:00:00Z', true),
      item('running', '2026-03-01T00:00:00Z', false),
      item('new', '2026-02-01T00:00:00Z', true),
      item('b-undated', null, true),
      item('a-undated', null, true),
    ];
    expect(trainedExperiments(list).map((e) => e.name)).toEqual([
      'new',
      'old',
      'a-undated',
      'b-undated',
    ]);
  });

  it('does not count a null or scalar training entry', () => {
    expect(isTrained({ ...item('x', null, false), metrics: { training: null } })).toBe(false);
    expect(isTrained({ ...item('x', null, false), metrics: { training: 3 } })).toBe(false);
  });
});
