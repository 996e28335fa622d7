import { describe, expect, it } from 'vitest';
import type { JobInfo } from '@api/jobs';
import { latestValidation, problemLine } from './validation-report';

function job(id: string, createdAt: string, corpus: string, extra: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    kind: 'corpus-validate',
    title: `Validate corpus ${corpus}`,
    subject: { kind: 'corpus', name: corpus },
    state: 'running',
    progress: { fraction: null },
    createdAt,
    ...extra,
  };
}

describe('validation report', () => {
  it('finds the newest validation of the corpus', () => {
    const jobs = [
      job('a', '2026-01-01T00:00:01Z', 'digits'),
      job('b', '2026-01-01T00:00:03Z', 'other'),
      job('c', '2026-01-01T00:00:02Z', 'digits'),
      { ...job('d', '2026-01-01T00:00:09Z', 'digits'), kind: 'selftest' as const },
    ];
    expect(latestValidation(jobs, 'digits')?.id).toBe('c');
    expect(latestValidation(jobs, 'none')).toBeNull();
  });

  it('matches the corpus by the job subject, not by its title', () => {
    const renamed = job('a', '2026-01-01T00:00:01Z', 'digits', { title: 'Check digits' });
    expect(latestValidation([renamed], 'digits')?.id).toBe('a');
    const titleOnly = job('b', '2026-01-01T00:00:01Z', 'other', {
      title: 'Validate corpus digits',
    });
    expect(latestValidation([titleOnly], 'digits')).toBeNull();
  });

  it('prints problems as file:line: message', () => {
    expect(problemLine({ file: 'data/train/text', line: 3, message: 'unsorted' })).toBe(
      'data/train/text:3: unsorted',
    );
    expect(problemLine({ file: 'corpus.json', line: 0, message: 'bad' })).toBe('corpus.json: bad');
  });
});
