/**
 * The tagging form's own settings: the tag set (config key `tagSet`), how words become
 * vectors (`words`, shared with the classification form: word-settings.ts) and a biLM's
 * contextual embeddings (`model.contextualEmbeddings`: contextual-settings.ts). Defaults and
 * rules are the config schema's (text-config.ts).
 */

import { DEFAULT_TAG_SET, type ExperimentConfig, type TagSetChoice } from '@api/experiment-config';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';
import { validateWords, wordsFieldAt, writeWords } from './word-settings';
import { withContextualEmbeddings } from './contextual-settings';

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
  model: (form: TrainForm, recurrent: Json): Json => withContextualEmbeddings(form, recurrent),
  validate: (form: TrainForm): FormIssue[] => validateWords(form),
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    const [key, inner] = path.map(String);
    if (key === 'model' && inner === 'contextualEmbeddings') return 'contextualEmbeddings';
    return key === 'tagSet' ? 'tagSet' : wordsFieldAt(path);
  },
};
