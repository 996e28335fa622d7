import type { experimentRequests } from '../../api/channels/experiment-channels';
import type {
  ConfusionMatrixData,
  EvaluationPrediction,
  EvaluationRef,
  ExperimentDetail,
  ExperimentEvaluation,
  ExperimentListItem,
  ExperimentPreset,
  ExperimentTask,
  Posteriorgram,
} from '../../api/experiments';
import { resolveInDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { EXPERIMENT_TASK_REGISTRY } from '../../domain/experiment-tasks';
import { EXPERIMENTS_DIR } from '../../domain/experiments/experiment-folder';
import { storedFilesOf } from '../../domain/experiments/experiment-task';
import {
  listExperiments,
  readExperimentEvaluation,
  readExperimentPage,
} from '../../domain/experiments/experiment-list';
import { PRESET_NAMES, presetConfig } from '../../domain/experiments/presets';
import { computePosteriorgram } from '../../domain/speech/posteriorgram';
import { CorpusCache } from '../../domain/speech/corpus-cache';
import type { RecognizerCache } from '../recognizer-cache';
import type { PosteriorgramRequest } from '../../domain/speech/posteriorgram';
import { resolveExistingDataPath, toDataRelative } from '../recording/data-paths';
import type { AreaHandlers, HandlerContext } from './handler-context';
import { recognizerCacheOf } from './handler-context';

/**
 * The folder of a named experiment. The channel schema already refuses paths; resolving under
 * <data>/experiments (rather than experimentDir, which also takes paths) keeps every request
 * confined to the data folder, symbolic links out included.
 */
export function namedExperimentDir(dataDir: string, name: string): Promise<string> {
  return resolveInDataFolder(dataDir, EXPERIMENTS_DIR, name);
}

async function listItems(dataDir: string): Promise<ExperimentListItem[]> {
  return (await listExperiments(dataDir, storedFilesOf(EXPERIMENT_TASK_REGISTRY))).map((s) => ({
    name: s.name,
    task: s.task as ExperimentTask,
    corpus: s.corpus,
    created: s.created,
    metrics: s.metrics,
    status: s.status,
    epochs: s.epochs,
    bidirectionalLm: s.bidirectionalLm,
  }));
}

async function experimentDetail(dataDir: string, name: string): Promise<ExperimentDetail> {
  const page = await readExperimentPage(await namedExperimentDir(dataDir, name));
  return { name, ...page, task: page.task as ExperimentTask };
}

async function experimentEvaluation(
  dataDir: string,
  name: string,
  ref: EvaluationRef,
): Promise<ExperimentEvaluation> {
  const stored = await readExperimentEvaluation(await namedExperimentDir(dataDir, name), ref);
  if (stored === null) {
    throw new UnfoldError(
      'EVALUATION_NOT_FOUND',
      `${name} has no evaluation on the ${ref.split} split${ref.corpus === null ? '' : ` of ${ref.corpus}`} yet. Run one from the Evaluate view or with \`unfold eval\`.`,
    );
  }
  return {
    name,
    evaluation: ref,
    split: ref.split,
    corpus: stored.corpus,
    summary: stored.summary,
    confusion: stored.confusion as ConfusionMatrixData,
    predictions: stored.predictions as EvaluationPrediction[],
  };
}

function presets(corpus: string): ExperimentPreset[] {
  return PRESET_NAMES.map((preset) => {
    const config = presetConfig(preset, corpus, preset);
    return {
      name: preset,
      task: config.task,
      config: config as unknown as Record<string, unknown>,
    };
  });
}

/**
 * The posteriorgram of a corpus utterance (from the evaluation's saved posteriors when they
 * match the model, else by running it: see computePosteriorgram) or of a WAV file in the data
 * folder. The audio path goes back relative to the data folder for audio:open / audio:bytes;
 * a corpus given to the CLI as a path outside the data folder cannot be played from the UI,
 * and audio:open says so.
 */
/** What the posteriorgram handler keeps between requests. */
export interface PosteriorgramCaches {
  /** The app's loaded models, shared with live recognition. */
  recognizers: Pick<RecognizerCache, 'get'>;
  corpora: CorpusCache;
}

async function posteriorgram(
  dataDir: string,
  caches: PosteriorgramCaches,
  params:
    | { name: string; split: string; corpus?: string | undefined; utteranceId: string }
    | { name: string; path: string },
): Promise<Posteriorgram> {
  const request: PosteriorgramRequest =
    'path' in params
      ? { file: await resolveExistingDataPath(dataDir, params.path) }
      : { corpus: params.corpus ?? null, split: params.split, utteranceId: params.utteranceId };
  const { audioFile, ...result } = await computePosteriorgram(
    await namedExperimentDir(dataDir, params.name),
    params.name,
    request,
    {
      dataDir,
      recognizer: (dir) => caches.recognizers.get(dir),
      corpus: (dir) => caches.corpora.get(dir),
    },
  );
  return { ...result, audioPath: toDataRelative(dataDir, audioFile) };
}

export function createExperimentHandlers(
  context: HandlerContext,
  caches: PosteriorgramCaches = {
    recognizers: recognizerCacheOf(context),
    corpora: new CorpusCache(),
  },
): AreaHandlers<keyof typeof experimentRequests> {
  const { dataDir } = context;
  return {
    'experiments:posteriorgram': (params) => posteriorgram(dataDir, caches, params),
    'experiments:list': () => listItems(dataDir),
    'experiments:get': ({ name }) => experimentDetail(dataDir, name),
    'experiments:evaluation': ({ name, split, corpus }) =>
      experimentEvaluation(dataDir, name, { corpus: corpus ?? null, split }),
    'experiments:presets': ({ corpus }) => presets(corpus),
  };
}
