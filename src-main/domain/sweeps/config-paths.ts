/**
 * Config field paths as a sweep names them: dotted keys into an experiment config
 * ("training.optimizer.learningRate", "model.layers.0.units"). A path that meets a list without
 * an index reaches every element ("model.layers.cell" sets the cell of every layer), and a few
 * short names stand for the paths people expect ("model.cell"). Plain data, no Node import.
 */

/** Short names for settings that live in every layer of the recurrent stack. */
export const FIELD_ALIASES: Readonly<Record<string, string>> = {
  'model.cell': 'model.layers.cell',
  'model.units': 'model.layers.units',
  'model.bidirectional': 'model.layers.bidirectional',
};

/** The path a field name stands for (an alias's target, or itself). */
export function canonicalPath(field: string): string {
  return FIELD_ALIASES[field] ?? field;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isIndex = (segment: string): boolean => /^\d+$/.test(segment);

/** Why `field` cannot be a path, or null. */
export function pathProblem(field: string): string | null {
  const segments = canonicalPath(field).split('.');
  if (segments.some((s) => s.length === 0)) return 'a field is a dotted path such as "model.cell"';
  if (segments.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype'))
    return 'a field cannot name __proto__, constructor or prototype';
  if (['name', 'task', 'corpus', 'format', 'version'].includes(segments[0] as string))
    return `"${segments[0]}" belongs to the sweep, not to one run`;
  return null;
}

function setIn(target: unknown, segments: readonly string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return structuredClone(value);
  if (Array.isArray(target)) {
    if (isIndex(head)) {
      const copy = [...target];
      copy[Number(head)] = setIn(copy[Number(head)], rest, value);
      return copy;
    }
    return target.map((element) => setIn(element, segments, value));
  }
  const record = isRecord(target) ? target : {};
  return { ...record, [head]: setIn(record[head], rest, value) };
}

/** A copy of `config` with the field set (every element of a list the path meets without an index). */
export function withField(
  config: Record<string, unknown>,
  field: string,
  value: unknown,
): Record<string, unknown> {
  return setIn(config, canonicalPath(field).split('.'), value) as Record<string, unknown>;
}

function getIn(source: unknown, segments: readonly string[]): unknown[] {
  const [head, ...rest] = segments;
  if (head === undefined) return [source];
  if (Array.isArray(source)) {
    if (isIndex(head)) return getIn(source[Number(head)], rest);
    return source.length === 0 ? [undefined] : source.flatMap((e) => getIn(e, segments));
  }
  return getIn(isRecord(source) ? source[head] : undefined, rest);
}

/** The values at the field (one per list element the path fans out over). */
export function fieldValues(config: unknown, field: string): unknown[] {
  return getIn(config, canonicalPath(field).split('.'));
}

/** Whether two JSON values are equal (object keys in any order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => jsonEqual(value, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const other = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === other.length && keys.every((k) => jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Whether the field holds `value` everywhere it reaches in `config` (a parsed run config). */
export function fieldHolds(config: unknown, field: string, value: unknown): boolean {
  const found = fieldValues(config, field);
  // A value the schema filled with its defaults (an object given partly) still holds when every
  // key given is there with its value.
  return found.every((v) => v !== undefined && contains(v, value));
}

function contains(found: unknown, given: unknown): boolean {
  if (isRecord(given) && isRecord(found))
    return Object.entries(given).every(([k, v]) => contains(found[k], v));
  return jsonEqual(found, given);
}
