import { describe, expect, it } from 'vitest';
import type { ExperimentLogEntry } from '@api/experiments';
import { experimentOfJobTitle, runStatus, runStatusFromLog } from './run-status';

const line = (type: string, status?: string): ExperimentLogEntry => ({
  type,
  time: '2026-01-01T00:00:00Z',
  ...(status ? { status } : {}),
});

describe('runStatusFromLog', () => {
  it('reads the end of the latest start or resume', () => {
    expect(runStatusFromLog([line('start'), line('epoch'), line('end', 'done')])).toBe('done');
    expect(runStatusFromLog([line('start'), line('end', 'cancelled')])).toBe('cancelled');
    expect(runStatusFromLog([line('start'), line('end', 'failed')])).toBe('failed');
    expect(runStatusFromLog([line('start'), line('end', 'cancelled'), line('resume')])).toBe(
      'incomplete',
    );
    expect(runStatusFromLog([])).toBe('incomplete');
  });
});

describe('runStatus', () => {
  it('prefers an active job, then the log, then metrics.json', () => {
    const cancelled = [line('start'), line('end', 'cancelled')];
    expect(runStatus({}, cancelled, true)).toBe('training');
    expect(runStatus({}, cancelled, false)).toBe('cancelled');
    expect(runStatus({ training: { epochs: 3 } }, null, false)).toBe('done');
    expect(runStatus({}, null, false)).toBe('incomplete');
  });
});

describe('experimentOfJobTitle', () => {
  it('reads the experiment from both training titles', () => {
    expect(experimentOfJobTitle('Train experiment tiny run')).toBe('tiny run');
    expect(experimentOfJobTitle('Resume training experiment x')).toBe('x');
    expect(experimentOfJobTitle('Evaluate experiment x')).toBeNull();
  });
});
