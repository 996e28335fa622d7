/**
 * The stored evaluation a part of the Text view shows for the chosen experiment: its
 * evaluations are listed when the experiment changes, the mode's preferred one is chosen
 * (evaluation-choice.ts), and the chosen one is read. An answer about an experiment or
 * evaluation no longer chosen is dropped.
 */
import { untrack } from 'svelte';
import type { ApiClient } from '@api/client-core';
import { evaluationKey, type EvaluationRef, type ExperimentEvaluation } from '@api/experiments';
import { evaluationParams } from '../evaluate/evaluation-request';
import { errorText } from '../format/error-text';
import { defaultEvaluation } from './evaluation-choice';

export interface ChosenEvaluation {
  /** The experiment's evaluations (empty until listed, or when it has none). */
  readonly available: readonly EvaluationRef[];
  /** The chosen evaluation's key (evaluationKey); set it to choose another. */
  key: string;
  /** The chosen evaluation once read. */
  readonly evaluation: ExperimentEvaluation | null;
  readonly error: string | null;
}

/**
 * Call while a component initialises. `onload` is told of each evaluation read (to reset what
 * depends on it).
 */
export function chosenEvaluation(
  client: ApiClient,
  experiment: () => string,
  preferredSplits: readonly string[],
  onload?: (evaluation: ExperimentEvaluation) => void,
): ChosenEvaluation {
  let available = $state.raw<EvaluationRef[]>([]);
  let key = $state('');
  let evaluation = $state.raw<ExperimentEvaluation | null>(null);
  let error = $state<string | null>(null);

  async function list(name: string): Promise<void> {
    evaluation = null;
    available = [];
    error = null;
    try {
      const detail = await client.invoke('experiments:get', { name });
      if (name !== experiment()) return;
      available = detail.evaluations;
      const ref = defaultEvaluation(detail.evaluations, preferredSplits);
      key = ref ? evaluationKey(ref) : '';
    } catch (e) {
      error = errorText(e).message;
    }
  }

  async function read(name: string, chosen: string, refs: readonly EvaluationRef[]): Promise<void> {
    evaluation = null;
    const ref = refs.find((r) => evaluationKey(r) === chosen);
    if (!ref) return;
    try {
      const loaded = await client.invoke('experiments:evaluation', {
        name,
        ...evaluationParams(ref),
      });
      if (name !== experiment() || chosen !== key) return;
      evaluation = loaded;
      onload?.(loaded);
    } catch (e) {
      error = errorText(e).message;
    }
  }

  $effect(() => {
    const name = experiment();
    untrack(() => void list(name));
  });

  $effect(() => {
    // The list of evaluations too: it arrives after a change of experiment.
    const [name, chosen, refs] = [experiment(), key, available];
    untrack(() => void read(name, chosen, refs));
  });

  return {
    get available() {
      return available;
    },
    get key() {
      return key;
    },
    set key(value: string) {
      key = value;
    },
    get evaluation() {
      return evaluation;
    },
    get error() {
      return error;
    },
  };
}
