/**
 * The experiments module: the one owner of an experiment's life and folder (create, config,
 * log, checkpoints, best model, metrics, evaluations, resume, cancel, list). Tasks plug in
 * through ExperimentTask (experiment-task.ts).
 */
export * from './config/index';
export { checkConfigSplits, dataViewOf, withHeldOutDefault } from './config-splits';
export type { HeldOutSizes } from './config-splits';
export {
  crossValidate,
  foldConfig,
  listCrossValidations,
  readCrossValidation,
  resumeCrossValidation,
} from './cross-validation';
export type {
  CrossValidateOptions,
  CrossValidationPlan,
  CrossValidationResult,
} from './cross-validation';
export type { CrossValidationSummary, FoldResult } from './cross-validation-summary';
export { evaluateExperiment } from './evaluate-experiment';
export type { EvaluateExperimentOptions, ExperimentEvaluationResult } from './evaluate-experiment';
export { evaluationKey, evaluationLabel } from './evaluation-ref';
export { evaluatedCorpusDir, readItemOutput } from './evaluations';
export type { EvaluationRef, ItemOutputs, StoredEvaluation } from './evaluations';
export {
  EXPERIMENTS_DIR,
  experimentDir,
  experimentModelFile,
  experimentModelTime,
  foldExperimentName,
  isCrossValidationFolder,
  recordedCorpusDir,
} from './experiment-folder';
export { listExperiments, readExperimentEvaluation, readExperimentPage } from './experiment-list';
export type { ExperimentPage, ExperimentSummary } from './experiment-list';
export {
  readCommonConfig,
  readExperimentConfig,
  readExperimentLabels,
  readTaskFile,
} from './experiment-records';
export type { ExperimentLabels } from './experiment-records';
export { storedFilesOf, taskFor, taskRegistry } from './experiment-task';
export type {
  EvaluationInput,
  ExperimentTask,
  TaskDataOptions,
  TaskEvaluation,
  TaskRegistry,
  TrainingPlan,
} from './experiment-task';
export { trainExperiment } from './train-experiment';
export type { TrainExperimentOptions, TrainExperimentResult } from './train-experiment';
export type { ExperimentLogEntry, ExperimentRunStatus } from './run-status';
