/**
 * The config preview's text: JSON indented by two, with arrays of plain values kept on one
 * line (`"splits": ["train"]`) so the preview stays short enough to read at a glance.
 */
export function formatConfigJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\n\s*((?:"(?:[^"\\]|\\.)*"|-?[\d.eE+-]+|true|false|null)(?:,\n\s*(?:"(?:[^"\\]|\\.)*"|-?[\d.eE+-]+|true|false|null))*)\n\s*\]/g,
    (_match, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`,
  );
}
