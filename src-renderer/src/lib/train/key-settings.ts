/**
 * The Train view's form: every setting it edits, read from an experiment config (a preset, or a
 * past run) and written back into one. Choice lists, defaults and rules come from the config's
 * own schema (@api/experiment-config); the config the form writes stays plain JSON, and the job
 * validates it with that schema. The settings every task shares (data, architecture, training)
 * are here; what a task's form adds (speech features and augmentation, the text tasks' word
 * input, the tag set) is its settings module's (task-settings.ts). Keys the form does not edit (bucketing,
 * the plateau floor, reject threshold, extra feature settings) are carried over from the config
 * the form started from.
 *
 * Every layer gets the same cell, units, projection and direction: the presets stack identical
 * layers, and a per-layer editor would cost more screen than it is worth here.
 */

import {
  BASE_CELL_CHOICES,
  DEFAULT_BPTT_WINDOW,
  DEFAULT_POOLING,
  DEFAULT_SCHEDULE_EPOCHS,
  DEFAULT_SCHEDULE_FACTOR,
  defaultScheduleMilestones,
  EXPERIMENT_TASKS,
  ExperimentConfigSchema,
  FEATURE_KINDS,
  OPTIMIZER_CHOICES,
  parseExperimentConfig,
  type BaseCellChoice,
  type BpttChoice,
  type CELL_KINDS,
  type ExperimentConfig,
  type ExperimentTaskName,
  type OptimizerChoice,
  type ScheduleChoice,
} from '@api/experiment-config';
import { TASK_VIEWS } from '../tasks/task-views';
import { objectAt, type Json } from './json-object';
import { CLASSIFICATION_SETTINGS, type ClassificationForm } from './classification-settings';
import { LM_SETTINGS, type LmForm } from './lm-settings';
import { SEQ2SEQ_SETTINGS, type Seq2seqForm } from './seq2seq-settings';
import { SPEECH_SETTINGS, type SpeechForm } from './speech-settings';
import { TAGGING_SETTINGS, type TaggingForm } from './tagging-settings';
import { settingsOf, TASK_SETTINGS } from './task-settings';
import { readWords, type WordsForm } from './word-settings';
import { readContextualEmbeddings, type ContextualForm } from './contextual-settings';
import { formatNumberList, parseNumberList } from './number-list';

/** A task of the config union; the form edits those of FORM_TASKS. */
export type Task = ExperimentTaskName;

/** The tasks the form edits: those whose view names a form (others train from the CLI). */
export const FORM_TASKS: readonly Task[] = EXPERIMENT_TASKS.filter(
  (task) => TASK_VIEWS[task].train.form !== null,
);

/** Whether the form edits configs of this task (a task name as an experiment or preset gives it). */
export function formEdits(task: string): task is Task {
  return (FORM_TASKS as readonly string[]).includes(task);
}
type CellKind = (typeof CELL_KINDS)[number];

/** The settings every task's form has. */
export interface SharedForm {
  name: string;
  task: Task;
  corpus: string;
  trainSplit: string;
  /** '' for no dev set. */
  devSplit: string;
  testSplit: string;
  /** '' for none; otherwise a speaker-independent run tested on this speaker alone. */
  heldOutSpeaker: string;

  cell: BaseCellChoice;
  layers: number;
  units: number;
  /** LSTMP recurrent projection size; 0 for none. */
  projection: number;
  peepholes: boolean;
  bidirectional: boolean;
  dropout: number;
  /** Models that label a whole sequence (words, sentences): how its steps become one vector. */
  pooling: RecurrentPooling;

  bptt: BpttChoice;
  /** Truncated BPTT window in time steps (transducers only). */
  bpttWindow: number;
  /** Gradient-norm clipping threshold; 0 for none. */
  clipNorm: number;
  /** Decay of the weights' moving average (Polyak averaging); 0 for none. */
  averageDecay: number;
  optimizer: OptimizerChoice;
  learningRate: number;
  /** Learning-rate schedule: constant, x factor per epoch, x factor every n epochs, or x factor after n epochs without improvement. */
  schedule: ScheduleChoice;
  scheduleFactor: number;
  /** Step: every this many epochs; plateau: after this many epochs without improvement. */
  scheduleEpochs: number;
  /** Multistep: the epochs after which the rate is multiplied by the factor, as typed ("15, 16"). */
  scheduleMilestones: string;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Early-stopping patience in epochs; 0 for none. */
  patience: number;
}

