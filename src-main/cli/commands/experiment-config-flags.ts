/**
 * The experiment config `unfold train` runs: a preset or a --config file, then the flags on top.
 * Every flag's choice list and every default come from the config module or the preset; the
 * only rules here are how a flag lands in the config (overlayConfigFlags).
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UnfoldError } from '../../domain/errors';
import {
  CELL_KINDS,
  CMVN_CHOICES,
  DEFAULT_BIDIRECTIONAL_MERGE,
  EXPERIMENT_TASKS,
  FEATURE_KINDS,
  OPTIMIZER_CHOICES,
  POOLING_CHOICES,
  TAG_SETS,
  defaultProjection,
  refuseUnknownFields,
} from '../../domain/experiments/config/index';
import type {
  CommonExperimentConfig,
  ExperimentConfigInput,
  ExperimentTaskName,
} from '../../domain/experiments/config/index';
import { taskFor } from '../../domain/experiments/experiment-task';
import { EXPERIMENT_TASK_REGISTRY } from '../../domain/experiment-tasks';
import {
  PRESET_NAMES,
  defaultPresetFor,
  presetConfig,
  presetNamed,
} from '../../domain/experiments/presets';
import type { LayerConfig } from '../../domain/rnn/model-config';
import { choiceFlag, fractionFlag, positiveFlag } from './flag-values';

/** The flags that change settings of the config (a resumed run refuses all but --epochs). */
export interface ConfigFlags {
  epochs?: string;
  batch?: string;
  optimizer?: string;
  lr?: string;
  averageDecay?: string;
  features?: string;
  cmvn?: string;
  cell?: string;
  units?: string;
  layers?: string;
  bidirectional?: boolean;
  pooling?: string;
  seed?: string;
  trainSplit?: string;
  devSplit?: string;
  testSplit?: string;
  tagSet?: string;
  embeddings?: string;
  freezeEmbeddings?: boolean;
  lowercase?: boolean;
  chars?: boolean;
}

export interface TrainFlags extends ConfigFlags {
  task: string;
  corpus: string;
  out: string;
  config?: string;
  preset?: string;
}

/** Each flag that makes or changes the config, as the user types it. */
export const CONFIG_FLAG_NAMES = {
  task: '--task',
  config: '--config',
  preset: '--preset',
  epochs: '--epochs',
  batch: '--batch',
  optimizer: '--optimizer',
  lr: '--lr',
  averageDecay: '--average-decay',
  features: '--features',
  cmvn: '--cmvn',
  cell: '--cell',
  units: '--units',
  layers: '--layers',
  bidirectional: '--bidirectional',
  pooling: '--pooling',
  seed: '--seed',
  trainSplit: '--train-split',
  devSplit: '--dev-split',
  testSplit: '--test-split',
  tagSet: '--tag-set',
  embeddings: '--embeddings',
  freezeEmbeddings: '--freeze-embeddings',
  lowercase: '--lowercase/--no-lowercase',
  chars: '--no-chars',
} as const satisfies Record<Exclude<keyof TrainFlags, 'corpus' | 'out'>, string>;

type Config = ExperimentConfigInput;
type Layer = LayerConfig;
type Optimizer = Config['training']['optimizer'];

/** The flags that shape a recurrent stack (a model without layers refuses them). */
const RECURRENT_FLAGS = ['cell', 'units', 'layers', 'bidirectional', 'pooling'] as const;

function splitsFlag(value: string): { splits: string[] } {
  return { splits: value.split(',') };
}

/**
 * The overlay rules: each flag replaces its own setting and leaves the rest of `base` as it is.
 * Layer flags apply to every layer, and --layers repeats the first layer for the layers it adds;
 * a layer turned bidirectional gets the default merge and an LSTMP layer the default projection;
 * a bidirectional model trains on whole sequences (truncated BPTT becomes full); an optimizer of
 * another kind keeps the learning rate but not the old kind's own settings.
 */
