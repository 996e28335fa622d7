import { describe, expect, it } from 'vitest';
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';
import { defaultEvaluation } from './evaluation-choice';
import { taggingExperiments } from './tagging-experiments';

function item(
  name: string,
  task: ExperimentTask,
  created: string | null,
  trained: boolean,
): ExperimentListItem {
  return {
    name,
    task,
    corpus: 'ewt',
    created,
    metrics: trained ? { training: { epochs: 3 } } : {},
    status: trained ? 'done' : 'incomplete',
    epochs: trained ? 3 : null,
  };
}

describe('tagging experiments', () => {
  it('offers trained experiments of a tagging task, newest first', () => {
    const list = [
      item('old-tagger', 'pos', '2026-01-01T00:00:00Z', true),
      item('digits', 'words', '2026-03-01T00:00:00Z', true),
      item('half-trained', 'pos', '2026-04-01T00:00:00Z', false),
      item('new-tagger', 'pos', '2026-02-01T00:00:00Z', true),
      item('from-the-future', 'summarisation' as ExperimentTask, '2026-05-01T00:00:00Z', true),
    ];
    expect(taggingExperiments(list).map((e) => e.name)).toEqual(['new-tagger', 'old-tagger']);
  });
});

describe('default evaluation', () => {
  it("shows the experiment's own dev set, else its test set, else whatever there is", () => {
    const other = { corpus: 'brown', split: 'dev' };
    expect(
      defaultEvaluation([other, { corpus: null, split: 'test' }, { corpus: null, split: 'dev' }]),
    ).toEqual({ corpus: null, split: 'dev' });
    expect(defaultEvaluation([other, { corpus: null, split: 'test' }])).toEqual({
      corpus: null,
      split: 'test',
    });
    expect(defaultEvaluation([other, { corpus: null, split: 'train' }])).toEqual({
      corpus: null,
      split: 'train',
    });
    expect(defaultEvaluation([other])).toEqual(other);
    expect(defaultEvaluation([])).toBeNull();
  });
});
