/**
 * The Train form as a table: one entry per control, grouped in sections, rendered by one field
 * component. Which fields apply depends on the form itself (pooling is for word models,
 * truncated BPTT for phone models, peepholes and projection for the LSTM): a field that does
 * not apply is disabled with the reason, so the user sees why rather than a vanishing control.
 * A section or field of some task forms (TRAIN_FORMS: speech features, the text tasks' words)
 * names those forms, and is not shown for the tasks of another.
 */

import {
  BASE_CELL_CHOICES,
  BASE_CELL_LABELS,
  BPTT_CHOICES,
  CMVN_CHOICES,
  DECODER_ATTENTIONS,
  ExperimentTrainingSchema,
  FEATURE_KINDS,
  KN_MAX_ORDER,
  LM_DIRECTIONS,
  LM_LEVELS,
  LM_TOKENIZERS,
  MAX_BEAM,
  MAX_DROPOUT,
  OPTIMIZER_CHOICES,
  SCHEDULE_CHOICES,
  SEQ2SEQ_SCORINGS,
  Seq2seqDecodingSchema,
  HELD_OUT_SPLITS,
  TAG_SETS,
} from '@api/experiment-config';
import type { TrainFormKind } from '../tasks/task-view';
import { TASK_VIEWS } from '../tasks/task-views';
import {
  hasRecurrentStack,
  requiresTruncatedBptt,
  supportsBidirectional,
  supportsTruncatedBptt,
  usesPooling,
  type Task,
  type TrainForm,
} from './key-settings';
import { modelKinds, poolingChoices } from './model-choices';
import { formKindOf } from './task-settings';
import type { FormField } from './form-validation';
import { parseFactorList } from './augmentation-factors';
import { heldOutNote, heldOutPartLabel } from './held-out-default';
import { bidirectionalLmNote, isBidirectionalForm } from './lm-settings';
import { contextualEmbeddingChoices } from './contextual-settings';

export interface Choice {
  value: string;
  label: string;
}

/**
 * What the option lists come from: the corpora, the tasks the chosen corpus trains, and its
 * splits and speakers.
 */
export interface FieldContext {
  corpora: readonly Choice[];
  tasks: readonly Task[];
  splits: readonly string[];
  speakers: readonly string[];
  /**
   * The corpus is text: a run may test (and tune) on held-out parts of its training split,
   * which the dev and test selects then offer (held-out-default.ts).
   */
  heldOutParts?: boolean;
  /** The data folder's trained bidirectional LMs (contextual embeddings for the text forms). */
  bilms?: readonly string[];
}

interface FieldBase {
  key: FormField;
  label: string;
  /** data-testid of the control: `train-<testid>`. */
  testid: string;
  hint?: string;
  /** Why the field does not apply to this form, or null when it does. */
  disabledReason?: (form: TrainForm) => string | null;
  /** Hidden entirely (for settings that only exist under another choice, or for this corpus). */
  hidden?: (form: TrainForm, context: FieldContext) => boolean;
  /** The task forms that have the field; every form when absent. */
  forms?: readonly TrainFormKind[];
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
  /** The task forms that have the section; every form when absent. */
  forms?: readonly TrainFormKind[];
  /** The section ends with how many speakers and items each split of the run has. */
  showsSplitSizes?: boolean;
  /** A note at the end of the section, when the form calls for one. */
  note?: (form: TrainForm, context: FieldContext) => string | null;
}

function plain(values: readonly string[], labels: Record<string, string> = {}): Choice[] {
  return values.map((value) => ({ value, label: labels[value] ?? value }));
}

const splitChoices = (context: FieldContext): Choice[] => plain(context.splits);

/** The corpus's splits, and for a text corpus the held-out part of its training split. */
function splitOrPartChoices(role: 'dev' | 'test') {
  return (context: FieldContext, form: TrainForm): Choice[] => {
    const splits = splitChoices(context);
    if (context.heldOutParts !== true) return splits;
    const withDev = role === 'dev' || form.devSplit !== '';
    return [...splits, { value: HELD_OUT_SPLITS[role], label: heldOutPartLabel(role, withDev) }];
  };
}

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

