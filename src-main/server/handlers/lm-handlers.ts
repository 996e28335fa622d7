/**
 * The Text view's language-model API: reading a typed text (each unit's probability and the
 * most probable next units) and generating text that streams to every client as lm:unit events,
 * one per unit as it is sampled, until it is finished or stopped (lm:generated says which).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { lmRequests } from '../../api/channels/lm-channels';
import type { LmGenerationEnd, LmReading } from '../../api/lm';
import { toErrorData, UnfoldError } from '../../domain/errors';
import { EXPERIMENT_FILES } from '../../domain/experiments/experiment-folder';
import type { ApiErrorData } from '../../api/errors';
import { loadBidirectionalLm } from '../../domain/text/contextual-embeddings';
import type { BidirectionalLm } from '../../domain/text/contextual-embeddings';
import { loadLanguageModel } from '../../domain/text/lm/language-model';
import { comparePolysemy } from '../../domain/text/polysemy';
import type { PolysemyInputs } from '../../domain/text/polysemy';
import { readTokenIndex, TOKEN_INDEX_FILES } from '../../domain/text/token-index';
import type { TokenIndex } from '../../domain/text/token-index';
import type { GenerationStart, LanguageModel } from '../../domain/text/lm/language-model';
import { ModelCache } from '../recognizer-cache';
import type { RecognizerLease } from '../recognizer-cache';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

/** Generations that may run at once in an app (each holds its model and state). */
export const MAX_RUNNING_GENERATIONS = 4;

interface LmArea {
  models: ModelCache<LanguageModel>;
  /** Bidirectional LMs (the polysemy view), and the token index last read for each. */
  bilms: ModelCache<BidirectionalLm>;
  indexes: Map<string, { stamp: string; index: TokenIndex | null }>;
  /** Running generations by id: aborted by lm:stop. */
  running: Map<string, AbortController>;
}

const areas = new WeakMap<HandlerContext, LmArea>();

function areaOf(context: HandlerContext): LmArea {
  let area = areas.get(context);
  if (!area) {
    area = {
      models: new ModelCache({ load: loadLanguageModel }),
      bilms: new ModelCache({ load: loadBidirectionalLm, capacity: 2 }),
      indexes: new Map(),
      running: new Map(),
    };
    areas.set(context, area);
  }
  return area;
}

/** When the index record of a biLM last changed (a rebuilt index is read again). */
async function indexStamp(dir: string): Promise<string> {
  const stamps = await Promise.all(
    [join(EXPERIMENT_FILES.modelFolder, TOKEN_INDEX_FILES.record), EXPERIMENT_FILES.model].map(
      (file) =>
        stat(join(dir, file)).then(
          (s) => String(s.mtimeMs),
          () => 'none',
        ),
    ),
  );
  return stamps.join('/');
}

/** A biLM's token index, read once per build (it may be large). */
async function tokenIndexOf(
  area: LmArea,
  dir: string,
  lm: BidirectionalLm,
): Promise<TokenIndex | null> {
  const stamp = await indexStamp(dir);
  const cached = area.indexes.get(dir);
  if (cached?.stamp === stamp) return cached.index;
  const index = await readTokenIndex(dir, lm.weightsSha256);
  area.indexes.set(dir, { stamp, index });
  return index;
}

function indexSummary(index: TokenIndex): NonNullable<PolysemyInputs['index']>['summary'] {
  const { corpus, split, tokens, sentencesLeftOut } = index.record;
  return { corpus, split, tokens, sentencesLeftOut };
}

