/**
 * A sweep file expanded into its runs, deterministically: the grid in the file's field order
 * (the last field varies fastest), each grid point with the same seeded random samples, run i
 * named `<sweep>-<i>` (1-based, padded to the width of the count, so lists sort them). Every
 * run's config is checked by its task here, before anything runs, and every varied field must
 * still hold its value afterwards: a path the schema drops is named as a mistake.
 */
import { dataNameProblem } from '../../api/names';
import { UnfoldError } from '../errors';
import type { ExperimentTaskName } from '../experiments/config/experiment-config';
import type { TaskRegistry } from '../experiments/experiment-task';
import { taskFor } from '../experiments/experiment-task';
import { defaultPresetFor, presetConfig, presetNamed, presetTask } from '../experiments/presets';
import { PRESET_NAMES } from '../experiments/presets';
import { mulberry32 } from '../seeded-random';
import { fieldHolds, withField } from './config-paths';
import type { RandomField, SweepSpec } from './sweep-spec';
import { MAX_SWEEP_RUNS } from './sweep-spec';

export const SWEEP_PLAN_FORMAT = 'unfold-sweep-plan';

export type FieldValues = Record<string, unknown>;

export interface SweepRun {
  /** 1-based. */
  index: number;
  /** The run's experiment: an ordinary experiment of the data folder. */
  experiment: string;
  /** The value of every varied field (grid and random), by field name. */
  values: FieldValues;
  /** The run's whole config, as its task parsed it. */
  config: Record<string, unknown> & { name: string; corpus: string; task: string };
}

/** plan.json: what the sweep runs, enough to run or resume every run without the sweep file. */
export interface SweepPlan {
  format: typeof SWEEP_PLAN_FORMAT;
  version: 1;
  name: string;
  task: string;
  corpus: string;
  /** The varied fields, in the order the table shows them. */
  fields: string[];
  /** The sweep file as read (its config inlined), for the record. */
  spec: SweepSpec;
  runs: SweepRun[];
}

/** Where a sweep file's problems are reported: its path, or a label such as "the Train view". */
export interface SweepSource {
  label: string;
  /** The config a `config` path named, already read (reading files is the caller's). */
  configFile?: Record<string, unknown>;
}

const fail = (source: SweepSource, message: string): never => {
  throw new UnfoldError('BAD_SWEEP', `${source.label}: ${message}`);
};

/** The config every run starts from: preset or config, named and placed, `set` laid over. */
function baseConfig(spec: SweepSpec, name: string, source: SweepSource): Record<string, unknown> {
  let base: Record<string, unknown>;
  let task: string | undefined = spec.task;
  if (spec.config !== undefined) {
    base = typeof spec.config === 'string' ? (source.configFile ?? {}) : spec.config;
    const named = base.task;
    task ??= typeof named === 'string' ? named : undefined;
    if (task === undefined) fail(source, 'give "task" (the config names none)');
  } else {
    const preset =
      spec.preset !== undefined
        ? presetNamed(spec.preset)
        : task !== undefined
          ? defaultPresetFor(task as ExperimentTaskName)
          : null;
    if (preset === null)
      return fail(
        source,
        spec.preset !== undefined
          ? `preset "${spec.preset}" is not one of ${PRESET_NAMES.join(', ')}`
          : task === undefined
            ? 'give "task", "preset" or "config"'
            : `the ${task} task has no preset: give "config"`,
      );
    task ??= presetTask(preset);
    if (presetTask(preset) !== task)
      fail(source, `preset "${preset}" trains the ${presetTask(preset)} task, not ${task}`);
    base = presetConfig(preset, spec.corpus, name) as Record<string, unknown>;
  }
  let config: Record<string, unknown> = { ...base, name, corpus: spec.corpus, task };
  for (const [field, value] of Object.entries(spec.set)) config = withField(config, field, value);
  return config;
}

/** The grid's points: every combination, the last field varying fastest. */
export function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): FieldValues[] {
  let points: FieldValues[] = [{}];
  for (const [field, values] of Object.entries(grid))
    points = points.flatMap((point) => values.map((value) => ({ ...point, [field]: value })));
  return points;
}

