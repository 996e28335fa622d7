import type { SpeechEvaluateResult, SpeechTrainResult } from '../api/jobs';
import { dataNameProblem } from '../api/names';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { resolveInDataFolder } from '../domain/data-folder';
import type { PhoneEvaluation } from '../domain/speech/evaluate-phones';
import type { WordEvaluation } from '../domain/speech/evaluate-words';
import { evaluateExperiment } from '../domain/speech/evaluate-experiment';
import { EXPERIMENTS_DIR, readExperimentConfig } from '../domain/speech/experiment-store';
import { trainExperiment } from '../domain/speech/experiment';
import { parseExperimentConfig } from '../domain/speech/experiment-config';
import type { JobEnvironment } from './job-environment';

function headline(evaluation: WordEvaluation | PhoneEvaluation): number {
  return 'frameAccuracy' in evaluation ? evaluation.frameAccuracy : evaluation.accuracy;
}

/**
 * Trains (or resumes) a speech experiment in the job's process. The experiment and corpus are
 * names (checked by the job's schema) resolved inside the data folder: a job never writes or
 * reads elsewhere. Re-training an experiment of the same name replaces its previous run, as
 * the Train view's "Train" does; a folder that is not an experiment is never touched.
 */
export async function runSpeechTrain(
  params: { config: Record<string, unknown> & { name: string; corpus: string }; resume: boolean },
  environment: JobEnvironment,
): Promise<SpeechTrainResult> {
  const outDir = await resolveInDataFolder(
    environment.dataDir,
    EXPERIMENTS_DIR,
    params.config.name,
  );
  const corpusDir = await resolveInDataFolder(
    environment.dataDir,
    CORPORA_DIR,
    params.config.corpus,
  );
  const result = await trainExperiment(parseExperimentConfig(params.config), {
    dataDir: environment.dataDir,
    outDir,
    corpusDir,
    resume: params.resume,
    replace: true,
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  });
  return {
    dir: result.dir,
    epochs: result.training.history.length,
    bestEpoch: result.training.bestEpoch ?? null,
    testMetric: headline(result.evaluation),
  };
}

export async function runSpeechEvaluate(
  params: { experiment: string; corpus?: string | undefined; split?: string | undefined },
  environment: JobEnvironment,
): Promise<SpeechEvaluateResult> {
  const dir = await resolveInDataFolder(environment.dataDir, EXPERIMENTS_DIR, params.experiment);
  // The experiment's own corpus is a name in the data folder unless the user trained it from
  // the command line on a corpus elsewhere (then config.json holds the path they chose).
  const corpus = params.corpus ?? (await readExperimentConfig(dir)).corpus;
  const evaluation = await evaluateExperiment(dir, {
    dataDir: environment.dataDir,
    ...(params.corpus ? { corpus: params.corpus } : {}),
    ...(dataNameProblem(corpus) === null
      ? { corpusDir: await resolveInDataFolder(environment.dataDir, CORPORA_DIR, corpus) }
      : {}),
    ...(params.split ? { split: params.split } : {}),
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  });
  return {
    dir,
    split: params.split ?? 'test',
    metric: headline(evaluation),
  };
}
