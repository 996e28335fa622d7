/**
 * The experiment config: a union of the tasks' configs, told apart by `task`. The one place
 * where its schemas, defaults and choice lists are declared; the domain, the CLI and the
 * renderer (through src-main/api/experiment-config.ts) import them from here. No Node import.
 */
import { z } from 'zod';
import { UnfoldError } from '../../errors';
import { PhonesConfigSchema, WordsConfigSchema } from './speech-config';
import { PosConfigSchema, SentimentConfigSchema } from './text-config';
import { LmConfigSchema } from './lm-config';
import { Seq2seqConfigSchema } from './seq2seq-config';

export const ExperimentConfigSchema = z.discriminatedUnion('task', [
  WordsConfigSchema,
  PhonesConfigSchema,
  PosConfigSchema,
  SentimentConfigSchema,
  LmConfigSchema,
  Seq2seqConfigSchema,
]);
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

/** Every task a config can name, in the order a form offers them. */
export const EXPERIMENT_TASKS = ExperimentConfigSchema.options.map(
  (option) => option.shape.task.value,
);
export type ExperimentTaskName = ExperimentConfig['task'];

/** What is wrong with a config, in one sentence, or null when it is valid. */
export function experimentConfigProblem<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; config: T } | { ok: false; problem: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  const issue = result.error.issues[0];
  return {
    ok: false,
    problem: `The experiment config is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}.`,
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields of `input` that parsing dropped (paths like `model.tiedEmbeddings`): the schemas
 * strip what they do not know, so a misplaced or misspelt field would otherwise be ignored in
 * silence and the run trained without it. Compares the input with its parsed config object by
 * object and array by array; values the schema turned into something else are not followed.
 */
export function unknownConfigFields(input: unknown, parsed: unknown, at = ''): string[] {
  if (Array.isArray(input) && Array.isArray(parsed))
    return input.flatMap((item, i) => unknownConfigFields(item, parsed[i], `${at}[${i}]`));
  if (!isPlainObject(input) || !isPlainObject(parsed)) return [];
  return Object.keys(input).flatMap((key) => {
    const path = at ? `${at}.${key}` : key;
    if (input[key] === undefined) return [];
    return Object.hasOwn(parsed, key) ? unknownConfigFields(input[key], parsed[key], path) : [path];
  });
}

/**
 * Refuses a new run's config (a file, a form, a client's request) with fields its task does not
 * know, naming them; stored configs are not checked (they were written parsed).
 */
export function refuseUnknownFields(input: unknown, parsed: unknown, task: string): void {
  const unknown = unknownConfigFields(input, parsed);
  if (unknown.length > 0)
    throw new UnfoldError(
      'BAD_EXPERIMENT_CONFIG',
      `The experiment config has ${unknown.length === 1 ? 'a field' : 'fields'} the ${task} task does not know, which would be ignored: ${unknown.join(', ')}. Check the spelling and where each sits.`,
    );
}

/** Parses a config with a schema (a task's own, or the union), or says where it is wrong. */
export function parseConfigWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const checked = experimentConfigProblem(schema, value);
  if (!checked.ok) throw new UnfoldError('BAD_EXPERIMENT_CONFIG', checked.problem);
  return checked.config;
}

export function parseExperimentConfig(value: unknown): ExperimentConfig {
  return parseConfigWith(ExperimentConfigSchema, value);
}
