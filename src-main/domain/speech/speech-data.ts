/**
 * What both speech tasks share: features from their config, the utterances of a selection
 * loaded as items (cached features, normalisation, augmentation), training plans and the
 * model's probabilities on a selection.
 */
import { join } from 'node:path';
import type { CmvnStats } from '../audio/cmvn';
import type { Perturbation } from '../audio/augment';
import type { FeatureConfig, FeatureConfigInput } from '../audio/feature-config';
import { featureDims, resolveFeatureConfig } from '../audio/feature-config';
import { findCorpusDir } from '../corpus/corpus-paths';
import type { Corpus, Utterance } from '../corpus/model';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError, throwIfAborted } from '../errors';
import type { DataSelection } from '../experiments/config/common-config';
import type { SpeechConfig } from '../experiments/config/speech-config';
import type { ExperimentLabels } from '../experiments/experiment-records';
import type {
  EvaluationInput,
  TaskDataOptions,
  TrainingPlan,
} from '../experiments/experiment-task';
import type { Progress } from '../jobs/progress';
import { scaledProgress } from '../jobs/progress';
import type { SequenceExample } from '../rnn/batching';
import type { ModelConfig } from '../rnn/model-config';
import { parseModelConfig } from '../rnn/model-config';
import type { SpeechItem } from './dataset';
import { loadSpeechItems, selectUtterances } from './dataset';
import { predictProbabilities } from './inference';

/** labels.json of a speech model: its classes, input size and the training features' moments. */
export interface SpeechLabels extends ExperimentLabels {
  /** Feature dimension the model reads. */
  inputDims: number;
  /**
   * Mean and standard deviation of the un-normalised training features per dimension: the
   * prior of the running normalisation used when audio arrives live (no whole utterance yet).
   */
  featureMean: number[];
  featureStd: number[];
}

export function featureConfigOf(config: Pick<SpeechConfig, 'features'>): FeatureConfig {
  const { cmvn: _cmvn, ...features } = config.features;
  return resolveFeatureConfig(features as FeatureConfigInput);
}

export function featureCacheDir(dataDir: string): string {
  return join(dataDir, 'cache', 'features');
}

export async function openCorpus(nameOrPath: string, dataDir: string): Promise<Corpus> {
  return readCorpus(await findCorpusDir(nameOrPath, dataDir));
}

/** Mean and standard deviation per dimension from Kaldi-style statistics. */
export function momentsOf(stats: CmvnStats): { mean: number[]; std: number[] } {
  const mean = Array.from(stats.sum, (s) => (stats.count > 0 ? s / stats.count : 0));
  const std = Array.from(stats.sumOfSquares, (s, d) =>
    Math.sqrt(Math.max(stats.count > 0 ? s / stats.count - (mean[d] as number) ** 2 : 1, 1e-10)),
  );
  return { mean, std };
}

export interface LoadedSplit {
  items: SpeechItem[];
  skipped: string[];
  rawStats: CmvnStats;
}

/** The perturbed copies an experiment's augmentation asks for (none without augmentation). */
export function perturbationsOf(config: SpeechConfig): Perturbation[] {
  const augmentation = config.augmentation;
  if (!augmentation) return [];
  return [
    ...augmentation.speeds.filter((s) => s !== 1).map((speed) => ({ speed, warp: 1 })),
    ...augmentation.warps.filter((w) => w !== 1).map((warp) => ({ speed: 1, warp })),
  ];
}

/** How a speech task labels its items. */
export interface SpeechLabelling {
  /** Per-frame phone labels (the phones task) rather than one word per utterance. */
  frameLabels: boolean;
}

