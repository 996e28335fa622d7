/** What a loaded speech model offers its callers (live sessions, the CLI, the posteriorgram). */
import type { FeatureConfig } from '../audio/feature-config';
import type { FeatureMatrix } from '../audio/feature-matrix';
import type { MonoAudio } from '../audio/types';
import type { SpeechConfig } from '../experiments/config/speech-config';
import type { RnnModel } from '../rnn/rnn-model';
import type { RankedLabel } from './inference';
import type { SpeechLabels } from './speech-data';

/** Shown instead of a word when the top probability is below the rejection threshold. */
export const NOT_SURE = 'not sure';

/** How a word result is shown: a word, the corpus's silence or unknown class, or below the threshold. */
export type WordResultKind = 'word' | 'silence' | 'unknown' | 'not-sure';

export interface WordResult {
  /** The top word (or the silence/unknown label), or NOT_SURE below the threshold. */
  word: string;
  probability: number;
  notSure: boolean;
  kind: WordResultKind;
  top: RankedLabel[];
  frames: number;
}

export interface PhonePosteriorResult {
  /** Row-major [frames, phones]. */
  posteriors: Float32Array;
  frames: number;
  phones: string[];
  /** Decoded phone string in the training set (median smoothing, merged repeats, no silence). */
  decoded: string[];
}

export interface PosteriorChunk {
  /** Row-major [frames, phones] for frames startFrame .. startFrame + frames - 1. */
  posteriors: Float32Array;
  frames: number;
  startFrame: number;
}

/** What callers use of a StreamingPhoneRecognizer (an interface, so tests can hand in fakes). */
export interface PhoneStream {
  /** 16-bit PCM or floats at the feature sample rate. */
  push(chunk: Int16Array | Float32Array): PosteriorChunk;
  /** Ends the stream (the last frames wait for delta look-ahead until here). */
  flush(): PosteriorChunk;
  /** All posteriors so far, row-major [frames, phones] (empty when they are not kept). */
  posteriors(): Float32Array;
}

export interface Recognizer {
  dir: string;
  task: SpeechConfig['task'];
  labels: string[];
  features: FeatureConfig;
  rejectThreshold: number;
  /** Phones: the decoding's median window and the labels it drops as silence. */
  medianWindow: number;
  silencePhones: string[];
  /** Whether any layer runs backwards (such a phones model cannot stream). */
  bidirectional: boolean;
  /**
   * Classifies one spoken word (the whole utterance, as the VAD cut it). `threshold` overrides
   * the experiment's rejection threshold (the Live view's slider).
   */
  recognizeWord(
    audio: MonoAudio,
    options?: { topK?: number; threshold?: number },
  ): Promise<WordResult>;
  /** Per-frame phone probabilities of a whole utterance and the decoded phone string. */
  phonePosteriors(audio: MonoAudio): Promise<PhonePosteriorResult>;
  /** A live phone recogniser; needs a unidirectional phones model. */
  createStreamingPhoneRecognizer(options?: { keepPosteriors?: boolean }): PhoneStream;
  dispose(): void;
}

/** A trained speech model as loaded, before its task decides what it can do. */
export interface LoadedSpeechModel<C extends SpeechConfig = SpeechConfig> {
  dir: string;
  config: C;
  labels: SpeechLabels;
  model: RnnModel;
  features: FeatureConfig;
  bidirectional: boolean;
  /** The model's input for a whole utterance (resampled, normalised as the config says). */
  inputOf(audio: MonoAudio): Promise<FeatureMatrix>;
}

/** What one task's model can do: the abilities it lacks are refused with the task they need. */
export type RecognizerAbilities = Pick<
  Recognizer,
  'rejectThreshold' | 'medianWindow' | 'silencePhones'
> &
  Partial<Pick<Recognizer, 'recognizeWord' | 'phonePosteriors' | 'createStreamingPhoneRecognizer'>>;
