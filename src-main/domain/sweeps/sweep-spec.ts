/**
 * A sweep file: the base experiment (a preset or a config, with fixed settings laid over it) and
 * the search over config fields, as a grid, seeded random samples, or both (every grid point
 * with the same samples). The one place its schema and limits are declared. No Node import.
 */
import { z } from 'zod';
import { CorpusNameSchema } from '../../api/names';
import { EXPERIMENT_TASKS } from '../experiments/config/experiment-config';
import { pathProblem } from './config-paths';

export const SWEEP_FILE_FORMAT = 'unfold-sweep';
/** More runs than this is a typing mistake rather than a plan (135 is a big lab sweep). */
export const MAX_SWEEP_RUNS = 10_000;
export const DEFAULT_RANDOM_SEED = 1;

const FieldNameSchema = z.string().superRefine((field, context) => {
  const problem = pathProblem(field);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

const rangeOf = (check: (lo: number, hi: number) => boolean, message: string) =>
  z
    .tuple([z.number(), z.number()])
    .refine(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && check(lo, hi), message);

/** How a random search draws one field: from a list, or from a range. */
export const RandomFieldSchema = z.union([
  z.array(z.unknown()).min(1, 'a list of values to choose from needs at least one value'),
  z.strictObject({
    uniform: rangeOf((lo, hi) => lo <= hi, 'uniform needs [low, high], low <= high'),
  }),
  z.strictObject({
    logUniform: rangeOf(
      (lo, hi) => lo > 0 && lo <= hi,
      'logUniform needs [low, high] with 0 < low <= high',
    ),
  }),
  z.strictObject({
    int: rangeOf(
      (lo, hi) => Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi,
      'int needs whole numbers [low, high], low <= high',
    ),
  }),
]);
export type RandomField = z.infer<typeof RandomFieldSchema>;

export const SweepSpecSchema = z
  .strictObject({
    format: z.literal(SWEEP_FILE_FORMAT).optional(),
    /** The task; a preset or a config that names one may leave it out. */
    task: z.enum(EXPERIMENT_TASKS).optional(),
    /** The corpus every run trains on: a corpus of the data folder, by name (runs are jobs there). */
    corpus: CorpusNameSchema,
    /** The preset the runs start from (the task's first by default). */
    preset: z.string().min(1).optional(),
    /** Or an experiment config: inline, or a JSON file's path relative to the sweep file. */
    config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    /** Settings every run shares, laid over the preset or config. */
    set: z.record(FieldNameSchema, z.unknown()).default({}),
    /** Every combination of these fields' values. */
    grid: z
      .record(FieldNameSchema, z.array(z.unknown()).min(1, 'a grid field needs at least one value'))
      .default({}),
    /** `samples` draws of these fields from a generator seeded by `seed`. */
    random: z
      .strictObject({
        samples: z.number().int().min(1).max(MAX_SWEEP_RUNS),
        seed: z.number().int().default(DEFAULT_RANDOM_SEED),
        fields: z
          .record(FieldNameSchema, RandomFieldSchema)
          .refine((fields) => Object.keys(fields).length > 0, 'name at least one field to draw'),
      })
      .optional(),
  })
  .superRefine((spec, context) => {
    if (spec.preset !== undefined && spec.config !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['config'],
        message: 'give a preset or a config, not both',
      });
    if (Object.keys(spec.grid).length === 0 && spec.random === undefined)
      context.addIssue({
        code: 'custom',
        path: ['grid'],
        message: 'a sweep needs a grid or a random search (or both)',
      });
    const seen = new Map<string, string>();
    const sections: Array<[string, Record<string, unknown>]> = [
      ['set', spec.set],
      ['grid', spec.grid],
      ['random', spec.random?.fields ?? {}],
    ];
    for (const [section, fields] of sections)
      for (const field of Object.keys(fields)) {
        const before = seen.get(field);
        if (before !== undefined)
          context.addIssue({
            code: 'custom',
            path: [section === 'random' ? 'random' : section, field],
            message: `"${field}" is already in ${before}: a field is set in one place only`,
          });
        seen.set(field, section);
      }
  });
export type SweepSpec = z.infer<typeof SweepSpecSchema>;
export type SweepSpecInput = z.input<typeof SweepSpecSchema>;

/** An issue's place in a sweep file, readable: grid["model.cell"][2]. */
export function issuePlace(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the whole file)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(text)) return i === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
}
