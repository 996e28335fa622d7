/**
 * The Svelte parts each task's view shows, keyed by task name like TASK_VIEWS (kept apart from
 * it so that the views' logic loads, and is tested, without compiling components).
 */
import type { Component } from 'svelte';
import type { ExperimentTaskName } from '@api/experiment-config';
import type { EvaluationPrediction, Posteriorgram } from '@api/experiments';
import PhonesInspectorLine from './PhonesInspectorLine.svelte';
import PhonesInspectorStrings from './PhonesInspectorStrings.svelte';
import PhonesListItem from './PhonesListItem.svelte';
import WordsInspectorLine from './WordsInspectorLine.svelte';
import WordsListItem from './WordsListItem.svelte';

export interface TaskComponents {
  /** An evaluated item in a list, after its id and speaker. */
  ListItem: Component<{ item: EvaluationPrediction }>;
  /** The inspector's account of the prediction, on the line under its title. */
  InspectorLine: Component<{
    prediction: EvaluationPrediction | null;
    posteriorgram: Posteriorgram | null;
  }>;
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
};
