/**
 * Client-side checks of the Train form, run on every change so a bad value is named before a
 * job starts. They mirror the domain's schemas (experiment-config.ts, model-config.ts,
 * train-config.ts, feature-config.ts), each task form checks its own fields (task-settings.ts),
 * and the checks only the UI can make are added (the corpus's real splits and speakers). Last,
 * the config the form writes is parsed with the config schema itself, so nothing the schema
 * refuses reaches a job unnamed. The server still validates: its message is shown if it refuses.
 */

import {
  ExperimentConfigSchema,
  experimentConfigProblem,
  HELD_OUT_SPLITS,
  MAX_DROPOUT,
  MAX_LEARNING_RATE,
  ScheduleMilestonesSchema,
} from '@api/experiment-config';
import { TASK_VIEWS } from '../tasks/task-views';
import type { Json } from './json-object';
import { configFromForm, supportsTruncatedBptt, type TrainForm } from './key-settings';
import { settingsOf } from './task-settings';
import { offersHeldOutParts } from './held-out-default';
import { parseNumberList } from './number-list';

export type FormField = keyof TrainForm;

export interface FormIssue {
  field: FormField;
  message: string;
  /** Warnings are shown but do not block a run. */
  severity: 'error' | 'warning';
}

/** What the chosen corpus offers (from corpus:overview). */
export interface CorpusFacts {
  splits: readonly string[];
  speakers: readonly string[];
  /** Whether the corpus declares phone alignments (some tasks need them); null if unknown. */
  hasAlignments?: boolean | null;
  /** Speech or text: a text corpus's training split may be divided into held-out parts. */
  kind?: 'speech' | 'text' | null;
}

/**
 * The issues of the dev and test choices against the corpus's splits: a split it has, or the
 * held-out parts of a text corpus's training split (dev a part too, or none: the domain divides
 * only when the run names none of the corpus's own dev and test splits).
 */
function splitIssues(form: TrainForm, corpus: CorpusFacts): FormIssue[] {
  const issues: FormIssue[] = [];
  const error = (field: FormField, message: string): void => {
    issues.push({ field, message, severity: 'error' });
  };
  const known = (split: string): boolean => corpus.splits.includes(split);
  const list = corpus.splits.join(', ') || 'none';
  const testPart = form.testSplit === HELD_OUT_SPLITS.test;
  if (testPart && !offersHeldOutParts(corpus))
    error(
      'testSplit',
      'Held-out parts divide a text corpus item by item; split a speech corpus by speaker instead.',
    );
  else if (!testPart && !known(form.testSplit))
    error('testSplit', `Choose a test split (the corpus has ${list}).`);
  if (form.devSplit === HELD_OUT_SPLITS.dev) {
    if (!testPart)
      error(
        'devSplit',
        `A held-out dev part comes with the held-out test part: with the corpus's test split, choose one of its splits (${list}) or none.`,
      );
  } else if (form.devSplit !== '' && !known(form.devSplit))
    error('devSplit', `The corpus has no split "${form.devSplit}" (it has ${list}).`);
  else if (form.devSplit !== '' && testPart)
    error(
      'devSplit',
      `With the held-out test part, dev is the held-out dev part or none: the corpus's ${form.devSplit} split would stop the division.`,
    );
  return issues;
}

const NAME_PATTERN = /^[^/\\]+$/;

function integerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Range checks of the numeric fields: [field, min, max, what it is]. */
const INTEGER_RANGES: [FormField, number, number, string][] = [
  ['layers', 1, 8, 'Layers'],
  ['units', 1, 2048, 'Units'],
  ['epochs', 1, 1000, 'Epochs'],
  ['batchSize', 1, 1024, 'Batch size'],
  ['patience', 0, 1000, 'Early-stopping patience (0 for none)'],
];

