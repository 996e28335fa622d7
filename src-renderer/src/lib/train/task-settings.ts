/**
 * What each of the Train view's forms (TRAIN_FORMS: speech, tagging, classification, language
 * model, sequence to sequence) adds to the settings every
 * task shares: how it reads its fields from a config, writes its config keys, checks its fields
 * and names the field a config path belongs to. A task's view says which form it uses, so the
 * generic code never asks which task it is.
 */

import type { ExperimentConfig } from '@api/experiment-config';
import type { TrainFormKind } from '../tasks/task-view';
import { TASK_VIEWS } from '../tasks/task-views';
import type { FormField, FormIssue } from './form-validation';
import type { Json } from './json-object';
import type { Task, TrainForm } from './key-settings';
import { CLASSIFICATION_SETTINGS } from './classification-settings';
import { LM_SETTINGS } from './lm-settings';
import { SEQ2SEQ_SETTINGS } from './seq2seq-settings';
import { SPEECH_SETTINGS } from './speech-settings';
import { TAGGING_SETTINGS } from './tagging-settings';

export interface TaskSettings<F> {
  /**
   * The form's own fields for a config: read from it when it is a config of the form's tasks,
   * the schema's defaults otherwise (so a form can switch to the form's tasks).
   */
  read: (config: ExperimentConfig) => F;
  /** The top-level config keys the form writes (left out of the configs of other forms). */
  configKeys: readonly string[];
  /** Those keys for the form, with `base`'s settings the form does not edit carried over. */
  write: (form: TrainForm, base: Json) => Json;
  /** The checks of the form's own fields. */
  validate: (form: TrainForm) => FormIssue[];
  /** The form field that edits a config path of those keys, or null for none. */
  fieldAt: (path: readonly PropertyKey[]) => FormField | null;
  /**
   * The config's `model`, for a form whose model is not always the recurrent stack of the
   * shared fields: given that stack (`recurrent`) and the model the form started from. Absent:
   * the recurrent stack.
   */
  model?: (form: TrainForm, recurrent: Json, base: Json) => Json;
  /** Whether the form's model is that recurrent stack (its fields shown); absent: always. */
  recurrent?: (form: TrainForm) => boolean;
  /**
   * The form's own fields that a config of this model did not set (the other model's, such as a
   * CNN's widths for a recurrent config): a form read from it keeps those of the form before.
   */
  unsetFields?: (form: TrainForm) => readonly FormField[];
  /** The keys of `training` the form writes (left out of the configs of other forms). */
  trainingKeys?: readonly string[];
  /** Those keys of `training` for the form (a key left out is absent: the engine's default). */
  training?: (form: TrainForm) => Json;
}

export const TASK_SETTINGS: { readonly [K in TrainFormKind]: TaskSettings<unknown> } = {
  speech: SPEECH_SETTINGS,
  tagging: TAGGING_SETTINGS,
  classification: CLASSIFICATION_SETTINGS,
  'language-model': LM_SETTINGS,
  seq2seq: SEQ2SEQ_SETTINGS,
};

/** The form a task is edited with, or null when the task trains from the command line only. */
export function formKindOf(task: Task): TrainFormKind | null {
  return TASK_VIEWS[task].train.form;
}

/** The settings of a task's form (for a task of FORM_TASKS). */
export function settingsOf(task: Task): TaskSettings<unknown> {
  const kind = formKindOf(task);
  if (kind === null) throw new Error(`The Train form does not edit ${task} experiments.`);
  return TASK_SETTINGS[kind];
}
