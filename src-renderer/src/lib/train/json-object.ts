/** A config as plain JSON, and the object at one of its keys (none: an empty one). */

export type Json = Record<string, unknown>;

export function objectAt(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}
