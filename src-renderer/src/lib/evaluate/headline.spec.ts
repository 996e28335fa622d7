import { describe, expect, it } from 'vitest';
import { headlineMetrics } from './headline';

describe('headlineMetrics', () => {
  it('shows word accuracy', () => {
    expect(headlineMetrics({ accuracy: 0.875, utterances: 8 })).toEqual([
      { label: 'Accuracy', value: '87.5%' },
      { label: 'Utterances', value: '8' },
    ]);
  });
  it('shows phone figures, PER from its record', () => {
    expect(headlineMetrics({ frameAccuracy: 0.5, phoneErrorRate: { rate: 0.25 } })).toEqual([
      { label: 'Frame accuracy', value: '50.0%' },
      { label: 'PER', value: '25.0%' },
    ]);
    expect(headlineMetrics(null)).toEqual([]);
  });
});
