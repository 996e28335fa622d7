/**
 * `--patch JSON` for the evaluation scripts: a JSON object deep-merged into the experiment
 * config (objects merge key by key, everything else replaces), so an ablation is one command
 * line, e.g. `--patch '{"features":{"highFreq":4000},"augmentation":{"speeds":[0.9,1,1.1]}}'`.
 */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch))
    return (patch === undefined ? base : patch) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(merged[key], value);
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parsePatch(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const value: unknown = JSON.parse(text);
  if (!isPlainObject(value)) throw new Error('--patch must be a JSON object.');
  return value;
}
