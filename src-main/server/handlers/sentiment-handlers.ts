import type { sentimentRequests } from '../../api/channels/sentiment-channels';
import { loadSentimentClassifier } from '../../domain/text/sentiment/classifier';
import type { SentimentClassifier } from '../../domain/text/sentiment/classifier';
import { ModelCache } from '../recognizer-cache';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

const classifierCaches = new WeakMap<HandlerContext, ModelCache<SentimentClassifier>>();

/** The app's loaded sentence classifiers by experiment folder (reloaded when retrained). */
function classifierCacheOf(context: HandlerContext): ModelCache<SentimentClassifier> {
  let cache = classifierCaches.get(context);
  if (!cache) {
    cache = new ModelCache({ load: loadSentimentClassifier });
    classifierCaches.set(context, cache);
  }
  return cache;
}

export function createSentimentHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof sentimentRequests> {
  return {
    'sentiment:classify': async ({ experiment, text }) => {
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const classifier = await classifierCacheOf(context).get(dir);
      return classifier.classify(text);
    },
  };
}
