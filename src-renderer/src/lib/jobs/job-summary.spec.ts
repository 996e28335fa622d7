import { describe, expect, it } from 'vitest';
import type { JobInfo } from '@api/jobs';
import { announcement, jobMetrics, stateLabel, summarizeResult } from './job-summary';

const base: JobInfo = {
  id: 'j1',
  kind: 'selftest',
  title: 'Self-test (200 steps)',
  subject: null,
  state: 'running',
  progress: { fraction: 0.5, metrics: { stepsPerSecond: 123.456, loss: 0.69314, step: 100 } },
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('job summary', () => {
  it('labels and formats metrics in reporting order', () => {
    expect(jobMetrics(base)).toEqual([
      { key: 'stepsPerSecond', label: 'steps/s', value: '123' },
      { key: 'loss', label: 'loss', value: '0.693' },
      { key: 'step', label: 'step', value: '100' },
    ]);
    expect(jobMetrics({ ...base, progress: { fraction: null } })).toEqual([]);
  });

  it('summarises a succeeded self-test from its result', () => {
    const done: JobInfo = {
      ...base,
      state: 'succeeded',
      result: {
        backend: 'wasm',
        steps: 200,
        stepsPerSecond: 48.25,
        firstLoss: 1.1,
        lastLoss: 0.25,
      },
    };
    expect(summarizeResult(done)).toBe('200 steps on wasm at 48.3 steps/s; loss 1.10 → 0.250');
    expect(announcement(done)).toBe(
      'Self-test (200 steps): succeeded. 200 steps on wasm at 48.3 steps/s; loss 1.10 → 0.250',
    );
  });

  it('has no summary before success, and announces failures with their message', () => {
    expect(summarizeResult(base)).toBeNull();
    const failed: JobInfo = {
      ...base,
      state: 'failed',
      error: { code: 'JOB_CRASHED', message: 'The job process exited with code 1.' },
    };
    expect(announcement(failed)).toBe(
      'Self-test (200 steps): failed. The job process exited with code 1.',
    );
    expect(stateLabel('cancelled')).toBe('Cancelled');
  });
});
