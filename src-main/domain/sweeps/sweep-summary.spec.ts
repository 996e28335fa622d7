import { describe, expect, it } from 'vitest';
import type { RunState } from './sweep-folder';
import type { SweepPlan } from './sweep-plan';
import type { RunFigures } from './sweep-summary';
import { summariseSweep, summaryCsv, testEvaluationKey } from './sweep-summary';

const plan = {
  name: 's',
  task: 'words',
  corpus: 'digits',
  fields: ['model.cell', 'note'],
  runs: [
    { index: 1, experiment: 's-1', values: { 'model.cell': 'lstm', note: 'a, "b"' }, config: {} },
    { index: 2, experiment: 's-2', values: { 'model.cell': 'gru', note: 'c' }, config: {} },
  ],
} as unknown as SweepPlan;

describe('sweep summaries', () => {
  it('lists every run with its fields, state and figures, and counts them', () => {
    const states = new Map<string, RunState>([
      ['s-1', { experiment: 's-1', status: 'done', attempts: 2, worker: 'local' }],
      [
        's-2',
        {
          experiment: 's-2',
          status: 'failed',
          attempts: 1,
          error: { code: 'X', message: 'boom' },
        },
      ],
    ]);
    const figures = new Map<string, RunFigures>([
      [
        's-1',
        {
          epochs: 3,
          bestEpoch: 2,
          dev: { loss: 0.5, accuracy: 0.75 },
          test: { accuracy: 0.8, 'macro.f1': 0.7 },
        },
      ],
    ]);
    const summary = summariseSweep(plan, states, figures);
    expect(summary.counts).toEqual({ runs: 2, done: 1, failed: 1 });
    expect(summary.complete).toBe(false);
    expect(summary.runs[1]).toMatchObject({ status: 'failed', error: { message: 'boom' } });
    expect(summaryCsv(summary).split('\n')).toEqual([
      'run,experiment,status,model.cell,note,epochs,bestEpoch,dev.loss,dev.accuracy,test.accuracy,test.macro.f1',
      '1,s-1,done,lstm,"a, ""b""",3,2,0.5,0.75,0.8,0.7',
      '2,s-2,failed,gru,c,,,,,,',
      '',
    ]);
  });

  it('finds the test evaluation under its split, or the held-out test part', () => {
    expect(testEvaluationKey({ data: { test: { splits: ['test', 'x'] }, heldOut: null } })).toBe(
      'test+x',
    );
    expect(
      testEvaluationKey({ data: { test: { splits: ['train'] }, heldOut: { folds: 10 } } }),
    ).toBe('held-out-test');
  });
});