/** Six significant digits: a drawn rate reads 0.00312468, not 0.0031246812345. */
const readable = (value: number): number => Number(value.toPrecision(6));

function draw(field: RandomField, random: () => number): unknown {
  const r = random();
  if (Array.isArray(field)) return field[Math.min(field.length - 1, Math.floor(r * field.length))];
  if ('uniform' in field) {
    const [lo, hi] = field.uniform;
    return readable(lo + r * (hi - lo));
  }
  if ('logUniform' in field) {
    const [lo, hi] = field.logUniform;
    return readable(Math.exp(Math.log(lo) + r * (Math.log(hi) - Math.log(lo))));
  }
  const [lo, hi] = field.int;
  return Math.min(hi, lo + Math.floor(r * (hi - lo + 1)));
}

/** `samples` draws, one generator seeded by `seed`, sample by sample and field by field in file order. */
export function randomSamples(random: NonNullable<SweepSpec['random']>): FieldValues[] {
  const generator = mulberry32(random.seed);
  return Array.from({ length: random.samples }, () =>
    Object.fromEntries(
      Object.entries(random.fields).map(([field, how]) => [field, draw(how, generator)]),
    ),
  );
}

/** The name of run `index` of `count`. */
export function runExperimentName(sweep: string, index: number, count: number): string {
  return `${sweep}-${String(index).padStart(String(count).length, '0')}`;
}

const describeValues = (values: FieldValues): string =>
  Object.entries(values)
    .map(([field, value]) => `${field}=${JSON.stringify(value)}`)
    .join(', ');

/** Expands a checked sweep file into its plan, every run's config checked by its task. */
export function expandSweep(
  spec: SweepSpec,
  { name, tasks, source }: { name: string; tasks: TaskRegistry; source: SweepSource },
): SweepPlan {
  const nameProblem = dataNameProblem(name);
  if (nameProblem !== null)
    fail(source, `the sweep's name "${name}" cannot be used: ${nameProblem}`);
  const base = baseConfig(spec, name, source);
  const taskName = base.task as string;
  const task = taskFor(tasks, taskName);
  const grid = gridPoints(spec.grid);
  const samples = spec.random ? randomSamples(spec.random) : [{}];
  const count = grid.length * samples.length;
  if (count > MAX_SWEEP_RUNS)
    fail(source, `the sweep has ${count} runs; at most ${MAX_SWEEP_RUNS} are allowed`);
  const longest = runExperimentName(name, count, count);
  const longProblem = dataNameProblem(longest);
  if (longProblem !== null)
    fail(source, `runs would be named like ${longest}, and ${longProblem}: choose a shorter name`);
  const fields = [...Object.keys(spec.grid), ...Object.keys(spec.random?.fields ?? {})];
  const runs: SweepRun[] = [];
  for (const point of grid)
    for (const sample of samples) {
      const index = runs.length + 1;
      const values = { ...point, ...sample };
      const experiment = runExperimentName(name, index, count);
      let input: Record<string, unknown> = { ...base, name: experiment };
      for (const [field, value] of Object.entries(values)) input = withField(input, field, value);
      let config: SweepRun['config'];
      try {
        config = task.parseConfig(input) as unknown as SweepRun['config'];
      } catch (error) {
        return fail(
          source,
          `run ${index} (${describeValues(values)}) is not a valid ${taskName} experiment: ${(error as Error).message}`,
        );
      }
      const checked: Array<[string, unknown]> = [
        ...Object.entries(spec.set),
        ...Object.entries(values),
      ];
      for (const [field, value] of checked)
        if (!fieldHolds(config, field, value))
          fail(
            source,
            `field "${field}" is not a setting of the ${taskName} task's config (its schema dropped ${JSON.stringify(value)}); see config.json of an experiment for the field names`,
          );
      runs.push({ index, experiment, values, config });
    }
  return {
    format: SWEEP_PLAN_FORMAT,
    version: 1,
    name,
    task: taskName,
    corpus: spec.corpus,
    fields,
    // Self-contained: a config file's content replaces its path.
    spec:
      typeof spec.config === 'string' && source.configFile
        ? { ...spec, config: source.configFile }
        : spec,
    runs,
  };
}
