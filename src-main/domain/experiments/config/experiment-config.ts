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

/** Parses a config with a schema (a task's own, or the union), or says where it is wrong. */
export function parseConfigWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const checked = experimentConfigProblem(schema, value);
  if (!checked.ok) throw new UnfoldError('BAD_EXPERIMENT_CONFIG', checked.problem);
  return checked.config;
}

export function parseExperimentConfig(value: unknown): ExperimentConfig {
  return parseConfigWith(ExperimentConfigSchema, value);
}
