/**
 * The text forms' (tagging, classification) contextual embeddings: a trained bidirectional LM of
 * the data folder whose layers, mixed by weights the task learns, are added to each word's
 * vector (config key `model.contextualEmbeddings: { experiment }`, text-config.ts). The picker
 * lists the data folder's biLMs from the experiments list the Train view already has.
 */

import type { ExperimentConfig } from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';
import type { Json } from './json-object';

export interface ContextualForm {
  /** The biLM experiment whose layers the words get; '' for none. */
  contextualEmbeddings: string;
}

/** The biLM a config names (a tagger's or a classifier's, of either encoder); '' for none. */
export function readContextualEmbeddings(config: ExperimentConfig): ContextualForm {
  const model = config.task === 'pos' || config.task === 'sentiment' ? config.model : null;
  return { contextualEmbeddings: model?.contextualEmbeddings?.experiment ?? '' };
}

/** The config's `model` with the form's biLM (the key left out for none). */
export function withContextualEmbeddings(form: ContextualForm, model: Json): Json {
  const { contextualEmbeddings: _previous, ...rest } = model;
  const experiment = form.contextualEmbeddings.trim();
  return experiment === '' ? rest : { ...rest, contextualEmbeddings: { experiment } };
}

/** The data folder's trained biLMs by name (a run still training has no weights yet). */
export function trainedBidirectionalLms(
  experiments: readonly Pick<ExperimentListItem, 'name' | 'status' | 'bidirectionalLm'>[],
): string[] {
  return experiments
    .filter((e) => e.bidirectionalLm === true && e.status === 'done')
    .map((e) => e.name)
    .sort();
}

/**
 * The picker's biLMs: the trained ones, and the form's own choice even when the list lacks it
 * (a copy of a run whose biLM is gone, or not listed yet), so the select shows what the config
 * says and the run names the problem.
 */
export function contextualEmbeddingChoices(bilms: readonly string[], chosen: string): string[] {
  return chosen === '' || bilms.includes(chosen) ? [...bilms] : [...bilms, chosen];
}