/** Lets the unit just sent go out, and a stop request in, before the next unit. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function streamUnits(
  context: HandlerContext,
  id: string,
  generation: GenerationStart,
  lease: RecognizerLease<LanguageModel>,
  signal: AbortSignal,
): Promise<void> {
  let units = 0;
  let end: LmGenerationEnd = 'finished';
  let error: ApiErrorData | null = null;
  try {
    for (;;) {
      if (signal.aborted) {
        end = 'stopped';
        break;
      }
      const next = generation.units.next();
      if (next.done === true) break;
      const unit = next.value;
      context.events.emit('lm:unit', {
        id,
        index: units,
        text: unit.text,
        probability: unit.probability,
      });
      units++;
      await nextTurn();
    }
  } catch (failure) {
    end = 'failed';
    error = toErrorData(failure);
  } finally {
    generation.units.return();
    lease.release();
    areaOf(context).running.delete(id);
    context.events.emit('lm:generated', { id, end, units, error });
  }
}

export function createLmHandlers(context: HandlerContext): AreaHandlers<keyof typeof lmRequests> {
  return {
    'lm:read': async ({ experiment, text, top }): Promise<LmReading> => {
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const lm = await areaOf(context).models.get(dir);
      const reading = lm.readPrefix(text, top);
      return {
        experiment,
        text,
        level: lm.level,
        vocabularySize: lm.vocabularySize - 1,
        units: reading.units.map((unit) => ({
          text: unit.text,
          probability: Math.exp(unit.logProb),
          surprisal: -unit.logProb / Math.LN2,
          unknown: unit.unknown,
        })),
        next: reading.next.map((unit) => ({ text: unit.text, probability: unit.probability })),
      };
    },
    'lm:generate': async ({ id, experiment, prompt, units, temperature, topK, topP, seed }) => {
      const { running, models } = areaOf(context);
      if (running.has(id))
        throw new UnfoldError('LM_GENERATION_EXISTS', `A generation with the id ${id} is running.`);
      if (running.size >= MAX_RUNNING_GENERATIONS)
        throw new UnfoldError(
          'LM_BUSY',
          `${MAX_RUNNING_GENERATIONS} generations are running: stop one, or wait for one to end.`,
        );
      // Registered before anything is awaited, so a stop sent right after the start (before
      // the model has loaded) finds it: the generation then ends at once as stopped.
      const controller = new AbortController();
      running.set(id, controller);
      let lease: RecognizerLease<LanguageModel>;
      let generation: GenerationStart;
      try {
        const dir = await namedExperimentDir(context.dataDir, experiment);
        lease = await models.acquire(dir);
        try {
          generation = lease.recognizer.startGeneration({
            prompt,
            units,
            temperature,
            topK,
            topP,
            seed,
          });
        } catch (failure) {
          lease.release();
          throw failure;
        }
      } catch (failure) {
        running.delete(id);
        throw failure;
      }
      // Started after this reply is sent: the events follow it.
      setImmediate(() => void streamUnits(context, id, generation, lease, controller.signal));
      return {
        id,
        experiment,
        level: lease.recognizer.level,
        promptUnits: generation.promptUnits,
        unknownPromptUnits: generation.unknownPromptUnits,
        notes: generation.notes,
      };
    },
    'lm:polysemy': async ({ experiment, first, second, word, neighbours }) => {
      const area = areaOf(context);
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const lease = await area.bilms.acquire(dir);
      try {
        const lm = lease.recognizer;
        const index = await tokenIndexOf(area, dir, lm);
        return comparePolysemy(
          {
            layersOf: (sentences) => lm.layersOf(sentences),
            index: index
              ? {
                  summary: indexSummary(index),
                  rows: index.rows,
                  sentences: index.record.sentences,
                  places: index.places,
                }
              : null,
          },
          experiment,
          first,
          second,
          word,
          neighbours,
        );
      } finally {
        lease.release();
      }
    },
    'lm:token-index': async ({ experiment }) => {
      const area = areaOf(context);
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const lease = await area.bilms.acquire(dir);
      try {
        const index = await tokenIndexOf(area, dir, lease.recognizer);
        return { experiment, index: index ? indexSummary(index) : null };
      } finally {
        lease.release();
      }
    },
    'lm:stop': ({ id }) => {
      const controller = areaOf(context).running.get(id);
      controller?.abort();
      return Promise.resolve({ id, stopped: controller !== undefined });
    },
  };
}
