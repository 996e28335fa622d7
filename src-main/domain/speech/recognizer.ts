import { join } from 'node:path';
import { normaliseUtterance } from '../audio/cmvn';
import type { FeatureConfig } from '../audio/feature-config';
import { extractFeatures } from '../audio/feature-extractor';
import type { FeatureMatrix } from '../audio/feature-matrix';
import { resampleMono } from '../audio/resample';
import { StreamingFeatureExtractor } from '../audio/streaming-features';
import type { MonoAudio } from '../audio/types';
import { initTfBackend } from '../backend/tf-backend';
import type { PhoneFolding } from '../corpus/phone-folding';
import { PHONE_FOLDING_NAME, readPhoneFolding } from '../corpus/phone-folding';
import { UnfoldError } from '../errors';
import { decodeFramePosteriors } from '../metrics/frame-decoding';
import { loadModel } from '../rnn/model-io';
import type { LayerState, RnnModel } from '../rnn/rnn-model';
import { silencePhones } from './evaluate-phones';
import type { ExperimentConfig } from './experiment-config';
import { featureConfigOf } from './experiment-data';
import type { ExperimentLabels } from './experiment-store';
import { EXPERIMENT_FILES, readExperimentConfig, readExperimentLabels } from './experiment-store';
import type { RankedLabel } from './inference';
import { disposeStates, predictProbabilities, topK, transducerStep } from './inference';
import { RunningCmvn } from './live-normaliser';
import { wordLabelKind } from './word-classes';

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

/**
 * A unidirectional phone recogniser for live audio: PCM chunks in, posterior columns out as
 * soon as their frames are complete, with the network's state carried from chunk to chunk and a
 * running normalisation in place of per-utterance CMVN.
 */
export class StreamingPhoneRecognizer {
  private readonly extractor: StreamingFeatureExtractor;
  private readonly normaliser: RunningCmvn | null;
  private states: LayerState[] | null = null;
  private readonly collected: Float32Array[] = [];
  private framesOut = 0;

  constructor(
    private readonly model: RnnModel,
    features: FeatureConfig,
    labels: ExperimentLabels,
    cmvn: ExperimentConfig['features']['cmvn'],
    /** Keep every column for posteriors(); off for long live sessions that only stream them. */
    private readonly keepPosteriors = true,
  ) {
    this.extractor = new StreamingFeatureExtractor(features);
    this.normaliser =
      cmvn === 'none'
        ? null
        : new RunningCmvn(labels.inputDims, labels.featureMean, labels.featureStd);
  }

  /** 16-bit PCM or floats at the feature sample rate. */
  push(chunk: Int16Array | Float32Array): PosteriorChunk {
    return this.run(this.extractor.push(chunk));
  }

  /** Ends the stream (the last frames wait for delta look-ahead until here). */
  flush(): PosteriorChunk {
    const out = this.run(this.extractor.flush());
    disposeStates(this.states);
    this.states = null;
    return out;
  }

