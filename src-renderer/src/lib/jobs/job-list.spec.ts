import { describe, expect, it } from 'vitest';
import type { JobInfo } from '@api/jobs';
import { activitySummary, countActive, isActive, latestOfKind, reduceJobs } from './job-list';

function job(id: string, overrides: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    kind: 'selftest',
    title: `Self-test ${id}`,
    subject: null,
    state: 'queued',
    progress: { fraction: null },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('reduceJobs', () => {
  it('loads a list newest first', () => {
    const state = reduceJobs([], {
      type: 'loaded',
      jobs: [
        job('a', { createdAt: '2026-01-01T00:00:01.000Z' }),
        job('b', { createdAt: '2026-01-01T00:00:03.000Z' }),
        job('c', { createdAt: '2026-01-01T00:00:02.000Z' }),
      ],
    });
    expect(state.map((j) => j.id)).toEqual(['b', 'c', 'a']);
  });

  it('inserts a new job and replaces a known one with its update', () => {
    let state = reduceJobs([], { type: 'updated', job: job('a') });
    state = reduceJobs(state, {
      type: 'updated',
      job: job('a', { state: 'running', progress: { fraction: 0.5, metrics: { loss: 1 } } }),
    });
    expect(state).toHaveLength(1);
    expect(state[0]?.state).toBe('running');
    expect(state[0]?.progress.fraction).toBe(0.5);
  });

  it('takes progress updates of the same state in arrival order', () => {
    let state = reduceJobs([], { type: 'updated', job: job('a', { state: 'running' }) });
    state = reduceJobs(state, {
      type: 'updated',
      job: job('a', { state: 'running', progress: { fraction: 0.2 } }),
    });
    state = reduceJobs(state, {
      type: 'updated',
      job: job('a', { state: 'running', progress: { fraction: 0.3 } }),
    });
    expect(state[0]?.progress.fraction).toBe(0.3);
  });

  it('never lets a stale snapshot move a job backwards', () => {
    let state = reduceJobs([], { type: 'updated', job: job('a', { state: 'succeeded' }) });
    state = reduceJobs(state, { type: 'loaded', jobs: [job('a', { state: 'running' })] });
    expect(state[0]?.state).toBe('succeeded');
    state = reduceJobs(state, { type: 'updated', job: job('a', { state: 'queued' }) });
    expect(state[0]?.state).toBe('succeeded');
  });

  it('keeps jobs that events announced before the list arrived', () => {
    let state = reduceJobs([], {
      type: 'updated',
      job: job('new', { createdAt: '2026-01-02T00:00:00.000Z' }),
    });
    state = reduceJobs(state, { type: 'loaded', jobs: [job('old')] });
    expect(state.map((j) => j.id)).toEqual(['new', 'old']);
  });

  it('does not mutate the previous state', () => {
    const before = reduceJobs([], { type: 'updated', job: job('a') });
    const frozen = Object.freeze([...before]);
    const after = reduceJobs(frozen, { type: 'updated', job: job('a', { state: 'running' }) });
    expect(frozen[0]?.state).toBe('queued');
    expect(after[0]?.state).toBe('running');
  });
});

describe('selectors', () => {
  const jobs = [
    job('q', { state: 'queued', createdAt: '2026-01-01T00:00:04.000Z' }),
    job('r', { state: 'running', createdAt: '2026-01-01T00:00:03.000Z' }),
    job('s', { state: 'succeeded', createdAt: '2026-01-01T00:00:02.000Z' }),
    job('f', { state: 'failed', createdAt: '2026-01-01T00:00:01.000Z' }),
    job('c', { state: 'cancelled' }),
  ];

  it('counts queued and running jobs as active', () => {
    expect(jobs.filter(isActive).map((j) => j.id)).toEqual(['q', 'r']);
    expect(countActive(jobs)).toBe(2);
    expect(countActive([])).toBe(0);
  });

  it('finds the newest job of a kind', () => {
    const sorted = reduceJobs([], { type: 'loaded', jobs });
    expect(latestOfKind(sorted, 'selftest')?.id).toBe('q');
    expect(latestOfKind([], 'selftest')).toBeUndefined();
  });

  it('sums up activity for the status bar', () => {
    expect(activitySummary([])).toBe('No jobs running');
    expect(activitySummary(jobs.slice(2))).toBe('No jobs running');
    expect(activitySummary([jobs[1]!])).toBe('1 job running');
    expect(activitySummary([jobs[0]!])).toBe('1 job queued');
    expect(activitySummary([jobs[0]!, jobs[0]!])).toBe('2 jobs queued');
    expect(activitySummary(jobs)).toBe('1 job running, 1 queued');
    expect(activitySummary([jobs[1]!, jobs[1]!, ...jobs])).toBe('3 jobs running, 1 queued');
  });
});
