/**
 * The Train form as a table: one entry per control, grouped in sections, rendered by one field
 * component. Which fields apply depends on the form itself (pooling is for word models,
 * truncated BPTT for phone models, peepholes and projection for the LSTM): a field that does
 * not apply is disabled with the reason, so the user sees why rather than a vanishing control.
 */

import {
  BASE_CELL_CHOICES,
  BPTT_CHOICES,
  CMVN_CHOICES,
  EXPERIMENT_TASKS,
  FEATURE_KINDS,
  MAX_DROPOUT,
  OPTIMIZER_CHOICES,
  POOLING_CHOICES,
  SCHEDULE_CHOICES,
} from '@api/experiment-config';
import { supportsTruncatedBptt, usesPooling, type TrainForm } from './key-settings';
import type { FormField } from './form-validation';
import { parseFactorList } from './augmentation-factors';

export interface Choice {
  value: string;
  label: string;
}

/** What the option lists come from: the corpora and the chosen corpus's splits and speakers. */
export interface FieldContext {
  corpora: readonly Choice[];
  splits: readonly string[];
  speakers: readonly string[];
}

interface FieldBase {
  key: FormField;
  label: string;
  /** data-testid of the control: `train-<testid>`. */
  testid: string;
  hint?: string;
  /** Why the field does not apply to this form, or null when it does. */
  disabledReason?: (form: TrainForm) => string | null;
  /** Hidden entirely (for settings that only exist under another choice). */
  hidden?: (form: TrainForm) => boolean;
  /** Shown greyed in an empty text input. */
  placeholder?: string;
  /** The sub-heading the field sits under; consecutive fields share one (the same object). */
  part?: FormPart;
}

/** A titled group of fields inside a section, with a note under its title. */
export interface FormPart {
  title: string;
  /** data-testid of the part's note: `train-<testid>-note`. */
  testid: string;
  note: (form: TrainForm) => string;
}

export type FieldSpec =
  | (FieldBase & { kind: 'text' })
  | (FieldBase & { kind: 'number'; min?: number; max?: number; step?: number })
  | (FieldBase & { kind: 'check' })
  | (FieldBase & {
      kind: 'select';
      options: (context: FieldContext, form: TrainForm) => readonly Choice[];
    });

export interface FormSection {
  title: string;
  fields: FieldSpec[];
  /** The section ends with how many speakers and items each split of the run has. */
  showsSplitSizes?: boolean;
}

function plain(values: readonly string[], labels: Record<string, string> = {}): Choice[] {
  return values.map((value) => ({ value, label: labels[value] ?? value }));
}

const splitChoices = (context: FieldContext): Choice[] => plain(context.splits);

/** How many times the training set is seen per epoch with the form's augmentation. */
export function trainingCopies(form: Pick<TrainForm, 'speeds' | 'warps'>): number {
  return (
    1 + parseFactorList(form.speeds).factors.length + parseFactorList(form.warps).factors.length
  );
}

const AUGMENTATION: FormPart = {
  title: 'Augmentation (training set only)',
  testid: 'augmentation',
  note: (form) => {
    const copies = trainingCopies(form);
    const each = 'Each factor adds one perturbed copy of the training set';
    return copies === 1
      ? `${each}, so training takes that much longer (0.9, 1.1 gives 3× the data). Dev, test and live audio are never perturbed.`
      : `${each}: ${copies}× the data, so each epoch takes about ${copies}× as long. Dev, test and live audio are never perturbed.`;
  },
};

const lstmOnly = (what: string) => (form: TrainForm) =>
  form.cell === 'lstm' ? null : `${what} exist only for the LSTM cell.`;

