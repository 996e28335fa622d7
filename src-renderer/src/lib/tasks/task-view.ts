/**
 * What the generic views (Train, Evaluate, the experiments table, Live) need to know about an
 * experiment's task, so that they never ask which task it is. One TaskView per task of the
 * config union, in task-views.ts; its Svelte parts are in task-components.ts.
 */
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

export interface TaskView<T extends ExperimentTaskName = ExperimentTaskName> {
  task: T;
  /** The task as lists and badges name it. */
  label: string;
  evaluate: {
    headline: readonly HeadlineFigureName[];
    review: ReviewList;
    inspector: ItemInspector;
    /** The button that runs a WAV file of the data folder through the model; null if it cannot. */
    runFile: string | null;
  };
  train: {
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
  };
  /** Columns of the experiments table its runs fill, beyond accuracy. */
  tableColumns: readonly TaskColumn[];
  /** The live session an experiment of the task runs (and the picker's hint); null for none. */
  live: { mode: LiveMode; hint: string } | null;
}
