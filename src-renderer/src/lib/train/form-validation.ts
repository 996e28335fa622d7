/**
 * Client-side checks of the Train form, run on every change so a bad value is named before a
 * job starts. They mirror the domain's schemas (experiment-config.ts, model-config.ts,
 * train-config.ts, feature-config.ts) and add the checks only the UI can make (the corpus's
 * real splits and speakers). The server still validates: its message is shown if it refuses.
 */

import { MAX_DROPOUT } from '@api/experiment-config';
import { factorListIssue, parseFactorList } from './augmentation-factors';
import { TASK_VIEWS } from '../tasks/task-views';
import { supportsTruncatedBptt, type TrainForm } from './key-settings';

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
  ['deltaOrder', 0, 2, 'Delta order'],
];

export function validateForm(form: TrainForm, corpus: CorpusFacts | null): FormIssue[] {
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

  if (form.corpus === '') error('corpus', 'Choose a speech corpus.');
  if (corpus) {
    const known = (split: string): boolean => corpus.splits.includes(split);
    const list = corpus.splits.join(', ') || 'none';
    if (!known(form.trainSplit))
      error('trainSplit', `Choose a training split (the corpus has ${list}).`);
    if (form.devSplit !== '' && !known(form.devSplit))
      error('devSplit', `The corpus has no split "${form.devSplit}" (it has ${list}).`);
    if (!known(form.testSplit)) error('testSplit', `Choose a test split (the corpus has ${list}).`);
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

  if (form.featureKind !== 'spectrogram' && !integerIn(form.melBands, 1, 128))
    error('melBands', 'Mel bands must be a whole number from 1 to 128.');
  if (form.featureKind === 'mfcc' && !integerIn(form.numCeps, 1, Math.max(1, form.melBands)))
    error('numCeps', `Cepstral coefficients must be from 1 to the mel bands (${form.melBands}).`);

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
      error('bptt', 'Word models label whole utterances: use full BPTT.');
    else if (!integerIn(form.bpttWindow, 1, 100_000))
      error('bpttWindow', 'The BPTT window must be a whole number of frames (at least 1).');
  }
  if (!(form.clipNorm >= 0)) error('clipNorm', 'Gradient clipping must be 0 (none) or positive.');
  if (!(form.learningRate > 0 && form.learningRate <= 10))
    error('learningRate', 'The learning rate must be above 0 (and at most 10).');
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
  }
  for (const field of ['speeds', 'warps'] as const) {
    const issue = factorListIssue(parseFactorList(form[field]));
    if (issue) issues.push({ field, ...issue });
  }
  if (form.bidirectional && task.train.bidirectionalWarning)
    warn('bidirectional', task.train.bidirectionalWarning);
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
