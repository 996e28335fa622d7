/** The headline figures of an evaluation summary, labelled, in the order the view shows them. */
export function headlineMetrics(summary: Readonly<Record<string, unknown>> | null): {
  label: string;
  value: string;
}[] {
  if (!summary) return [];
  const percent = (v: unknown): string | null =>
    typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : null;
  const per = summary.phoneErrorRate as { rate?: unknown } | number | undefined;
  const rows: [string, string | null][] = [
    ['Accuracy', percent(summary.accuracy)],
    ['Frame accuracy', percent(summary.frameAccuracy)],
    ['Frame accuracy (39 phones)', percent(summary.frameAccuracy39)],
    ['PER', percent(typeof per === 'object' ? per.rate : per)],
    ['Utterances', typeof summary.utterances === 'number' ? String(summary.utterances) : null],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== null)
    .map(([label, value]) => ({ label, value }));
}