export async function loadSelection(
  corpus: Corpus,
  config: SpeechConfig,
  selection: DataSelection,
  labels: readonly string[] | null,
  options: TaskDataOptions & SpeechLabelling,
  progress: (p: Progress) => void,
  /** Training data: add the perturbed copies of the config's augmentation. */
  { augment = false }: { augment?: boolean } = {},
): Promise<LoadedSplit> {
  const utterances = selectUtterances(corpus, selection);
  if (utterances.length === 0) {
    throw new UnfoldError(
      'SPEECH_NO_UTTERANCES',
      `No utterance of ${corpus.manifest.name} matches splits ${selection.splits.join(', ')}${selection.speakers ? ` and speakers ${selection.speakers.join(', ')}` : ''}.`,
    );
  }
  return loadSpeechItems(corpus, utterances, {
    frameLabels: options.frameLabels,
    features: featureConfigOf(config),
    cmvn: config.features.cmvn,
    cacheDir: featureCacheDir(options.dataDir),
    ...(labels ? { phoneIndex: new Map(labels.map((l, i) => [l, i])) } : {}),
    ...(augment ? { perturbations: perturbationsOf(config) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: progress,
  });
}

/** The engine's model for a speech config, once its input size and classes are known. */
export function speechModelConfig(
  config: SpeechConfig,
  pattern: ModelConfig['pattern'],
  inputSize: number,
  classes: number,
): ModelConfig {
  return parseModelConfig({
    name: config.name,
    pattern,
    input: { kind: 'features', size: inputSize },
    layers: config.model.layers,
    dropout: config.model.dropout,
    pooling: config.model.pooling,
    residual: config.model.residual,
    variationalDropout: config.model.variationalDropout,
    output: { size: classes, activation: 'softmax' },
    seed: config.seed,
  });
}

/** What distinguishes the two speech tasks' training. */
export interface SpeechTraining extends SpeechLabelling {
  pattern: ModelConfig['pattern'];
  /** The output classes, from the training utterances. */
  labelSet: (corpus: Corpus, train: readonly Utterance[]) => string[];
  /** One item's target: a class id (words) or a class id per frame (phones). */
  target: (item: SpeechItem, labels: readonly string[]) => number | Int32Array;
  /** Files kept beside the model. */
  files: (corpus: Corpus) => Promise<Record<string, Uint8Array>>;
}

/** Loads a speech experiment's training (and dev) items and plans its model. */
export async function prepareSpeechTraining(
  corpus: Corpus,
  config: SpeechConfig,
  options: TaskDataOptions,
  how: SpeechTraining,
): Promise<TrainingPlan<SpeechLabels>> {
  const labels = how.labelSet(corpus, selectUtterances(corpus, config.data.train));
  const loadOptions = { ...options, frameLabels: how.frameLabels };
  const train = await loadSelection(
    corpus,
    config,
    config.data.train,
    labels,
    loadOptions,
    scaledProgress(options.onProgress, 0, 0.65),
    { augment: true },
  );
  const dev = config.data.dev
    ? await loadSelection(
        corpus,
        config,
        config.data.dev,
        labels,
        loadOptions,
        scaledProgress(options.onProgress, 0.65, 1),
      )
    : null;
  throwIfAborted(options.signal);
  const dims = featureDims(featureConfigOf(config));
  // Moments of the un-normalised training features: the prior of the live normaliser.
  const moments = momentsOf(train.rawStats);
  const examples = (items: readonly SpeechItem[]): SequenceExample[] =>
    items.map((item) => ({
      inputs: item.features.data,
      length: item.features.frames,
      target: how.target(item, labels),
    }));
  return {
    labels: {
      task: config.task,
      labels,
      inputDims: dims,
      featureMean: moments.mean,
      featureStd: moments.std,
    },
    files: await how.files(corpus),
    model: speechModelConfig(config, how.pattern, dims, labels.length),
    train: examples(train.items),
    dev: dev ? examples(dev.items) : null,
    summary: {
      trainUtterances: train.items.length,
      devUtterances: dev?.items.length ?? 0,
      skipped: [...train.skipped, ...(dev?.skipped ?? [])],
    },
  };
}

/** The model's per-item probabilities on an evaluation's selection. */
export async function predictSelection(
  input: EvaluationInput<SpeechConfig, SpeechLabels>,
  labelling: SpeechLabelling,
): Promise<{ loaded: LoadedSplit; probabilities: Float32Array[] }> {
  const loaded = await loadSelection(
    input.corpus,
    input.config,
    input.selection,
    input.labels.labels,
    { ...input, frameLabels: labelling.frameLabels },
    scaledProgress(input.onProgress, 0, 0.7),
  );
  throwIfAborted(input.signal);
  const probabilities = predictProbabilities(
    input.model,
    loaded.items.map((i) => i.features),
    16,
  );
  input.onProgress?.({ fraction: 0.95, message: 'scoring' });
  return { loaded, probabilities };
}