  /** All posteriors so far, row-major [frames, phones] (empty when they are not kept). */
  posteriors(): Float32Array {
    const classes = this.model.config.output.size;
    const out = new Float32Array(this.framesOut * classes);
    let offset = 0;
    for (const part of this.collected) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private run(batch: FeatureMatrix & { startFrame: number }): PosteriorChunk {
    if (batch.frames === 0)
      return { posteriors: new Float32Array(0), frames: 0, startFrame: batch.startFrame };
    const input = this.normaliser ? this.normaliser.apply(batch) : batch;
    const { probabilities, states } = transducerStep(this.model, input, this.states);
    disposeStates(this.states);
    this.states = states;
    if (this.keepPosteriors) {
      this.collected.push(probabilities);
      this.framesOut += batch.frames;
    }
    return { posteriors: probabilities, frames: batch.frames, startFrame: batch.startFrame };
  }
}

/** What callers use of a StreamingPhoneRecognizer (an interface, so tests can hand in fakes). */
export type PhoneStream = Pick<StreamingPhoneRecognizer, 'push' | 'flush' | 'posteriors'>;

export interface Recognizer {
  dir: string;
  task: 'words' | 'phones';
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

async function featuresOf(
  audio: MonoAudio,
  config: FeatureConfig,
  cmvn: ExperimentConfig['features']['cmvn'],
): Promise<FeatureMatrix> {
  const samples =
    audio.sampleRate === config.sampleRate
      ? audio.samples
      : await resampleMono(audio.samples, audio.sampleRate, config.sampleRate);
  const features = extractFeatures({ sampleRate: config.sampleRate, samples }, config);
  if (features.frames === 0) {
    throw new UnfoldError(
      'SPEECH_TOO_SHORT',
      `The audio is too short to recognise (${(samples.length / config.sampleRate).toFixed(3)} s gives no ${config.frameLengthMs} ms frame).`,
    );
  }
  // Per-speaker CMVN needs other utterances of the speaker: a single utterance is normalised alone.
  return cmvn === 'none' ? features : normaliseUtterance(features);
}

/** Loads an experiment's model for recognition. */
export async function loadRecognizer(dir: string): Promise<Recognizer> {
  await initTfBackend();
  const config = await readExperimentConfig(dir);
  const labelFile = await readExperimentLabels(dir);
  const model = await loadModel(join(dir, EXPERIMENT_FILES.model));
  const features = featureConfigOf(config);
  const cmvn = config.features.cmvn;
  let folding: PhoneFolding | null = null;
  if (config.task === 'phones')
    folding = await readPhoneFolding(join(dir, PHONE_FOLDING_NAME)).catch(() => readPhoneFolding());
  const silence = folding ? silencePhones(labelFile.labels, folding) : [];
  const bidirectional = config.model.layers.some((l) => l.bidirectional);
  const wrongTask = (wanted: string): UnfoldError =>
    new UnfoldError(
      'SPEECH_WRONG_TASK',
      `${dir} is a ${config.task} experiment; ${wanted} needs a ${config.task === 'words' ? 'phones' : 'words'} experiment.`,
    );
  return {
    dir,
    task: config.task,
    labels: labelFile.labels,
    features,
    rejectThreshold: config.rejectThreshold,
    medianWindow: config.medianWindow,
    silencePhones: silence,
    bidirectional,
    async recognizeWord(audio, options = {}) {
      if (config.task !== 'words') throw wrongTask('word recognition');
      const input = await featuresOf(audio, features, cmvn);
      const [probabilities] = predictProbabilities(model, [input]);
      const top = topK(probabilities as Float32Array, labelFile.labels, options.topK ?? 3);
      const best = top[0] as RankedLabel;
      const notSure = best.probability < (options.threshold ?? config.rejectThreshold);
      return {
        word: notSure ? NOT_SURE : best.label,
        probability: best.probability,
        notSure,
        kind: notSure ? 'not-sure' : wordLabelKind(best.label),
        top,
        frames: input.frames,
      };
    },
    async phonePosteriors(audio) {
      if (config.task !== 'phones') throw wrongTask('phone posteriors');
      const input = await featuresOf(audio, features, cmvn);
      const [posteriors] = predictProbabilities(model, [input]);
      return {
        posteriors: posteriors as Float32Array,
        frames: input.frames,
        phones: labelFile.labels,
        decoded: decodeFramePosteriors(posteriors as Float32Array, labelFile.labels, {
          medianWindow: config.medianWindow,
          silence,
        }),
      };
    },
    createStreamingPhoneRecognizer(options = {}) {
      if (config.task !== 'phones') throw wrongTask('live phone recognition');
      if (bidirectional) {
        throw new UnfoldError(
          'SPEECH_NOT_STREAMABLE',
          `The phone model of ${config.name} is bidirectional: it needs the whole utterance, so it cannot run live. ` +
            'Train a unidirectional one for live use (untick "bidirectional" in the Train view, or `unfold train --task phones --no-bidirectional`).',
        );
      }
      return new StreamingPhoneRecognizer(
        model,
        features,
        labelFile,
        cmvn,
        options.keepPosteriors ?? true,
      );
    },
    dispose() {
      model.dispose();
    },
  };
}
