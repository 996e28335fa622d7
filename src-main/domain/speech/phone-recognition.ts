/** What a phones model does when loaded: posteriors of an utterance, or of live audio as it comes. */
import type { FeatureConfig } from '../audio/feature-config';
import type { FeatureMatrix } from '../audio/feature-matrix';
import { StreamingFeatureExtractor } from '../audio/streaming-features';
import { UnfoldError } from '../errors';
import type { PhonesConfig, SpeechConfig } from '../experiments/config/speech-config';
import { DEFAULT_REJECT_THRESHOLD } from '../experiments/config/speech-config';
import { readTaskFile } from '../experiments/experiment-records';
import { decodeFramePosteriors } from '../metrics/frame-decoding';
import type { RnnModel } from '../rnn/rnn-model';
import { silencePhones } from './evaluate-phones';
import { predictProbabilities } from './inference';
import { openNetworkStream } from './network-stream';
import type { NetworkStream } from './network-stream';
import { RunningCmvn } from './live-normaliser';
import { modelPhoneFolding } from './phones-task';
import type { LoadedSpeechModel, PosteriorChunk, RecognizerAbilities } from './recognizer-types';
import type { SpeechLabels } from './speech-data';

/**
 * A unidirectional phone recogniser for live audio: PCM chunks in, posterior columns out as
 * soon as their frames are complete, with the network's state carried from chunk to chunk and a
 * running normalisation in place of per-utterance CMVN.
 */
export class StreamingPhoneRecognizer {
  private readonly extractor: StreamingFeatureExtractor;
  private readonly normaliser: RunningCmvn | null;
  private readonly network: NetworkStream;
  private readonly collected: Float32Array[] = [];
  private framesOut = 0;

  constructor(
    private readonly model: RnnModel,
    features: FeatureConfig,
    labels: SpeechLabels,
    cmvn: SpeechConfig['features']['cmvn'],
    /** Keep every column for posteriors(); off for long live sessions that only stream them. */
    private readonly keepPosteriors = true,
  ) {
    this.extractor = new StreamingFeatureExtractor(features);
    this.network = openNetworkStream(model);
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
    this.network.reset();
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
    const probabilities = this.network.step(input);
    if (this.keepPosteriors) {
      this.collected.push(probabilities);
      this.framesOut += batch.frames;
    }
    return { posteriors: probabilities, frames: batch.frames, startFrame: batch.startFrame };
  }
}

export async function phoneAbilities(
  loaded: LoadedSpeechModel<PhonesConfig>,
): Promise<RecognizerAbilities> {
  const { dir, config, model, labels, features } = loaded;
  const folding = await modelPhoneFolding((name) => readTaskFile(dir, name));
  const silence = silencePhones(labels.labels, folding);
  const medianWindow = config.medianWindow;
  return {
    // Not used by phone models; the field is there for every recogniser.
    rejectThreshold: DEFAULT_REJECT_THRESHOLD,
    medianWindow,
    silencePhones: silence,
    async phonePosteriors(audio) {
      const input = await loaded.inputOf(audio);
      const [posteriors] = predictProbabilities(model, [input]);
      return {
        posteriors: posteriors as Float32Array,
        frames: input.frames,
        phones: labels.labels,
        decoded: decodeFramePosteriors(posteriors as Float32Array, labels.labels, {
          medianWindow,
          silence,
        }),
      };
    },
    createStreamingPhoneRecognizer(options = {}) {
      if (loaded.bidirectional) {
        throw new UnfoldError(
          'SPEECH_NOT_STREAMABLE',
          `The phone model of ${config.name} is bidirectional: it needs the whole utterance, so it cannot run live. ` +
            'Train a unidirectional one for live use (untick "bidirectional" in the Train view, or `unfold train --task phones --no-bidirectional`).',
        );
      }
      return new StreamingPhoneRecognizer(
        model,
        features,
        labels,
        config.features.cmvn,
        options.keepPosteriors ?? true,
      );
    },
  };
}
