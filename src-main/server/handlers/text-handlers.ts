import type { textRequests } from '../../api/channels/text-channels';
import { loadTagger } from '../../domain/text/pos/tagger';
import type { Tagger } from '../../domain/text/pos/tagger';
import { ModelCache } from '../recognizer-cache';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

const taggerCaches = new WeakMap<HandlerContext, ModelCache<Tagger>>();

/** The app's loaded taggers by experiment folder (reloaded when the model is retrained). */
function taggerCacheOf(context: HandlerContext): ModelCache<Tagger> {
  let cache = taggerCaches.get(context);
  if (!cache) {
    cache = new ModelCache({ load: loadTagger });
    taggerCaches.set(context, cache);
  }
  return cache;
}

export function createTextHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof textRequests> {
  return {
    'text:tag': async ({ experiment, text }) => {
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const tagger = await taggerCacheOf(context).get(dir);
      return tagger.tagText(text);
    },
  };
}
