import { describe, expect, it } from 'vitest';
import type { JobInfo } from '@api/jobs';
import { activeTrainingExperiments, runStatus, trainedExperiment } from './run-status';

type JobFacts = Pick<JobInfo, 'kind' | 'subject' | 'state'>;
const train = (name: string, state: JobInfo['state']): JobFacts => ({
  kind: 'experiment-train',
  subject: { kind: 'experiment', name },
  state,
});

describe('trainedExperiment', () => {
  it('reads the experiment of a training job from its subject, not its title', () => {
    expect(trainedExperiment(train('tiny run', 'running'))).toBe('tiny run');
    // The subject names the experiment however the title is worded.
    expect(
      trainedExperiment({
        ...train('x', 'running'),
        title: 'Resume training experiment y',
      } as JobFacts),
    ).toBe('x');
    expect(
      trainedExperiment({
        kind: 'experiment-evaluate',
        subject: { kind: 'experiment', name: 'x' },
      }),
    ).toBeNull();
    expect(trainedExperiment({ kind: 'selftest', subject: null })).toBeNull();
  });
});

describe('activeTrainingExperiments', () => {
  it('collects the experiments of queued and running training jobs only', () => {
    const jobs: JobFacts[] = [
      train('a', 'running'),
      train('b', 'queued'),
      train('c', 'cancelled'),
      train('d', 'succeeded'),
      { kind: 'experiment-evaluate', subject: { kind: 'experiment', name: 'e' }, state: 'running' },
      { kind: 'corpus-validate', subject: { kind: 'corpus', name: 'f' }, state: 'running' },
    ];
    expect([...activeTrainingExperiments(jobs)].sort()).toEqual(['a', 'b']);
  });
});

describe('runStatus', () => {
  it('takes the folder status unless a job of this session is training the experiment', () => {
    expect(runStatus({ status: 'incomplete' }, true)).toBe('training');
    expect(runStatus({ status: 'cancelled' }, true)).toBe('training');
    expect(runStatus({ status: 'cancelled' }, false)).toBe('cancelled');
    expect(runStatus({ status: 'incomplete' }, false)).toBe('incomplete');
  });
});
