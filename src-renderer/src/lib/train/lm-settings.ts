/**
 * The language-model form's own settings: the level (words or characters), how a line becomes
 * words (the tokenizer), tied input and output embeddings, the Kneser-Ney baseline's order and
 * the direction (config keys `level`, `words`, `tiedEmbeddings`, `baseline`, `model.direction`).
 * The units' vocabulary and embedding are the text forms' word fields (word-settings.ts), less
 * what a language model refuses (case features, pre-trained vectors, and characters per word
 * but for a bidirectional one). Defaults and rules are the config schema's (lm-config.ts).
 */

import {
  KneserNeyBaselineSchema,
  LM_DIRECTIONS,
  LmConfigSchema,
  LmModelSchema,
  LmUnitsSchema,
  type ExperimentConfig,
  type LmDirection,
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
  /** Forwards only, or both ways (an ELMo-style biLM: `model.direction`). */
  lmDirection: LmDirection;
}

/** What a config without these keys gets (the schema's defaults). */
const LM_DEFAULTS: LmForm = {
  lmLevel: LmConfigSchema.shape.level.parse(undefined),
  lmTokenizer: LmUnitsSchema.shape.tokenizer.parse(undefined),
  tiedEmbeddings: LmConfigSchema.shape.tiedEmbeddings.parse(undefined),
  kneserNeyOrder: LmConfigSchema.shape.baseline.parse(undefined)?.order ?? 0,
  lmDirection: LmModelSchema.shape.direction.parse(undefined),
};

/** Whether the form trains a bidirectional LM (the schema's choice for it, not restated). */
export function isBidirectionalForm(form: Pick<TrainForm, 'lmDirection'>): boolean {
  return form.lmDirection === LM_DIRECTIONS[1];
}

/**
 * What a bidirectional LM asks of the form (the schema's rule, lm-config.ts, in the form's
 * terms): words, the character CNN on, tied embeddings off, and every layer as wide as the word
 * embedding + the character filters. Null for a forward LM.
 */
export function bidirectionalLmNote(
  form: Pick<
    TrainForm,
    | 'lmDirection'
    | 'lmLevel'
    | 'charCnn'
    | 'tiedEmbeddings'
    | 'wordEmbeddingSize'
    | 'charFilters'
    | 'units'
    | 'projection'
    | 'cell'
  >,
): string | null {
  if (!isBidirectionalForm(form)) return null;
  const width = form.wordEmbeddingSize + form.charFilters;
  const layerWidth = form.cell === 'lstm' && form.projection > 0 ? form.projection : form.units;
  const missing = [
    form.lmLevel === 'word' ? null : 'level Words',
    form.charCnn ? null : 'Character CNN on',
    form.tiedEmbeddings ? 'Tied embeddings off' : null,
    form.charCnn && layerWidth !== width ? `Units ${width}` : null,
  ].filter((what): what is string => what !== null);
  const rule = `A bidirectional LM (ELMo-style) reads words through their characters and mixes its layers: words, the character CNN, no tied embeddings, and every layer as wide as word embedding + character filters (${form.wordEmbeddingSize} + ${form.charFilters} = ${width}).`;
  return missing.length === 0 ? rule : `${rule} Still to set: ${missing.join(', ')}.`;
}

/** The baseline the order field stands for: none at 0. */
function baselineOf(form: TrainForm, base: Json): Json | null {
  return form.kneserNeyOrder === 0
    ? null
    : { ...objectAt(base.baseline), order: form.kneserNeyOrder };
}

/**
 * The form's word fields less those a language model refuses (one unit id per step; a
 * bidirectional one also reads each word's characters).
 */
function unitFields(form: TrainForm): TrainForm {
  const charCnn = form.charCnn && isBidirectionalForm(form);
  return { ...form, charCnn, caseFeatures: false, pretrainedFile: '' };
}

/** The config's `model` with the form's direction (written only when not the default). */
function modelWithDirection(form: TrainForm, recurrent: Json): Json {
  const { direction: _direction, ...model } = recurrent;
  return form.lmDirection === LM_DEFAULTS.lmDirection
    ? model
    : { ...model, direction: form.lmDirection };
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
          lmDirection: config.model.direction,
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
  model: (form: TrainForm, recurrent: Json): Json => modelWithDirection(form, recurrent),
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
    if (key === 'model' && inner === 'direction') return 'lmDirection';
    return (key && LM_FIELDS[key]) || wordsFieldAt(path);
  },
};
