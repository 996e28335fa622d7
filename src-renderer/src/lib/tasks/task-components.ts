/**
 * The Svelte parts each task's view shows, keyed by task name like TASK_VIEWS (kept apart from
 * it so that the views' logic loads, and is tested, without compiling components).
 */
import type { Component } from 'svelte';
import type { ExperimentTaskName } from '@api/experiment-config';
import type { EvaluationPrediction, Posteriorgram } from '@api/experiments';
import LmListItem from './LmListItem.svelte';
import PhonesInspectorLine from './PhonesInspectorLine.svelte';
import PhonesInspectorStrings from './PhonesInspectorStrings.svelte';
import PhonesListItem from './PhonesListItem.svelte';
import PosListItem from './PosListItem.svelte';
import SentimentListItem from './SentimentListItem.svelte';
import Seq2seqListItem from './Seq2seqListItem.svelte';
import WordsInspectorLine from './WordsInspectorLine.svelte';
import WordsListItem from './WordsListItem.svelte';

/** A confusion-matrix cell: reference label predicted as another. */
export interface ConfusionCellRef {
  reference: string;
  predicted: string;
}

export interface TaskComponents {
  /**
   * An evaluated item in a list, after its id and speaker. In a confusion cell's list it gets
   * the cell (to mark the confused parts) and the matrix's labels.
   */
  ListItem: Component<{
    item: EvaluationPrediction;
    cell?: ConfusionCellRef | null;
    labels?: readonly string[];
  }>;
  /** The inspector's account of the prediction, on the line under its title; null for none. */
  InspectorLine: Component<{
    prediction: EvaluationPrediction | null;
    posteriorgram: Posteriorgram | null;
  }> | null;
  /** A block of the inspector's heading under that line; null for none. */
  InspectorDetail: Component<{ prediction: EvaluationPrediction | null }> | null;
}

export const TASK_COMPONENTS: { readonly [T in ExperimentTaskName]: TaskComponents } = {
  words: { ListItem: WordsListItem, InspectorLine: WordsInspectorLine, InspectorDetail: null },
  phones: {
    ListItem: PhonesListItem,
    InspectorLine: PhonesInspectorLine,
    InspectorDetail: PhonesInspectorStrings,
  },
  // Sentences have no audio: they never open in the inspector (POS_VIEW.evaluate.inspector is null).
  pos: { ListItem: PosListItem, InspectorLine: null, InspectorDetail: null },
  sentiment: { ListItem: SentimentListItem, InspectorLine: null, InspectorDetail: null },
  lm: { ListItem: LmListItem, InspectorLine: null, InspectorDetail: null },
  seq2seq: { ListItem: Seq2seqListItem, InspectorLine: null, InspectorDetail: null },
};
