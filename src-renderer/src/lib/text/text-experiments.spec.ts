import { describe, expect, it } from 'vitest';
import type { ExperimentListItem, ExperimentTask } from '@api/experiments';
import { defaultEvaluation, PREFERRED_SPLITS } from './evaluation-choice';
import { textExperiments, textModeOf } from './text-experiments';

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

describe('text experiments', () => {
  it('offers trained taggers and classifiers, newest first', () => {
    const list = [
      item('old-tagger', 'pos', '2026-01-01T00:00:00Z', true),
      item('digits', 'words', '2026-03-01T00:00:00Z', true),
      item('half-trained', 'pos', '2026-04-01T00:00:00Z', false),
      item('new-tagger', 'pos', '2026-02-01T00:00:00Z', true),
      item('reviews', 'sentiment', '2026-01-15T00:00:00Z', true),
      item('from-the-future', 'summarisation' as ExperimentTask, '2026-05-01T00:00:00Z', true),
    ];
    expect(textExperiments(list).map((e) => e.name)).toEqual([
      'new-tagger',
      'reviews',
      'old-tagger',
    ]);
  });

  it('tags with a tagger and classifies with a classifier', () => {
    expect(textModeOf('pos')).toBe('tagging');
    expect(textModeOf('sentiment')).toBe('classification');
    expect(textModeOf('lm')).toBe('language-model');
    expect(textModeOf('seq2seq')).toBe('sequence-to-sequence');
    expect(textModeOf('words')).toBeNull();
    expect(textModeOf('summarisation')).toBeNull();
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

  it("shows a classifier's own test sentences first", () => {
    const own = [
      { corpus: null, split: 'dev' },
      { corpus: null, split: 'test' },
    ];
    expect(defaultEvaluation(own, PREFERRED_SPLITS.classification)).toEqual(own[1]);
    expect(defaultEvaluation(own.slice(0, 1), PREFERRED_SPLITS.classification)).toEqual(own[0]);
  });
});