/**
 * The whole form: the shared settings and every task form's own. A form holds all of them, so
 * switching task keeps what was typed; a config gets only its task's (configFromForm).
 */
export type TrainForm = SharedForm &
  SpeechForm &
  WordsForm &
  TaggingForm &
  ClassificationForm &
  LmForm &
  Seq2seqForm &
  ContextualForm;

type RecurrentModel = Extract<ExperimentConfig['model'], { layers: unknown }>;
type RecurrentLayer = RecurrentModel['layers'][number];
/** A pooling some task's recurrent model takes (each task's own list: model-choices.ts). */
type RecurrentPooling = Extract<RecurrentModel, { pooling: unknown }>['pooling'];

/** The smallest recurrent layer the schema takes: the recurrent fields of a model without one. */
const SMALLEST_LAYER: RecurrentLayer = { cell: BASE_CELL_CHOICES[0], units: 1 };

function firstString(value: readonly string[] | undefined): string {
  return value?.[0] ?? '';
}

/**
 * The form for a config (a preset or a past run's config.json). The config is read through its
 * schema, so what it leaves out gets the schema's defaults; a config the schema refuses throws
 * its UnfoldError (BAD_EXPERIMENT_CONFIG), naming the first bad field. The other tasks' forms
 * get their defaults.
 */
export function formFromConfig(input: Readonly<Json>): TrainForm {
  const config = parseExperimentConfig(input);
  const { data, model, training } = config;
  const stack = 'layers' in model ? model : null;
  // The schema asks a recurrent stack for at least one layer; a model without one (a CNN) leaves
  // the recurrent fields at the smallest stack, until its form switches to a recurrent model.
  const first = stack?.layers[0] ?? SMALLEST_LAYER;
  const engine = first.cell;
  const cell: BaseCellChoice = engine === 'peephole' || engine === 'lstmp' ? 'lstm' : engine;
  const { schedule, bptt } = training;
  return {
    name: config.name,
    task: config.task,
    corpus: config.corpus,
    trainSplit: firstString(data.train.splits),
    devSplit: firstString(data.dev?.splits),
    testSplit: firstString(data.test.splits),
    heldOutSpeaker: firstString(data.test.speakers),
    ...SPEECH_SETTINGS.read(config),
    ...readWords(config),
    ...TAGGING_SETTINGS.read(config),
    ...CLASSIFICATION_SETTINGS.read(config),
    ...LM_SETTINGS.read(config),
    ...SEQ2SEQ_SETTINGS.read(config),
    ...readContextualEmbeddings(config),
    cell,
    layers: stack?.layers.length ?? 1,
    units: first.units,
    projection: engine === 'lstmp' ? (first.projection ?? 0) : 0,
    peepholes: engine === 'peephole',
    bidirectional: first.bidirectional !== undefined,
    dropout: model.dropout,
    pooling: (stack && 'pooling' in stack ? stack.pooling : undefined) ?? DEFAULT_POOLING,
    // No bptt is full BPTT, no schedule a constant rate (what the engine does without them).
    bptt: bptt?.kind ?? 'full',
    bpttWindow: bptt?.kind === 'truncated' ? bptt.window : DEFAULT_BPTT_WINDOW,
    clipNorm: training.clipNorm ?? 0,
    averageDecay: training.averageDecay ?? 0,
    optimizer: training.optimizer.kind,
    learningRate: training.optimizer.learningRate,
    schedule: schedule?.kind ?? 'constant',
    scheduleFactor:
      schedule?.kind === 'exponential'
        ? schedule.decayPerEpoch
        : schedule?.kind === 'step' ||
            schedule?.kind === 'plateau' ||
            schedule?.kind === 'multistep'
          ? schedule.factor
          : DEFAULT_SCHEDULE_FACTOR,
    scheduleEpochs:
      schedule?.kind === 'step'
        ? schedule.everyEpochs
        : schedule?.kind === 'plateau'
          ? schedule.patience
          : DEFAULT_SCHEDULE_EPOCHS,
    scheduleMilestones: formatNumberList(
      schedule?.kind === 'multistep'
        ? schedule.milestones
        : defaultScheduleMilestones(training.epochs),
    ),
    epochs: training.epochs,
    batchSize: training.batchSize,
    seed: config.seed,
    patience: training.earlyStoppingPatience ?? 0,
  };
}

