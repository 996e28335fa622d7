/**
 * What a task's config schema offers for its model, read off the schema rather than restated:
 * the kinds of model it takes (a recurrent encoder, a CNN) and the poolings of its recurrent
 * encoder. A task whose model is one recurrent stack has one kind, named ''.
 */
import { z } from 'zod';
import { ExperimentConfigSchema } from '@api/experiment-config';
import type { Task } from './key-settings';

/** The task's config schema (the union's option of that task). */
function taskSchema(task: Task): (typeof ExperimentConfigSchema.options)[number] {
  const schema = ExperimentConfigSchema.options.find((option) => option.shape.task.value === task);
  if (!schema) throw new Error(`The config union has no ${task} task.`);
  return schema;
}

/** The schemas the task's `model` may take: the options of a union, or the one schema. */
function modelSchemas(task: Task): z.ZodObject[] {
  const model: z.ZodType = taskSchema(task).shape.model;
  if (model instanceof z.ZodDiscriminatedUnion) return model.options as z.ZodObject[];
  return [model as z.ZodObject];
}

/** The value of a literal, defaulted or not. */
function literalOf(schema: z.ZodType | undefined): string {
  let inner = schema;
  while (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodLiteral ? String(inner.value) : '';
}

/** The kinds of model the task's schema takes (`model.kind`), in its order; [''] for one stack. */
export function modelKinds(task: Task): string[] {
  return modelSchemas(task).map((schema) => literalOf(schema.shape.kind));
}

/** Whether the task's schema takes more than one kind of model (a CNN beside the RNN). */
export function hasModelChoice(task: Task): boolean {
  return modelKinds(task).length > 1;
}

/** The poolings the task's recurrent model takes (its schema's `pooling` list). */
export function poolingChoices(task: Task): string[] {
  const recurrent = modelSchemas(task).find((schema) => 'layers' in schema.shape);
  let pooling: z.ZodType | undefined = recurrent?.shape.pooling;
  while (pooling instanceof z.ZodDefault) pooling = pooling.unwrap() as z.ZodType;
  return pooling instanceof z.ZodEnum ? (pooling.options as string[]) : [];
}

/** The kind a model without `kind` is (the one whose schema defaults it), else the first. */
function defaultKind(task: Task): string {
  const schemas = modelSchemas(task);
  const defaulted = schemas.find((schema) => schema.shape.kind instanceof z.ZodDefault);
  return literalOf((defaulted ?? schemas[0])?.shape.kind);
}

/** The kind of model a config has (`model.kind`, its schema's default when absent). */
export function modelKindOf(task: Task, model: unknown): string {
  const kind =
    typeof model === 'object' && model !== null ? (model as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && modelKinds(task).includes(kind) ? kind : defaultKind(task);
}
