/**
 * The Train view's form: every setting it edits, read from an experiment config (a preset, or a
 * past run) and written back into one. The config stays plain JSON here: the renderer bundle
 * carries no domain code, and the job validates it with the domain's zod schema
 * (src-main/domain/speech/experiment-config.ts). Keys the form does not edit (bucketing, the
 * plateau floor, reject threshold, extra feature settings) are carried over from the config the
 * form started from; augmentation is the form's (typed factor lists, absent when both are empty).
 *
 * Every layer gets the same cell, units, projection and direction: the presets stack identical
 * layers, and a per-layer editor would cost more screen than it is worth here.
 */

import { formatFactorList, parseFactorList } from './augmentation-factors';

export const TASKS = ['words', 'phones'] as const;
export type Task = (typeof TASKS)[number];
export const FEATURE_KINDS = ['spectrogram', 'fbank', 'mfcc'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];
export const CMVN_CHOICES = ['utterance', 'speaker', 'none'] as const;
export type Cmvn = (typeof CMVN_CHOICES)[number];
/** The base recurrent cell; peepholes and a projection turn an LSTM into the engine's `peephole` or `lstmp`. */
export const CELL_CHOICES = ['rnn', 'lstm', 'gru'] as const;
export type CellChoice = (typeof CELL_CHOICES)[number];
export const POOLING_CHOICES = ['mean', 'max', 'last'] as const;
export type Pooling = (typeof POOLING_CHOICES)[number];
export const OPTIMIZER_CHOICES = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerChoice = (typeof OPTIMIZER_CHOICES)[number];
export const BPTT_CHOICES = ['full', 'truncated'] as const;
export const SCHEDULE_CHOICES = ['constant', 'exponential', 'step', 'plateau'] as const;
export type ScheduleChoice = (typeof SCHEDULE_CHOICES)[number];
export type BpttChoice = (typeof BPTT_CHOICES)[number];

export interface TrainForm {
  name: string;
  task: Task;
  corpus: string;
  trainSplit: string;
  /** '' for no dev set. */
  devSplit: string;
  testSplit: string;
  /** '' for none; otherwise a speaker-independent run tested on this speaker alone. */
  heldOutSpeaker: string;

  featureKind: FeatureKind;
  /** Mel bands of fbank and MFCC (unused for the linear spectrogram). */
  melBands: number;
  /** MFCC only. */
  numCeps: number;
  /** 0 static, 1 + deltas, 2 + delta-deltas. */
  deltaOrder: number;
  useEnergy: boolean;
  cmvn: Cmvn;

  cell: CellChoice;
  layers: number;
  units: number;
  /** LSTMP recurrent projection size; 0 for none. */
  projection: number;
  peepholes: boolean;
  bidirectional: boolean;
  dropout: number;
  /** Words only: how the encoder's frames become one vector. */
  pooling: Pooling;

  bptt: BpttChoice;
  /** Truncated BPTT window in frames (phones only). */
  bpttWindow: number;
  /** Gradient-norm clipping threshold; 0 for none. */
  clipNorm: number;
  optimizer: OptimizerChoice;
  learningRate: number;
  /** Learning-rate schedule: constant, x factor per epoch, x factor every n epochs, or x factor after n epochs without improvement. */
  schedule: ScheduleChoice;
  scheduleFactor: number;
  /** Step: every this many epochs; plateau: after this many epochs without improvement. */
  scheduleEpochs: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Early-stopping patience in epochs; 0 for none. */
  patience: number;

  /** Speed-perturbation factors as typed ("0.9, 1.1"; '' for none): see augmentation-factors.ts. */
  speeds: string;
  /** Frequency-warp factors as typed, same format. */
  warps: string;
}

type Json = Record<string, unknown>;

/**
 * Per-kind feature defaults, mirrored from KIND_DEFAULTS in src-main/domain/audio/feature-config.ts
 * (the renderer cannot import domain code): what a config without these keys gets.
 */
export const FEATURE_DEFAULTS: Record<
  FeatureKind,
  { melBands: number; numCeps: number; deltaOrder: number; useEnergy: boolean }
> = {
  spectrogram: { melBands: 40, numCeps: 13, deltaOrder: 0, useEnergy: false },
  fbank: { melBands: 40, numCeps: 13, deltaOrder: 0, useEnergy: false },
  mfcc: { melBands: 23, numCeps: 13, deltaOrder: 2, useEnergy: true },
};

