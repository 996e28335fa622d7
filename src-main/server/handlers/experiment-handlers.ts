import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { experimentRequests } from '../../api/channels/experiment-channels';
import type {
  ConfusionMatrixData,
  EvaluationPrediction,
  ExperimentDetail,
  ExperimentEvaluation,
  ExperimentListItem,
  ExperimentLogEntry,
  ExperimentPreset,
  Posteriorgram,
} from '../../api/experiments';
import { resolveInDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import {
  EXPERIMENT_FILES,
  listExperiments,
  PRESET_NAMES,
  presetConfig,
  readExperimentConfig,
} from '../../domain/speech/index';
import { EXPERIMENTS_DIR, readJsonOr } from '../../domain/speech/experiment-store';
import { computePosteriorgram } from '../../domain/speech/posteriorgram';
import { CorpusCache } from '../../domain/speech/corpus-cache';
import type { RecognizerCache } from '../recognizer-cache';
import type { PosteriorgramRequest } from '../../domain/speech/posteriorgram';
import { resolveExistingDataPath, toDataRelative } from '../recording/data-paths';
import type { AreaHandlers, HandlerContext } from './handler-context';
import { readRunSummary } from './experiment-run-summary';
import { recognizerCacheOf } from './handler-context';

/**
 * The folder of a named experiment. The channel schema already refuses paths; resolving under
 * <data>/experiments (rather than experimentDir, which also takes paths) keeps every request
 * confined to the data folder, symbolic links out included.
 */
function namedExperimentDir(dataDir: string, name: string): Promise<string> {
  return resolveInDataFolder(dataDir, EXPERIMENTS_DIR, name);
}

async function createdTime(dir: string): Promise<string | null> {
  return stat(join(dir, EXPERIMENT_FILES.config)).then(
    (s) => s.birthtime.toISOString(),
    () => null,
  );
}

async function readLog(dir: string): Promise<ExperimentLogEntry[]> {
  const text = await readFile(join(dir, EXPERIMENT_FILES.log), 'utf8').catch(() => '');
  const out: ExperimentLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as ExperimentLogEntry);
    } catch {
      // A torn line cannot happen with atomic rewrites; skip rather than fail the whole view.
    }
  }
  return out;
}

async function availableEvaluations(dir: string): Promise<string[]> {
  const root = join(dir, EXPERIMENT_FILES.evaluations);
  const names = await readdir(root).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names.sort()) {
    const has = await stat(join(root, name, 'confusion.json')).then(
      (s) => s.isFile(),
      () => false,
    );
    if (has) out.push(name);
  }
  return out;
}

/** The list reads only the tail of each log (see readRunSummary): it is reloaded often. */
async function listItems(dataDir: string): Promise<ExperimentListItem[]> {
  const summaries = await listExperiments(dataDir);
  return Promise.all(
    summaries.map(async (s) => ({
      name: s.name,
      task: s.task,
      corpus: s.corpus,
      created: await createdTime(s.dir),
      metrics: s.metrics,
      ...(await readRunSummary(join(s.dir, EXPERIMENT_FILES.log), s.metrics)),
    })),
  );
}

async function experimentDetail(dataDir: string, name: string): Promise<ExperimentDetail> {
  const dir = await namedExperimentDir(dataDir, name);
  const config = await readExperimentConfig(dir);
  return {
    name,
    task: config.task,
    corpus: config.corpus,
    created: await createdTime(dir),
    config: config as unknown as Record<string, unknown>,
    log: await readLog(dir),
    metrics: await readJsonOr<Record<string, unknown>>(join(dir, EXPERIMENT_FILES.metrics), {}),
    evaluations: await availableEvaluations(dir),
  };
}

async function experimentEvaluation(
  dataDir: string,
  name: string,
  split: string,
): Promise<ExperimentEvaluation> {
  const dir = await namedExperimentDir(dataDir, name);
  await readExperimentConfig(dir);
  const evalDir = join(dir, EXPERIMENT_FILES.evaluations, split);
  const confusion = await readJsonOr<ConfusionMatrixData | null>(
    join(evalDir, 'confusion.json'),
    null,
  );
  if (confusion === null) {
    throw new UnfoldError(
      'EVALUATION_NOT_FOUND',
      `${name} has no evaluation on the ${split} split yet. Run one from the Evaluate view or with \`unfold evaluate\`.`,
    );
  }
  const predictions = await readJsonOr<{ corpus?: string; predictions?: EvaluationPrediction[] }>(
    join(evalDir, 'predictions.json'),
    {},
  );
  const metrics = await readJsonOr<{ evaluations?: Record<string, Record<string, unknown>> }>(
    join(dir, EXPERIMENT_FILES.metrics),
    {},
  );
  return {
    name,
    split,
    corpus: predictions.corpus ?? null,
    summary: metrics.evaluations?.[split] ?? null,
    confusion,
    predictions: predictions.predictions ?? [],
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
  params: { name: string; split: string; utteranceId: string } | { name: string; path: string },
): Promise<Posteriorgram> {
  const request: PosteriorgramRequest =
    'path' in params
      ? { file: await resolveExistingDataPath(dataDir, params.path) }
      : { split: params.split, utteranceId: params.utteranceId };
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
    'experiments:evaluation': ({ name, split }) => experimentEvaluation(dataDir, name, split),
    'experiments:presets': ({ corpus }) => presets(corpus),
  };
}
