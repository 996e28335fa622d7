/**
 * The tagging form's own settings: the tag set (config key `tagSet`) and how words become
 * vectors (`words`, shared with the classification form: word-settings.ts). Defaults and rules
 * are the config schema's (text-config.ts).
 */

import { DEFAULT_TAG_SET, type ExperimentConfig, type TagSetChoice } from '@api/experiment-config';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';
import { validateWords, wordsFieldAt, writeWords } from './word-settings';

export interface TaggingForm {
  tagSet: TagSetChoice;
}

export const TAGGING_SETTINGS: TaskSettings<TaggingForm> = {
  read: (config: ExperimentConfig) => ({
    tagSet: config.task === 'pos' ? config.tagSet : DEFAULT_TAG_SET,
  }),
  configKeys: ['tagSet', 'words'],
  write: (form: TrainForm, base: Json): Json => ({
    tagSet: form.tagSet,
    words: writeWords(form, objectAt(base.words)),
  }),
  validate: (form: TrainForm): FormIssue[] => validateWords(form),
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    return String(path[0]) === 'tagSet' ? 'tagSet' : wordsFieldAt(path);
  },
};