/** The engine's cell kind for the form's cell, peepholes and projection. */
export function engineCell(form: Pick<TrainForm, 'cell' | 'peepholes' | 'projection'>): CellKind {
  if (form.cell !== 'lstm') return form.cell;
  if (form.projection > 0) return 'lstmp';
  return form.peepholes ? 'peephole' : 'lstm';
}

/**
 * The smallest config of a task that uses truncated BPTT: whether the task's schema accepts it
 * is the rule (word models label whole utterances), asked of the schema rather than restated.
 * Every other field is valid for every task (key-settings.spec.ts checks it with full BPTT).
 */
export function truncatedBpttProbe(task: Task): Json {
  return {
    name: 'probe',
    task,
    corpus: 'probe',
    data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
    features: { kind: FEATURE_KINDS[0] },
    model: { layers: [{ cell: BASE_CELL_CHOICES[0], units: 1 }] },
    training: {
      epochs: 1,
      batchSize: 1,
      optimizer: { kind: OPTIMIZER_CHOICES[0], learningRate: 1 },
      bptt: { kind: 'truncated', window: DEFAULT_BPTT_WINDOW },
    },
  };
}

/**
 * The tasks the form offers truncated BPTT for: those whose schema accepts it, less those whose
 * model pools the sequence into one label (the engine needs a per-step model to cut it into
 * windows, and refuses others when training starts: say so in the form instead).
 */
const TRUNCATED_BPTT_TASKS: ReadonlySet<Task> = new Set(
  FORM_TASKS.filter(
    (task) =>
      !usesPooling(task) && ExperimentConfigSchema.safeParse(truncatedBpttProbe(task)).success,
  ),
);

/** Whether the task takes a truncated BPTT window (word and sentence models do not). */
export function supportsTruncatedBptt(task: Task): boolean {
  return TRUNCATED_BPTT_TASKS.has(task);
}

/** The probe with full BPTT, or with its layer bidirectional: one rule of the schema asked at a time. */
function probeWith(task: Task, bpttKind: BpttChoice, bidirectional: boolean): Json {
  const probe = truncatedBpttProbe(task);
  const training = objectAt(probe.training);
  const layer = { cell: BASE_CELL_CHOICES[0], units: 1 };
  return {
    ...probe,
    model: { layers: [bidirectional ? { ...layer, bidirectional: 'concat' } : layer] },
    training: bpttKind === 'full' ? { ...training, bptt: { kind: 'full' } } : training,
  };
}

const accepts = (config: Json): boolean => ExperimentConfigSchema.safeParse(config).success;

/** The tasks whose schema refuses full BPTT (a language model learns from windows of long streams). */
const TRUNCATED_ONLY_TASKS: ReadonlySet<Task> = new Set(
  FORM_TASKS.filter(
    (task) => supportsTruncatedBptt(task) && !accepts(probeWith(task, 'full', false)),
  ),
);

/** Whether the task's schema takes truncated BPTT only (the form then offers no other). */
export function requiresTruncatedBptt(task: Task): boolean {
  return TRUNCATED_ONLY_TASKS.has(task);
}

/** The BPTT a task's configs take first: truncated where it is all they take. */
function taskBptt(task: Task): BpttChoice {
  return requiresTruncatedBptt(task) ? 'truncated' : 'full';
}

/** The tasks whose schema refuses a bidirectional layer (a language model reads the past only). */
const UNIDIRECTIONAL_TASKS: ReadonlySet<Task> = new Set(
  FORM_TASKS.filter((task) => !accepts(probeWith(task, taskBptt(task), true))),
);

/** Whether the task's schema takes bidirectional layers. */
export function supportsBidirectional(task: Task): boolean {
  return !UNIDIRECTIONAL_TASKS.has(task);
}

