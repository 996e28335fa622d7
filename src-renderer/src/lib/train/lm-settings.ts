/**
 * The language-model form's own settings: the level (words or characters), how a line becomes
 * words (the tokenizer), tied input and output embeddings, and the Kneser-Ney baseline's order
 * (config keys `level`, `words`, `tiedEmbeddings`, `baseline`). The units' vocabulary and
 * embedding are the text forms' word fields (word-settings.ts), less what a language model
 * refuses (characters per word, case features, pre-trained vectors). Defaults and rules are the
 * config schema's (lm-config.ts).
 */

import {
  KneserNeyBaselineSchema,
  LmConfigSchema,
  LmUnitsSchema,
  type ExperimentConfig,
  type LmLevel,
  type LmTokenizer,
} from '@api/experiment-config';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';
import { fieldSchemaIssue, validateWords, wordsFieldAt, writeWords } from './word-settings';

export interface LmForm {
  lmLevel: LmLevel;
  /** How a line becomes words (word level only). */
  lmTokenizer: LmTokenizer;
  /** The softmax reads the top layer through the embedding table. */
  tiedEmbeddings: boolean;
  /** The Kneser-Ney baseline's n-gram order; 0 for no baseline. */
  kneserNeyOrder: number;
}

/** What a config without these keys gets (the schema's defaults). */
const LM_DEFAULTS: LmForm = {
  lmLevel: LmConfigSchema.shape.level.parse(undefined),
  lmTokenizer: LmUnitsSchema.shape.tokenizer.parse(undefined),
  tiedEmbeddings: LmConfigSchema.shape.tiedEmbeddings.parse(undefined),
  kneserNeyOrder: LmConfigSchema.shape.baseline.parse(undefined)?.order ?? 0,
};

/** The baseline the order field stands for: none at 0. */
function baselineOf(form: TrainForm, base: Json): Json | null {
  return form.kneserNeyOrder === 0
    ? null
    : { ...objectAt(base.baseline), order: form.kneserNeyOrder };
}

/** The form's word fields less those a language model refuses (one unit id per step). */
function unitFields(form: TrainForm): TrainForm {
  return { ...form, charCnn: false, caseFeatures: false, pretrainedFile: '' };
}

const LM_FIELDS: Readonly<Record<string, FormField>> = {
  level: 'lmLevel',
  tiedEmbeddings: 'tiedEmbeddings',
  baseline: 'kneserNeyOrder',
};

export const LM_SETTINGS: TaskSettings<LmForm> = {
  read: (config: ExperimentConfig): LmForm =>
    config.task === 'lm'
      ? {
          lmLevel: config.level,
          lmTokenizer: config.words.tokenizer,
          tiedEmbeddings: config.tiedEmbeddings,
          kneserNeyOrder: config.baseline?.order ?? 0,
        }
      : { ...LM_DEFAULTS },
  configKeys: ['level', 'words', 'tiedEmbeddings', 'baseline'],
  write(form: TrainForm, base: Json): Json {
    return {
      level: form.lmLevel,
      words: {
        ...writeWords(unitFields(form), objectAt(base.words)),
        tokenizer: form.lmTokenizer,
      },
      tiedEmbeddings: form.tiedEmbeddings,
      baseline: baselineOf(form, base),
    };
  },
  validate(form: TrainForm): FormIssue[] {
    const issues = validateWords(unitFields(form));
    if (form.kneserNeyOrder !== 0) {
      const issue = fieldSchemaIssue(
        'kneserNeyOrder',
        KneserNeyBaselineSchema.shape.order,
        form.kneserNeyOrder,
        'Kneser-Ney order (0 for none)',
      );
      if (issue) issues.push(issue);
    }
    return issues;
  },
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    const [key, inner] = path.map(String);
    if (key === 'words' && inner === 'tokenizer') return 'lmTokenizer';
    return (key && LM_FIELDS[key]) || wordsFieldAt(path);
  },
};
