/** What a words model does when loaded: classify one spoken word, or say it is not sure. */
import type { WordsConfig } from '../experiments/config/speech-config';
import { DEFAULT_MEDIAN_WINDOW } from '../experiments/config/speech-config';
import type { RankedLabel } from './inference';
import { predictProbabilities, topK } from './inference';
import type { LoadedSpeechModel, RecognizerAbilities } from './recognizer-types';
import { NOT_SURE } from './recognizer-types';
import { wordLabelKind } from './word-classes';

export function wordAbilities(loaded: LoadedSpeechModel<WordsConfig>): RecognizerAbilities {
  const { config, model, labels } = loaded;
  return {
    rejectThreshold: config.rejectThreshold,
    // Not used by word models; the field is there for every recogniser.
    medianWindow: DEFAULT_MEDIAN_WINDOW,
    silencePhones: [],
    async recognizeWord(audio, options = {}) {
      const input = await loaded.inputOf(audio);
      const [probabilities] = predictProbabilities(model, [input]);
      const top = topK(probabilities as Float32Array, labels.labels, options.topK ?? 3);
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
  };
}
