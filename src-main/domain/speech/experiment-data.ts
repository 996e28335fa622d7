import { join } from 'node:path';
import type { CmvnStats } from '../audio/cmvn';
import type { FeatureConfig, FeatureConfigInput } from '../audio/feature-config';
import { resolveFeatureConfig } from '../audio/feature-config';
import { findCorpusDir } from '../corpus/corpus-paths';
import type { Corpus } from '../corpus/model';
import { readCorpus } from '../corpus/store/read-corpus';
import { UnfoldError } from '../errors';
import type { LongOperationOptions, Progress } from '../jobs/progress';
import type { SequenceExample } from '../rnn/batching';
import { parseModelConfig } from '../rnn/model-config';
import type { ModelConfig } from '../rnn/model-config';
import type { SpeechItem } from './dataset';
import { loadSpeechItems, selectUtterances } from './dataset';
import type { Perturbation } from '../audio/augment';
import type { DataSelection, ExperimentConfig } from './experiment-config';

export interface SpeechOperationOptions extends LongOperationOptions {
  /** The data folder: corpora by name, the feature cache, experiments by name. */
  dataDir: string;
}

export function featureConfigOf(config: ExperimentConfig): FeatureConfig {
  const { cmvn: _cmvn, ...features } = config.features;
  return resolveFeatureConfig(features as FeatureConfigInput);
}

export function featureCacheDir(dataDir: string): string {
  return join(dataDir, 'cache', 'features');
}

export async function openCorpus(nameOrPath: string, dataDir: string): Promise<Corpus> {
  return readCorpus(await findCorpusDir(nameOrPath, dataDir));
}

/** The engine's model config for an experiment, once the label set is known. */
export function modelConfigFor(
  config: ExperimentConfig,
  inputSize: number,
  classes: number,
): ModelConfig {
  return parseModelConfig({
    name: config.name,
    pattern: config.task === 'words' ? 'encoder' : 'transducer',
    input: { kind: 'features', size: inputSize },
    layers: config.model.layers,
    dropout: config.model.dropout,
    pooling: config.model.pooling,
    residual: config.model.residual,
    output: { size: classes, activation: 'softmax' },
    seed: config.seed,
  });
}

export function toExamples(
  items: readonly SpeechItem[],
  task: 'words' | 'phones',
  labels: readonly string[],
  gap: number,
): SequenceExample[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return items.map((item) => ({
    inputs: item.features.data,
    length: item.features.frames,
    // A phone never seen in training (-1) trains as the gap: dev sets can contain such phones.
    target:
      task === 'words'
        ? (index.get(item.text) ?? -1)
        : Int32Array.from(item.frameLabels ?? [], (k) => (k < 0 ? gap : k)),
  }));
}

/** Mean and standard deviation per dimension from Kaldi-style statistics. */
export function momentsOf(stats: CmvnStats): { mean: number[]; std: number[] } {
  const mean = Array.from(stats.sum, (s) => (stats.count > 0 ? s / stats.count : 0));
  const std = Array.from(stats.sumOfSquares, (s, d) =>
    Math.sqrt(Math.max(stats.count > 0 ? s / stats.count - (mean[d] as number) ** 2 : 1, 1e-10)),
  );
  return { mean, std };
}

/** Splits one progress range [from, to) of a long operation into a part of it. */
export function scaled(
  onProgress: ((p: Progress) => void) | undefined,
  from: number,
  to: number,
): (p: Progress) => void {
  return (p) =>
    onProgress?.({ ...p, fraction: p.fraction === null ? null : from + (to - from) * p.fraction });
}

export interface LoadedSplit {
  items: SpeechItem[];
  skipped: string[];
  rawStats: CmvnStats;
}

/** The perturbed copies an experiment's augmentation asks for (none without augmentation). */
export function perturbationsOf(config: ExperimentConfig): Perturbation[] {
  const augmentation = config.augmentation;
  if (!augmentation) return [];
  return [
    ...augmentation.speeds.filter((s) => s !== 1).map((speed) => ({ speed, warp: 1 })),
    ...augmentation.warps.filter((w) => w !== 1).map((warp) => ({ speed: 1, warp })),
  ];
}

export async function loadSelection(
  corpus: Corpus,
  config: ExperimentConfig,
  selection: DataSelection,
  labels: readonly string[] | null,
  options: SpeechOperationOptions,
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
    task: config.task,
    features: featureConfigOf(config),
    cmvn: config.features.cmvn,
    cacheDir: featureCacheDir(options.dataDir),
    ...(labels ? { phoneIndex: new Map(labels.map((l, i) => [l, i])) } : {}),
    ...(augment ? { perturbations: perturbationsOf(config) } : {}),
    signal: options.signal,
    onProgress: progress,
  });
}

/**
 * Checks, before any feature is computed or anything trained, that the corpus has every split
 * the config's train, dev and test selections name (the test split is read only at the very
 * end of training), and says how to make the missing ones.
 */
export function checkConfigSplits(corpus: Corpus, config: ExperimentConfig): void {
  const roles = [
    ['train', config.data.train],
    ['dev', config.data.dev],
    ['test', config.data.test],
  ] as const;
  const has = corpus.manifest.splits;
  for (const [role, selection] of roles) {
    for (const split of selection?.splits ?? []) {
      if (has.includes(split)) continue;
      const name = corpus.manifest.name;
      throw new UnfoldError(
        'SPEECH_NO_SUCH_SPLIT',
        `${name} has no split "${split}", which the experiment's ${role} data needs (it has ${has.length > 0 ? has.join(', ') : 'no splits'}). ` +
          `Split the corpus first, by speaker (train, dev and test; no speaker in two of them): \`unfold corpus split ${name} --by speaker\` or Split in the Corpora view; ` +
          `or choose splits it has with \`unfold train --train-split ... --dev-split ... --test-split ...\` (data.train/dev/test in a config). Nothing was trained.`,
      );
    }
  }
}
