/** The speech tasks' public surface (isolated words, per-frame phone probabilities). Plain Node. */
export { trainExperiment } from './experiment';
export type { TrainExperimentResult } from './experiment';
export { evaluateExperiment } from './evaluate-experiment';
export type { EvaluateExperimentOptions } from './evaluate-experiment';
export { featureConfigOf, modelConfigFor } from './experiment-data';
export type { SpeechOperationOptions } from './experiment-data';
export { parseExperimentConfig, ExperimentConfigSchema } from './experiment-config';
export type { DataSelection, ExperimentConfig, ExperimentConfigInput } from './experiment-config';
export {
  experimentDir,
  listExperiments,
  readExperimentConfig,
  EXPERIMENT_FILES,
} from './experiment-store';
export type { ExperimentLabels, ExperimentSummary } from './experiment-store';
export { loadRecognizer, NOT_SURE, StreamingPhoneRecognizer } from './recognizer';
export type { PhonePosteriorResult, PosteriorChunk, Recognizer, WordResult } from './recognizer';
export { PRESET_NAMES, presetConfig, defaultPresetFor } from './presets';
export type { PresetName } from './presets';
export type { WordEvaluation, WordPrediction } from './evaluate-words';
export type { PhoneEvaluation, PhonePrediction } from './evaluate-phones';
