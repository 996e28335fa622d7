import { describe, expect, it } from 'vitest';
import { jobSubject, jobTitle } from './job-description';
import { JobSpecSchema, type JobKind, type JobSpecInput } from '../../api/jobs';

/** One spec of every kind, as a view or the CLI would send it. */
const specs: Record<JobKind, JobSpecInput> = {
  selftest: { kind: 'selftest', params: {} },
  'corpus-import': {
    kind: 'corpus-import',
    params: {
      format: 'pattern',
      source: '/src/fsdd',
      out: 'fsdd',
      pattern: '{label}_{speaker}.wav',
    },
  },
  'corpus-synth-words': { kind: 'corpus-synth-words', params: { out: 'words', words: ['yes'] } },
  'corpus-synth-sentences': {
    kind: 'corpus-synth-sentences',
    params: { out: 'sentences', sentences: ['a cat sat'] },
  },
  'corpus-validate': { kind: 'corpus-validate', params: { corpus: 'checked' } },
  'corpus-export': { kind: 'corpus-export', params: { corpus: 'exported', format: 'kaldi' } },
  'experiment-train': {
    kind: 'experiment-train',
    params: { config: { name: 'digits run', task: 'words', corpus: 'fsdd' } },
  },
  'experiment-evaluate': {
    kind: 'experiment-evaluate',
    params: { experiment: 'digits run', split: 'dev' },
  },
  'experiment-cross-validate': {
    kind: 'experiment-cross-validate',
    params: { config: { name: 'mr cv', task: 'sentiment', corpus: 'mr' }, folds: 10 },
  },
  'lm-token-index': {
    kind: 'lm-token-index',
    params: { experiment: 'bilm', corpus: 'ptb', split: 'train' },
  },
};

describe('jobSubject', () => {
  it('names what every kind of job works on', () => {
    const subjects = Object.fromEntries(
      Object.entries(specs).map(([kind, spec]) => [kind, jobSubject(JobSpecSchema.parse(spec))]),
    );
    expect(subjects).toEqual({
      selftest: null,
      'corpus-import': { kind: 'corpus', name: 'fsdd' },
      'corpus-synth-words': { kind: 'corpus', name: 'words' },
      'corpus-synth-sentences': { kind: 'corpus', name: 'sentences' },
      'corpus-validate': { kind: 'corpus', name: 'checked' },
      'corpus-export': { kind: 'corpus', name: 'exported' },
      'experiment-train': { kind: 'experiment', name: 'digits run' },
      'experiment-evaluate': { kind: 'experiment', name: 'digits run' },
      'experiment-cross-validate': { kind: 'experiment', name: 'mr cv' },
      'lm-token-index': { kind: 'experiment', name: 'bilm' },
    });
  });

  it('names the experiment of a resumed run the same way, whatever the title says', () => {
    const resume = JobSpecSchema.parse({
      kind: 'experiment-train',
      params: { config: { name: 'x', corpus: 'c' }, resume: true },
    });
    expect(jobTitle(resume)).toBe('Resume training experiment x');
    expect(jobSubject(resume)).toEqual({ kind: 'experiment', name: 'x' });
  });

  it('titles a cross-validation with its folds, new or resumed', () => {
    const spec = (resume: boolean) =>
      JobSpecSchema.parse({
        kind: 'experiment-cross-validate',
        params: { config: { name: 'mr', corpus: 'mr' }, folds: 10, resume },
      });
    expect(jobTitle(spec(false))).toBe('Cross-validate mr (10 folds)');
    expect(jobTitle(spec(true))).toBe('Resume cross-validation mr (10 folds)');
    expect(() =>
      JobSpecSchema.parse({
        kind: 'experiment-cross-validate',
        params: { config: { name: 'mr', corpus: 'mr' }, folds: 1 },
      }),
    ).toThrow();
  });
});
