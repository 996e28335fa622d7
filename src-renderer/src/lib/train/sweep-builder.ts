/**
 * The Sweeps section's builder: a sweep file (domain/sweeps/sweep-spec.ts, checked again in
 * main) from the Train form's config and the fields to vary, each with a list of values; or a
 * sweep file pasted or uploaded as JSON.
 */

export interface SweepFieldRow {
  /** A dotted config path (`training.optimizer.learningRate`) or an alias (`model.cell`). */
  field: string;
  /** The values, comma separated: `0.01, 0.003` or `lstm, gru`. */
  values: string;
}

export interface BuiltSweep {
  spec: Record<string, unknown>;
  /** Runs the grid expands to. */
  runs: number;
  problems: string[];
}

/** The fields a sweep is most often over, offered first (the domain's aliases included). */
export const COMMON_SWEEP_FIELDS: readonly string[] = [
  'model.cell',
  'model.units',
  'training.optimizer.learningRate',
  'training.seed',
  'training.epochs',
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every scalar setting of a config as a dotted path (list elements by index), in config order. */
export function configLeafPaths(config: Json, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isObject(value)) paths.push(...configLeafPaths(value, path));
    else if (Array.isArray(value))
      value.forEach((item, i) => {
        if (isObject(item)) paths.push(...configLeafPaths(item, `${path}.${i}`));
      });
    else if (['number', 'string', 'boolean'].includes(typeof value)) paths.push(path);
  }
  return paths;
}

/** The fields the builder suggests: the common ones, then every other setting of the config. */
export function suggestedFields(config: Json): string[] {
  const skip = new Set(['name', 'corpus', 'task', 'format', 'version']);
  const rest = configLeafPaths(config).filter(
    (p) => !skip.has(p) && !COMMON_SWEEP_FIELDS.includes(p),
  );
  return [...COMMON_SWEEP_FIELDS, ...rest];
}

/** One typed value: JSON when it reads as JSON (numbers, true, "quoted"), else the text itself. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A row's values as a list, or a problem naming the row. */
export function parseValueList(row: SweepFieldRow): { values: unknown[] } | { problem: string } {
  const parts = row.values
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return { problem: `${row.field}: give at least one value` };
  return { values: parts.map(parseValue) };
}

/** The sweep file of a base config (the Train form's) and the rows of varied fields. */
export function buildSweep(base: Json, rows: readonly SweepFieldRow[]): BuiltSweep {
  const problems: string[] = [];
  const grid: Record<string, unknown[]> = {};
  for (const row of rows) {
    const field = row.field.trim();
    if (field === '') {
      if (row.values.trim() !== '') problems.push('a row has values but no field');
      continue;
    }
    if (field in grid) {
      problems.push(`${field} is varied twice`);
      continue;
    }
    const parsed = parseValueList({ ...row, field });
    if ('problem' in parsed) problems.push(parsed.problem);
    else grid[field] = parsed.values;
  }
  if (Object.keys(grid).length === 0 && problems.length === 0)
    problems.push('choose at least one field to vary');
  const { name: _name, ...config } = base;
  const runs = Object.values(grid).reduce((count, values) => count * values.length, 1);
  return {
    spec: { corpus: base.corpus, task: base.task, config, grid },
    runs: Object.keys(grid).length === 0 ? 0 : runs,
    problems,
  };
}

/** A pasted or uploaded sweep file: its object, or the JSON error. */
export function parseSweepJson(text: string): { spec: Json } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { problem: 'a sweep file is a JSON object' };
  return { spec: value };
}

/** A sweep name from an experiment name: `<name>-sweep`. */
export function defaultSweepName(experimentName: unknown): string {
  return `${typeof experimentName === 'string' && experimentName !== '' ? experimentName : 'run'}-sweep`;
}
