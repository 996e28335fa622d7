/**
 * The G2P models the synthesis dialog offers for the words CMUdict lacks: trained seq2seq
 * experiments, newest first (the job refuses one not scored as G2P, saying why).
 */
import type { ExperimentListItem } from '@api/experiments';
import { isTrained, newestFirst } from '../live/experiment-choice';

export function g2pChoices(list: readonly ExperimentListItem[]): string[] {
  return list
    .filter((e) => e.task === 'seq2seq' && isTrained(e))
    .sort(newestFirst)
    .map((e) => e.name);
}
