/**
 * The Train form's "Cross-validate" option: k folds of the training split's items, each an
 * ordinary experiment tested on its fold (the job kind experiment-cross-validate). The range
 * and the default are the domain's (HeldOutSchema's folds, DEFAULT_HELD_OUT): declared there once.
 */

import { DEFAULT_HELD_OUT, HeldOutSchema, MAX_FOLDS } from '@api/experiment-config';
import type { Task } from './key-settings';
import { formKindOf } from './task-settings';

// The schema's folds have a minimum: it is read, not restated.
export const MIN_FOLDS = HeldOutSchema.shape.folds.minValue as number;
/** The folds the option offers first: those of the default held-out division, whose fold 1 is its test part. */
export const DEFAULT_FOLDS = DEFAULT_HELD_OUT.folds;

/** Cross-validation is offered for the text tasks (their items are divided one by one). */
export function offersCrossValidation(task: Task): boolean {
  const kind = formKindOf(task);
  return kind === 'classification' || kind === 'tagging';
}

/** Why `folds` cannot be a cross-validation's number of folds, or null when it can. */
export function foldsProblem(folds: number): string | null {
  return Number.isInteger(folds) && folds >= MIN_FOLDS && folds <= MAX_FOLDS
    ? null
    : `Folds must be a whole number from ${MIN_FOLDS} to ${MAX_FOLDS}.`;
}

/** What starting the option does, in words (shown under it). */
export function crossValidationNote(name: string, folds: number, trainSplit: string): string {
  const k = Number.isInteger(folds) ? folds : 'k';
  return `The items of ${trainSplit || 'the training split'} are cut into ${k} folds by a hash of each item; each fold is an experiment of its own (${name || 'NAME'}-fold-…) tested on that fold and trained (and tuned, with a dev set) on the others. The dev and test choices above are not used. The summary lists every fold's figure with their mean and sample standard deviation.`;
}
