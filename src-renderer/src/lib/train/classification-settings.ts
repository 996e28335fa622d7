/**
 * The classification form's own settings: how words become vectors (`words`, shared with the
 * tagging form: word-settings.ts, and a biLM's contextual embeddings: contextual-settings.ts)
 * and which sentence encoder reads them (`model.kind`): the recurrent stack of the shared
 * architecture fields, pooled, or Kim's CNN (filter widths and filters per width; its dropout is
 * the shared dropout field). Defaults and rules are the config schema's (text-config.ts).
 */

import {
  SentenceCnnSchema,
  SentenceRecurrentSchema,
  type ExperimentConfig,
  type SentimentConfig,
} from '@api/experiment-config';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';
import { fieldSchemaIssue, validateWords, wordsFieldAt, writeWords } from './word-settings';
import { withContextualEmbeddings } from './contextual-settings';
import { formatNumberList, parseNumberList } from './number-list';

/** A sentence encoder kind of the schema (SentimentConfigSchema's model union). */
export type SentenceEncoder = SentimentConfig['model']['kind'];

export interface ClassificationForm {
  encoder: SentenceEncoder;
  /** The CNN's filter widths in words, as typed ("3, 4, 5"). */
  cnnWidths: string;
  /** The CNN's filters of each width. */
  cnnFilters: number;
}

/** What a model without `kind` is (the schema's default: the recurrent encoder). */
const DEFAULT_ENCODER: SentenceEncoder = SentenceRecurrentSchema.shape.kind.parse(undefined);

/** The CNN a form offers when it is chosen (the schema's defaults: Kim's). */
const CNN_DEFAULTS = SentenceCnnSchema.parse({ kind: 'cnn' });

/** Widths as the field writes them: "3, 4, 5". */

function classificationFormOf(config: ExperimentConfig): ClassificationForm {
  const cnn = config.task === 'sentiment' && config.model.kind === 'cnn' ? config.model : null;
  return {
    encoder: config.task === 'sentiment' ? config.model.kind : DEFAULT_ENCODER,
    cnnWidths: formatNumberList(cnn?.widths ?? CNN_DEFAULTS.widths),
    cnnFilters: cnn?.filters ?? CNN_DEFAULTS.filters,
  };
}

function cnnModel(form: TrainForm, base: Json): Json {
  return {
    ...(base.kind === 'cnn' ? base : {}),
    kind: 'cnn',
    widths: parseNumberList(form.cnnWidths) ?? [],
    filters: form.cnnFilters,
    dropout: form.dropout,
  };
}

/** The CNN's own fields (its dropout is the shared dropout field). */
const CNN_FIELDS: readonly FormField[] = ['cnnWidths', 'cnnFilters'];

const MODEL_FIELDS: Readonly<Record<string, FormField>> = {
  kind: 'encoder',
  widths: 'cnnWidths',
  filters: 'cnnFilters',
  contextualEmbeddings: 'contextualEmbeddings',
};

export const CLASSIFICATION_SETTINGS: TaskSettings<ClassificationForm> = {
  read: classificationFormOf,
  configKeys: ['words'],
  write: (form: TrainForm, base: Json): Json => ({ words: writeWords(form, objectAt(base.words)) }),
  model: (form: TrainForm, recurrent: Json, base: Json): Json =>
    withContextualEmbeddings(
      form,
      form.encoder === 'cnn' ? cnnModel(form, base) : { ...recurrent, kind: form.encoder },
    ),
  recurrent: (form: TrainForm) => form.encoder !== 'cnn',
  unsetFields: (form: TrainForm) => (form.encoder === 'cnn' ? [] : CNN_FIELDS),
  validate(form: TrainForm): FormIssue[] {
    const issues = validateWords(form);
    if (form.encoder !== 'cnn') return issues;
    const widths = parseNumberList(form.cnnWidths);
    const widthIssue =
      widths === null
        ? {
            field: 'cnnWidths' as const,
            message: 'Filter widths: whole numbers of words, separated by commas (3, 4, 5).',
            severity: 'error' as const,
          }
        : fieldSchemaIssue('cnnWidths', SentenceCnnSchema.shape.widths, widths, 'Filter widths');
    const filtersIssue = fieldSchemaIssue(
      'cnnFilters',
      SentenceCnnSchema.shape.filters,
      form.cnnFilters,
      'Filters per width',
    );
    return [...issues, ...[widthIssue, filtersIssue].filter((i) => i !== null)];
  },
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    const [key, inner] = path.map(String);
    if (key === 'model' && inner !== undefined) return MODEL_FIELDS[inner] ?? null;
    return wordsFieldAt(path);
  },
};
