/**
 * What the generic views (Train, Evaluate, the experiments table, Live) need to know about an
 * experiment's task, so that they never ask which task it is. One TaskView per task of the
 * config union, in task-views.ts; its Svelte parts are in task-components.ts.
 */
import type { CorpusSummary } from '@api/corpus';
import type { ExperimentTaskName } from '@api/experiment-config';
import type { EvaluationPrediction } from '@api/experiments';
import type { LiveMode } from '@api/live';
import type { HeadlineFigureName } from '../evaluate/headline';

/** Figure columns of the experiments table that only some tasks' runs fill. */
export const TASK_COLUMNS = ['per'] as const;
export type TaskColumn = (typeof TASK_COLUMNS)[number];

/** The evaluated items Evaluate lists first: those worth a look. */
export interface ReviewList {
  select: (predictions: readonly EvaluationPrediction[]) => EvaluationPrediction[];
  heading: (count: number) => string;
  /** data-testid of each listed item. */
  testid: string;
  /** What to say when items were evaluated and none is listed; null to say nothing. */
  allClear: { text: string; testid: string } | null;
}

/** How one evaluated item opens in the inspector. */
export interface ItemInspector {
  /** The tooltip of an item's open button. */
  openTitle: string;
  /** Whether the inspector shows the model's posteriorgram under the spectrogram. */
  posteriorgram: boolean;
  /** The legend under the plots. */
  legend: string;
}

/**
 * What the Text view does with an experiment of the task: tag every word of the text, or
 * classify the whole text (a label with its probability, each token's part in it), or read it
 * with a language model (the next word, each word's surprisal, generation), or decode it with
 * an encoder-decoder (the beam's n-best outputs, where each output step attended).
 */
export const TEXT_MODES = [
  'tagging',
  'classification',
  'language-model',
  'sequence-to-sequence',
] as const;
export type TextMode = (typeof TEXT_MODES)[number];

/**
 * The Train view's forms: 'speech' edits features, pooling, BPTT and augmentation; 'tagging'
 * edits the tag set and how words become vectors (embeddings, characters, case, pre-trained
 * vectors); 'classification' edits the same words, the encoder (a recurrent stack and its
 * pooling, or a CNN) of a sentence classifier; 'language-model' edits the level, the units and
 * their tokenizer, tied embeddings and the Kneser-Ney baseline; 'seq2seq' the embeddings, the
 * decoder's attention, beam search and scoring. All share the data and training settings.
 */
export const TRAIN_FORMS = [
  'speech',
  'tagging',
  'classification',
  'language-model',
  'seq2seq',
] as const;
export type TrainFormKind = (typeof TRAIN_FORMS)[number];

/**
 * A figure of the loss that a task's runs are judged by, charted by the Train view instead of
 * accuracy (train/loss-figures.ts): a language model's perplexity, or bits per character.
 */
export const LOSS_FIGURES = ['perplexity', 'bitsPerCharacter'] as const;
export type LossFigure = (typeof LOSS_FIGURES)[number];

/** The text formats of a text corpus, as its summary names them. */
export type TextFormat = NonNullable<CorpusSummary['textFormat']>;

/** The corpora a task trains on: speech corpora, or text corpora in one of some formats. */
export type TrainingCorpora = { kind: 'speech' } | { kind: 'text'; formats: readonly TextFormat[] };

export interface TaskView<T extends ExperimentTaskName = ExperimentTaskName> {
  task: T;
  /** The task as lists and badges name it. */
  label: string;
  evaluate: {
    headline: readonly HeadlineFigureName[];
    /** What the evaluated items are called ("utterances", "sentences"). */
    itemNoun: string;
    /** The items behind a confusion-matrix cell (reference label predicted as another). */
    cellItems: (
      predictions: readonly EvaluationPrediction[],
      reference: string,
      predicted: string,
    ) => EvaluationPrediction[];
    review: ReviewList;
    /**
     * How an item opens in the audio inspector; null when items have no audio (text), and the
     * list shows each item whole instead.
     */
    inspector: ItemInspector | null;
    /** The button that runs a WAV file of the data folder through the model; null if it cannot. */
    runFile: string | null;
  };
  train: {
    /**
     * The Train view's form that edits the task's configs (TRAIN_FORMS); null when the task is
     * trained from the command line only.
     */
    form: TrainFormKind | null;
    /** The task in the form's task list ("Words (isolated)"). */
    choiceLabel: string;
    /** The corpora the form offers the task for (its presets are offered for those only). */
    corpora: TrainingCorpora;
    /**
     * Whether the model pools its frames into one vector (an utterance-level label) rather than
     * labelling every frame. Not asked of the schema: every speech config has a defaulted
     * `pooling` that frame-level models ignore; which model a task builds is its domain module's
     * choice (speech/words-task.ts), which the renderer cannot import.
     */
    usesPooling: boolean;
    /** Whether the task reads phone alignments (TextGrids) from the corpus. */
    needsPhoneAlignments: boolean;
    /** The warning a bidirectional model gets, null when it is fine. */
    bidirectionalWarning: string | null;
    /**
     * The figure of the loss the curves show instead of accuracy, for a run's config (it may
     * depend on settings such as a language model's level); absent: accuracy.
     */
    lossFigure?: (config: Readonly<Record<string, unknown>>) => LossFigure;
  };
  /** Columns of the experiments table its runs fill, beyond accuracy. */
  tableColumns: readonly TaskColumn[];
  /** The live session an experiment of the task runs (and the picker's hint); null for none. */
  live: { mode: LiveMode; hint: string } | null;
  /** What the Text view does with the task's experiments; null when it does not offer them. */
  text: TextMode | null;
}