/** Whether the task's model pools its frames into one vector (its task view says). */
export function usesPooling(task: Task): boolean {
  return TASK_VIEWS[task].train.usesPooling;
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

function scheduleOf(form: TrainForm, base: Json): Json | null {
  const previous = objectAt(base.schedule);
  switch (form.schedule) {
    case 'constant':
      return null;
    case 'exponential':
      return { kind: 'exponential', decayPerEpoch: form.scheduleFactor };
    case 'step':
      return { kind: 'step', everyEpochs: form.scheduleEpochs, factor: form.scheduleFactor };
    case 'multistep':
      return {
        kind: 'multistep',
        milestones: parseNumberList(form.scheduleMilestones) ?? [],
        factor: form.scheduleFactor,
      };
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

/** The training keys some task form writes: a config gets only its own task form's. */
const TASK_TRAINING_KEYS: ReadonlySet<string> = new Set(
  Object.values(TASK_SETTINGS).flatMap((settings) => settings.trainingKeys ?? []),
);

function trainingOf(form: TrainForm, base: Json): Json {
  const {
    clipNorm: _c,
    averageDecay: _a,
    earlyStoppingPatience: _p,
    bptt: _b,
    schedule: _s,
    ...rest
  } = base;
  const carried = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !TASK_TRAINING_KEYS.has(key)),
  );
  const schedule = scheduleOf(form, base);
  const optimizer = objectAt(base.optimizer);
  return {
    ...carried,
    ...settingsOf(form.task).training?.(form),
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
    ...(form.averageDecay > 0 ? { averageDecay: form.averageDecay } : {}),
    ...(form.patience > 0 ? { earlyStoppingPatience: form.patience } : {}),
  };
}

/** The config keys some task form writes: a config gets only its own task form's. */
const TASK_FORM_KEYS: ReadonlySet<string> = new Set(
  Object.values(TASK_SETTINGS).flatMap((settings) => settings.configKeys),
);

/**
 * The recurrent stack the shared architecture fields describe, with the keys of `base` (a
 * recurrent model: one with layers) the form does not edit carried over.
 */
function recurrentModel(form: TrainForm, base: Json): Json {
  // Pooling is written only for a task that pools (usesPooling).
  const { pooling: _pooling, ...model } = Array.isArray(base.layers) ? base : {};
  const cell = engineCell(form);
  const layer: Json = { cell, units: form.units };
  if (cell === 'lstmp') layer.projection = form.projection;
  if (form.bidirectional) layer.bidirectional = 'concat';
  return {
    ...model,
    layers: Array.from({ length: form.layers }, () => ({ ...layer })),
    dropout: form.dropout,
    ...(usesPooling(form.task) ? { pooling: form.pooling } : {}),
  };
}

/** Whether the form's model is the recurrent stack of the shared architecture fields. */
export function hasRecurrentStack(form: TrainForm): boolean {
  return settingsOf(form.task).recurrent?.(form) ?? true;
}

/** The shared fields of the recurrent stack (not its dropout, which every model has). */
const RECURRENT_FIELDS: readonly (keyof TrainForm)[] = [
  'cell',
  'layers',
  'units',
  'projection',
  'peepholes',
  'bidirectional',
  'pooling',
];

/**
 * The fields a form read from a config did not get from it: the recurrent stack's when the
 * config's model is another (a CNN), and the other model's own fields when it is recurrent.
 */
export function fieldsUnsetByConfig(form: TrainForm): readonly (keyof TrainForm)[] {
  const settings = settingsOf(form.task);
  return [
    ...(hasRecurrentStack(form) ? [] : RECURRENT_FIELDS),
    ...(settings.unsetFields?.(form) ?? []),
  ];
}

/** The config the form describes, with `base`'s other keys carried over. */
export function configFromForm(form: TrainForm, base: Readonly<Json> = {}): Json {
  const carried = Object.fromEntries(
    Object.entries(base).filter(([key]) => !TASK_FORM_KEYS.has(key)),
  );
  const settings = settingsOf(form.task);
  const baseModel = objectAt(base.model);
  const recurrent = recurrentModel(form, baseModel);
  return {
    ...carried,
    name: form.name,
    task: form.task,
    corpus: form.corpus,
    data: dataSelections(form),
    ...settings.write(form, base),
    model: settings.model?.(form, recurrent, baseModel) ?? recurrent,
    training: trainingOf(form, objectAt(base.training)),
    seed: form.seed,
  };
}