/** The fields the form shows in a section, in order: those of its task form, not hidden. */
export function visibleFields(
  section: FormSection,
  form: TrainForm,
  context: FieldContext,
): FieldSpec[] {
  return section.fields.filter(
    (spec) => ofForm(spec.forms, form.task) && !spec.hidden?.(form, context),
  );
}

/** The sections the form shows for its task. */
export function visibleSections(form: TrainForm): FormSection[] {
  return FORM_SECTIONS.filter((section) => ofForm(section.forms, form.task));
}

function ofForm(forms: readonly TrainFormKind[] | undefined, task: Task): boolean {
  const kind = formKindOf(task);
  return forms === undefined || (kind !== null && forms.includes(kind));
}

const PRETRAINED: FormPart = {
  title: 'Pre-trained word vectors (optional)',
  testid: 'pretrained',
  note: (form) =>
    form.pretrainedFile.trim() === ''
      ? 'A word2vec or GloVe text file in the data folder (its path there, e.g. vectors/glove.6B.100d.txt); the word embedding size must be its dimension.'
      : `Words of the training vocabulary take their vectors from this file; those it lacks start random${form.freezePretrained ? ', and the table stays as loaded' : ''}.`,
};

/** A forward language model reads one unit id per step: no characters per word. */
const forwardLm = (form: TrainForm): boolean =>
  formKindOf(form.task) === 'language-model' && !isBidirectionalForm(form);
const charCnnOff = (form: TrainForm): boolean => !form.charCnn || forwardLm(form);

/** The word fields a language model has not: it reads and predicts one unit id per step. */
const WORD_VECTOR_FORMS: readonly TrainFormKind[] = ['tagging', 'classification'];
/** The character CNN: the text forms', and a bidirectional language model's. */
const CHAR_FORMS: readonly TrainFormKind[] = [...WORD_VECTOR_FORMS, 'language-model'];

const DECODING: FormPart = {
  title: 'Decoding and scoring',
  testid: 'decoding',
  note: (form) =>
    `Dev and test outputs are decoded by ${form.beam === 1 ? 'greedy search' : `a beam of ${form.beam}`}, ranked by log P / length^α.`,
};

// Upper bounds read off the schemas (a number of the form's inputs, not restated).
const MAX_LENGTH_NORMALIZATION =
  Seq2seqDecodingSchema.shape.lengthNormalization.unwrap().maxValue ?? undefined;
const MAX_SCHEDULED_SAMPLING =
  ExperimentTrainingSchema.shape.scheduledSampling.unwrap().maxValue ?? undefined;

const lstmOnly = (what: string) => (form: TrainForm) =>
  form.cell === 'lstm' ? null : `${what} exist only for the LSTM cell.`;

/** The recurrent fields are hidden while the form's model is another (the CNN). */
const notRecurrent = (form: TrainForm): boolean => !hasRecurrentStack(form);
const notCnn = (form: TrainForm): boolean => form.encoder !== 'cnn';

