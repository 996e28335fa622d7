/** The speech tasks' public surface (isolated words, per-frame phone probabilities). Plain Node. */
export { featureConfigOf } from './speech-data';
export type { SpeechLabels } from './speech-data';
export { wordsTask } from './words-task';
export { phonesTask, POSTERIOR_OUTPUTS } from './phones-task';
export { loadRecognizer, NOT_SURE, StreamingPhoneRecognizer } from './recognizer';
export type { PhonePosteriorResult, PosteriorChunk, Recognizer, WordResult } from './recognizer';
export type { WordEvaluation, WordPrediction } from './evaluate-words';
export type { PhoneEvaluation, PhonePrediction } from './evaluate-phones';
