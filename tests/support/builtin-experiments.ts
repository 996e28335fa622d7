/**
 * The experiments module with Unfold's own tasks, as the speech tests call it: training and
 * evaluation with the built-in registry, the evaluation returned as the speech task's result.
 */
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import type { EvaluateExperimentOptions } from '../../src-main/domain/experiments/evaluate-experiment';
import { evaluateExperiment as evaluateWith } from '../../src-main/domain/experiments/evaluate-experiment';
import type {
  TrainExperimentOptions,
  TrainExperimentResult,
} from '../../src-main/domain/experiments/train-experiment';
import { trainExperiment as trainWith } from '../../src-main/domain/experiments/train-experiment';
import type { PhoneEvaluation, WordEvaluation } from '../../src-main/domain/speech';

export type SpeechEvaluation = WordEvaluation | PhoneEvaluation;

export function trainExperiment(
  config: ExperimentConfigInput | Record<string, unknown>,
  options: Omit<TrainExperimentOptions, 'tasks'>,
): Promise<TrainExperimentResult> {
  return trainWith(config, { ...options, tasks: EXPERIMENT_TASK_REGISTRY });
}

export async function evaluateExperiment(
  dirOrName: string,
  options: Omit<EvaluateExperimentOptions, 'tasks'>,
): Promise<SpeechEvaluation> {
  const evaluated = await evaluateWith(dirOrName, { ...options, tasks: EXPERIMENT_TASK_REGISTRY });
  return evaluated.result as SpeechEvaluation;
}
