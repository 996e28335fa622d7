/** Loads a trained speech model for recognition; its task decides what it can do. */
import { normaliseUtterance } from '../audio/cmvn';
import type { FeatureConfig } from '../audio/feature-config';
import { extractFeatures } from '../audio/feature-extractor';
import type { FeatureMatrix } from '../audio/feature-matrix';
import { resampleMono } from '../audio/resample';
import type { MonoAudio } from '../audio/types';
import { initTfBackend } from '../backend/tf-backend';
import { UnfoldError } from '../errors';
import type { SpeechConfig } from '../experiments/config/speech-config';
import { experimentModelFile } from '../experiments/experiment-folder';
import { readExperimentConfig, readExperimentLabels } from '../experiments/experiment-records';
import { loadModel } from '../rnn/model-io';
import { phoneAbilities } from './phone-recognition';
import type { LoadedSpeechModel, Recognizer, RecognizerAbilities } from './recognizer-types';
import type { SpeechLabels } from './speech-data';
import { featureConfigOf } from './speech-data';
import { wordAbilities } from './word-recognition';

export { NOT_SURE } from './recognizer-types';
export type {
  PhonePosteriorResult,
  PhoneStream,
  PosteriorChunk,
  Recognizer,
  WordResult,
  WordResultKind,
} from './recognizer-types';
export { StreamingPhoneRecognizer } from './phone-recognition';

/** The model input of a whole utterance: resampled, framed and normalised as the config says. */
export async function featuresOf(
  audio: MonoAudio,
  config: FeatureConfig,
  cmvn: SpeechConfig['features']['cmvn'],
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

type SpeechTask = SpeechConfig['task'];
type AbilitiesOf<T extends SpeechTask> = (
  loaded: LoadedSpeechModel<Extract<SpeechConfig, { task: T }>>,
) => Promise<RecognizerAbilities> | RecognizerAbilities;

/** What each speech task's model can do once loaded: one entry per speech task, checked by type. */
const ABILITIES: { [T in SpeechTask]: AbilitiesOf<T> } = {
  words: wordAbilities,
  phones: phoneAbilities,
};

function abilitiesOf(
  loaded: LoadedSpeechModel,
): Promise<RecognizerAbilities> | RecognizerAbilities {
  // The entry is the one of the config's own task (TypeScript cannot follow that through an index).
  const abilities = ABILITIES[loaded.config.task] as AbilitiesOf<SpeechTask>;
  return abilities(loaded);
}

/** An ability a model's task lacks, with what it needs instead. */
const NEEDS: Record<
  'recognizeWord' | 'phonePosteriors' | 'createStreamingPhoneRecognizer',
  { what: string; task: string }
> = {
  recognizeWord: { what: 'word recognition', task: 'words' },
  phonePosteriors: { what: 'phone posteriors', task: 'phones' },
  createStreamingPhoneRecognizer: { what: 'live phone recognition', task: 'phones' },
};

/** Loads an experiment's model for recognition. */
export async function loadRecognizer(dir: string): Promise<Recognizer> {
  await initTfBackend();
  const stored = await readExperimentConfig(dir);
  if (stored.task !== 'words' && stored.task !== 'phones')
    throw new UnfoldError(
      'SPEECH_WRONG_TASK',
      `${dir} is a ${stored.task} experiment, which reads text, not audio; recognising speech needs a words or phones experiment.`,
    );
  const config: SpeechConfig = stored;
  const labels = await readExperimentLabels<SpeechLabels>(dir);
  const model = await loadModel(experimentModelFile(dir));
  const features = featureConfigOf(config);
  const loaded: LoadedSpeechModel = {
    dir,
    config,
    labels,
    model,
    features,
    bidirectional: config.model.layers.some((l) => l.bidirectional),
    inputOf: (audio) => featuresOf(audio, features, config.features.cmvn),
  };
  const abilities = await abilitiesOf(loaded);
  const refused = (ability: keyof typeof NEEDS) => (): never => {
    throw new UnfoldError(
      'SPEECH_WRONG_TASK',
      `${dir} is a ${config.task} experiment; ${NEEDS[ability].what} needs a ${NEEDS[ability].task} experiment.`,
    );
  };
  return {
    dir,
    task: config.task,
    labels: labels.labels,
    features,
    bidirectional: loaded.bidirectional,
    rejectThreshold: abilities.rejectThreshold,
    medianWindow: abilities.medianWindow,
    silencePhones: abilities.silencePhones,
    recognizeWord: abilities.recognizeWord ?? refused('recognizeWord'),
    phonePosteriors: abilities.phonePosteriors ?? refused('phonePosteriors'),
    createStreamingPhoneRecognizer:
      abilities.createStreamingPhoneRecognizer ?? refused('createStreamingPhoneRecognizer'),
    dispose() {
      model.dispose();
    },
  };
}
