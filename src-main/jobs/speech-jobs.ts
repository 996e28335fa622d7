import type { SpeechEvaluateResult, SpeechTrainResult } from '../api/jobs';
import type { PhoneEvaluation } from '../domain/speech/evaluate-phones';
import type { WordEvaluation } from '../domain/speech/evaluate-words';
import { evaluateExperiment } from '../domain/speech/evaluate-experiment';
import { experimentDir } from '../domain/speech/experiment-store';
import { trainExperiment } from '../domain/speech/experiment';
import { parseExperimentConfig } from '../domain/speech/experiment-config';
import type { JobEnvironment } from './job-kinds';

function headline(evaluation: WordEvaluation | PhoneEvaluation): number {
  return 'frameAccuracy' in evaluation ? evaluation.frameAccuracy : evaluation.accuracy;
}

/** Trains (or resumes) a speech experiment in the job's process. */
export async function runSpeechTrain(
  params: { config: Record<string, unknown>; resume: boolean },
  environment: JobEnvironment,
): Promise<SpeechTrainResult> {
  const result = await trainExperiment(parseExperimentConfig(params.config), {
    dataDir: environment.dataDir,
    resume: params.resume,
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
  const evaluation = await evaluateExperiment(params.experiment, {
    dataDir: environment.dataDir,
    ...(params.corpus ? { corpus: params.corpus } : {}),
    ...(params.split ? { split: params.split } : {}),
    ...(environment.signal ? { signal: environment.signal } : {}),
    ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
  });
  return {
    dir: experimentDir(params.experiment, environment.dataDir),
    split: params.split ?? 'test',
    metric: headline(evaluation),
  };
}