export const FORM_SECTIONS: readonly FormSection[] = [
  {
    title: 'Data',
    showsSplitSizes: true,
    fields: [
      { key: 'name', label: 'Name', testid: 'name', kind: 'text' },
      {
        key: 'task',
        label: 'Task',
        testid: 'task',
        kind: 'select',
        options: () =>
          plain(EXPERIMENT_TASKS, { words: 'Words (isolated)', phones: 'Phones (per frame)' }),
      },
      {
        key: 'corpus',
        label: 'Corpus',
        testid: 'corpus',
        kind: 'select',
        options: (context) => context.corpora,
      },
      {
        key: 'trainSplit',
        label: 'Train split',
        testid: 'train-split',
        kind: 'select',
        options: splitChoices,
      },
      {
        key: 'devSplit',
        label: 'Dev split',
        testid: 'dev-split',
        kind: 'select',
        options: (context) => [{ value: '', label: 'none' }, ...splitChoices(context)],
      },
      {
        key: 'testSplit',
        label: 'Test split',
        testid: 'test-split',
        kind: 'select',
        options: splitChoices,
      },
      {
        key: 'heldOutSpeaker',
        label: 'Held-out speaker',
        testid: 'held-out-speaker',
        kind: 'select',
        hint: 'Speaker-independent: train without this speaker, test on them alone.',
        options: (context) => [{ value: '', label: 'none' }, ...plain(context.speakers)],
      },
    ],
  },
  {
    title: 'Features',
    fields: [
      {
        key: 'featureKind',
        label: 'Kind',
        testid: 'feature-kind',
        kind: 'select',
        options: () =>
          plain(FEATURE_KINDS, {
            spectrogram: 'Spectrogram',
            fbank: 'Log-mel fbank',
            mfcc: 'MFCC',
          }),
      },
      {
        key: 'melBands',
        label: 'Mel bands',
        testid: 'mel-bands',
        kind: 'number',
        min: 1,
        max: 128,
        disabledReason: (form) =>
          form.featureKind === 'spectrogram' ? 'The linear spectrogram has no mel bands.' : null,
      },
      {
        key: 'numCeps',
        label: 'Coefficients',
        testid: 'num-ceps',
        kind: 'number',
        min: 1,
        max: 128,
        disabledReason: (form) =>
          form.featureKind === 'mfcc' ? null : 'Cepstral coefficients are MFCC only.',
      },
      {
        key: 'deltaOrder',
        label: 'Deltas',
        testid: 'deltas',
        kind: 'select',
        options: () => [
          { value: '0', label: 'none' },
          { value: '1', label: '+ Δ' },
          { value: '2', label: '+ Δ + ΔΔ' },
        ],
      },
      { key: 'useEnergy', label: 'Log energy', testid: 'energy', kind: 'check' },
      {
        key: 'cmvn',
        label: 'CMVN',
        testid: 'cmvn',
        kind: 'select',
        options: () =>
          plain(CMVN_CHOICES, {
            utterance: 'per utterance',
            speaker: 'per speaker',
            none: 'none',
          }),
      },
    ],
  },
  {
    title: 'Architecture',
    fields: [
      {
        key: 'cell',
        label: 'Cell',
        testid: 'cell',
        kind: 'select',
        options: () => plain(BASE_CELL_CHOICES, { rnn: 'Elman RNN', lstm: 'LSTM', gru: 'GRU' }),
      },
      { key: 'layers', label: 'Layers', testid: 'layers', kind: 'number', min: 1, max: 8 },
      { key: 'units', label: 'Units', testid: 'units', kind: 'number', min: 1, max: 2048 },
      {
        key: 'projection',
        label: 'Projection (LSTMP, 0 none)',
        testid: 'projection',
        kind: 'number',
        min: 0,
        max: 2048,
        disabledReason: lstmOnly('Projections'),
      },
      {
        key: 'peepholes',
        label: 'Peepholes',
        testid: 'peepholes',
        kind: 'check',
        disabledReason: lstmOnly('Peepholes'),
      },
      { key: 'bidirectional', label: 'Bidirectional', testid: 'bidirectional', kind: 'check' },
      {
        key: 'dropout',
        label: 'Dropout',
        testid: 'dropout',
        kind: 'number',
        min: 0,
        max: MAX_DROPOUT,
        step: 0.05,
      },
      {
        key: 'pooling',
        label: 'Pooling',
        testid: 'pooling',
        kind: 'select',
        options: () => plain(POOLING_CHOICES),
        disabledReason: (form) =>
          usesPooling(form.task) ? null : 'Phone models label every frame: nothing to pool.',
      },
    ],
  },
  {
    title: 'Training',
    fields: [
      {
        key: 'bptt',
        label: 'BPTT',
        testid: 'bptt',
        kind: 'select',
        options: () => plain(BPTT_CHOICES, { full: 'full', truncated: 'truncated' }),
        disabledReason: (form) =>
          supportsTruncatedBptt(form.task)
            ? null
            : 'Word models label whole utterances: full BPTT only.',
      },
      {
        key: 'bpttWindow',
        label: 'BPTT window k (frames)',
        testid: 'bptt-window',
        kind: 'number',
        min: 1,
        hidden: (form) => !supportsTruncatedBptt(form.task) || form.bptt !== 'truncated',
      },
      {
        key: 'clipNorm',
        label: 'Clip gradient norm (0 none)',
        testid: 'clip',
        kind: 'number',
        min: 0,
        step: 0.5,
      },
      {
        key: 'optimizer',
        label: 'Optimiser',
        testid: 'optimizer',
        kind: 'select',
        options: () => plain(OPTIMIZER_CHOICES, { adam: 'Adam', rmsprop: 'RMSprop', sgd: 'SGD' }),
      },
      { key: 'learningRate', label: 'Learning rate', testid: 'lr', kind: 'number', min: 0 },
      {
        key: 'schedule',
        label: 'LR schedule',
        testid: 'schedule',
        kind: 'select',
        options: () =>
          plain(SCHEDULE_CHOICES, {
            constant: 'constant',
            exponential: 'decay / epoch',
            step: 'step',
            plateau: 'on plateau',
          }),
      },
      {
        key: 'scheduleFactor',
        label: 'LR factor',
        testid: 'schedule-factor',
        kind: 'number',
        min: 0,
        max: 1,
        step: 0.05,
        hidden: (form) => form.schedule === 'constant',
      },
      {
        key: 'scheduleEpochs',
        label: 'LR epochs (n)',
        testid: 'schedule-epochs',
        kind: 'number',
        min: 1,
        hidden: (form) => form.schedule !== 'step' && form.schedule !== 'plateau',
      },
      { key: 'epochs', label: 'Epochs', testid: 'epochs', kind: 'number', min: 1 },
      { key: 'batchSize', label: 'Batch', testid: 'batch', kind: 'number', min: 1 },
      { key: 'seed', label: 'Seed', testid: 'seed', kind: 'number' },
      {
        key: 'patience',
        label: 'Early stop after (epochs, 0 off)',
        testid: 'patience',
        kind: 'number',
        min: 0,
      },
      {
        key: 'speeds',
        label: 'Speed factors',
        testid: 'speeds',
        kind: 'text',
        part: AUGMENTATION,
        placeholder: 'none, e.g. 0.9, 1.1',
        hint: 'Speed perturbation (Kaldi): each factor resamples the audio, changing tempo and pitch together.',
      },
      {
        key: 'warps',
        label: 'Frequency-warp factors',
        testid: 'warps',
        kind: 'text',
        part: AUGMENTATION,
        placeholder: 'none, e.g. 0.9, 1.1',
        hint: 'Frequency warp (VTLP-like): stretches the spectrum at the same tempo.',
      },
    ],
  },
];

/** The form value a control's input stands for: numbers from number fields and the delta select. */
export function parseFieldInput(spec: FieldSpec, raw: string | boolean): string | number | boolean {
  if (typeof raw === 'boolean') return raw;
  if (spec.kind === 'number' || spec.key === 'deltaOrder')
    return raw.trim() === '' ? NaN : Number(raw);
  return raw;
}

/** A copy of the form with one field set. */
export function withField(
  form: TrainForm,
  key: FormField,
  value: string | number | boolean,
): TrainForm {
  return { ...form, [key]: value };
}
