import type { JobKind, JobResults, JobSpec } from '../api/jobs';
import { runSelftest } from '../domain/selftest/selftest';
import {
  runCorpusExport,
  runCorpusImport,
  runCorpusSynthSentences,
  runCorpusSynthWords,
  runCorpusValidate,
} from './corpus-jobs';
import {
  runExperimentCrossValidate,
  runExperimentEvaluate,
  runExperimentTrain,
} from './experiment-jobs';
import { runLmTokenIndex } from './token-index-job';

import type { JobEnvironment } from './job-environment';

export type { JobEnvironment } from './job-environment';

type JobFunctions = {
  [K in JobKind]: (
    params: Extract<JobSpec, { kind: K }>['params'],
    environment: JobEnvironment,
  ) => Promise<JobResults[K]>;
};

/** What each kind of job runs inside its process. */
export const jobFunctions: JobFunctions = {
  selftest: (params, environment) => runSelftest(params, environment),
  'corpus-import': runCorpusImport,
  'corpus-synth-words': runCorpusSynthWords,
  'corpus-synth-sentences': runCorpusSynthSentences,
  'corpus-validate': runCorpusValidate,
  'corpus-export': runCorpusExport,
  'experiment-train': runExperimentTrain,
  'experiment-evaluate': runExperimentEvaluate,
  'experiment-cross-validate': runExperimentCrossValidate,
  'lm-token-index': runLmTokenIndex,
};

export function runJob(spec: JobSpec, environment: JobEnvironment): Promise<unknown> {
  const run = jobFunctions[spec.kind] as (params: unknown, env: JobEnvironment) => Promise<unknown>;
  return run(spec.params, environment);
}