/** The feature keys the form owns; the rest of a config's `features` passes through. */
const FORM_FEATURE_KEYS = ['kind', 'cmvn', 'melBands', 'numCeps', 'deltaOrder', 'useEnergy'];

function objectAt(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function numberAt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function choiceAt<T extends string>(choices: readonly T[], value: unknown, fallback: T): T {
  return (choices as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

function firstString(value: unknown): string {
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/** The form for a config (a preset or a past run's config.json). */
export function formFromConfig(config: Readonly<Json>): TrainForm {
  const data = objectAt(config.data);
  const train = objectAt(data.train);
  const dev = objectAt(data.dev);
  const test = objectAt(data.test);
  const features = objectAt(config.features);
  const featureKind = choiceAt(FEATURE_KINDS, features.kind, 'mfcc');
  const featureDefaults = FEATURE_DEFAULTS[featureKind];
  const model = objectAt(config.model);
  const layers = Array.isArray(model.layers) ? model.layers.map(objectAt) : [];
  const first = layers[0] ?? {};
  const training = objectAt(config.training);
  const optimizer = objectAt(training.optimizer);
  const bptt = objectAt(training.bptt);
  const schedule = objectAt(training.schedule);
  const augmentation = objectAt(config.augmentation);
  const engineCell = typeof first.cell === 'string' ? first.cell : 'lstm';
  const cell: CellChoice =
    engineCell === 'peephole' || engineCell === 'lstmp'
      ? 'lstm'
      : choiceAt(CELL_CHOICES, engineCell, 'lstm');
  return {
    name: typeof config.name === 'string' ? config.name : 'experiment',
    task: choiceAt(TASKS, config.task, 'words'),
    corpus: typeof config.corpus === 'string' ? config.corpus : '',
    trainSplit: firstString(train.splits),
    devSplit: firstString(dev.splits),
    testSplit: firstString(test.splits),
    heldOutSpeaker: firstString(test.speakers),
    featureKind,
    melBands: numberAt(features.melBands, featureDefaults.melBands),
    numCeps: numberAt(features.numCeps, featureDefaults.numCeps),
    deltaOrder: numberAt(features.deltaOrder, featureDefaults.deltaOrder),
    useEnergy:
      typeof features.useEnergy === 'boolean' ? features.useEnergy : featureDefaults.useEnergy,
    cmvn: choiceAt(CMVN_CHOICES, features.cmvn, 'utterance'),
    cell,
    layers: Math.max(1, layers.length),
    units: numberAt(first.units, 64),
    projection: engineCell === 'lstmp' ? numberAt(first.projection, 0) : 0,
    peepholes: engineCell === 'peephole',
    bidirectional: first.bidirectional !== undefined,
    dropout: numberAt(model.dropout, 0),
    pooling: choiceAt(POOLING_CHOICES, model.pooling, 'mean'),
    bptt: bptt.kind === 'truncated' ? 'truncated' : 'full',
    bpttWindow: numberAt(bptt.window, 100),
    clipNorm: numberAt(training.clipNorm, 0),
    optimizer: choiceAt(OPTIMIZER_CHOICES, optimizer.kind, 'adam'),
    learningRate: numberAt(optimizer.learningRate, 0.001),
    schedule: choiceAt(SCHEDULE_CHOICES, schedule.kind, 'constant'),
    scheduleFactor: numberAt(schedule.decayPerEpoch ?? schedule.factor, 0.5),
    scheduleEpochs: numberAt(schedule.everyEpochs ?? schedule.patience, 2),
    epochs: numberAt(training.epochs, 10),
    batchSize: numberAt(training.batchSize, 16),
    seed: numberAt(config.seed, 1),
    patience: numberAt(training.earlyStoppingPatience, 0),
    speeds: formatFactorList(augmentation.speeds),
    warps: formatFactorList(augmentation.warps),
  };
}

/** The engine's cell kind for the form's cell, peepholes and projection. */
export function engineCell(form: Pick<TrainForm, 'cell' | 'peepholes' | 'projection'>): string {
  if (form.cell !== 'lstm') return form.cell;
  if (form.projection > 0) return 'lstmp';
  return form.peepholes ? 'peephole' : 'lstm';
}

/** Whether the task takes a truncated BPTT window (word models label whole utterances). */
export function supportsTruncatedBptt(task: Task): boolean {
  return task === 'phones';
}

function dataSelections(form: TrainForm): Json {
  const speaker = form.heldOutSpeaker;
  if (speaker === '') {
    return {
      train: { splits: [form.trainSplit] },
      dev: form.devSplit === '' ? null : { splits: [form.devSplit] },
      test: { splits: [form.testSplit] },
    };
  }
  // Speaker-independent: the held-out speaker's utterances of every chosen split are the test
  // set, and nobody else's (tests/eval/fsdd.ts's leave-one-speaker-out does the same).
  const all = [...new Set([form.trainSplit, form.devSplit, form.testSplit].filter((s) => s))];
  const without = (split: string): Json => ({ splits: [split], excludeSpeakers: [speaker] });
  return {
    train: without(form.trainSplit),
    dev: form.devSplit === '' ? null : without(form.devSplit),
    test: { splits: all, speakers: [speaker] },
  };
}

function featuresOf(form: TrainForm, base: Json): Json {
  const carried = Object.fromEntries(
    Object.entries(base).filter(([key]) => !FORM_FEATURE_KEYS.includes(key)),
  );
  return {
    ...carried,
    kind: form.featureKind,
    cmvn: form.cmvn,
    ...(form.featureKind === 'spectrogram' ? {} : { melBands: form.melBands }),
    ...(form.featureKind === 'mfcc' ? { numCeps: form.numCeps } : {}),
    deltaOrder: form.deltaOrder,
    useEnergy: form.useEnergy,
  };
}

function scheduleOf(form: TrainForm, base: Json): Json | null {
  const previous = objectAt(base.schedule);
  switch (form.schedule) {
    case 'constant':
      return null;
    case 'exponential':
      return { kind: 'exponential', decayPerEpoch: form.scheduleFactor };
    case 'step':
      return { kind: 'step', everyEpochs: form.scheduleEpochs, factor: form.scheduleFactor };
    case 'plateau':
      // The floor is not on the form: keep it while the schedule stays a plateau.
      return {
        ...(previous.kind === 'plateau' ? previous : {}),
        kind: 'plateau',
        factor: form.scheduleFactor,
        patience: form.scheduleEpochs,
      };
  }
}

function trainingOf(form: TrainForm, base: Json): Json {
  const { clipNorm: _c, earlyStoppingPatience: _p, bptt: _b, schedule: _s, ...carried } = base;
  const schedule = scheduleOf(form, base);
  const optimizer = objectAt(base.optimizer);
  return {
    ...carried,
    epochs: form.epochs,
    batchSize: form.batchSize,
    // Optimiser-specific extras (momentum, betas) only survive while the kind stays the same.
    optimizer: {
      ...(optimizer.kind === form.optimizer ? optimizer : {}),
      kind: form.optimizer,
      learningRate: form.learningRate,
    },
    ...(schedule ? { schedule } : {}),
    bptt:
      form.bptt === 'truncated' && supportsTruncatedBptt(form.task)
        ? { kind: 'truncated', window: form.bpttWindow }
        : { kind: 'full' },
    ...(form.clipNorm > 0 ? { clipNorm: form.clipNorm } : {}),
    ...(form.patience > 0 ? { earlyStoppingPatience: form.patience } : {}),
  };
}

/**
 * The config's augmentation, or null for none (the key is then left out: absent means none).
 * Only the usable factors are written; the form's validation names the rest.
 */
function augmentationOf(form: TrainForm): Json | null {
  const speeds = parseFactorList(form.speeds).factors;
  const warps = parseFactorList(form.warps).factors;
  return speeds.length === 0 && warps.length === 0 ? null : { speeds, warps };
}

/** The config the form describes, with `base`'s other keys carried over. */
export function configFromForm(form: TrainForm, base: Readonly<Json> = {}): Json {
  // Pooling only applies to word models (phone models output one label per frame).
  const { pooling: _pooling, ...model } = objectAt(base.model);
  const { augmentation: _augmentation, ...carried } = base;
  const augmentation = augmentationOf(form);
  const cell = engineCell(form);
  const layer: Json = { cell, units: form.units };
  if (cell === 'lstmp') layer.projection = form.projection;
  if (form.bidirectional) layer.bidirectional = 'concat';
  return {
    ...carried,
    name: form.name,
    task: form.task,
    corpus: form.corpus,
    data: dataSelections(form),
    features: featuresOf(form, objectAt(base.features)),
    model: {
      ...model,
      layers: Array.from({ length: form.layers }, () => ({ ...layer })),
      dropout: form.dropout,
      ...(form.task === 'words' ? { pooling: form.pooling } : {}),
    },
    training: trainingOf(form, objectAt(base.training)),
    ...(augmentation ? { augmentation } : {}),
    seed: form.seed,
  };
}
