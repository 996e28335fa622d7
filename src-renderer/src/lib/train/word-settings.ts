/**
 * How words become vectors, as the text forms (tagging, classification) edit it: the config's
 * `words` (word embeddings, lower-casing, the unknown-word cut-offs, case features, a character
 * CNN, pre-trained vectors). Defaults and rules are the config schema's (text-config.ts): the
 * fields are checked with the schema's own field schemas, not restated here. Keys of `words`
 * the form does not edit (maxVocabulary, caseEmbeddingSize) are carried over.
 */

import type { z } from 'zod';
import {
  CharRepresentationSchema,
  WordInputSchema,
  type ExperimentConfig,
  type WordInput,
} from '@api/experiment-config';
import { DataPathSchema } from '@api/names';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';

export interface WordsForm {
  wordEmbeddingSize: number;
  lowercase: boolean;
  /** Words seen fewer times in training are unknown. */
  minCount: number;
  /** Word dropout alpha; 0 for none. */
  wordDropout: number;
  caseFeatures: boolean;
  /** A character CNN per word. */
  charCnn: boolean;
  charEmbeddingSize: number;
  charFilters: number;
  charWidth: number;
  /** A word2vec or GloVe text file of the data folder, as typed; '' for none. */
  pretrainedFile: string;
  freezePretrained: boolean;
}

/** What a config without `words` gets (the schema's defaults). */
const WORD_DEFAULTS: WordInput = WordInputSchema.parse({});
/** The character CNN a form offers when it is switched on. */
const CHAR_DEFAULTS = CharRepresentationSchema.parse({});

function wordsFormOf(words: WordInput): WordsForm {
  const chars = words.chars ?? CHAR_DEFAULTS;
  return {
    wordEmbeddingSize: words.embeddingSize,
    lowercase: words.lowercase,
    minCount: words.minCount,
    wordDropout: words.wordDropout,
    caseFeatures: words.caseFeatures,
    charCnn: words.chars !== null,
    charEmbeddingSize: chars.embeddingSize,
    charFilters: chars.filters,
    charWidth: chars.width,
    pretrainedFile: words.pretrained?.file ?? '',
    freezePretrained: words.pretrained?.freeze ?? false,
  };
}

/** The word fields of a config of a text task; the schema's defaults for any other. */
export function readWords(config: ExperimentConfig): WordsForm {
  return wordsFormOf('words' in config ? config.words : WORD_DEFAULTS);
}

/** The config's `words` for the form, with `base`'s keys the form does not edit carried over. */
export function writeWords(form: TrainForm, base: Json): Json {
  const file = form.pretrainedFile.trim();
  return {
    ...base,
    lowercase: form.lowercase,
    minCount: form.minCount,
    wordDropout: form.wordDropout,
    embeddingSize: form.wordEmbeddingSize,
    caseFeatures: form.caseFeatures,
    chars: form.charCnn
      ? {
          ...objectAt(base.chars),
          embeddingSize: form.charEmbeddingSize,
          filters: form.charFilters,
          width: form.charWidth,
        }
      : null,
    pretrained: file === '' ? null : { file, freeze: form.freezePretrained },
  };
}

const WORD_FIELDS: Readonly<Record<string, FormField>> = {
  embeddingSize: 'wordEmbeddingSize',
  lowercase: 'lowercase',
  minCount: 'minCount',
  wordDropout: 'wordDropout',
  caseFeatures: 'caseFeatures',
};
const CHAR_FIELDS: Readonly<Record<string, FormField>> = {
  embeddingSize: 'charEmbeddingSize',
  filters: 'charFilters',
  width: 'charWidth',
};

/** Each numeric field, the schema of its config key, and what the field is called. */
const SCHEMA_CHECKED: readonly [keyof WordsForm, z.ZodType, string, boolean][] = [
  ['wordEmbeddingSize', WordInputSchema.shape.embeddingSize, 'Word embedding size', false],
  ['minCount', WordInputSchema.shape.minCount, 'Min count', false],
  ['wordDropout', WordInputSchema.shape.wordDropout, 'Word dropout', false],
  ['charEmbeddingSize', CharRepresentationSchema.shape.embeddingSize, 'Character size', true],
  ['charFilters', CharRepresentationSchema.shape.filters, 'Character filters', true],
  ['charWidth', CharRepresentationSchema.shape.width, 'Filter width', true],
];

/** What a field's own schema says of its value, as an issue on the field; null when it passes. */
export function fieldSchemaIssue(
  field: FormField,
  schema: z.ZodType,
  value: unknown,
  label: string,
): FormIssue | null {
  // An empty number input is NaN: the schema would say "expected number, received NaN".
  if (typeof value === 'number' && Number.isNaN(value))
    return { field, message: `${label}: enter a number.`, severity: 'error' };
  const checked = schema.safeParse(value);
  if (checked.success) return null;
  const message = checked.error.issues[0]?.message ?? 'invalid';
  return { field, message: `${label}: ${message}.`, severity: 'error' };
}

/** The checks of the word fields (the character CNN's only when it is on). */
export function validateWords(form: TrainForm): FormIssue[] {
  const issues: FormIssue[] = [];
  for (const [field, schema, label, charsOnly] of SCHEMA_CHECKED) {
    if (charsOnly && !form.charCnn) continue;
    const issue = fieldSchemaIssue(field, schema, form[field], label);
    if (issue) issues.push(issue);
  }
  const file = form.pretrainedFile.trim();
  if (file !== '') {
    const checked = DataPathSchema.safeParse(file);
    if (!checked.success)
      issues.push({
        field: 'pretrainedFile',
        message: `The vectors file must be a file of the data folder: ${checked.error.issues[0]?.message ?? 'invalid path'}.`,
        severity: 'error',
      });
  }
  return issues;
}

/** The word field that edits a config path under `words`, or null for none. */
export function wordsFieldAt(path: readonly PropertyKey[]): FormField | null {
  const [key, inner, leaf] = path.map(String);
  if (key !== 'words' || inner === undefined) return null;
  if (inner === 'chars') return (leaf && CHAR_FIELDS[leaf]) || 'charCnn';
  if (inner === 'pretrained') return leaf === 'freeze' ? 'freezePretrained' : 'pretrainedFile';
  return WORD_FIELDS[inner] ?? null;
}