export const FORM_SECTIONS: readonly FormSection[] = [
  {
    title: 'Data',
    showsSplitSizes: true,
    note: (form, context) =>
      context.heldOutParts === true
        ? heldOutNote(form, { kind: 'text', splits: context.splits })
        : null,
    fields: [
      { key: 'name', label: 'Name', testid: 'name', kind: 'text' },
      {
        key: 'task',
        label: 'Task',
        testid: 'task',
        kind: 'select',
        // The tasks of the chosen corpus (speech tasks for speech, tagging for tagged text).
        options: (context) =>
          context.tasks.map((task) => ({ value: task, label: TASK_VIEWS[task].train.choiceLabel })),
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
        options: (context, form) => [
          { value: '', label: 'none' },
          ...splitOrPartChoices('dev')(context, form),
        ],
      },
      {
        key: 'testSplit',
        label: 'Test split',
        testid: 'test-split',
        kind: 'select',
        options: splitOrPartChoices('test'),
      },
      {
        key: 'heldOutSpeaker',
        label: 'Held-out speaker',
        testid: 'held-out-speaker',
        kind: 'select',
        hint: 'Speaker-independent: train without this speaker, test on them alone.',
        options: (context) => [{ value: '', label: 'none' }, ...plain(context.speakers)],
        // Text corpora have no speakers.
        hidden: (_form, context) => context.speakers.length === 0,
      },
    ],
  },
  {
    title: 'Features',
    forms: ['speech'],
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
    title: 'Language model',
    forms: ['language-model'],
    note: (form) => bidirectionalLmNote(form),
    fields: [
      {
        key: 'lmDirection',
        label: 'Direction',
        testid: 'lm-direction',
        kind: 'select',
        hint: 'Forwards (the next unit from the past), or both ways: an ELMo-style biLM (Peters et al. 2018) whose layers taggers and classifiers can take as contextual embeddings.',
        options: () =>
          plain(LM_DIRECTIONS, {
            forward: 'Forward',
            bidirectional: 'Bidirectional (biLM, ELMo-style)',
          }),
      },
      {
        key: 'lmLevel',
        label: 'Level',
        testid: 'lm-level',
        kind: 'select',
        hint: 'What one step reads and predicts: a word, or a character. The word settings below then count characters.',
        options: () => plain(LM_LEVELS, { word: 'Words', char: 'Characters' }),
      },
      {
        key: 'lmTokenizer',
        label: 'Tokenizer',
        testid: 'lm-tokenizer',
        kind: 'select',
        hint: 'How a line becomes words: Penn-style tokens, or white-space pieces for corpora that come tokenised (the PTB LM data).',
        options: () => plain(LM_TOKENIZERS, { text: 'Penn-style', whitespace: 'White space' }),
        hidden: (form) => form.lmLevel !== 'word',
      },
      {
        key: 'tiedEmbeddings',
        label: 'Tied embeddings',
        testid: 'tied-embeddings',
        kind: 'check',
        hint: "The softmax reads the top layer through the embedding table (Press & Wolf 2017): the embedding size must equal the top layer's output size.",
      },
      {
        key: 'kneserNeyOrder',
        label: 'Kneser-Ney order (0 none)',
        testid: 'kneser-ney-order',
        kind: 'number',
        min: 0,
        max: KN_MAX_ORDER,
        hint: 'The interpolated Kneser-Ney n-gram model scored beside the network on every evaluation.',
      },
    ],
  },
  {
    title: 'Sequence to sequence',
    forms: ['seq2seq'],
    fields: [
      {
        key: 'sourceEmbeddingSize',
        label: 'Source embedding size',
        testid: 'source-embedding',
        kind: 'number',
        min: 1,
      },
      {
        key: 'targetEmbeddingSize',
        label: 'Target embedding size',
        testid: 'target-embedding',
        kind: 'number',
        min: 1,
      },
      {
        key: 'decoderAttention',
        label: 'Attention',
        testid: 'attention',
        kind: 'select',
        hint: "What the decoder reads of the source besides the encoder's final states: additive attention (Bahdanau et al. 2015) weighs every source step.",
        options: () => plain(DECODER_ATTENTIONS, { none: 'none', additive: 'additive (Bahdanau)' }),
      },
      {
        key: 'beam',
        label: 'Beam width',
        testid: 'beam',
        kind: 'number',
        min: 1,
        max: MAX_BEAM,
        part: DECODING,
        hint: '1 is greedy decoding; each unit of width costs one more decoder step per output symbol.',
      },
      {
        key: 'lengthNormalization',
        label: 'Length normalisation α',
        testid: 'length-normalization',
        kind: 'number',
        min: 0,
        max: MAX_LENGTH_NORMALIZATION,
        step: 0.1,
        part: DECODING,
        hint: '0 ranks by total log-probability (favours short outputs), 1 by log-probability per symbol.',
      },
      {
        key: 'scoring',
        label: 'Scoring',
        testid: 'scoring',
        kind: 'select',
        part: DECODING,
        options: () =>
          plain(SEQ2SEQ_SCORINGS, {
            g2p: 'word / phone error rate (G2P)',
            translation: 'BLEU and chrF',
          }),
      },
    ],
  },
  {
    title: 'Words',
    forms: ['tagging', 'classification', 'language-model'],
    fields: [
      {
        key: 'tagSet',
        label: 'Tag set',
        testid: 'tag-set',
        kind: 'select',
        forms: ['tagging'],
        hint: 'Which column of the treebank the tagger learns.',
        options: () =>
          plain(TAG_SETS, { upos: 'UPOS (universal)', xpos: "XPOS (the treebank's own)" }),
      },
      {
        key: 'wordEmbeddingSize',
        label: 'Word embedding size',
        testid: 'word-embedding',
        kind: 'number',
        min: 1,
      },
      {
        key: 'lowercase',
        label: 'Lower-case words',
        testid: 'lowercase',
        kind: 'check',
        hint: 'One vector for "The" and "the"; the case features still see the case.',
      },
      {
        key: 'minCount',
        label: 'Min count',
        testid: 'min-count',
        kind: 'number',
        min: 1,
        hint: 'Words seen fewer times in training are unknown words.',
      },
      {
        key: 'wordDropout',
        label: 'Word dropout (α, 0 off)',
        testid: 'word-dropout',
        kind: 'number',
        min: 0,
        step: 0.05,
        hint: 'A training word seen n times becomes the unknown word with probability α / (α + n), so the unknown vector learns what rare words look like.',
      },
      {
        key: 'caseFeatures',
        forms: WORD_VECTOR_FORMS,
        label: 'Case features',
        testid: 'case-features',
        kind: 'check',
        hint: "A small embedding of each word's case (lower, Title, UPPER, digits, ...).",
      },
      {
        key: 'charCnn',
        forms: CHAR_FORMS,
        label: 'Character CNN',
        testid: 'char-cnn',
        kind: 'check',
        hint: "A convolution over each word's characters: unseen words get a vector of their own.",
        hidden: forwardLm,
      },
      {
        key: 'charEmbeddingSize',
        forms: CHAR_FORMS,
        label: 'Character size',
        testid: 'char-embedding',
        kind: 'number',
        min: 1,
        hidden: charCnnOff,
      },
      {
        key: 'charFilters',
        forms: CHAR_FORMS,
        label: 'Filters',
        testid: 'char-filters',
        kind: 'number',
        min: 1,
        hidden: charCnnOff,
      },
      {
        key: 'charWidth',
        forms: CHAR_FORMS,
        label: 'Filter width',
        testid: 'char-width',
        kind: 'number',
        min: 1,
        max: 9,
        hidden: charCnnOff,
      },
      {
        key: 'pretrainedFile',
        forms: WORD_VECTOR_FORMS,
        label: 'Vectors file',
        testid: 'pretrained-file',
        kind: 'text',
        part: PRETRAINED,
        placeholder: 'none, e.g. vectors/glove.6B.100d.txt',
      },
      {
        key: 'freezePretrained',
        forms: WORD_VECTOR_FORMS,
        label: 'Freeze',
        testid: 'pretrained-freeze',
        kind: 'check',
        part: PRETRAINED,
        hint: 'Keep the word vectors as loaded: only the rest of the model trains.',
        hidden: (form) => form.pretrainedFile.trim() === '',
      },
      {
        key: 'contextualEmbeddings',
        forms: WORD_VECTOR_FORMS,
        label: 'Contextual embeddings from',
        testid: 'contextual-embeddings',
        kind: 'select',
        hint: "A trained bidirectional LM of the data folder: each word also gets the biLM's layers for it in its sentence, mixed by weights this model learns; the biLM stays frozen.",
        options: (context, form) => [
          { value: '', label: 'none' },
          ...plain(contextualEmbeddingChoices(context.bilms ?? [], form.contextualEmbeddings)),
        ],
      },
    ],
  },
  {
    title: 'Architecture',
    fields: [
      {
        key: 'encoder',
        label: 'Sentence encoder',
        testid: 'encoder',
        kind: 'select',
        forms: ['classification'],
        hint: "Recurrent layers pooled into one vector, or Kim's (2014) CNN: filters of a few widths over the words, max over time.",
        options: (_context, form) =>
          plain(modelKinds(form.task), { recurrent: 'Recurrent (RNN)', cnn: 'CNN (Kim 2014)' }),
      },
      {
        key: 'cnnWidths',
        label: 'Filter widths (words)',
        testid: 'cnn-widths',
        kind: 'text',
        forms: ['classification'],
        placeholder: 'e.g. 3, 4, 5',
        hidden: notCnn,
      },
      {
        key: 'cnnFilters',
        label: 'Filters per width',
        testid: 'cnn-filters',
        kind: 'number',
        min: 1,
        forms: ['classification'],
        hidden: notCnn,
      },
      {
        key: 'cell',
        label: 'Cell',
        testid: 'cell',
        kind: 'select',
        options: () => plain(BASE_CELL_CHOICES, BASE_CELL_LABELS),
        hidden: notRecurrent,
      },
      {
        key: 'layers',
        label: 'Layers',
        testid: 'layers',
        kind: 'number',
        min: 1,
        max: 8,
        hidden: notRecurrent,
      },
      {
        key: 'units',
        label: 'Units',
        testid: 'units',
        kind: 'number',
        min: 1,
        max: 2048,
        hidden: notRecurrent,
      },
      {
        key: 'projection',
        label: 'Projection (LSTMP, 0 none)',
        testid: 'projection',
        kind: 'number',
        min: 0,
        max: 2048,
        disabledReason: lstmOnly('Projections'),
        hidden: notRecurrent,
      },
      {
        key: 'peepholes',
        label: 'Peepholes',
        testid: 'peepholes',
        kind: 'check',
        disabledReason: lstmOnly('Peepholes'),
        hidden: notRecurrent,
      },
      {
        key: 'bidirectional',
        label: 'Bidirectional',
        testid: 'bidirectional',
        kind: 'check',
        disabledReason: (form) =>
          supportsBidirectional(form.task)
            ? null
            : (TASK_VIEWS[form.task].train.bidirectionalWarning ??
              'This model takes no bidirectional layer.'),
        hidden: notRecurrent,
      },
      {
        key: 'dropout',
        label: 'Dropout',
        testid: 'dropout',
        kind: 'number',
        min: 0,
        max: MAX_DROPOUT,
        step: 0.05,
        hint: "On the input of every recurrent layer and of the output layer; for the CNN, on its pooled features (Kim's 0.5).",
      },
      {
        key: 'pooling',
        label: 'Pooling',
        testid: 'pooling',
        kind: 'select',
        options: (_context, form) => plain(poolingChoices(form.task)),
        forms: ['speech', 'classification'],
        disabledReason: (form) =>
          usesPooling(form.task) ? null : 'Phone models label every frame: nothing to pool.',
        hidden: notRecurrent,
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
          requiresTruncatedBptt(form.task)
            ? 'This model learns from long streams cut into windows: truncated BPTT only.'
            : supportsTruncatedBptt(form.task)
              ? null
              : 'This model reads whole sequences (an utterance, a sentence, a source): full BPTT only.',
      },
      {
        key: 'bpttWindow',
        label: 'BPTT window k (steps)',
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
        key: 'averageDecay',
        label: 'Average weights, decay (0 none)',
        testid: 'average-decay',
        hint: 'Polyak averaging: dev scores, the kept checkpoint and the trained model use a moving average of the weights (0.999: about the last thousand updates).',
        kind: 'number',
        min: 0,
        max: 0.9999,
        step: 0.001,
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
            multistep: 'at epochs',
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
      {
        key: 'scheduleMilestones',
        label: 'LR after epochs',
        testid: 'schedule-milestones',
        hint: 'The rate is multiplied by the factor after each of these epochs: a schedule fixed in advance, for a run without a dev set.',
        kind: 'text',
        placeholder: 'e.g. 15, 16, 17',
        hidden: (form) => form.schedule !== 'multistep',
      },
      {
        key: 'scheduledSampling',
        label: 'Scheduled sampling',
        testid: 'scheduled-sampling',
        kind: 'number',
        min: 0,
        max: MAX_SCHEDULED_SAMPLING,
        step: 0.05,
        forms: ['seq2seq'],
        hint: "The share of the decoder's inputs taken from its own predictions instead of the reference (Bengio et al. 2015); 0 is teacher forcing.",
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
        forms: ['speech'],
        placeholder: 'none, e.g. 0.9, 1.1',
        hint: 'Speed perturbation (Kaldi): each factor resamples the audio, changing tempo and pitch together.',
      },
      {
        key: 'warps',
        label: 'Frequency-warp factors',
        testid: 'warps',
        kind: 'text',
        part: AUGMENTATION,
        forms: ['speech'],
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
