/**
 * Side-by-side comparison of two experiment configs: both flattened to dotted paths (array
 * items by index, so `model.layers.1.units`), every path listed once with both values and
 * whether they differ, so the view can show the whole config with the differing keys marked.
 */

type Json = Record<string, unknown>;

export interface ConfigDiffRow {
  path: string;
  /** The value as JSON text, or null where that config has no such key. */
  a: string | null;
  b: string | null;
  differs: boolean;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaf values by dotted path; empty objects and arrays are leaves too. */
export function flattenConfig(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : isPlainObject(value)
      ? Object.entries(value)
      : [];
  if (entries.length === 0) {
    if (prefix !== '' && value !== undefined) out.set(prefix, JSON.stringify(value));
    return out;
  }
  for (const [key, child] of entries) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    for (const [p, v] of flattenConfig(child, path)) out.set(p, v);
  }
  return out;
}

/** Every path of either config, in a's key order then b's extra keys, with both values. */
export function configDiff(a: Readonly<Json>, b: Readonly<Json>): ConfigDiffRow[] {
  const flatA = flattenConfig(a);
  const flatB = flattenConfig(b);
  const paths = [...new Set([...flatA.keys(), ...flatB.keys()])];
  return paths.map((path) => {
    const va = flatA.get(path) ?? null;
    const vb = flatB.get(path) ?? null;
    return { path, a: va, b: vb, differs: va !== vb };
  });
}

/** How many keys differ (for the comparison's heading). */
export function countDifferences(rows: readonly ConfigDiffRow[]): number {
  return rows.filter((row) => row.differs).length;
}
