import type { insideRequests } from '../../api/channels/inside-channels';
import type { InsideInput } from '../../api/inside';
import { CORPORA_DIR } from '../../domain/corpus/corpus-paths';
import { resolveInDataFolder } from '../../domain/data-folder';
import { inputDynamics, loadInsideModel, traceInput } from '../../domain/inside/inside-model';
import type { CorpusResolver, InsideModel } from '../../domain/inside/inside-model';
import { ModelCache } from '../recognizer-cache';
import { resolveExistingDataPath } from '../recording/data-paths';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

const insideCaches = new WeakMap<HandlerContext, ModelCache<InsideModel>>();

/** The app's models opened for the Inside view, by experiment folder (reloaded when retrained). */
function insideCacheOf(context: HandlerContext): ModelCache<InsideModel> {
  let cache = insideCaches.get(context);
  if (!cache) {
    cache = new ModelCache({ load: loadInsideModel });
    insideCaches.set(context, cache);
  }
  return cache;
}

/** A client's input with its WAV path resolved inside the data folder (links out refused). */
async function resolvedInput(dataDir: string, input: InsideInput): Promise<InsideInput> {
  return input.kind === 'wav'
    ? { kind: 'wav', path: await resolveExistingDataPath(dataDir, input.path) }
    : input;
}

export function createInsideHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof insideRequests> {
  const corpusIn: CorpusResolver = (name) =>
    resolveInDataFolder(context.dataDir, CORPORA_DIR, name);
  return {
    'inside:trace': async ({ experiment, input, outputStep, lossTarget }) => {
      const resolved = await resolvedInput(context.dataDir, input);
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const model = await insideCacheOf(context).get(dir);
      return traceInput(model, resolved, {
        resolveCorpus: corpusIn,
        outputStep: outputStep ?? null,
        lossTarget,
      });
    },
    'inside:dynamics': async ({ experiment, input, ...options }) => {
      const resolved = await resolvedInput(context.dataDir, input);
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const model = await insideCacheOf(context).get(dir);
      return inputDynamics(model, resolved, {
        ...options,
        resolveCorpus: corpusIn,
      });
    },
  };
}