/** The shared settings' config paths (by their first keys) and the field that edits each. */
const SHARED_FIELDS: readonly [string, FormField][] = [
  ['name', 'name'],
  ['corpus', 'corpus'],
  ['task', 'task'],
  ['data.train', 'trainSplit'],
  ['data.dev', 'devSplit'],
  ['data.test', 'testSplit'],
  ['model.layers', 'units'],
  ['model.dropout', 'dropout'],
  ['model.pooling', 'pooling'],
  ['training.epochs', 'epochs'],
  ['training.batchSize', 'batchSize'],
  ['training.optimizer', 'learningRate'],
  ['training.schedule.milestones', 'scheduleMilestones'],
  ['training.schedule', 'schedule'],
  ['training.bptt', 'bptt'],
  ['training.clipNorm', 'clipNorm'],
  ['training.averageDecay', 'averageDecay'],
  ['training.earlyStoppingPatience', 'patience'],
  ['seed', 'seed'],
];

/** The field a config path is edited by; the name (always shown) for a key no field edits. */
function fieldAt(form: TrainForm, path: readonly PropertyKey[]): FormField {
  const dotted = path.map(String).join('.');
  const shared = SHARED_FIELDS.find(
    ([prefix]) => dotted === prefix || dotted.startsWith(`${prefix}.`),
  );
  return shared?.[1] ?? settingsOf(form.task).fieldAt(path) ?? 'name';
}

/**
 * What the config schema says of the config the form writes (with `base`'s other keys), as an
 * issue on the field that edits the path it names; null when the schema accepts it.
 */
export function schemaIssue(form: TrainForm, base: Readonly<Json> = {}): FormIssue | null {
  const config = configFromForm(form, base);
  const checked = experimentConfigProblem(ExperimentConfigSchema, config);
  if (checked.ok) return null;
  // The problem names the path in words; the field is found from the same first issue.
  const path = ExperimentConfigSchema.safeParse(config).error?.issues[0]?.path ?? [];
  return { field: fieldAt(form, path), message: checked.problem, severity: 'error' };
}

/**
 * The form's issues. `base` is the config the form started from (its other keys are carried
 * into the config): when the form's own checks find no error, the config it writes is checked
 * with the schema.
 */