export function overlayConfigFlags(base: Config, flags: ConfigFlags): Config {
  const training = { ...base.training };
  training.epochs = positiveFlag(flags.epochs, '--epochs') ?? training.epochs;
  training.batchSize = positiveFlag(flags.batch, '--batch') ?? training.batchSize;
  const optimizerKind = choiceFlag(flags.optimizer, '--optimizer', OPTIMIZER_CHOICES);
  const learningRate = positiveFlag(flags.lr, '--lr', false);
  if (optimizerKind !== undefined || learningRate !== undefined) {
    const current = training.optimizer as Optimizer | undefined;
    const kind = optimizerKind ?? current?.kind;
    training.optimizer = {
      ...(current?.kind === kind ? current : {}),
      kind,
      learningRate: learningRate ?? current?.learningRate,
    } as Optimizer;
  }

  const averageDecay = fractionFlag(flags.averageDecay, '--average-decay');
  if (averageDecay === 0) delete training.averageDecay;
  else if (averageDecay !== undefined) training.averageDecay = averageDecay;

  const featureKind = choiceFlag(flags.features, '--features', FEATURE_KINDS);
  const cmvn = choiceFlag(flags.cmvn, '--cmvn', CMVN_CHOICES);
  // Only the speech tasks read audio features; a text task's schema refuses none and drops them.
  const baseFeatures = 'features' in base ? base.features : undefined;
  const features = {
    ...baseFeatures,
    ...(featureKind ? { kind: featureKind } : {}),
    ...(cmvn ? { cmvn } : {}),
  };

  const cell = choiceFlag(flags.cell, '--cell', CELL_KINDS);
  const units = positiveFlag(flags.units, '--units');
  // A --config file may lack the model: the task's check then says so.
  const model = (base.model ?? {}) as Partial<Config['model']>;
  if (!('layers' in model) && 'kind' in model && model.kind !== undefined) {
    const recurrentFlags = RECURRENT_FLAGS.filter((key) => flags[key] !== undefined);
    if (recurrentFlags.length > 0)
      throw new UnfoldError(
        'BAD_ARGUMENT',
        `${recurrentFlags.map((key) => CONFIG_FLAG_NAMES[key]).join(', ')} set the recurrent layers; the ${model.kind} model has none.`,
      );
  }
  const stack: Layer[] = 'layers' in model ? (model.layers ?? []) : [];
  const count = positiveFlag(flags.layers, '--layers') ?? stack.length;
  const layers =
    stack.length === 0
      ? stack
      : Array.from({ length: count }, (_, i): Layer => {
          const { projection, bidirectional, ...layer } = stack[i] ?? (stack[0] as Layer);
          const kind = cell ?? layer.cell;
          const size = units ?? layer.units;
          const twoWay = flags.bidirectional ?? bidirectional !== undefined;
          return {
            ...layer,
            cell: kind,
            units: size,
            ...(kind === 'lstmp' ? { projection: projection ?? defaultProjection(size) } : {}),
            ...(twoWay ? { bidirectional: bidirectional ?? DEFAULT_BIDIRECTIONAL_MERGE } : {}),
          };
        });
  const pooling = choiceFlag(flags.pooling, '--pooling', POOLING_CHOICES);
  if (layers.some((l) => l.bidirectional) && training.bptt?.kind === 'truncated')
    training.bptt = { kind: 'full' };

  const data = { ...base.data };
  if (flags.trainSplit) data.train = splitsFlag(flags.trainSplit);
  if (flags.devSplit !== undefined)
    data.dev =
      flags.devSplit === '' || flags.devSplit === 'none' ? null : splitsFlag(flags.devSplit);
  if (flags.testSplit) data.test = splitsFlag(flags.testSplit);

  const words = wordFlags(base, flags);
  const tagSet = choiceFlag(flags.tagSet, '--tag-set', TAG_SETS);
  return {
    ...base,
    data,
    ...(words ? { words } : {}),
    ...(tagSet ? { tagSet } : {}),
    ...(baseFeatures || featureKind || cmvn ? { features } : {}),
    model: 'layers' in model ? { ...model, layers, ...(pooling ? { pooling } : {}) } : model,
    training,
    ...(flags.seed !== undefined ? { seed: Number(flags.seed) } : {}),
  } as Config;
}

/** The text tasks' word settings with --embeddings, --freeze-embeddings, --lowercase and --no-chars laid over; undefined when none is given. */
function wordFlags(base: Config, flags: ConfigFlags): Record<string, unknown> | undefined {
  const given =
    flags.embeddings !== undefined ||
    flags.freezeEmbeddings !== undefined ||
    flags.lowercase !== undefined ||
    flags.chars === false;
  if (!given) return 'words' in base ? (base.words as Record<string, unknown>) : undefined;
  const words = { ...('words' in base ? (base.words as Record<string, unknown>) : {}) };
  if (flags.freezeEmbeddings && flags.embeddings === undefined && !words.pretrained)
    throw new UnfoldError('BAD_ARGUMENT', '--freeze-embeddings needs --embeddings FILE.');
  if (flags.embeddings !== undefined)
    // The user typed this path: it may be anywhere (resolved here, so the config holds where it is).
    words.pretrained = { file: resolve(flags.embeddings), freeze: flags.freezeEmbeddings ?? false };
  else if (flags.freezeEmbeddings !== undefined)
    words.pretrained = { ...(words.pretrained as object), freeze: flags.freezeEmbeddings };
  if (flags.lowercase !== undefined) words.lowercase = flags.lowercase;
  if (flags.chars === false) words.chars = null;
  return words;
}

async function configFile(path: string): Promise<Config> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Config;
  } catch (error) {
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `Cannot read --config ${path}: ${(error as Error).message}`,
    );
  }
}

/**
 * The config a new `unfold train` run starts from: the --config file or the preset (the task's
 * own by default), named after --out, on --corpus, for --task, with the flags laid over it,
 * checked by its task before anything runs.
 */
export async function experimentConfigFromFlags(
  flags: TrainFlags,
): Promise<CommonExperimentConfig> {
  const task = choiceFlag<ExperimentTaskName>(flags.task, '--task', EXPERIMENT_TASKS);
  if (task === undefined) throw new UnfoldError('BAD_ARGUMENT', 'unfold train needs --task.');
  const name = basename(flags.out);
  let base: Config;
  if (flags.config) {
    base = await configFile(flags.config);
  } else {
    const preset = flags.preset === undefined ? defaultPresetFor(task) : presetNamed(flags.preset);
    if (preset === null)
      throw new UnfoldError(
        'BAD_ARGUMENT',
        flags.preset === undefined
          ? `--task ${task} has no preset: give its settings with --config FILE.`
          : `--preset must be one of ${PRESET_NAMES.join(', ')}.`,
      );
    base = presetConfig(preset, flags.corpus, name);
  }
  const config = overlayConfigFlags({ ...base, name, corpus: flags.corpus, task } as Config, flags);
  const parsed = taskFor(EXPERIMENT_TASK_REGISTRY, task).parseConfig(config);
  refuseUnknownFields(config, parsed, task);
  return parsed;
}
