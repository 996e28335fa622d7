import { describe, expect, it } from 'vitest';
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';
import { taskLabel } from '../tasks/task-views';
import { isTrained, liveExperiments, liveMode, taskHint } from './experiment-choice';

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
    expect(liveExperiments(list).map((e) => e.name)).toEqual([
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

  it('runs each speech task in its own live mode, and leaves out tasks without one', () => {
    expect(liveMode('words')).toBe('words');
    expect(liveMode('phones')).toBe('phones');
    expect(taskLabel('phones')).toBe('phones');
    expect(taskHint('words')).toBe(
      'Word mode: each spoken word is cut by the voice detector and classified.',
    );
    // A folder whose config names a task this build does not know.
    const unknown = {
      ...item('summarisation', '2026-04-01T00:00:00Z', true),
      task: 'summarisation' as ExperimentTask,
    };
    expect(liveMode(unknown.task)).toBeNull();
    expect(taskLabel(unknown.task)).toBe('summarisation');
    // A text task has no live mode.
    const tagger = { ...item('tagger', '2026-05-01T00:00:00Z', true), task: 'pos' as const };
    expect(liveMode('pos')).toBeNull();
    expect(taskLabel('pos')).toBe('POS tagging');
    const phones = { ...item('phones', '2026-01-01T00:00:00Z', true), task: 'phones' as const };
    expect(liveExperiments([unknown, tagger, phones]).map((e) => e.name)).toEqual(['phones']);
  });
});