export function validateForm(
  form: TrainForm,
  corpus: CorpusFacts | null,
  base: Readonly<Json> = {},
): FormIssue[] {
  const issues: FormIssue[] = [];
  const error = (field: FormField, message: string): void => {
    issues.push({ field, message, severity: 'error' });
  };
  const warn = (field: FormField, message: string): void => {
    issues.push({ field, message, severity: 'warning' });
  };

  const task = TASK_VIEWS[form.task];
  const name = form.name.trim();
  if (name === '') error('name', 'Give the experiment a name (its folder in the data folder).');
  else if (!NAME_PATTERN.test(name) || name.startsWith('.') || name.length > 200)
    error(
      'name',
      'A name is one folder: no / or \\, not starting with ".", at most 200 characters.',
    );

  if (form.corpus === '') error('corpus', 'Choose a corpus.');
  if (corpus) {
    const known = (split: string): boolean => corpus.splits.includes(split);
    const list = corpus.splits.join(', ') || 'none';
    if (!known(form.trainSplit))
      error('trainSplit', `Choose a training split (the corpus has ${list}).`);
    issues.push(...splitIssues(form, corpus));
    if (form.heldOutSpeaker !== '' && !corpus.speakers.includes(form.heldOutSpeaker))
      error('heldOutSpeaker', `The corpus has no speaker "${form.heldOutSpeaker}".`);
    if (task.train.needsPhoneAlignments && corpus.hasAlignments === false)
      warn(
        'task',
        `The ${task.label} task needs phone alignments (TextGrids): this corpus declares none.`,
      );
  }
  if (form.heldOutSpeaker === '' && form.trainSplit !== '' && form.trainSplit === form.testSplit)
    error(
      'testSplit',
      'Training and test use the same split: the test figures would be on training data.',
    );
  if (form.heldOutSpeaker === '' && form.devSplit !== '' && form.devSplit === form.trainSplit)
    warn(
      'devSplit',
      'The dev split is the training split: early stopping will not see overfitting.',
    );

  for (const [field, min, max, label] of INTEGER_RANGES) {
    const value = form[field] as number;
    if (!integerIn(value, min, max))
      error(field, `${label} must be a whole number from ${min} to ${max}.`);
  }
  if (!Number.isInteger(form.seed)) error('seed', 'The seed must be a whole number.');

  issues.push(...settingsOf(form.task).validate(form));

  if (form.projection !== 0) {
    if (form.cell !== 'lstm')
      error('projection', 'A projection (LSTMP) needs the LSTM cell; set it to 0 for this cell.');
    else if (!integerIn(form.projection, 1, 2048))
      error('projection', 'The projection must be a whole number of units (0 for none).');
    else if (form.projection >= form.units)
      warn('projection', 'A projection as wide as the cell saves nothing: LSTMP projects down.');
    if (form.peepholes)
      error('peepholes', 'The engine has no LSTMP cell with peepholes: use one or the other.');
  }
  if (form.peepholes && form.cell !== 'lstm')
    error('peepholes', 'Peepholes are an LSTM feature: choose the LSTM cell or untick them.');

  if (!(form.dropout >= 0 && form.dropout <= MAX_DROPOUT))
    error('dropout', `Dropout must be from 0 to ${MAX_DROPOUT}.`);
  if (form.bptt === 'truncated') {
    if (!supportsTruncatedBptt(form.task))
      error('bptt', 'This model labels a whole utterance or sentence: use full BPTT.');
    else if (!integerIn(form.bpttWindow, 1, 100_000))
      error('bpttWindow', 'The BPTT window must be a whole number of frames (at least 1).');
  }
  if (!(form.clipNorm >= 0)) error('clipNorm', 'Gradient clipping must be 0 (none) or positive.');
  if (!(form.averageDecay >= 0 && form.averageDecay < 1))
    error('averageDecay', 'The weight-averaging decay must be 0 (none) or below 1, e.g. 0.999.');
  if (!(form.learningRate > 0 && form.learningRate <= MAX_LEARNING_RATE))
    error('learningRate', `The learning rate must be above 0 (and at most ${MAX_LEARNING_RATE}).`);
  else if (form.optimizer !== 'sgd' && form.learningRate > 0.1)
    warn('learningRate', `A learning rate above 0.1 usually diverges with ${form.optimizer}.`);
  if (form.schedule !== 'constant') {
    if (!(form.scheduleFactor > 0))
      error('scheduleFactor', 'The learning-rate factor must be above 0 (e.g. 0.5 halves it).');
    else if (form.scheduleFactor > 1)
      warn('scheduleFactor', 'A factor above 1 raises the learning rate as training goes on.');
    if (
      (form.schedule === 'step' || form.schedule === 'plateau') &&
      !integerIn(form.scheduleEpochs, 1, 1000)
    )
      error('scheduleEpochs', 'The schedule needs a whole number of epochs from 1 to 1000.');
    if (form.schedule === 'multistep') {
      const milestones = parseNumberList(form.scheduleMilestones);
      const checked = milestones === null ? null : ScheduleMilestonesSchema.safeParse(milestones);
      if (!checked?.success)
        error(
          'scheduleMilestones',
          'Give the epochs after which the rate changes: whole numbers from 1, in increasing order (15, 16, 17).',
        );
      else if (checked.data.some((epoch) => epoch >= form.epochs))
        warn(
          'scheduleMilestones',
          `An epoch from ${form.epochs} on changes nothing: training stops after epoch ${form.epochs}.`,
        );
    }
  }
  if (form.bidirectional && task.train.bidirectionalWarning)
    warn('bidirectional', task.train.bidirectionalWarning);
  if (!hasErrors(issues)) {
    const fromSchema = schemaIssue(form, base);
    if (fromSchema) issues.push(fromSchema);
  }
  return issues;
}

/** Whether the issues let a run start. */
export function hasErrors(issues: readonly FormIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** The issue to show beside each field: its first error, else its first warning. */
export function issueByField(issues: readonly FormIssue[]): Map<FormField, FormIssue> {
  const out = new Map<FormField, FormIssue>();
  for (const issue of issues) {
    const current = out.get(issue.field);
    if (!current || (current.severity === 'warning' && issue.severity === 'error'))
      out.set(issue.field, issue);
  }
  return out;
}
